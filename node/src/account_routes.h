// The account endpoints of /api/v1/ (docs/api.md): POST /login and /logout, GET /me, and
// POST /consumers, where a consumer registers with real-name data. Password hashing (Argon2id,
// deliberately slow) runs on a small pool of its own so logins never stall the I/O threads.
#pragma once

#include "api_context.h"
#include "router.h"

namespace wq::node::http {

// `context` must outlive the router's use.
void add_account_routes(Router& router, const ApiContext& context);

}  // namespace wq::node::http
