#include "auth.h"

#include <algorithm>
#include <string>

#include "api_names.h"

namespace wq::node::http {
namespace {

constexpr std::string_view kBearer = "Bearer ";

}  // namespace

Result<std::optional<Principal>> authenticate_optional(const Request& request, Accounts& accounts,
                                                       std::int64_t now_ms) {
  const std::string_view header = request.header("Authorization");
  if (header.empty()) return std::optional<Principal>();
  if (!header.starts_with(kBearer) || header.size() == kBearer.size()) {
    return make_error("node.unauthenticated",
                      "the Authorization header must be `Bearer <token>` from POST /api/v1/login");
  }
  auto principal = accounts.authenticate(header.substr(kBearer.size()), now_ms);
  if (!principal) return principal.error();
  return std::optional<Principal>(std::move(*principal));
}

Result<Principal> authenticate(const Request& request, Accounts& accounts, std::int64_t now_ms) {
  auto principal = authenticate_optional(request, accounts, now_ms);
  if (!principal) return principal.error();
  if (!*principal) {
    return make_error("node.unauthenticated",
                      "log in first (POST /api/v1/login) and send `Authorization: Bearer <token>`");
  }
  return std::move(**principal);
}

Status require_role(const Principal& principal, std::initializer_list<policies::Role> roles) {
  if (std::find(roles.begin(), roles.end(), principal.role) != roles.end()) return {};
  return make_error("node.forbidden", "an account with role " +
                                          std::string(policies::role_name(principal.role)) +
                                          " may not do this");
}

bool is_staff(const Principal& principal) {
  return principal.role == policies::Role::officer || principal.role == policies::Role::supervisor;
}

weiquan::v1::Actor actor_of(const Principal& principal) {
  weiquan::v1::Actor actor;
  actor.set_role(wire_role(principal.role));
  actor.set_id(principal.account_id);
  if (principal.role != policies::Role::consumer) actor.set_name(principal.name);
  return actor;
}

}  // namespace wq::node::http
