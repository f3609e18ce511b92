#include "weiquan/policies/deadlines.h"

#include <catch2/catch.hpp>
#include <vector>

#include "cst_time.h"

// Every expected date below was counted by hand against data/holidays.tsv.

using namespace wq::policies;
using wq::policies::testing::cst;
using wq::policies::testing::end_of_day;

namespace {

Deadline due(std::int64_t start_ms, std::int64_t amount, PeriodUnit unit,
             std::vector<Pause> pauses = {}) {
  const auto deadline = compute_due(Calendar::builtin(), start_ms, Period{amount, unit}, pauses);
  REQUIRE(deadline);
  return *deadline;
}

std::string error_code(std::int64_t start_ms, std::int64_t amount, PeriodUnit unit,
                       std::vector<Pause> pauses = {}) {
  const auto deadline = compute_due(Calendar::builtin(), start_ms, Period{amount, unit}, pauses);
  REQUIRE_FALSE(deadline);
  return deadline.error().code;
}

constexpr PeriodUnit kWorkingDays = PeriodUnit::working_days;
constexpr PeriodUnit kDays = PeriodUnit::days;
constexpr PeriodUnit kHours = PeriodUnit::hours;
constexpr PeriodUnit kYears = PeriodUnit::years;

}  // namespace

TEST_CASE("period units have stable names", "[deadlines]") {
  for (PeriodUnit unit : {kWorkingDays, kDays, kHours, kYears}) {
    const auto parsed = parse_unit(unit_name(unit));
    REQUIRE(parsed);
    CHECK(*parsed == unit);
  }
  CHECK(unit_name(kWorkingDays) == "working_days");
  const auto weeks = parse_unit("weeks");
  REQUIRE_FALSE(weeks);
  CHECK(weeks.error().code == "policies.bad_unit");
}

TEST_CASE("working days skip National Day 2025 and count its make-up Saturday", "[deadlines]") {
  // Received Tue 2025-09-30. Oct 1-8 rest; Oct 9 (1), 10 (2), Sat 11 make-up (3), 13 (4), 14 (5),
  // 15 (6), 16 (7).
  const Deadline deadline = due(cst(2025, 9, 30, 10), 7, kWorkingDays);
  CHECK(deadline.due_ms == end_of_day(2025, 10, 16));
  CHECK_FALSE(deadline.provisional);
}

TEST_CASE("the due time is the last millisecond of the last working day, CST", "[deadlines]") {
  const Deadline deadline = due(cst(2025, 9, 30, 10), 7, kWorkingDays);
  CHECK(deadline.due_ms == cst(2025, 10, 16, 23, 59) + 59'999);
  CHECK(deadline.due_ms + 1 == cst(2025, 10, 17));
}

TEST_CASE("the day of receipt is its CST day, not its UTC day", "[deadlines]") {
  // 01:00 CST on Sep 30 is still Sep 29 in UTC: the receipt day is Sep 30 all the same.
  CHECK(due(cst(2025, 9, 30, 1), 7, kWorkingDays).due_ms == end_of_day(2025, 10, 16));
  // 23:30 CST on Mon Sep 29: Sep 30 (1), Oct 9 (2), 10 (3), 11 (4), 13 (5), 14 (6), 15 (7).
  CHECK(due(cst(2025, 9, 29, 23, 30), 7, kWorkingDays).due_ms == end_of_day(2025, 10, 15));
}

TEST_CASE("receipt on a make-up workday does not count that day", "[deadlines]") {
  // Sun 2025-09-28 is worked: Sep 29 (1), 30 (2), Oct 9 (3), 10 (4), 11 (5), 13 (6), 14 (7).
  CHECK(due(cst(2025, 9, 28, 9), 7, kWorkingDays).due_ms == end_of_day(2025, 10, 14));
}

TEST_CASE("receipt on a rest day counts from the next working day", "[deadlines]") {
  // Fri 2025-10-03 is a holiday: counting starts Oct 9, as for a receipt on Sep 30.
  CHECK(due(cst(2025, 10, 3, 15), 7, kWorkingDays).due_ms == end_of_day(2025, 10, 16));
}

TEST_CASE("receipt on a Friday evening counts from Monday", "[deadlines]") {
  // Fri 2025-11-14 21:00: Nov 17-21 (1-5), 24 (6), 25 (7).
  CHECK(due(cst(2025, 11, 14, 21), 7, kWorkingDays).due_ms == end_of_day(2025, 11, 25));
}

TEST_CASE("working days skip Spring Festival 2026 and count both make-up Saturdays",
          "[deadlines]") {
  // Received Fri 2026-02-13 18:00: Sat 14 make-up (1), Feb 15-23 rest, 24 (2), 25 (3), 26 (4),
  // 27 (5), Sat 28 make-up (6), Sun Mar 1 rest, Mon Mar 2 (7).
  CHECK(due(cst(2026, 2, 13, 18), 7, kWorkingDays).due_ms == end_of_day(2026, 3, 2));
}

TEST_CASE("a period in calendar days that ends on a rest day moves to the next working day",
          "[deadlines]") {
  // Wed 2025-09-24 + 7 days = Oct 1 (National Day) -> Thu Oct 9.
  CHECK(due(cst(2025, 9, 24, 10), 7, kDays).due_ms == end_of_day(2025, 10, 9));
  // 2026-02-10 + 10 days = Feb 20 (Spring Festival) -> Tue Feb 24.
  CHECK(due(cst(2026, 2, 10, 10), 10, kDays).due_ms == end_of_day(2026, 2, 24));
  // Sat 2025-11-01 + 7 days = Sat Nov 8 -> Mon Nov 10.
  CHECK(due(cst(2025, 11, 1, 10), 7, kDays).due_ms == end_of_day(2025, 11, 10));
}

TEST_CASE("a period in calendar days that ends on a make-up workday stays there", "[deadlines]") {
  // 2025-10-04 + 7 days = Sat Oct 11, a make-up workday.
  CHECK(due(cst(2025, 10, 4, 10), 7, kDays).due_ms == end_of_day(2025, 10, 11));
}

TEST_CASE("a period in hours is plain elapsed time", "[deadlines]") {
  // Shandong: dispatch within 2 hours, respond within 24, holiday or not.
  CHECK(due(cst(2025, 10, 1, 10), 2, kHours).due_ms == cst(2025, 10, 1, 12));
  CHECK(due(cst(2025, 10, 1, 10), 24, kHours).due_ms == cst(2025, 10, 2, 10));
  CHECK(due(cst(2025, 9, 30, 23, 30), 2, kHours).due_ms == cst(2025, 10, 1, 1, 30));
  CHECK_FALSE(due(cst(2026, 12, 31, 12), 24, kHours).provisional);
}

TEST_CASE("a period in years ends on the corresponding day, or the month's last", "[deadlines]") {
  // 2022-05-01 + 3 years = 2025-05-01, Labour Day (May 1-5 rest) -> Tue 2025-05-06.
  CHECK(due(cst(2022, 5, 1, 10), 3, kYears).due_ms == end_of_day(2025, 5, 6));
  // 2024-02-29 + 3 years: 2027 has no Feb 29, so Sun Feb 28 -> Mon Mar 1 (2027 assumed
  // weekends-only, hence provisional).
  const Deadline leap = due(cst(2024, 2, 29, 10), 3, kYears);
  CHECK(leap.due_ms == end_of_day(2027, 3, 1));
  CHECK(leap.provisional);
}

TEST_CASE("a pause pushes a working-day limit by the working days it covered", "[deadlines]") {
  // Received Mon 2025-11-03 09:00; without a pause: Nov 4-7 (1-4), 10-12 (5-7) -> Nov 12.
  CHECK(due(cst(2025, 11, 3, 9), 7, kWorkingDays).due_ms == end_of_day(2025, 11, 12));
  // Testing from Wed Nov 5 10:00 to Mon Nov 10 15:00: Nov 5, 6, 7 end paused and do not count.
  // Nov 4 (1), 10 (2), 11 (3), 12 (4), 13 (5), 14 (6), 17 (7).
  const std::vector<Pause> testing{{cst(2025, 11, 5, 10), cst(2025, 11, 10, 15)}};
  CHECK(due(cst(2025, 11, 3, 9), 7, kWorkingDays, testing).due_ms == end_of_day(2025, 11, 17));
  // A pause within one working day ends before the day does: nothing moves.
  const std::vector<Pause> same_day{{cst(2025, 11, 5, 10), cst(2025, 11, 5, 16)}};
  CHECK(due(cst(2025, 11, 3, 9), 7, kWorkingDays, same_day).due_ms == end_of_day(2025, 11, 12));
  // Pauses before the start are ignored.
  const std::vector<Pause> earlier{{cst(2025, 10, 1), cst(2025, 10, 20)}};
  CHECK(due(cst(2025, 11, 3, 9), 7, kWorkingDays, earlier).due_ms == end_of_day(2025, 11, 12));
}

TEST_CASE("a pause pushes a calendar-day limit by the days it covered", "[deadlines]") {
  // Mon 2025-11-03 + 7 days = Mon Nov 10; paused over the ends of Nov 5 and 6 -> Wed Nov 12.
  const std::vector<Pause> testing{{cst(2025, 11, 5, 10), cst(2025, 11, 7, 9)}};
  CHECK(due(cst(2025, 11, 3, 9), 7, kDays, testing).due_ms == end_of_day(2025, 11, 12));
}

TEST_CASE("a pause pushes an hour limit by the paused time", "[deadlines]") {
  const std::vector<Pause> pauses{{cst(2025, 11, 3, 10), cst(2025, 11, 3, 13)},
                                  {cst(2025, 11, 4, 11), cst(2025, 11, 4, 12)},
                                  {cst(2025, 11, 5, 10), cst(2025, 11, 5, 11)}};
  // 24 h from 09:00 is 09:00 the next day; 3 h paused -> 12:00; the 11:00-12:00 pause falls before
  // that -> 13:00; the third pause comes after the due time.
  CHECK(due(cst(2025, 11, 3, 9), 24, kHours, pauses).due_ms == cst(2025, 11, 4, 13));
}

TEST_CASE("an extension adds working days across New Year 2026", "[deadlines]") {
  // Report received Mon 2025-12-01: 15 working days -> Mon Dec 22.
  CHECK(due(cst(2025, 12, 1, 10), 15, kWorkingDays).due_ms == end_of_day(2025, 12, 22));
  // 15 more: Dec 23-26 (16-19), 29-31 (20-22), Jan 1-3 rest, Sun Jan 4 make-up (23), Jan 5-9
  // (24-28), 12 (29), 13 (30).
  CHECK(due(cst(2025, 12, 1, 10), 30, kWorkingDays).due_ms == end_of_day(2026, 1, 13));
}

TEST_CASE("beyond the calendar's last year weekends-only is assumed and flagged provisional",
          "[deadlines]") {
  // Within 2026: Sun 2026-12-20 -> Dec 21-25 (1-5), 28 (6), 29 (7).
  const Deadline inside = due(cst(2026, 12, 20, 10), 7, kWorkingDays);
  CHECK(inside.due_ms == end_of_day(2026, 12, 29));
  CHECK_FALSE(inside.provisional);
  // Fri 2026-12-25: Dec 28-31 (1-4), Fri 2027-01-01 assumed working (5), Jan 4 (6), Jan 5 (7).
  const Deadline crossing = due(cst(2026, 12, 25, 10), 7, kWorkingDays);
  CHECK(crossing.due_ms == end_of_day(2027, 1, 5));
  CHECK(crossing.provisional);
  // Mediation accepted Mon 2026-11-16: 45 working days run into 2027 (Jan 18).
  const Deadline mediation = due(cst(2026, 11, 16, 10), 45, kWorkingDays);
  CHECK(mediation.due_ms == end_of_day(2027, 1, 18));
  CHECK(mediation.provisional);
  // 60 calendar days: Fri 2027-01-15.
  const Deadline days = due(cst(2026, 11, 16, 10), 60, kDays);
  CHECK(days.due_ms == end_of_day(2027, 1, 15));
  CHECK(days.provisional);
  // 30 working days end in 2026 (Dec 28): not provisional.
  CHECK_FALSE(due(cst(2026, 11, 16, 10), 30, kWorkingDays).provisional);
}

TEST_CASE("bad periods, instants and pauses are refused", "[deadlines]") {
  CHECK(error_code(cst(2025, 11, 3), 0, kWorkingDays) == "policies.bad_period");
  CHECK(error_code(cst(2025, 11, 3), -7, kWorkingDays) == "policies.bad_period");
  CHECK(error_code(cst(2025, 11, 3), 3661, kDays) == "policies.bad_period");
  CHECK(error_code(cst(2025, 11, 3), 11, kYears) == "policies.bad_period");
  CHECK(error_code(cst(1999, 12, 31, 23), 7, kWorkingDays) == "policies.bad_time");
  CHECK(error_code(cst(2200, 1, 1), 7, kWorkingDays) == "policies.bad_time");
  CHECK(error_code(-1, 7, kHours) == "policies.bad_time");
  CHECK(error_code(cst(2025, 11, 3), 7, kWorkingDays, {{cst(2025, 11, 5), cst(2025, 11, 4)}}) ==
        "policies.bad_pause");
  CHECK(error_code(cst(2025, 11, 3), 7, kWorkingDays,
                   {{cst(2025, 11, 4), cst(2025, 11, 6)}, {cst(2025, 11, 5), cst(2025, 11, 7)}}) ==
        "policies.bad_pause");
  CHECK(error_code(cst(2025, 11, 3), 7, kWorkingDays, {{cst(2025, 11, 4), 0}}) ==
        "policies.bad_time");
  CHECK(check_time(cst(2000, 1, 1)));
  CHECK(check_time(end_of_day(2199, 12, 31)));
  CHECK_FALSE(check_time(end_of_day(2199, 12, 31) + 1));
}
