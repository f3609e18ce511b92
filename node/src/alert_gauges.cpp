#include "alert_gauges.h"

#include <prometheus/gauge.h>
#include <prometheus/registry.h>
#include <spdlog/spdlog.h>

#include "ticket_view.h"

namespace wq::node {
namespace {

// Open tickets held by `holder` with a running clock due before `until`.
Result<std::uint64_t> due_before(const sync::StoreReader& reader, const std::string& holder,
                                 std::int64_t until) {
  sync::TicketQuery query;
  query.holder = holder;
  query.closed = false;
  query.due_before_ms = until;
  return reader.count(query);
}

}  // namespace

struct AlertGauges::Gauges {
  explicit Gauges(prometheus::Registry& registry)
      : overdue(prometheus::BuildGauge()
                    .Name("weiquan_tickets_overdue")
                    .Help("Open tickets held by this node whose next deadline has passed")
                    .Register(registry)
                    .Add({})),
        due_soon(prometheus::BuildGauge()
                     .Name("weiquan_tickets_due_soon")
                     .Help("Open tickets held by this node whose next deadline is within 48 hours")
                     .Register(registry)
                     .Add({})) {}

  prometheus::Gauge& overdue;
  prometheus::Gauge& due_soon;
};

AlertGauges::AlertGauges(prometheus::Registry& registry, ReaderPool& readers, std::string node_id,
                         boost::asio::io_context& io, std::chrono::seconds interval,
                         std::function<std::int64_t()> now_ms)
    : gauges_(std::make_unique<Gauges>(registry)),
      readers_(readers),
      node_id_(std::move(node_id)),
      interval_(interval),
      now_ms_(std::move(now_ms)),
      timer_(io) {}

AlertGauges::~AlertGauges() = default;

void AlertGauges::start() {
  refresh();
  schedule();
}

void AlertGauges::schedule() {
  timer_.expires_after(interval_);
  timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec) return;
    refresh();
    schedule();
  });
}

void AlertGauges::refresh() {
  const std::int64_t now = now_ms_();
  auto reader = readers_.acquire();
  if (!reader) {
    spdlog::warn("alert gauges: {}: {}", reader.error().code, reader.error().message);
    return;
  }
  auto overdue = due_before(**reader, node_id_, now);
  auto due = due_before(**reader, node_id_, now + http::kDueSoonMs);
  if (!overdue || !due) {
    const Error& error = overdue ? due.error() : overdue.error();
    spdlog::warn("alert gauges: {}: {}", error.code, error.message);
    return;
  }
  gauges_->overdue.Set(static_cast<double>(*overdue));
  gauges_->due_soon.Set(static_cast<double>(*due - *overdue));
}

}  // namespace wq::node
