// Vocabulary shared by the policy engine and its callers: ticket types and the roles people act in.
// Names match the lower-case names used in policy JSON documents and in the HTTP API.
#pragma once

#include <string_view>

#include "weiquan/crypto/certificate.h"
#include "weiquan/result.h"

namespace wq::policies {

using Level = crypto::Level;

enum class TicketType { complaint, report, inquiry, suggestion };

enum class Role { consumer, officer, supervisor, enterprise, association, admin, system };

std::string_view type_name(TicketType type);
Result<TicketType> parse_type(std::string_view name);  // "policies.unknown_type"

std::string_view role_name(Role role);
Result<Role> parse_role(std::string_view name);  // "policies.unknown_role"

}  // namespace wq::policies
