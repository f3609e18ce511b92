// The parent's check of a child's period report (protocol.md §16).
//
// verify_report accepts a decoded report (report_codec.h) only when its signature verifies under
// the key of the reporting node's certificate trusted at its generated_at_ms, that node is still
// trusted at `now_ms`, it is a direct child of this node (its certificate's issuer is `self`, and
// it is not `self`), its certificate's region is the report's region, and generated_at_ms is not
// more than max_skew_ms ahead of `now_ms`.
//
// compare_report sets the reported figures against the parent's own for the same region and days:
// `match` when every measure, the ticket count and the ids hash agree; otherwise `behind` when
// `behind` is true (events of the child's subtree were still on their way to this node: the caller
// decides, see protocol.md §16) and `mismatch` when it is not, naming what differs.
//
// Thread safety: pure functions; `trust` must not change during the call.
// Failure codes of verify_report: federation.report_bad_signature, the crypto.* codes of the node's
// certificate chain (crypto.unknown_node, crypto.cert_revoked, ...), federation.report_not_child,
// federation.report_wrong_region, federation.report_from_future.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "weiquan/crypto/certificate.h"
#include "weiquan/federation/report_codec.h"
#include "weiquan/federation/report_figures.h"
#include "weiquan/result.h"

namespace wq::federation {

inline constexpr std::int64_t kReportSkewMs = 5 * 60'000;

Status verify_report(const PeriodReport& report, const crypto::TrustStore& trust,
                     std::string_view self, std::int64_t now_ms,
                     std::int64_t max_skew_ms = kReportSkewMs);

struct ReportComparison {
  weiquan::v1::ReportOutcome outcome = weiquan::v1::REPORT_OUTCOME_MATCH;
  // Measure names (sync::kMeasureNames) that differ, then "tickets_counted" and "ids_hash".
  std::vector<std::string> differing;
  std::uint64_t child_tickets = 0;
  std::uint64_t parent_tickets = 0;
};

ReportComparison compare_report(const PeriodFigures& reported, const PeriodFigures& own,
                                bool behind);

}  // namespace wq::federation
