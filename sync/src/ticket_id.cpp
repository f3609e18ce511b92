#include "weiquan/sync/ticket_id.h"

#include <algorithm>
#include <cassert>
#include <charconv>
#include <chrono>

#include "weiquan/policies/calendar.h"
#include "weiquan/sync/node_id.h"

namespace wq::sync {
namespace {

constexpr std::size_t kMinSerialDigits = 6;

Error bad_id(std::string_view text, std::string_view why) {
  return make_error("sync.bad_ticket_id",
                    "ticket id \"" + std::string(text.substr(0, 40)) + "\": " + std::string(why));
}

bool parse_digits(std::string_view s, std::uint32_t& out) {
  if (s.empty() || !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return false;
  }
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && end == s.data() + s.size();
}

bool valid_date(std::uint32_t yyyymmdd) {
  const std::chrono::year_month_day date{std::chrono::year(static_cast<int>(yyyymmdd / 10000)),
                                         std::chrono::month(yyyymmdd / 100 % 100),
                                         std::chrono::day(yyyymmdd % 100)};
  return yyyymmdd >= 10000101 && date.ok();
}

std::string padded(std::uint32_t value, std::size_t width) {
  std::string digits = std::to_string(value);
  if (digits.size() < width) digits.insert(0, width - digits.size(), '0');
  return digits;
}

}  // namespace

std::string format_ticket_id(const TicketId& id) {
  assert(valid_node_id(id.intake_node) && valid_date(id.date));
  assert(id.serial >= 1 && id.serial <= kMaxTicketSerial);
  return id.intake_node + "-" + std::to_string(id.date) + "-" + padded(id.serial, kMinSerialDigits);
}

Result<TicketId> parse_ticket_id(std::string_view text) {
  if (text.size() > kMaxTicketIdLength) return bad_id(text, "too long");
  const auto serial_dash = text.rfind('-');
  if (serial_dash == std::string_view::npos || serial_dash == 0) return bad_id(text, "no serial");
  const auto date_dash = text.rfind('-', serial_dash - 1);
  if (date_dash == std::string_view::npos) return bad_id(text, "no date");
  TicketId id;
  id.intake_node = std::string(text.substr(0, date_dash));
  const std::string_view date = text.substr(date_dash + 1, serial_dash - date_dash - 1);
  const std::string_view serial = text.substr(serial_dash + 1);
  if (!valid_node_id(id.intake_node)) return bad_id(text, "intake node is not a node id");
  if (date.size() != 8 || !parse_digits(date, id.date) || !valid_date(id.date)) {
    return bad_id(text, "date is not YYYYMMDD");
  }
  if (serial.size() < kMinSerialDigits || !parse_digits(serial, id.serial) || id.serial == 0 ||
      id.serial > kMaxTicketSerial || padded(id.serial, kMinSerialDigits) != serial) {
    return bad_id(text, "serial is not 000001..999999999 in its shortest 6-digit form");
  }
  return id;
}

std::uint32_t china_date(std::int64_t unix_ms) {
  const policies::CivilDate date = policies::cst_date(unix_ms);
  return static_cast<std::uint32_t>(date.year * 10000 + date.month * 100 + date.day);
}

}  // namespace wq::sync
