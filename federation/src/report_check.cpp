#include "weiquan/federation/report_check.h"

#include "weiquan/crypto/signing.h"

namespace wq::federation {

Status verify_report(const PeriodReport& report, const crypto::TrustStore& trust,
                     std::string_view self, std::int64_t now_ms, std::int64_t max_skew_ms) {
  const auto& body = report.body;
  const std::string& node = body.node_id();
  auto signer = trust.verify_chain(node, body.generated_at_ms());
  if (!signer) return signer.error();
  if (!crypto::verify((*signer)->cert.sign_key, crypto::Domain::report, report.body_bytes,
                      report.signature)) {
    return make_error("federation.report_bad_signature", "report of " + node + " does not verify");
  }
  auto trusted = trust.verify_chain(node, now_ms);
  if (!trusted) return trusted.error();
  if (node == self || (*trusted)->cert.issuer != self) {
    return make_error("federation.report_not_child",
                      node + " is not a child of " + std::string(self));
  }
  if ((*trusted)->cert.region != body.region()) {
    return make_error("federation.report_wrong_region",
                      "report of " + node + " is not for its region " + (*trusted)->cert.region);
  }
  if (body.generated_at_ms() > now_ms + max_skew_ms) {
    return make_error("federation.report_from_future",
                      "report of " + node + " is dated ahead of the clock");
  }
  return {};
}

ReportComparison compare_report(const PeriodFigures& reported, const PeriodFigures& own,
                                bool behind) {
  ReportComparison out;
  out.child_tickets = reported.tickets_counted;
  out.parent_tickets = own.tickets_counted;
  for (std::size_t i = 0; i < sync::kMeasureCount; ++i) {
    if (reported.measures.values[i] != own.measures.values[i]) {
      out.differing.emplace_back(sync::kMeasureNames[i]);
    }
  }
  if (reported.tickets_counted != own.tickets_counted)
    out.differing.emplace_back("tickets_counted");
  if (reported.ids_hash != own.ids_hash) out.differing.emplace_back("ids_hash");
  if (out.differing.empty()) return out;
  out.outcome = behind ? weiquan::v1::REPORT_OUTCOME_BEHIND : weiquan::v1::REPORT_OUTCOME_MISMATCH;
  return out;
}

}  // namespace wq::federation
