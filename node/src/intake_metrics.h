// The intake queue's instruments, served by GET /metrics:
//
//   weiquan_intake_batch_tickets      histogram: tickets written per group commit
//   weiquan_intake_batch_seconds      histogram: time of one intake_batch (sign, check, commit)
//   weiquan_intake_queued             gauge: submissions waiting for the writer
//   weiquan_intake_refused_total      counter: submissions refused with 503 (queue full)
//
// Thread safety: every member may be called from any thread.
#pragma once

#include <cstddef>
#include <memory>

namespace prometheus {
class Registry;
}

namespace wq::node {

class IntakeMetrics {
 public:
  explicit IntakeMetrics(prometheus::Registry& registry);
  ~IntakeMetrics();
  IntakeMetrics(const IntakeMetrics&) = delete;
  IntakeMetrics& operator=(const IntakeMetrics&) = delete;

  void batch_written(std::size_t tickets, double seconds);
  void queued(std::size_t waiting);
  void refused();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace wq::node
