#include "validation_util.h"

namespace wq::policies::detail {

std::optional<int> digits_value(std::string_view text) {
  if (text.empty() || text.size() > 9) return std::nullopt;
  int value = 0;
  for (char c : text) {
    if (!is_digit(c)) return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

std::chrono::sys_days china_date(std::int64_t unix_ms) {
  using namespace std::chrono;
  return floor<days>(sys_time<milliseconds>(milliseconds(unix_ms)) + hours(8));
}

bool names_province(std::string_view region, const RegionTable& regions) {
  if (region.size() < 2) return false;
  const auto province = regions.find(region.substr(0, 2));
  return province && province->level == Level::province;
}

std::string position(std::size_t index) {
  return "position " + std::to_string(index + 1);
}

}  // namespace wq::policies::detail
