#include "intake_metrics.h"

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

namespace wq::node {

struct IntakeMetrics::Impl {
  explicit Impl(prometheus::Registry& registry)
      : batch_tickets(prometheus::BuildHistogram()
                          .Name("weiquan_intake_batch_tickets")
                          .Help("Tickets written per group commit")
                          .Register(registry)
                          .Add({}, prometheus::Histogram::BucketBoundaries{1, 2, 4, 8, 16, 32, 64,
                                                                           128, 256, 512})),
        batch_seconds(
            prometheus::BuildHistogram()
                .Name("weiquan_intake_batch_seconds")
                .Help("Time of one intake batch: sign, check, apply, commit")
                .Register(registry)
                .Add({}, prometheus::Histogram::BucketBoundaries{0.001, 0.0025, 0.005, 0.01, 0.025,
                                                                 0.05, 0.1, 0.25, 0.5, 1})),
        waiting(prometheus::BuildGauge()
                    .Name("weiquan_intake_queued")
                    .Help("Submissions waiting for the writer")
                    .Register(registry)
                    .Add({})),
        refusals(prometheus::BuildCounter()
                     .Name("weiquan_intake_refused_total")
                     .Help("Submissions refused with 503 because the intake queue was full")
                     .Register(registry)
                     .Add({})) {}

  prometheus::Histogram& batch_tickets;
  prometheus::Histogram& batch_seconds;
  prometheus::Gauge& waiting;
  prometheus::Counter& refusals;
};

IntakeMetrics::IntakeMetrics(prometheus::Registry& registry)
    : impl_(std::make_unique<Impl>(registry)) {}
IntakeMetrics::~IntakeMetrics() = default;

void IntakeMetrics::batch_written(std::size_t tickets, double seconds) {
  impl_->batch_tickets.Observe(static_cast<double>(tickets));
  impl_->batch_seconds.Observe(seconds);
}

void IntakeMetrics::queued(std::size_t waiting) {
  impl_->waiting.Set(static_cast<double>(waiting));
}

void IntakeMetrics::refused() {
  impl_->refusals.Increment();
}

}  // namespace wq::node
