// Period reports at the node: the periods reported and named, the office database's record of
// reports sent and received (the newest wins), and the businesses a disclosure lists.
#include "report_book.h"

#include <catch2/catch.hpp>

#include "disclosure.h"
#include "report_period.h"
#include "temp_dir.h"
#include "weiquan/crypto/keys.h"
#include "weiquan/federation/report_codec.h"

using namespace wq;
using namespace wq::node;

namespace {

// 2025-03-03 09:00 China Standard Time.
constexpr std::int64_t kNow = 1'740'963'600'000;

TEST_CASE("report periods: the finished months before now, and the period parameter") {
  const auto months = finished_months(kNow, 13);
  REQUIRE(months.size() == 13);
  CHECK(months.front() == ReportPeriod{20250201, 20250228});
  CHECK(months[1] == ReportPeriod{20250101, 20250131});
  CHECK(months.back() == ReportPeriod{20240201, 20240229});
  // The first instant of March in China time is still February in UTC: February is finished.
  CHECK(finished_months(1'740'758'400'000, 1).front() == ReportPeriod{20250201, 20250228});

  CHECK(parse_report_period("2024-02").value() == ReportPeriod{20240201, 20240229});
  CHECK(parse_report_period("2025-03-03").value() == ReportPeriod{20250303, 20250303});
  for (const char* bad : {"", "2025", "2025-13", "2025-00", "2025-02-29", "2025-3", "2025-03-3",
                          "2025/03", "0000-01", "2025-03-03x", "２０２５-03"}) {
    INFO(bad);
    CHECK(parse_report_period(bad).error().code == "node.bad_query");
  }
  CHECK(period_name({20250201, 20250228}) == "2025-02");
  CHECK(period_name({20250303, 20250303}) == "2025-03-03");
  CHECK(period_name({20250301, 20250315}) == "20250301-20250315");
}

federation::CheckedReport checked(const std::string& child, std::int64_t generated_at_ms,
                                  weiquan::v1::ReportOutcome outcome) {
  static const crypto::NodeKeys keys = crypto::NodeKeys::generate();
  weiquan::v1::PeriodReportBody body;
  body.set_version(1);
  body.set_node_id(child);
  body.set_region(child);
  body.set_from_day(20250201);
  body.set_to_day(20250228);
  federation::PeriodFigures figures;
  figures.measures[sync::Measure::tickets] = 3;
  figures.tickets_counted = 3;
  federation::set_figures(body, figures);
  body.set_generated_at_ms(generated_at_ms);
  federation::CheckedReport out;
  out.wire = federation::encode_report(body, keys.sign);
  out.report = federation::decode_report(out.wire).value();
  out.comparison.outcome = outcome;
  if (outcome != weiquan::v1::REPORT_OUTCOME_MATCH) out.comparison.differing = {"closed"};
  out.comparison.child_tickets = 3;
  out.comparison.parent_tickets = 3;
  out.checked_at_ms = generated_at_ms + 5;
  return out;
}

TEST_CASE("report book: a child's newest report stands, an older one changes nothing") {
  testing::TempDir tmp;
  auto db = OfficeDb::open(tmp.file("office.db")).value();
  ReportBook book(db);
  const ReportPeriod february{20250201, 20250228};
  REQUIRE(
      book.keep_received(checked("110102", kNow, weiquan::v1::REPORT_OUTCOME_MISMATCH)).value());
  REQUIRE(book.keep_received(checked("110101", kNow, weiquan::v1::REPORT_OUTCOME_BEHIND)).value());
  REQUIRE(
      book.keep_received(checked("110101", kNow + 10, weiquan::v1::REPORT_OUTCOME_MATCH)).value());
  CHECK_FALSE(book.keep_received(checked("110101", kNow + 5, weiquan::v1::REPORT_OUTCOME_MISMATCH))
                  .value());
  const auto received = book.received(february).value();
  REQUIRE(received.size() == 2);
  CHECK(received[0].node == "110101");
  CHECK(received[0].outcome == "match");
  CHECK(received[0].generated_at_ms == kNow + 10);
  CHECK(received[0].tickets == 3);
  CHECK(received[1].outcome == "mismatch");
  CHECK(received[1].differing == std::vector<std::string>{"closed"});
  CHECK(book.received({20250101, 20250131}).value().empty());
}

TEST_CASE("report book: a sent report with the answer to it, not to an older one") {
  testing::TempDir tmp;
  auto db = OfficeDb::open(tmp.file("office.db")).value();
  ReportBook book(db);
  const ReportPeriod february{20250201, 20250228};
  CHECK_FALSE(book.sent(february).value().has_value());
  const auto first = checked("110101", kNow, weiquan::v1::REPORT_OUTCOME_MATCH);
  REQUIRE(book.record_sent(february, first.wire, kNow));
  REQUIRE(book.record_sent(february, first.wire, kNow + 10));
  weiquan::v1::ReportReply reply;
  reply.set_outcome(weiquan::v1::REPORT_OUTCOME_MISMATCH);
  reply.add_differing("closed");
  reply.set_parent_tickets_counted(2);
  REQUIRE(book.record_answer(february, kNow, reply, kNow + 20));  // to the older: ignored
  CHECK(book.sent(february).value()->outcome.empty());
  REQUIRE(book.record_answer(february, kNow + 10, reply, kNow + 20));
  auto sent = book.sent(february).value();
  REQUIRE(sent);
  CHECK(sent->outcome == "mismatch");
  CHECK(sent->differing == std::vector<std::string>{"closed"});
  CHECK(sent->parent_tickets == 2);
  CHECK(sent->tickets == 3);
  CHECK(sent->node == "110101");
  REQUIRE(book.record_answer(february, kNow + 10, make_error("federation.unreachable", "no answer"),
                             kNow + 30));
  CHECK(book.sent(february).value()->outcome == "unanswered");
}

TEST_CASE(
    "disclosure: businesses with a disclosable closed ticket, most first, with rates of "
    "those tickets alone") {
  sync::StatsTable table;
  const auto group = [&](const std::string& uscc, sync::BusinessMeasures m) {
    sync::StatsGroup g;
    g.key = uscc;
    g.business_name = "商家" + uscc;
    g.business = m;
    table.groups.push_back(g);
  };
  // tickets, closed, closed_disclosable, mediated, mediation_agreed, self_settled,
  // enterprise_handled, then of the disclosable closed ones: mediated, mediation_agreed,
  // enterprise_handled, self_settled.
  group("B", {6, 5, 3, 4, 1, 1, 4, 2, 1, 2, 0});
  group("A", {2, 2, 2, 0, 0, 1, 1, 0, 0, 1, 1});
  group("C", {5, 5, 0, 5, 5, 5, 5, 0, 0, 0, 0});  // nobody consented: not listed
  group("", {9, 9, 9, 0, 0, 0, 0, 0, 0, 0, 0});   // tickets without a business
  const auto listed = disclosed(table);
  REQUIRE(listed.size() == 2);
  CHECK(listed[0].uscc == "B");
  CHECK(listed[0].name == "商家B");
  CHECK(listed[0].closed_disclosed == 3);
  // Not 1 of 4 mediated nor 1 of 4 settled over all its tickets: 1 of 2 and 0 of 2 consented.
  CHECK(listed[0].mediation_success_rate == 0.5);
  CHECK(listed[0].settlement_rate == 0.0);
  CHECK(listed[1].uscc == "A");
  CHECK(listed[1].closed_disclosed == 2);
  CHECK_FALSE(listed[1].mediation_success_rate.has_value());
  CHECK(listed[1].settlement_rate == 1.0);
}

}  // namespace
