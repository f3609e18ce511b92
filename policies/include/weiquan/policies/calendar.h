// Civil dates in China Standard Time and the official working-day calendar.
//
// Dates are proleptic Gregorian civil dates; instants are Unix milliseconds (UTC). China Standard
// Time is UTC+8 all year with no daylight saving time, so the civil day of an instant is a fixed
// shift away. A DayNumber counts days since 1970-01-01.
//
// A Calendar holds the rest days (public holidays) and make-up workdays (weekend days worked in
// exchange) published each year by the State Council General Office. A day is a working day when it
// is Monday to Friday and not a rest day, or when it is a make-up workday. The calendar covers the
// years from the first to the last year present in its table; for any other year only weekends are
// assumed to be rest days, and covers() says so (the deadline engine flags such results
// provisional). The table shipped with the build is data/holidays.tsv, one
// `date<TAB>rest|work<TAB>name` per line.
//
// Thread safety: a Calendar is immutable once loaded and may be shared; builtin() may be called
// from any thread. Failure codes: policies.bad_calendar (loading; the message names the line),
// policies.bad_date (parse_date).
#pragma once

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "weiquan/result.h"

namespace wq::policies {

struct CivilDate {
  int year = 1970;
  int month = 1;
  int day = 1;

  friend auto operator<=>(const CivilDate&, const CivilDate&) = default;
};

using DayNumber = std::int64_t;

inline constexpr std::int64_t kMsPerHour = 3'600'000;
inline constexpr std::int64_t kMsPerDay = 24 * kMsPerHour;
inline constexpr std::int64_t kCstOffsetMs = 8 * kMsPerHour;

bool is_valid(CivilDate date);
DayNumber day_number(CivilDate date);  // date must be valid
CivilDate civil_date(DayNumber day);
int weekday(DayNumber day);  // 0 = Sunday ... 6 = Saturday

// "YYYY-MM-DD".
Result<CivilDate> parse_date(std::string_view text);
std::string format_date(CivilDate date);

// The CST civil day containing an instant, and the first and last millisecond of a CST day.
DayNumber cst_day(std::int64_t unix_ms);
CivilDate cst_date(std::int64_t unix_ms);
std::int64_t cst_day_start_ms(DayNumber day);  // 00:00:00.000 CST
std::int64_t cst_day_end_ms(DayNumber day);    // 23:59:59.999 CST

class Calendar {
 public:
  // Lines in ascending date order; blank lines are ignored. A make-up workday must fall on a
  // weekend.
  static Result<Calendar> load(std::string_view tsv);
  // The table embedded in this build.
  static const Calendar& builtin();

  bool is_working_day(DayNumber day) const;
  bool is_working_day(CivilDate date) const { return is_working_day(day_number(date)); }

  // True when the day's year is one the table covers.
  bool covers(DayNumber day) const;
  int first_year() const { return first_year_; }
  int last_year() const { return last_year_; }

 private:
  struct Entry {
    DayNumber day = 0;
    bool working = false;  // a make-up workday; otherwise a rest day
  };

  Calendar(std::vector<Entry> entries, int first_year, int last_year);

  std::vector<Entry> entries_;  // ascending by day
  int first_year_ = 0;
  int last_year_ = 0;
};

}  // namespace wq::policies
