// ReportBook: the period reports (protocol.md §16) a node keeps in its office database — its own
// as last sent to its parent, with the parent's answer, and the newest report of each child for
// each period, with the outcome of this node's check of it.
//
// A sent report replaces the one sent before for the same period; its answer is recorded only on
// the report it answers (by generated_at_ms), so a late answer to an older report changes nothing.
// A child's report is kept only when no report of that child and period generated later is held.
//
// Ownership: keeps a reference to the OfficeDb, which must outlive it.
// Thread safety: every member may be called from any thread (through OfficeDb::lock()).
// Failure codes: sync.db.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "report_period.h"
#include "weiquan/federation/report_exchange.h"
#include "weiquan/node/office_db.h"
#include "weiquan/result.h"
#include "weiquan/v1/weiquan.pb.h"

namespace wq::node {

// A report as kept: sent by this node or received from a child.
struct KeptReport {
  std::string node;  // the reporting node
  ReportPeriod period;
  std::int64_t generated_at_ms = 0;
  weiquan::v1::Signed report;  // as signed and sent
  // Sent: "" until the parent answers, then match, mismatch, behind or refused (code says why),
  // or unanswered (code federation.unreachable) when no answer came.
  // Received: match, mismatch or behind.
  std::string outcome;
  std::vector<std::string> differing;
  std::uint64_t tickets = 0;         // the reporting node's count
  std::uint64_t parent_tickets = 0;  // the parent's (checking node's) count
  std::string code;                  // sent and refused: the parent's error code
  std::int64_t answered_at_ms = 0;   // when answered (sent) or checked (received); 0: not yet
};

class ReportBook {
 public:
  explicit ReportBook(OfficeDb& db) : db_(db) {}

  Status record_sent(const ReportPeriod& period, const weiquan::v1::Signed& report,
                     std::int64_t generated_at_ms);
  // The parent's answer (or the error instead of one) to the report of `period` generated at
  // `generated_at_ms`.
  Status record_answer(const ReportPeriod& period, std::int64_t generated_at_ms,
                       const Result<weiquan::v1::ReportReply>& answer, std::int64_t now_ms);
  Result<std::optional<KeptReport>> sent(const ReportPeriod& period);

  // False (nothing kept) when a report of the same child and period generated later is held.
  Result<bool> keep_received(const federation::CheckedReport& checked);
  // Every child's report for `period`, by child.
  Result<std::vector<KeptReport>> received(const ReportPeriod& period);

 private:
  OfficeDb& db_;
};

}  // namespace wq::node
