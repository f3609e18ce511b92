#include "weiquan/policies/clocks.h"

#include <catch2/catch.hpp>

#include "cst_time.h"
#include "weiquan/policies/policy_document.h"

// Every expected date below was counted by hand against data/holidays.tsv.

using namespace wq::policies;
using wq::policies::testing::cst;
using wq::policies::testing::end_of_day;

namespace {

const PolicyDocument& policy_on(std::int64_t received_ms) {
  const auto document = PolicySet::builtin().in_force_on(received_ms);
  REQUIRE(document);
  return **document;
}

// One ticket's clocks under the document in force on its receipt.
class Ticket {
 public:
  Ticket(std::int64_t received_ms, TicketFacts facts)
      : policy_(policy_on(received_ms)), facts_(facts) {}

  wq::Status apply(ClockEvent event) {
    return book_.apply(policy_, Calendar::builtin(), facts_, event);
  }
  void must(std::string_view kind, std::int64_t time_ms, std::string_view variant = {}) {
    const auto applied = apply(ClockEvent{.kind = kind, .time_ms = time_ms, .variant = variant});
    INFO(kind << ": " << (applied ? "" : applied.error().message));
    REQUIRE(applied);
  }
  void change_type(TicketType type) { facts_.type = type; }

  const Clock& clock(std::string_view name) const {
    const Clock* found = book_.find(name);
    INFO(name);
    REQUIRE(found != nullptr);
    return *found;
  }
  const ClockBook& book() const { return book_; }

 private:
  const PolicyDocument& policy_;
  TicketFacts facts_;
  ClockBook book_;
};

ClockEvent extension(std::string_view clock, std::uint32_t days, std::int64_t time_ms,
                     bool approved = true) {
  return ClockEvent{.kind = "extension_decided",
                    .time_ms = time_ms,
                    .clock = clock,
                    .approved = approved,
                    .days = days};
}

}  // namespace

TEST_CASE("a complaint's acceptance and mediation clocks across National Day 2025", "[clocks]") {
  Ticket ticket(cst(2025, 9, 30, 10), {TicketType::complaint, false});
  ticket.must("received", cst(2025, 9, 30, 10));
  const Clock& accept = ticket.clock("complaint.accept_decision");
  CHECK(accept.running());
  CHECK(accept.due_ms == end_of_day(2025, 10, 16));
  CHECK(accept.policy == "samr-order-20@2022-09-29");
  CHECK_THAT(accept.article, Catch::Contains("第十四条"));
  CHECK_FALSE(accept.provisional);
  CHECK(ticket.book().next_due_ms() == end_of_day(2025, 10, 16));
  CHECK(ticket.book().find("complaint.mediation") == nullptr);

  // Messages and urging change nothing.
  ticket.must("message", cst(2025, 10, 9, 9));
  ticket.must("urged", cst(2025, 10, 13, 9));
  CHECK(ticket.book().clocks().size() == 1);

  // Accepted on Tue Oct 14: in time; mediation runs 45 working days, to Tue Dec 16.
  ticket.must("accepted", cst(2025, 10, 14, 15));
  CHECK_FALSE(ticket.clock("complaint.accept_decision").running());
  CHECK_FALSE(ticket.clock("complaint.accept_decision").overdue_at(cst(2026, 1, 1)));
  const Clock& mediation = ticket.clock("complaint.mediation");
  CHECK(mediation.started_ms == cst(2025, 10, 14, 15));
  CHECK(mediation.due_ms == end_of_day(2025, 12, 16));
  CHECK_THAT(mediation.article, Catch::Contains("第二十一条"));

  // Testing from Mon Oct 20 to Mon Oct 27 17:00: Oct 20-24 do not count -> Tue Dec 23.
  ticket.must("clock_paused", cst(2025, 10, 20, 9));
  CHECK(ticket.clock("complaint.mediation").paused());
  CHECK(ticket.book().next_due_ms() == 0);
  CHECK_FALSE(ticket.clock("complaint.mediation").overdue_at(cst(2026, 6, 1)));
  ticket.must("clock_resumed", cst(2025, 10, 27, 17));
  CHECK_FALSE(ticket.clock("complaint.mediation").paused());
  CHECK(ticket.clock("complaint.mediation").pauses.size() == 1);
  CHECK(ticket.clock("complaint.mediation").due_ms == end_of_day(2025, 12, 23));
  CHECK(ticket.book().next_due_ms() == end_of_day(2025, 12, 23));

  ticket.must("mediation_result", cst(2025, 12, 22, 11));
  CHECK_FALSE(ticket.clock("complaint.mediation").running());
  CHECK_FALSE(ticket.clock("complaint.mediation").overdue_at(cst(2026, 6, 1)));
  CHECK(ticket.book().next_due_ms() == 0);
}

TEST_CASE("a late decision leaves the clock overdue", "[clocks]") {
  Ticket ticket(cst(2025, 9, 30, 10), {TicketType::complaint, false});
  ticket.must("received", cst(2025, 9, 30, 10));
  CHECK_FALSE(ticket.clock("complaint.accept_decision").overdue_at(end_of_day(2025, 10, 16)));
  CHECK(ticket.clock("complaint.accept_decision").overdue_at(end_of_day(2025, 10, 16) + 1));
  ticket.must("accepted", cst(2025, 10, 17, 10));
  CHECK(ticket.clock("complaint.accept_decision").overdue_at(cst(2025, 10, 17, 10)));
}

TEST_CASE("a transfer restarts the acceptance clock at the new office's receipt", "[clocks]") {
  Ticket ticket(cst(2025, 11, 3, 9), {TicketType::complaint, false});
  ticket.must("received", cst(2025, 11, 3, 9));
  CHECK(ticket.clock("complaint.accept_decision").due_ms == end_of_day(2025, 11, 12));
  ticket.must("transferred", cst(2025, 11, 5, 16), "parallel");
  CHECK_FALSE(ticket.clock("complaint.accept_decision").running());
  // Received Thu Nov 6 at the new office: Nov 7 (1), 10-14 (2-6), 17 (7).
  ticket.must("received", cst(2025, 11, 6, 10));
  const Clock& accept = ticket.clock("complaint.accept_decision");
  CHECK(accept.running());
  CHECK(accept.started_ms == cst(2025, 11, 6, 10));
  CHECK(accept.due_ms == end_of_day(2025, 11, 17));
  CHECK(ticket.book().clocks().size() == 1);
}

TEST_CASE("a station's receipt does not restart its county's running clock", "[clocks]") {
  Ticket ticket(cst(2025, 11, 3, 9), {TicketType::complaint, false});
  ticket.must("received", cst(2025, 11, 3, 9));
  ticket.must("assigned", cst(2025, 11, 4, 9), "station");
  ticket.must("received", cst(2025, 11, 5, 9));
  CHECK(ticket.clock("complaint.accept_decision").started_ms == cst(2025, 11, 3, 9));
  CHECK(ticket.clock("complaint.accept_decision").due_ms == end_of_day(2025, 11, 12));
}

TEST_CASE("an ODR enterprise negotiates within 10 working days", "[clocks]") {
  Ticket ticket(cst(2025, 10, 9, 9), {TicketType::complaint, false});
  ticket.must("received", cst(2025, 10, 9, 9));
  ticket.must("accepted", cst(2025, 10, 14, 9));
  ticket.must("assigned", cst(2025, 10, 14, 10), "officer");
  CHECK(ticket.book().find("complaint.odr_negotiation") == nullptr);
  // Wed Oct 15: Oct 16-17 (2), 20-24 (7), 27-29 (10).
  ticket.must("assigned", cst(2025, 10, 15, 10), "enterprise");
  CHECK(ticket.clock("complaint.odr_negotiation").due_ms == end_of_day(2025, 10, 29));
  ticket.must("mediation_result", cst(2025, 10, 24, 10));
  CHECK_FALSE(ticket.clock("complaint.odr_negotiation").running());
  CHECK_FALSE(ticket.clock("complaint.mediation").running());
}

TEST_CASE("the office taking a dispute back from the enterprise ends the ODR time", "[clocks]") {
  Ticket ticket(cst(2025, 10, 9, 9), {TicketType::complaint, false});
  ticket.must("received", cst(2025, 10, 9, 9));
  ticket.must("accepted", cst(2025, 10, 14, 9));
  ticket.must("assigned", cst(2025, 10, 15, 10), "enterprise");
  REQUIRE(ticket.clock("complaint.odr_negotiation").running());
  ticket.must("assigned", cst(2025, 10, 30, 10), "officer");
  CHECK_FALSE(ticket.clock("complaint.odr_negotiation").running());
  CHECK(ticket.clock("complaint.odr_negotiation").overdue_at(cst(2025, 10, 31, 9)));
  CHECK(ticket.clock("complaint.mediation").running());
}

TEST_CASE("a report's verification, its extension and the notice to the reporter", "[clocks]") {
  Ticket ticket(cst(2025, 12, 1, 10), {TicketType::report, false});
  ticket.must("received", cst(2025, 12, 1, 10));
  const Clock& verify = ticket.clock("report.verify");
  CHECK(verify.due_ms == end_of_day(2025, 12, 22));
  CHECK_THAT(verify.article, Catch::Contains("行政处罚程序规定》第十八条"));
  CHECK(ticket.book().find("complaint.accept_decision") == nullptr);

  // A refused extension changes nothing; an approved one of 15 working days reaches Jan 13.
  REQUIRE(ticket.apply(extension("report.verify", 15, cst(2025, 12, 15, 9), false)));
  CHECK(ticket.clock("report.verify").due_ms == end_of_day(2025, 12, 22));
  REQUIRE(ticket.apply(extension("report.verify", 15, cst(2025, 12, 15, 10))));
  CHECK(ticket.clock("report.verify").extension_days == 15);
  CHECK(ticket.clock("report.verify").due_ms == end_of_day(2026, 1, 13));

  // No more than the limit's extension_max, and the book is unchanged by the refusal.
  const auto too_long = ticket.apply(extension("report.verify", 1, cst(2025, 12, 16, 10)));
  REQUIRE_FALSE(too_long);
  CHECK(too_long.error().code == "policies.extension_too_long");
  CHECK(ticket.clock("report.verify").extension_days == 15);
  const auto unknown = ticket.apply(extension("report.notify_reporter", 1, cst(2025, 12, 16, 10)));
  REQUIRE_FALSE(unknown);
  CHECK(unknown.error().code == "policies.unknown_clock");

  // Case opened Mon Jan 12: the reporter is to be told by Mon Jan 19.
  ticket.must("converted_to_case", cst(2026, 1, 12, 10));
  CHECK_FALSE(ticket.clock("report.verify").running());
  CHECK_FALSE(ticket.clock("report.verify").overdue_at(cst(2026, 3, 1)));
  const Clock& notify = ticket.clock("report.notify_reporter");
  CHECK(notify.due_ms == end_of_day(2026, 1, 19));
  CHECK_THAT(notify.article, Catch::Contains("第三十一条"));

  ticket.must("initial_feedback", cst(2026, 1, 16, 10));
  CHECK_FALSE(ticket.clock("report.notify_reporter").running());
  // Closing after the notice does not start a new one.
  ticket.must("closed", cst(2026, 1, 20, 10));
  CHECK_FALSE(ticket.clock("report.notify_reporter").running());
  CHECK(ticket.book().next_due_ms() == 0);
}

TEST_CASE("a report on which no case is opened is notified too, unless anonymous", "[clocks]") {
  Ticket named(cst(2025, 12, 1, 10), {TicketType::report, false});
  named.must("received", cst(2025, 12, 1, 10));
  named.must("closed", cst(2025, 12, 5, 10), "not_filed");
  CHECK_FALSE(named.clock("report.verify").running());
  // Fri Dec 5: Dec 8-12.
  CHECK(named.clock("report.notify_reporter").due_ms == end_of_day(2025, 12, 12));

  Ticket anonymous(cst(2025, 12, 1, 10), {TicketType::report, true});
  anonymous.must("received", cst(2025, 12, 1, 10));
  anonymous.must("converted_to_case", cst(2025, 12, 5, 10));
  CHECK(anonymous.book().find("report.notify_reporter") == nullptr);
}

TEST_CASE("a type change stops the old type's clocks and starts the new type's", "[clocks]") {
  Ticket ticket(cst(2025, 11, 3, 9), {TicketType::complaint, false});
  ticket.must("received", cst(2025, 11, 3, 9));
  ticket.change_type(TicketType::report);
  ticket.must("type_changed", cst(2025, 11, 5, 9), "report");
  CHECK_FALSE(ticket.clock("complaint.accept_decision").running());
  // Wed Nov 5: Nov 6-7 (2), 10-14 (7), 17-21 (12), 24-26 (15).
  CHECK(ticket.clock("report.verify").due_ms == end_of_day(2025, 11, 26));
}

TEST_CASE("Order 121 mediation in calendar days runs provisionally into 2027", "[clocks]") {
  Ticket ticket(cst(2026, 11, 2, 9), {TicketType::complaint, false});
  ticket.must("received", cst(2026, 11, 2, 9));
  CHECK(ticket.clock("complaint.accept_decision").policy == "samr-order-121@2025-12-30");
  ticket.must("accepted", cst(2026, 11, 16, 10));
  const Clock& mediation = ticket.clock("complaint.mediation");
  CHECK(mediation.period.amount == 60);
  CHECK(mediation.period.unit == PeriodUnit::days);
  CHECK(mediation.due_ms == end_of_day(2027, 1, 15));
  CHECK(mediation.provisional);
}

TEST_CASE("a clock started while paused starts paused", "[clocks]") {
  Ticket ticket(cst(2025, 11, 3, 9), {TicketType::report, false});
  ticket.must("received", cst(2025, 11, 3, 9));
  ticket.must("clock_paused", cst(2025, 11, 4, 9));
  ticket.must("converted_to_case", cst(2025, 11, 5, 9));
  CHECK(ticket.clock("report.notify_reporter").paused());
  // Resumed Mon Nov 10 10:00: Nov 5-7 ended paused; Nov 10-14 count.
  ticket.must("clock_resumed", cst(2025, 11, 10, 10));
  CHECK(ticket.clock("report.notify_reporter").due_ms == end_of_day(2025, 11, 14));
  // The verification clock stopped while paused: its pause ended with it.
  CHECK(ticket.clock("report.verify").pauses.size() == 1);
  CHECK(ticket.clock("report.verify").pauses[0].to_ms == cst(2025, 11, 5, 9));
}

TEST_CASE("an hour limit is pushed by the paused time", "[clocks]") {
  PolicyDocument rules = *PolicySet::builtin().find("samr-order-20@2022-09-29").value();
  Limit dispatch;
  dispatch.name = "complaint.dispatch";
  dispatch.period = {2, PeriodUnit::hours};
  dispatch.starts_on = {"received"};
  dispatch.stops_on = {"assigned"};
  dispatch.article = "dispatch within 2 hours";
  rules.limits.push_back(dispatch);
  ClockBook book;
  const TicketFacts facts{TicketType::complaint, false};
  const Calendar& calendar = Calendar::builtin();
  REQUIRE(book.apply(rules, calendar, facts, {.kind = "received", .time_ms = cst(2025, 10, 1, 9)}));
  CHECK(book.find("complaint.dispatch")->due_ms == cst(2025, 10, 1, 11));
  REQUIRE(book.apply(rules, calendar, facts,
                     {.kind = "clock_paused", .time_ms = cst(2025, 10, 1, 10)}));
  REQUIRE(book.apply(rules, calendar, facts,
                     {.kind = "clock_resumed", .time_ms = cst(2025, 10, 1, 10, 30)}));
  CHECK(book.find("complaint.dispatch")->due_ms == cst(2025, 10, 1, 11, 30));
  REQUIRE(book.apply(rules, calendar, facts,
                     {.kind = "assigned", .time_ms = cst(2025, 10, 1, 11), .variant = "station"}));
  CHECK_FALSE(book.find("complaint.dispatch")->running());
  CHECK_FALSE(book.find("complaint.dispatch")->overdue_at(cst(2025, 10, 2)));
}

TEST_CASE("clock events out of order or out of place are refused", "[clocks]") {
  Ticket ticket(cst(2025, 11, 3, 9), {TicketType::complaint, false});
  ticket.must("received", cst(2025, 11, 3, 9));

  const auto resume = ticket.apply({.kind = "clock_resumed", .time_ms = cst(2025, 11, 4, 9)});
  REQUIRE_FALSE(resume);
  CHECK(resume.error().code == "policies.clock_state");
  ticket.must("clock_paused", cst(2025, 11, 4, 9));
  const auto again = ticket.apply({.kind = "clock_paused", .time_ms = cst(2025, 11, 4, 10)});
  REQUIRE_FALSE(again);
  CHECK(again.error().code == "policies.clock_state");

  const auto absurd = ticket.apply({.kind = "accepted", .time_ms = 0});
  REQUIRE_FALSE(absurd);
  CHECK(absurd.error().code == "policies.bad_time");

  ClockBook book = ticket.book();
  const auto other =
      book.apply(**PolicySet::builtin().find("samr-order-121@2025-12-30"), Calendar::builtin(),
                 {TicketType::complaint, false}, {.kind = "accepted", .time_ms = cst(2026, 5, 1)});
  REQUIRE_FALSE(other);
  CHECK(other.error().code == "policies.policy_mismatch");
}

TEST_CASE("an event stamped before the previous one counts at the previous one's time",
          "[clocks]") {
  Ticket ticket(cst(2025, 11, 3, 9), {TicketType::complaint, false});
  ticket.must("received", cst(2025, 11, 3, 9));
  ticket.must("transferred", cst(2025, 11, 5, 16), "parallel");
  // The receiving node's clock is a minute behind.
  ticket.must("received", cst(2025, 11, 5, 15, 59));
  CHECK(ticket.clock("complaint.accept_decision").started_ms == cst(2025, 11, 5, 16));
}
