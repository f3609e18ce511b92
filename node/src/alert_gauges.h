// AlertGauges: this node's own deadline alerts as Prometheus gauges, served by GET /metrics:
//
//   weiquan_tickets_overdue    gauge: open tickets held here whose next deadline has passed
//   weiquan_tickets_due_soon   gauge: open tickets held here due within kDueSoonMs (ticket_view.h)
//
// Refreshed at start and every `interval` (weiquan run --alert-refresh-s) by two index counts
// (tickets_by_holder, alerts.h) on a pooled reader, so a scrape reads the last values and never
// touches the store.
//
// Threads: start() once, on the thread that sets the node up; the refresh runs on the io_context's
// threads. Destroy before the io_context (its timer is the only handler it leaves there).
// Failures: a failed refresh is logged and the gauges keep their last values.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "reader_pool.h"

namespace prometheus {
class Registry;
}

namespace wq::node {

class AlertGauges {
 public:
  AlertGauges(prometheus::Registry& registry, ReaderPool& readers, std::string node_id,
              boost::asio::io_context& io, std::chrono::seconds interval,
              std::function<std::int64_t()> now_ms);
  ~AlertGauges();
  AlertGauges(const AlertGauges&) = delete;
  AlertGauges& operator=(const AlertGauges&) = delete;

  void start();

 private:
  void refresh();
  void schedule();

  struct Gauges;
  std::unique_ptr<Gauges> gauges_;
  ReaderPool& readers_;
  std::string node_id_;
  std::chrono::seconds interval_;
  std::function<std::int64_t()> now_ms_;
  boost::asio::steady_timer timer_;
};

}  // namespace wq::node
