#include "weiquan/policies/types.h"

#include <cassert>
#include <string>

#include "vocabulary.h"
#include "wording.h"

namespace wq::policies {
namespace {

template <class Enum, std::size_t N>
Result<Enum> parse_name(const std::array<std::string_view, N>& names, std::string_view name,
                        const char* code, std::string_view what) {
  for (std::size_t i = 0; i < N; ++i) {
    if (names[i] == name) return static_cast<Enum>(i);
  }
  return make_error(code, "unknown " + std::string(what) + " " + detail::in_quotes(name) + " (" +
                              detail::one_of({names.begin(), names.end()}) + ")");
}

template <std::size_t N>
std::string_view name_of(const std::array<std::string_view, N>& names, std::size_t index) {
  assert(index < N && "enum value out of range");
  return index < N ? names[index] : std::string_view{};
}

}  // namespace

std::string_view type_name(TicketType type) {
  return name_of(detail::kTypeNames, static_cast<std::size_t>(type));
}

Result<TicketType> parse_type(std::string_view name) {
  return parse_name<TicketType>(detail::kTypeNames, name, "policies.unknown_type", "ticket type");
}

std::string_view role_name(Role role) {
  return name_of(detail::kRoleNames, static_cast<std::size_t>(role));
}

Result<Role> parse_role(std::string_view name) {
  return parse_name<Role>(detail::kRoleNames, name, "policies.unknown_role", "role");
}

}  // namespace wq::policies
