// Intake: turns the JSON of POST /api/v1/tickets into the events that open a ticket — `submitted`
// (what was filed, sealed personal data), then `routed` to the office with jurisdiction: this node,
// which then appends `received` at once, or another office (personal data sealed for it too),
// which receives the ticket when replication delivers it.
//
// Who may file what (docs/api.md): a consumer files online (web, app, WeChat) in their own name;
// anyone may file an anonymous report without an account; staff register tickets that arrived by
// hotline, letter, visit or the 12345 hotline, with the real receipt time, from which every
// deadline runs. The business is looked up in the node's directory by USCC or exact name; a
// business not in the directory is filed as named. Any region may be filed at any node.
//
// Thread safety: a pure function of its arguments plus thread-safe reads of the context.
// Failure codes: node.bad_field, node.unknown_field, node.forbidden, federation.no_jurisdiction,
// policies.* of the validators (invalid_uscc, invalid_phone, invalid_id_number, unknown_region,
// invalid_amount, invalid_date).
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>

#include "api_context.h"

namespace wq::node::http {

struct IntakeRequest {
  sync::NewTicket ticket;
  DuplicateKey key;  // to find its likely twins
};

Result<IntakeRequest> parse_intake(const nlohmann::json& body,
                                   const std::optional<Principal>& principal,
                                   const ApiContext& context);

}  // namespace wq::node::http
