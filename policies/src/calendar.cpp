#include "weiquan/policies/calendar.h"

#include <algorithm>
#include <cassert>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <utility>

#include "builtin_data.h"
#include "embedded_tables.h"

namespace wq::policies {

namespace {

constexpr int kMinYear = 1;
constexpr int kMaxYear = 9999;

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  const std::int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

std::chrono::year_month_day to_ymd(CivilDate date) {
  return std::chrono::year{date.year} / std::chrono::month{static_cast<unsigned>(date.month)} /
         std::chrono::day{static_cast<unsigned>(date.day)};
}

bool parse_int(std::string_view text, int& out) {
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, out);
  return ec == std::errc() && ptr == end;
}

// The next line of `text` starting at `pos` (without its "\n" or "\r\n"); advances `pos`.
std::string_view next_line(std::string_view text, std::size_t& pos) {
  const std::size_t end = std::min(text.find('\n', pos), text.size());
  std::string_view line = text.substr(pos, end - pos);
  pos = end + 1;
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  return line;
}

Error calendar_error(int line, std::string_view problem) {
  return make_error("policies.bad_calendar",
                    "holiday table line " + std::to_string(line) + ": " + std::string(problem));
}

}  // namespace

bool is_valid(CivilDate date) {
  if (date.year < kMinYear || date.year > kMaxYear) return false;
  if (date.month < 1 || date.month > 12 || date.day < 1 || date.day > 31) return false;
  return to_ymd(date).ok();
}

DayNumber day_number(CivilDate date) {
  assert(is_valid(date));
  return std::chrono::sys_days{to_ymd(date)}.time_since_epoch().count();
}

CivilDate civil_date(DayNumber day) {
  const std::chrono::year_month_day ymd{std::chrono::sys_days{std::chrono::days{day}}};
  return CivilDate{static_cast<int>(ymd.year()),
                   static_cast<int>(static_cast<unsigned>(ymd.month())),
                   static_cast<int>(static_cast<unsigned>(ymd.day()))};
}

int weekday(DayNumber day) {
  return static_cast<int>(
      std::chrono::weekday{std::chrono::sys_days{std::chrono::days{day}}}.c_encoding());
}

Result<CivilDate> parse_date(std::string_view text) {
  CivilDate date;
  const bool shaped = text.size() == 10 && text[4] == '-' && text[7] == '-';
  if (!shaped || !parse_int(text.substr(0, 4), date.year) ||
      !parse_int(text.substr(5, 2), date.month) || !parse_int(text.substr(8, 2), date.day) ||
      !is_valid(date)) {
    return make_error("policies.bad_date", "not a YYYY-MM-DD date: \"" + std::string(text) + "\"");
  }
  return date;
}

std::string format_date(CivilDate date) {
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02d-%02d", date.year, date.month, date.day);
  return text;
}

DayNumber cst_day(std::int64_t unix_ms) {
  return floor_div(unix_ms + kCstOffsetMs, kMsPerDay);
}

CivilDate cst_date(std::int64_t unix_ms) {
  return civil_date(cst_day(unix_ms));
}

std::int64_t cst_day_start_ms(DayNumber day) {
  return day * kMsPerDay - kCstOffsetMs;
}

std::int64_t cst_day_end_ms(DayNumber day) {
  return cst_day_start_ms(day + 1) - 1;
}

Calendar::Calendar(std::vector<Entry> entries, int first_year, int last_year)
    : entries_(std::move(entries)), first_year_(first_year), last_year_(last_year) {}

Result<Calendar> Calendar::load(std::string_view tsv) {
  std::vector<Entry> entries;
  int line_number = 0;
  for (std::size_t pos = 0; pos < tsv.size();) {
    const std::string_view line = next_line(tsv, pos);
    ++line_number;
    if (line.empty()) continue;
    const std::size_t tab1 = line.find('\t');
    const std::size_t tab2 = tab1 == std::string_view::npos ? tab1 : line.find('\t', tab1 + 1);
    if (tab2 == std::string_view::npos) {
      return calendar_error(line_number, "expected date<TAB>rest|work<TAB>name");
    }
    const auto date = parse_date(line.substr(0, tab1));
    if (!date) return calendar_error(line_number, date.error().message);
    const std::string_view kind = line.substr(tab1 + 1, tab2 - tab1 - 1);
    if (kind != "rest" && kind != "work") {
      return calendar_error(line_number,
                            "kind must be rest or work, not \"" + std::string(kind) + "\"");
    }
    const Entry entry{day_number(*date), kind == "work"};
    const int day_of_week = weekday(entry.day);
    if (entry.working && day_of_week != 0 && day_of_week != 6) {
      return calendar_error(line_number,
                            "make-up workday " + format_date(*date) + " is not a weekend");
    }
    if (!entries.empty() && entry.day <= entries.back().day) {
      return calendar_error(line_number, "dates must be in ascending order");
    }
    entries.push_back(entry);
  }
  if (entries.empty()) return make_error("policies.bad_calendar", "the holiday table is empty");
  const int first_year = civil_date(entries.front().day).year;
  const int last_year = civil_date(entries.back().day).year;
  return Calendar(std::move(entries), first_year, last_year);
}

const Calendar& Calendar::builtin() {
  static const Calendar calendar =
      detail::expect_builtin(load(embedded::holidays_tsv()), "holiday calendar");
  return calendar;
}

bool Calendar::is_working_day(DayNumber day) const {
  const auto it = std::lower_bound(entries_.begin(), entries_.end(), day,
                                   [](const Entry& entry, DayNumber d) { return entry.day < d; });
  if (it != entries_.end() && it->day == day) return it->working;
  const int day_of_week = weekday(day);
  return day_of_week != 0 && day_of_week != 6;
}

bool Calendar::covers(DayNumber day) const {
  const int year = civil_date(day).year;
  return year >= first_year_ && year <= last_year_;
}

}  // namespace wq::policies
