#include "weiquan/policies/calendar.h"

#include <catch2/catch.hpp>

#include "cst_time.h"

using namespace wq::policies;

namespace {

std::int64_t utc(int year, int month, int day, int hour = 0) {
  return day_number({year, month, day}) * kMsPerDay + hour * kMsPerHour;
}

bool working(int year, int month, int day) {
  return Calendar::builtin().is_working_day(CivilDate{year, month, day});
}

}  // namespace

TEST_CASE("civil dates convert to and from day numbers", "[calendar]") {
  CHECK(day_number({1970, 1, 1}) == 0);
  CHECK(civil_date(0) == CivilDate{1970, 1, 1});
  CHECK(weekday(0) == 4);  // a Thursday
  CHECK(weekday(day_number({2025, 9, 28})) == 0);
  CHECK(weekday(day_number({2025, 10, 11})) == 6);
  CHECK(day_number({2024, 3, 1}) - day_number({2024, 2, 28}) == 2);
  CHECK(day_number({2025, 3, 1}) - day_number({2025, 2, 28}) == 1);
  for (const CivilDate date :
       {CivilDate{2000, 2, 29}, CivilDate{2026, 12, 31}, CivilDate{2004, 1, 1}}) {
    CHECK(civil_date(day_number(date)) == date);
  }
  CHECK(is_valid({2024, 2, 29}));
  CHECK_FALSE(is_valid({2025, 2, 29}));
  CHECK_FALSE(is_valid({1900, 2, 29}));
  CHECK_FALSE(is_valid({2025, 4, 31}));
  CHECK_FALSE(is_valid({2025, 13, 1}));
  CHECK_FALSE(is_valid({2025, 0, 1}));
}

TEST_CASE("dates parse from and format to YYYY-MM-DD", "[calendar]") {
  const auto date = parse_date("2026-02-14");
  REQUIRE(date);
  CHECK(*date == CivilDate{2026, 2, 14});
  CHECK(format_date(*date) == "2026-02-14");
  for (const char* bad : {"2025-02-29", "2025-13-01", "2025-9-30", "20250930", "2025-09-3x", ""}) {
    const auto parsed = parse_date(bad);
    REQUIRE_FALSE(parsed);
    CHECK(parsed.error().code == "policies.bad_date");
  }
}

TEST_CASE("China Standard Time is UTC+8 all year", "[calendar]") {
  // Midnight CST of National Day 2025 is 16:00 UTC the day before.
  CHECK(cst_date(utc(2025, 9, 30, 16)) == CivilDate{2025, 10, 1});
  CHECK(cst_date(utc(2025, 9, 30, 16) - 1) == CivilDate{2025, 9, 30});
  CHECK(cst_day_start_ms(day_number({2025, 10, 1})) == utc(2025, 9, 30, 16));
  CHECK(cst_day_end_ms(day_number({2025, 9, 30})) == utc(2025, 9, 30, 16) - 1);
  // No daylight saving time: the offset is the same in January and July.
  CHECK(testing::cst(2026, 1, 15, 8) == utc(2026, 1, 15));
  CHECK(testing::cst(2026, 7, 15, 8) == utc(2026, 7, 15));
  // Before the epoch the day still rounds down.
  CHECK(cst_day(-4 * kMsPerHour) == 0);
  CHECK(cst_day(-9 * kMsPerHour) == -1);
}

TEST_CASE("the embedded calendar covers 2004 to 2026", "[calendar]") {
  const Calendar& calendar = Calendar::builtin();
  CHECK(calendar.first_year() == 2004);
  CHECK(calendar.last_year() == 2026);
  CHECK(calendar.covers(day_number({2004, 1, 1})));
  CHECK(calendar.covers(day_number({2026, 12, 31})));
  CHECK_FALSE(calendar.covers(day_number({2027, 1, 1})));
  CHECK_FALSE(calendar.covers(day_number({2003, 12, 31})));
}

TEST_CASE("National Day and Mid-Autumn 2025 with their make-up workdays", "[calendar]") {
  CHECK(working(2025, 9, 26));        // Friday
  CHECK_FALSE(working(2025, 9, 27));  // Saturday
  CHECK(working(2025, 9, 28));        // Sunday, make-up workday
  CHECK(working(2025, 9, 30));
  for (int day = 1; day <= 8; ++day) CHECK_FALSE(working(2025, 10, day));
  CHECK(working(2025, 10, 9));
  CHECK(working(2025, 10, 10));
  CHECK(working(2025, 10, 11));        // Saturday, make-up workday
  CHECK_FALSE(working(2025, 10, 12));  // Sunday
  CHECK(working(2025, 10, 13));
}

TEST_CASE("Spring Festival 2026 with its make-up workdays", "[calendar]") {
  CHECK(working(2026, 2, 13));  // Friday
  CHECK(working(2026, 2, 14));  // Saturday, make-up workday
  for (int day = 15; day <= 23; ++day) CHECK_FALSE(working(2026, 2, day));
  CHECK(working(2026, 2, 24));
  CHECK(working(2026, 2, 28));       // Saturday, make-up workday
  CHECK_FALSE(working(2026, 3, 1));  // Sunday
}

TEST_CASE("outside the covered years only weekends are rest days", "[calendar]") {
  // 2027-01-01 is a Friday: New Year's Day, but 2027 is not published in the table yet.
  CHECK(working(2027, 1, 1));
  CHECK_FALSE(working(2027, 1, 2));
  CHECK_FALSE(working(2027, 1, 3));
  CHECK(working(2003, 12, 31));
}

TEST_CASE("a calendar loads from text", "[calendar]") {
  const auto calendar = Calendar::load(
      "2030-01-01\trest\tNew Year\r\n"
      "\n"
      "2030-01-05\twork\tmake-up\n");
  REQUIRE(calendar);
  CHECK(calendar->first_year() == 2030);
  CHECK(calendar->last_year() == 2030);
  CHECK_FALSE(calendar->is_working_day(CivilDate{2030, 1, 1}));  // a Tuesday
  CHECK(calendar->is_working_day(CivilDate{2030, 1, 2}));
  CHECK(calendar->is_working_day(CivilDate{2030, 1, 5}));  // a Saturday
  CHECK_FALSE(calendar->is_working_day(CivilDate{2030, 1, 6}));
}

TEST_CASE("a malformed holiday table is refused with its line number", "[calendar]") {
  const auto refused = [](std::string_view text, std::string_view needle) {
    const auto calendar = Calendar::load(text);
    REQUIRE_FALSE(calendar);
    CHECK(calendar.error().code == "policies.bad_calendar");
    CHECK_THAT(calendar.error().message, Catch::Contains(std::string(needle)));
  };
  refused("", "empty");
  refused("2030-01-01\trest\tA\n2030-01-01 rest A\n", "line 2");
  refused("2030-01-01\tholiday\tA\n", "rest or work");
  refused("2030-02-30\trest\tA\n", "2030-02-30");
  refused("2030-01-02\twork\tA\n", "not a weekend");
  refused("2030-01-02\trest\tA\n2030-01-01\trest\tB\n", "ascending");
  refused("2030-01-01\trest\tA\n2030-01-01\trest\tA\n", "ascending");
}
