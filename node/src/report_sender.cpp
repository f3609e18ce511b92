#include "report_sender.h"

#include <spdlog/spdlog.h>

#include <utility>

#include "weiquan/federation/report_codec.h"
#include "weiquan/federation/report_exchange.h"
#include "weiquan/federation/report_figures.h"
#include "weiquan/sync/node_id.h"

namespace wq::node {
namespace {

std::uint64_t backlog_to(const sync::Store& store, const std::string& peer) {
  for (const sync::OutboxBacklog& backlog : store.outbox_backlog()) {
    if (backlog.peer == peer) return backlog.rows;
  }
  return 0;
}

bool same_figures(const federation::PeriodFigures& a, const federation::PeriodFigures& b) {
  return a.measures == b.measures && a.tickets_counted == b.tickets_counted &&
         a.ids_hash == b.ids_hash;
}

// Whether the report last sent for the period was answered match with these figures.
bool settled(ReportBook& book, const ReportPeriod& period,
             const federation::PeriodFigures& figures) {
  auto sent = book.sent(period);
  if (!sent || !*sent || (*sent)->outcome != "match") return false;
  auto report = federation::decode_report((*sent)->report);
  return report && same_figures(federation::figures_of(report->body), figures);
}

}  // namespace

ReportSender::ReportSender(std::string self, std::string parent, const crypto::SigningKeyPair& key,
                           sync::Transport& transport, ReportBook& book,
                           std::function<std::int64_t()> now_ms)
    : self_(std::move(self)),
      parent_(std::move(parent)),
      key_(key),
      transport_(transport),
      book_(book),
      now_ms_(std::move(now_ms)) {}

void ReportSender::send_due(sync::Store& store) {
  const std::string region(sync::node_region(self_));
  for (const ReportPeriod& period : finished_months(now_ms_())) {
    auto figures =
        federation::period_figures(store.reader(), region, period.from_day, period.to_day);
    if (!figures) {
      spdlog::error("report {}: {}: {}", period_name(period), figures.error().code,
                    figures.error().message);
      continue;
    }
    if (settled(book_, period, *figures)) continue;
    send(store, period, [name = period_name(period)](Result<weiquan::v1::ReportReply> answer) {
      if (!answer)
        spdlog::warn("report {}: {}: {}", name, answer.error().code, answer.error().message);
    });
  }
}

void ReportSender::send(sync::Store& store, const ReportPeriod& period, Done done) {
  auto figures = federation::period_figures(store.reader(), std::string(sync::node_region(self_)),
                                            period.from_day, period.to_day);
  if (!figures) return done(figures.error());
  weiquan::v1::PeriodReportBody body;
  body.set_version(1);
  body.set_node_id(self_);
  body.set_region(std::string(sync::node_region(self_)));
  body.set_from_day(period.from_day);
  body.set_to_day(period.to_day);
  federation::set_figures(body, *figures);
  body.set_generated_at_ms(now_ms_());
  body.set_backlog_to_parent(backlog_to(store, parent_));
  const weiquan::v1::Signed wire = federation::encode_report(body, key_);
  if (Status ok = book_.record_sent(period, wire, body.generated_at_ms()); !ok) {
    return done(ok.error());
  }
  federation::send_report(
      transport_, parent_, self_, wire,
      [book = &book_, now_ms = now_ms_, period, generated = body.generated_at_ms(),
       done = std::move(done)](Result<weiquan::v1::ReportReply> answer) {
        if (Status ok = book->record_answer(period, generated, answer, now_ms()); !ok) {
          spdlog::error("report {}: recording the answer: {}", period_name(period),
                        ok.error().message);
        }
        done(std::move(answer));
      });
}

}  // namespace wq::node
