// How an error value becomes an HTTP answer: the status a client can act on for each error code,
// and the JSON body {"error": {"code", "message"}} (docs/api.md lists every code).
//
// Thread safety: pure functions.
#pragma once

#include <string_view>

#include "router.h"
#include "weiquan/result.h"

namespace wq::node::http {

// 400 malformed request, 401 no valid session, 403 not allowed for this account, 404 unknown,
// 409 refused by the ticket's state or holder, 413 too large, 415 media type, 422 a value fails
// validation, 503 overloaded, 500 for everything else (the node's own failures).
unsigned http_status_for(std::string_view code);

Response error_reply(const Error& error);

}  // namespace wq::node::http
