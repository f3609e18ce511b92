// Who is asking: the session token of `Authorization: Bearer <token>` resolved to the account
// (Accounts::authenticate), and the checks handlers make on the account's role.
//
// Thread safety: pure functions over thread-safe Accounts.
// Failure codes: node.unauthenticated (no or unknown token), node.session_expired,
// node.forbidden (the account's role may not do this).
#pragma once

#include <initializer_list>
#include <optional>

#include "router.h"
#include "weiquan/node/accounts.h"
#include "weiquan/v1/weiquan.pb.h"

namespace wq::node::http {

// The account behind the request's bearer token.
Result<Principal> authenticate(const Request& request, Accounts& accounts, std::int64_t now_ms);

// Like authenticate, but a request without an Authorization header is anonymous (nullopt) rather
// than an error; a header with a bad token is still refused.
Result<std::optional<Principal>> authenticate_optional(const Request& request, Accounts& accounts,
                                                       std::int64_t now_ms);

// node.forbidden unless the principal's role is one of `roles`.
Status require_role(const Principal& principal, std::initializer_list<policies::Role> roles);

bool is_staff(const Principal& principal);  // officer or supervisor

// The person an event names (签字负责制): role and account id, and the name of anyone but a
// consumer, whose name is personal data and travels sealed.
weiquan::v1::Actor actor_of(const Principal& principal);

}  // namespace wq::node::http
