// Private to policies/: pieces shared by the validation functions.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "digits.h"
#include "weiquan/policies/regions.h"

namespace wq::policies::detail {

// The value of a run of decimal digits (at most 9), or nothing if any character is not a digit.
std::optional<int> digits_value(std::string_view text);

// The calendar date in China (UTC+8) at a Unix time in milliseconds.
std::chrono::sys_days china_date(std::int64_t unix_ms);

// True if the first two characters of `region` are the code of a province in the table.
bool names_province(std::string_view region, const RegionTable& regions);

// "position 3" style description of a 0-based index, for messages.
std::string position(std::size_t index);

}  // namespace wq::policies::detail
