// Phone numbers of mainland China.
#include <algorithm>

#include "validation_util.h"
#include "weiquan/policies/validation.h"
#include "wording.h"

namespace wq::policies {
namespace {

constexpr std::string_view kCountryPrefix = "+86";

Error invalid(std::string_view text, const std::string& why) {
  return make_error("policies.invalid_phone",
                    "phone number " + detail::in_quotes(text) + ": " + why);
}

// 010 and 020-029 are three digits long, every other area code four.
std::size_t area_code_length(std::string_view digits) {
  return digits.size() >= 2 && (digits[1] == '1' || digits[1] == '2') ? 3 : 4;
}

Result<Phone> fixed_line(std::string_view text, std::string_view area, std::string_view local) {
  if (area.size() < 2 || area[1] == '0') {
    return invalid(text, "an area code starts with 0 and a digit 1-9 (010, 021, 0755, ...)");
  }
  if (area.size() != area_code_length(area)) {
    return invalid(text, "the area code " + std::string(area) + " should have " +
                             std::to_string(area_code_length(area)) + " digits");
  }
  const std::size_t min_local = area.size() == 3 ? 8 : 7;
  if (local.size() < min_local || local.size() > 8) {
    return invalid(text, "after the area code " + std::string(area) + " come " +
                             (min_local == 8 ? std::string("8") : std::string("7 or 8")) +
                             " digits, got " + std::to_string(local.size()));
  }
  if (local[0] == '0' || local[0] == '1') {
    return invalid(text, "a local number does not start with 0 or 1");
  }
  return Phone{PhoneKind::fixed_line, std::string(area) + "-" + std::string(local)};
}

}  // namespace

Result<Phone> parse_phone(std::string_view text) {
  std::string_view number = text;
  const bool international = number.starts_with(kCountryPrefix);
  if (international) {
    number.remove_prefix(kCountryPrefix.size());
    if (number.starts_with(' ')) number.remove_prefix(1);
  }
  const std::size_t dash = number.find('-');
  if (dash != std::string_view::npos) {
    const std::string_view area = number.substr(0, dash);
    const std::string_view local = number.substr(dash + 1);
    if (international || !detail::all_digits(area) || area[0] != '0' ||
        !detail::all_digits(local)) {
      return invalid(text, "write a fixed line as area code, '-' and number, e.g. 010-62345678");
    }
    return fixed_line(text, area, local);
  }
  if (!detail::all_digits(number)) {
    return invalid(text, "use digits only (a fixed line may have '-' after the area code)");
  }
  if (number[0] == '1') {
    if (number.size() != 11 || number[1] < '3') {
      return invalid(text, "a mobile number has 11 digits starting with 13 to 19");
    }
    return Phone{PhoneKind::mobile, std::string(number)};
  }
  if (international) return invalid(text, "+86 is followed by a mobile number of 11 digits");
  if (number.starts_with("400") || number.starts_with("800")) {
    if (number.size() != 10) return invalid(text, "a 400 or 800 number has 10 digits");
    return Phone{PhoneKind::service, std::string(number)};
  }
  if (number[0] == '0') {
    const std::size_t area = area_code_length(number);
    return fixed_line(text, number.substr(0, std::min(area, number.size())),
                      number.substr(std::min(area, number.size())));
  }
  return invalid(text, "include the area code of a fixed line (e.g. 010-62345678)");
}

}  // namespace wq::policies
