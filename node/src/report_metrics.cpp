#include "report_metrics.h"

#include <prometheus/counter.h>
#include <prometheus/registry.h>

namespace wq::node {

struct ReportMetrics::Impl {
  explicit Impl(prometheus::Registry& registry)
      : family(prometheus::BuildCounter()
                   .Name("weiquan_reports_checked_total")
                   .Help("Children's period reports checked, by outcome")
                   .Register(registry)),
        match(family.Add({{"outcome", "match"}})),
        mismatch(family.Add({{"outcome", "mismatch"}})),
        behind(family.Add({{"outcome", "behind"}})) {}

  prometheus::Family<prometheus::Counter>& family;
  prometheus::Counter& match;
  prometheus::Counter& mismatch;
  prometheus::Counter& behind;
};

ReportMetrics::ReportMetrics(prometheus::Registry& registry)
    : impl_(std::make_unique<Impl>(registry)) {}

ReportMetrics::~ReportMetrics() = default;

void ReportMetrics::checked(weiquan::v1::ReportOutcome outcome) {
  switch (outcome) {
    case weiquan::v1::REPORT_OUTCOME_MATCH:
      impl_->match.Increment();
      break;
    case weiquan::v1::REPORT_OUTCOME_BEHIND:
      impl_->behind.Increment();
      break;
    default:
      impl_->mismatch.Increment();
      break;
  }
}

}  // namespace wq::node
