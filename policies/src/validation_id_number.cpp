// Resident identity numbers (GB 11643-1999).
#include <array>

#include "validation_util.h"
#include "weiquan/policies/validation.h"
#include "wording.h"

namespace wq::policies {
namespace {

constexpr std::size_t kLength = 18;
// Residence permits of Hong Kong, Macao and Taiwan residents use these in place of a region.
constexpr std::array<std::string_view, 3> kResidencePermitRegions{"810000", "820000", "830000"};
// The foreigner's permanent residence identity card starts with this, then a province code.
constexpr char kForeignerPrefix = '9';
constexpr int kEarliestBirthYear = 1900;

Error invalid(const std::string& message) {
  return make_error("policies.invalid_id_number", "identity number: " + message);
}

// ISO 7064 MOD 11-2: weights 2^(17-i) mod 11.
Result<char> check_of(std::string_view first17) {
  if (first17.size() != kLength - 1) {
    return invalid("the check character is computed from 17 digits, got " +
                   std::to_string(first17.size()));
  }
  int sum = 0;
  int weight = 1;
  for (std::size_t i = first17.size(); i-- > 0;) {
    weight = weight * 2 % 11;
    const char c = first17[i];
    if (!detail::is_digit(c)) {
      return invalid(detail::in_quotes(std::string(1, c)) + " at " + detail::position(i) +
                     " must be a digit");
    }
    sum += (c - '0') * weight;
  }
  const int check = (12 - sum % 11) % 11;
  return check == 10 ? 'X' : static_cast<char>('0' + check);
}

bool region_ok(std::string_view region, const RegionTable& regions) {
  if (region.front() == kForeignerPrefix) return detail::names_province(region.substr(1), regions);
  for (std::string_view permit : kResidencePermitRegions) {
    if (region == permit) return true;
  }
  return detail::names_province(region, regions);
}

}  // namespace

Result<char> id_check_character(std::string_view first17) {
  return check_of(first17);
}

Status check_id_number(std::string_view number, std::int64_t now_ms, const RegionTable& regions) {
  if (number.size() == 15) {
    return invalid(
        "15-digit numbers of the first-generation card are no longer valid; enter the "
        "18-character number");
  }
  if (number.size() != kLength) {
    return invalid("it has 18 characters, got " + std::to_string(number.size()));
  }
  const auto check = check_of(number.substr(0, kLength - 1));
  if (!check.ok()) return check.error();
  const char last = number[kLength - 1];
  if (!detail::is_digit(last) && last != 'X') {
    return invalid(detail::in_quotes(std::string(1, last)) +
                   " at position 18 must be a digit or X" + (last == 'x' ? " (a capital X)" : ""));
  }
  if (!region_ok(number.substr(0, 6), regions)) {
    return invalid("the first 6 digits (" + std::string(number.substr(0, 6)) +
                   ") do not start with the code of a province");
  }
  using namespace std::chrono;
  const int year = *detail::digits_value(number.substr(6, 4));
  const int month = *detail::digits_value(number.substr(10, 2));
  const int day = *detail::digits_value(number.substr(12, 2));
  const year_month_day birth{std::chrono::year(year),
                             std::chrono::month(static_cast<unsigned>(month)),
                             std::chrono::day(static_cast<unsigned>(day))};
  if (!birth.ok() || year < kEarliestBirthYear) {
    return invalid("positions 7-14 (" + std::string(number.substr(6, 8)) +
                   ") are not a birth date YYYYMMDD");
  }
  if (sys_days(birth) > detail::china_date(now_ms)) {
    return invalid("the birth date " + std::string(number.substr(6, 8)) + " lies in the future");
  }
  if (last != check.value()) {
    return invalid("the last character is " + detail::in_quotes(std::string(1, last)) +
                   " but should be " + detail::in_quotes(std::string(1, check.value())) +
                   "; a digit is probably mistyped");
  }
  return {};
}

}  // namespace wq::policies
