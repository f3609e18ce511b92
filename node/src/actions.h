// The in-office lifecycle steps of POST /api/v1/tickets/{id}/actions: {"action": NAME, ...fields}
// becomes the event draft (actor and kind) the node signs, after the checks the lifecycle rules
// cannot make themselves — who may see the ticket at all (ticket_access.h), which accounts may
// take which step, and the values of the step (an assignee that exists, consent before entrusted
// mediation). The store then applies the lifecycle rules, the holder rule, the refusal grounds of
// the ticket's policy document and the clocks, and refuses what they forbid.
//
// Actions (docs/api.md has their fields): accept, refuse, assign, take_back, transfer, message,
// request_extension, decide_extension, initial_feedback, mediation_result, convert_to_case,
// close, reopen, change_type, visit, urge, supervise, merge, pause_clock, resume_clock.
//
// Thread safety: a pure function of its arguments plus thread-safe account lookups.
// Failure codes: node.bad_action (unknown action), node.bad_field, node.unknown_field,
// node.forbidden, node.unknown_ticket (no access), node.unknown_account, node.unknown_node,
// node.no_consent, policies.* of the validators.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <span>
#include <string>
#include <vector>

#include "api_context.h"
#include "ticket_access.h"
#include "weiquan/crypto/certificate.h"
#include "weiquan/sync/event_codec.h"

namespace wq::node::http {

struct ActionInputs {
  const Principal& principal;
  const sync::Ticket& ticket;
  std::span<const sync::SignedEvent> events;  // the ticket's chain; front() is the filing
  const crypto::TrustStore& trust;            // certificates of nodes a ticket may be sent to
  const ApiContext& context;
};

// The names of every action, for errors and documentation.
std::vector<std::string> action_names();

Result<weiquan::v1::EventBody> build_action(const nlohmann::json& request,
                                            const ActionInputs& inputs);

}  // namespace wq::node::http
