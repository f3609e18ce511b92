#include "report_book.h"

#include <sstream>

#include "weiquan/federation/report_codec.h"

namespace wq::node {
namespace {

const char* outcome_name(weiquan::v1::ReportOutcome outcome) {
  switch (outcome) {
    case weiquan::v1::REPORT_OUTCOME_MATCH:
      return "match";
    case weiquan::v1::REPORT_OUTCOME_MISMATCH:
      return "mismatch";
    case weiquan::v1::REPORT_OUTCOME_BEHIND:
      return "behind";
    default:
      return "refused";
  }
}

template <class Names>
std::string joined(const Names& names) {
  std::string out;
  for (const auto& name : names) {
    if (!out.empty()) out += ',';
    out += name;
  }
  return out;
}

std::vector<std::string> split(std::string_view text) {
  std::vector<std::string> out;
  std::string item;
  std::istringstream in{std::string(text)};
  while (std::getline(in, item, ',')) out.push_back(item);
  return out;
}

// Columns 0-7 of both tables after the key: generated_at_ms, report, outcome, differing, tickets
// (received only; -1 for sent), parent_tickets, code, answered_at_ms.
KeptReport row_of(const sync::sql::Stmt& stmt, std::string node, ReportPeriod period) {
  KeptReport kept;
  kept.node = std::move(node);
  kept.period = period;
  kept.generated_at_ms = stmt.int64(0);
  const crypto::ByteView bytes = stmt.blob(1);
  (void)kept.report.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()));
  kept.outcome = std::string(stmt.text(2));
  kept.differing = split(stmt.text(3));
  kept.parent_tickets = static_cast<std::uint64_t>(stmt.int64(5));
  kept.code = std::string(stmt.text(6));
  kept.answered_at_ms = stmt.int64(7);
  if (auto decoded = federation::decode_report(kept.report)) {
    kept.tickets = decoded->body.tickets_counted();
    if (kept.node.empty()) kept.node = decoded->body.node_id();
  }
  return kept;
}

crypto::ByteView bytes_of(const std::string& s) {
  return crypto::as_bytes(s);
}

}  // namespace

Status ReportBook::record_sent(const ReportPeriod& period, const weiquan::v1::Signed& report,
                               std::int64_t generated_at_ms) {
  auto lock = db_.lock();
  auto stmt = lock.statement(
      "INSERT OR REPLACE INTO reports_sent (from_day, to_day, generated_at_ms, report, outcome, "
      "differing, parent_tickets, code, answered_at_ms) VALUES (?1, ?2, ?3, ?4, '', '', 0, '', 0)");
  if (!stmt) return stmt.error();
  const std::string bytes = report.SerializeAsString();
  (*stmt)
      ->bind(1, std::int64_t{period.from_day})
      .bind(2, std::int64_t{period.to_day})
      .bind(3, generated_at_ms)
      .bind(4, bytes_of(bytes));
  return (*stmt)->run();
}

Status ReportBook::record_answer(const ReportPeriod& period, std::int64_t generated_at_ms,
                                 const Result<weiquan::v1::ReportReply>& answer,
                                 std::int64_t now_ms) {
  auto lock = db_.lock();
  auto stmt = lock.statement(
      "UPDATE reports_sent SET outcome = ?4, differing = ?5, parent_tickets = ?6, code = ?7, "
      "answered_at_ms = ?8 WHERE from_day = ?1 AND to_day = ?2 AND generated_at_ms = ?3");
  if (!stmt) return stmt.error();
  (*stmt)
      ->bind(1, std::int64_t{period.from_day})
      .bind(2, std::int64_t{period.to_day})
      .bind(3, generated_at_ms)
      .bind(8, now_ms);
  if (answer) {
    (*stmt)
        ->bind(4, outcome_name(answer->outcome()))
        .bind(5, joined(answer->differing()))
        .bind(6, static_cast<std::int64_t>(answer->parent_tickets_counted()))
        .bind(7, "");
  } else {
    const bool unanswered = answer.error().code == "federation.unreachable";
    (*stmt)
        ->bind(4, unanswered ? "unanswered" : "refused")
        .bind(5, "")
        .bind(6, std::int64_t{0})
        .bind(7, answer.error().code);
  }
  return (*stmt)->run();
}

Result<std::optional<KeptReport>> ReportBook::sent(const ReportPeriod& period) {
  auto lock = db_.lock();
  auto stmt = lock.statement(
      "SELECT generated_at_ms, report, outcome, differing, -1, parent_tickets, code, "
      "answered_at_ms FROM reports_sent WHERE from_day = ?1 AND to_day = ?2");
  if (!stmt) return stmt.error();
  (*stmt)->bind(1, std::int64_t{period.from_day}).bind(2, std::int64_t{period.to_day});
  auto row = (*stmt)->step();
  if (!row) return row.error();
  if (!*row) return std::optional<KeptReport>{};
  return std::optional<KeptReport>{row_of(**stmt, "", period)};
}

Result<bool> ReportBook::keep_received(const federation::CheckedReport& checked) {
  const auto& body = checked.report.body;
  const auto& comparison = checked.comparison;
  auto lock = db_.lock();
  // The newer report wins; the same generated_at_ms again is the same report checked again.
  auto stmt = lock.statement(
      "INSERT INTO reports_received (child, from_day, to_day, generated_at_ms, report, outcome, "
      "differing, child_tickets, parent_tickets, checked_at_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
      "?7, ?8, ?9, ?10) ON CONFLICT (child, from_day, to_day) DO UPDATE SET generated_at_ms = "
      "excluded.generated_at_ms, report = excluded.report, outcome = excluded.outcome, differing "
      "= excluded.differing, child_tickets = excluded.child_tickets, parent_tickets = "
      "excluded.parent_tickets, checked_at_ms = excluded.checked_at_ms WHERE "
      "excluded.generated_at_ms >= reports_received.generated_at_ms");
  if (!stmt) return stmt.error();
  const std::string bytes = checked.wire.SerializeAsString();
  (*stmt)
      ->bind(1, body.node_id())
      .bind(2, std::int64_t{body.from_day()})
      .bind(3, std::int64_t{body.to_day()})
      .bind(4, body.generated_at_ms())
      .bind(5, bytes_of(bytes))
      .bind(6, outcome_name(comparison.outcome))
      .bind(7, joined(comparison.differing))
      .bind(8, static_cast<std::int64_t>(comparison.child_tickets))
      .bind(9, static_cast<std::int64_t>(comparison.parent_tickets))
      .bind(10, checked.checked_at_ms);
  if (Status ok = (*stmt)->run(); !ok) return ok.error();
  return (*stmt)->changes() > 0;
}

Result<std::vector<KeptReport>> ReportBook::received(const ReportPeriod& period) {
  auto lock = db_.lock();
  auto stmt = lock.statement(
      "SELECT generated_at_ms, report, outcome, differing, child_tickets, parent_tickets, '', "
      "checked_at_ms, child FROM reports_received WHERE from_day = ?1 AND to_day = ?2 ORDER BY "
      "child");
  if (!stmt) return stmt.error();
  (*stmt)->bind(1, std::int64_t{period.from_day}).bind(2, std::int64_t{period.to_day});
  std::vector<KeptReport> out;
  while (true) {
    auto row = (*stmt)->step();
    if (!row) return row.error();
    if (!*row) return out;
    KeptReport kept = row_of(**stmt, std::string((*stmt)->text(8)), period);
    kept.tickets = static_cast<std::uint64_t>((*stmt)->int64(4));
    out.push_back(std::move(kept));
  }
}

}  // namespace wq::node
