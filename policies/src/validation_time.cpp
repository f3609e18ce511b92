// Times written as RFC 3339 / ISO 8601 with an offset.
#include <cstdio>

#include "validation_util.h"
#include "weiquan/policies/validation.h"
#include "wording.h"

namespace wq::policies {
namespace {

constexpr std::string_view kShape = "YYYY-MM-DDThh:mm:ss+08:00";

Error invalid(const std::string& message) {
  return make_error("policies.invalid_date", message);
}

Error malformed(std::string_view text) {
  return invalid(detail::in_quotes(text) + " is not a time like 2024-03-15T09:30:00+08:00 (" +
                 std::string(kShape) + ", with optional fractions of a second, or Z for UTC)");
}

// Reads `count` digits at text[at] and checks `separator` follows (0: none expected).
std::optional<int> field(std::string_view text, std::size_t at, std::size_t count, char separator) {
  if (text.size() < at + count + (separator != 0 ? 1 : 0)) return std::nullopt;
  if (separator != 0 && text[at + count] != separator) return std::nullopt;
  return detail::digits_value(text.substr(at, count));
}

std::string iso_of(std::int64_t unix_ms) {
  using namespace std::chrono;
  const year_month_day date{detail::china_date(unix_ms)};
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%04d-%02u-%02u", static_cast<int>(date.year()),
                static_cast<unsigned>(date.month()), static_cast<unsigned>(date.day()));
  return buffer;
}

}  // namespace

std::string format_time(std::int64_t unix_ms) {
  using namespace std::chrono;
  constexpr std::int64_t kDayMs = 24 * 60 * 60 * 1000;
  constexpr std::int64_t kChinaOffsetMs = 8 * 60 * 60 * 1000;
  const std::int64_t local = unix_ms + kChinaOffsetMs;
  const std::int64_t in_day = ((local % kDayMs) + kDayMs) % kDayMs;
  char buffer[48];
  std::snprintf(buffer, sizeof buffer, "%sT%02d:%02d:%02d.%03d+08:00", iso_of(unix_ms).c_str(),
                static_cast<int>(in_day / 3'600'000), static_cast<int>(in_day / 60'000 % 60),
                static_cast<int>(in_day / 1000 % 60), static_cast<int>(in_day % 1000));
  return buffer;
}

Status check_time_ms(std::int64_t time_ms, std::int64_t now_ms) {
  if (time_ms < kEarliestTimeMs) {
    return invalid("times before 2004-01-01 (China time) are not accepted, got " + iso_of(time_ms));
  }
  if (time_ms > now_ms + kFutureToleranceMs) {
    return invalid("the time " + iso_of(time_ms) + " lies in the future");
  }
  return {};
}

Result<std::int64_t> parse_time(std::string_view text, std::int64_t now_ms) {
  using namespace std::chrono;
  const auto y = field(text, 0, 4, '-');
  const auto mo = field(text, 5, 2, '-');
  const auto d = field(text, 8, 2, 'T');
  const auto h = field(text, 11, 2, ':');
  const auto mi = field(text, 14, 2, ':');
  const auto s = field(text, 17, 2, 0);
  if (!y || !mo || !d || !h || !mi || !s) return malformed(text);
  const year_month_day date{year(*y), month(static_cast<unsigned>(*mo)),
                            day(static_cast<unsigned>(*d))};
  if (!date.ok() || *h > 23 || *mi > 59 || *s > 59) {
    return invalid(detail::in_quotes(text) + " names a date or time of day that does not exist");
  }
  std::size_t at = 19;
  std::int64_t millis = 0;
  if (at < text.size() && text[at] == '.') {
    const std::size_t first = ++at;
    while (at < text.size() && detail::is_digit(text[at])) ++at;
    const std::size_t digits = at - first;
    if (digits == 0 || digits > 9) return malformed(text);
    for (std::size_t i = 0; i < 3; ++i) {
      millis = millis * 10 + (i < digits ? text[first + i] - '0' : 0);
    }
  }
  const std::string_view zone = text.substr(at);
  std::int64_t offset_minutes = 0;
  if (zone != "Z") {
    const auto oh = field(zone, 1, 2, ':');
    const auto om = field(zone, 4, 2, 0);
    if (zone.size() != 6 || (zone[0] != '+' && zone[0] != '-') || !oh || !om) {
      return malformed(text);
    }
    if (*oh > 23 || *om > 59) return invalid(detail::in_quotes(text) + " has an impossible offset");
    offset_minutes = (zone[0] == '-' ? -1 : 1) * (*oh * 60 + *om);
  }
  const std::int64_t days_since_epoch = sys_days(date).time_since_epoch().count();
  const std::int64_t seconds =
      days_since_epoch * 86400 + *h * 3600 + *mi * 60 + *s - offset_minutes * 60;
  const std::int64_t time_ms = seconds * 1000 + millis;
  if (auto checked = check_time_ms(time_ms, now_ms); !checked.ok()) return checked.error();
  return time_ms;
}

}  // namespace wq::policies
