// Unified social credit codes (GB 32100-2015) and the organization codes inside them (GB 11714).
#include <algorithm>
#include <array>

#include "validation_util.h"
#include "weiquan/policies/validation.h"
#include "wording.h"

namespace wq::policies {
namespace {

// The code's character set, in the order of the values the check uses.
constexpr std::string_view kAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";
constexpr std::size_t kLength = 18;
// Region of a central registration authority.
constexpr std::string_view kCentralRegion = "100000";

struct Authority {
  char code;
  std::string_view name;
  std::string_view types;  // institution types it assigns; empty when not restricted
  std::string_view types_note;
};

// Registration authorities of GB 32100-2015 and those assigned since. Only market regulation's
// institution types are checked: the other authorities' lists have grown over time.
constexpr std::array<Authority, 12> kAuthorities{{
    {'1', "establishment administration (机构编制)", "", ""},
    {'2', "foreign affairs (外交)", "", ""},
    {'3', "justice (司法行政)", "", ""},
    {'4', "culture (文化)", "", ""},
    {'5', "civil affairs (民政)", "", ""},
    {'6', "tourism (旅游)", "", ""},
    {'7', "religious affairs (宗教)", "", ""},
    {'8', "trade unions (工会)", "", ""},
    {'9', "market regulation (市场监管)", "123",
     "1 enterprise, 2 individual business, 3 farmers' cooperative"},
    {'A', "military establishment (中央军委改革和编制办公室)", "", ""},
    {'N', "agriculture (农业)", "", ""},
    {'Y', "other authorities (其他)", "", ""},
}};

Error invalid(const std::string& message) {
  return make_error("policies.invalid_uscc", "unified social credit code: " + message);
}

std::optional<int> value_of(char c) {
  const std::size_t index = kAlphabet.find(c);
  if (index == std::string_view::npos) return std::nullopt;
  return static_cast<int>(index);
}

Result<int> check_value(std::string_view first17) {
  if (first17.size() != kLength - 1) {
    return invalid("the check character is computed from 17 characters, got " +
                   std::to_string(first17.size()));
  }
  int sum = 0;
  int weight = 1;  // 3^i mod 31
  for (std::size_t i = 0; i < first17.size(); ++i) {
    const auto value = value_of(first17[i]);
    if (!value) {
      const char c = first17[i];
      return invalid(detail::in_quotes(std::string(1, c)) + " at " + detail::position(i) +
                     ((c >= 'a' && c <= 'z') ? " must be a capital letter"
                                             : " is not used in these codes (0-9 and capital "
                                               "letters except I, O, Z, S, V)"));
    }
    sum += *value * weight;
    weight = weight * 3 % 31;
  }
  return (31 - sum % 31) % 31;
}

// GB 11714: 8 characters 0-9/A-Z weighted 3,7,9,10,5,8,4,2, then a check character 0-9 or X.
char organization_check(std::string_view body8) {
  constexpr std::array<int, 8> kWeights{3, 7, 9, 10, 5, 8, 4, 2};
  int sum = 0;
  for (std::size_t i = 0; i < body8.size(); ++i) {
    const char c = body8[i];
    const int value = detail::is_digit(c) ? c - '0' : c - 'A' + 10;
    sum += value * kWeights[i];
  }
  const int check = 11 - sum % 11;
  return check == 10 ? 'X' : check == 11 ? '0' : static_cast<char>('0' + check);
}

}  // namespace

Result<char> uscc_check_character(std::string_view first17) {
  const auto value = check_value(first17);
  if (!value.ok()) return value.error();
  return kAlphabet[static_cast<std::size_t>(value.value())];
}

Result<Uscc> parse_uscc(std::string_view code, const RegionTable& regions) {
  if (code.size() != kLength) {
    return invalid("it has 18 characters, got " + std::to_string(code.size()));
  }
  const auto check = uscc_check_character(code.substr(0, kLength - 1));
  if (!check.ok()) return check.error();
  if (!value_of(code[kLength - 1])) {
    return invalid(detail::in_quotes(code.substr(kLength - 1)) +
                   " at position 18 is not a check "
                   "character (0-9 and capital letters except I, O, Z, S, V)");
  }
  const auto authority = std::find_if(kAuthorities.begin(), kAuthorities.end(),
                                      [&](const Authority& a) { return a.code == code[0]; });
  if (authority == kAuthorities.end()) {
    return invalid(detail::in_quotes(code.substr(0, 1)) +
                   " at position 1 is not a registration authority (9 for businesses)");
  }
  if (code[1] < '1' || code[1] > '9') {
    return invalid(detail::in_quotes(code.substr(1, 1)) +
                   " at position 2 is not an institution type (a digit 1-9)");
  }
  if (!authority->types.empty() && authority->types.find(code[1]) == std::string_view::npos) {
    return invalid(detail::in_quotes(code.substr(1, 1)) +
                   " at position 2 is not an institution "
                   "type of " +
                   std::string(authority->name) + " (" + std::string(authority->types_note) + ")");
  }
  const std::string_view region = code.substr(2, 6);
  if (!detail::all_digits(region)) {
    return invalid(
        "positions 3-8 are the region code of the registering authority, 6 digits; "
        "got " +
        detail::in_quotes(region));
  }
  if (region != kCentralRegion && !detail::names_province(region, regions)) {
    return invalid("positions 3-8 (" + std::string(region) +
                   ") do not start with the code of "
                   "a province");
  }
  const std::string_view organization = code.substr(8, 9);
  const char organization_check_char = organization_check(organization.substr(0, 8));
  if (organization[8] != organization_check_char) {
    return invalid("the organization code in positions 9-17 ends in " +
                   detail::in_quotes(organization.substr(8)) + " but its check character is " +
                   detail::in_quotes(std::string(1, organization_check_char)) +
                   "; a character is probably mistyped");
  }
  if (code[kLength - 1] != check.value()) {
    return invalid("the check character (position 18) is " +
                   detail::in_quotes(code.substr(kLength - 1)) + " but should be " +
                   detail::in_quotes(std::string(1, check.value())) +
                   "; a character is probably mistyped");
  }
  return Uscc{code[0], code[1], std::string(region), std::string(organization)};
}

}  // namespace wq::policies
