// The period reports' instruments, served by GET /metrics:
//
//   weiquan_reports_checked_total{outcome}   counter: children's reports checked here, by outcome
//                                           (match, mismatch, behind)
//
// A mismatch is also logged (FederationLink, where reports are checked). Thread safety: every
// member may be called from any thread.
#pragma once

#include <memory>

#include "weiquan/v1/weiquan.pb.h"

namespace prometheus {
class Registry;
}

namespace wq::node {

class ReportMetrics {
 public:
  explicit ReportMetrics(prometheus::Registry& registry);
  ~ReportMetrics();
  ReportMetrics(const ReportMetrics&) = delete;
  ReportMetrics& operator=(const ReportMetrics&) = delete;

  void checked(weiquan::v1::ReportOutcome outcome);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace wq::node
