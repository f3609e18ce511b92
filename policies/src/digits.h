// Private to policies/: ASCII decimal digits, the characters of every code this module checks.
#pragma once

#include <algorithm>
#include <string_view>

namespace wq::policies::detail {

inline bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

// True for a non-empty run of digits.
inline bool all_digits(std::string_view text) {
  return !text.empty() && std::all_of(text.begin(), text.end(), is_digit);
}

}  // namespace wq::policies::detail
