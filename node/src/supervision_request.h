// Urging (催办) and supervising (督办) a ticket another office holds: POST
// /api/v1/tickets/{id}/actions with action `urge` or `supervise` by staff of a strict ancestor of
// the holder (by certificate chain), on a node that runs federated (`--nats`). The node signs a
// SupervisionBody naming the person (protocol.md §15), sends it to the holder as this node knows it
// (FederationLink::ask_holder) and answers with the holder's reply:
//   201 {outcome: "applied"|"duplicate", ticket_id, holder, kind, seq, request_id}
// or the holder's refusal with its code, or 503 federation.unreachable when no answer came within
// federation::kSupervisionTimeout — then nothing was appended anywhere, since the holder refuses a
// request older than federation::kSupervisionSkewMs. Nothing is written here: the holder's event
// comes back by replication, like every event of a ticket this node watches over.
//
// No I/O thread waits for the holder: ask() returns once the request is sent, and the reply is
// given from the transport's thread when the answer or the timeout comes.
//
// Threads: any thread. Failure codes: node.bad_field, node.unknown_field, node.forbidden,
// federation.not_ancestor, federation.unreachable, federation.bad_supervision_reply, and the
// holder's (federation.stale_request, sync.not_holder, policies.forbidden_transition, ...).
#pragma once

#include <nlohmann/json_fwd.hpp>

#include "api_context.h"
#include "federation_link.h"
#include "router.h"
#include "weiquan/node/accounts.h"
#include "weiquan/sync/store.h"

namespace wq::node::http {

// Whether `action` (the request body) is an urge or a supervision of a ticket held by another
// node: one for the holder rather than a step taken here.
bool asks_holder(const nlohmann::json& action, const sync::Ticket& ticket,
                 const NodeConfig& config);

// Sends the request and replies with the holder's answer. `principal` may see `ticket`.
void ask_holder(const ApiContext& context, FederationLink& link, const Principal& principal,
                const sync::Ticket& ticket, const nlohmann::json& action, const Reply& reply);

}  // namespace wq::node::http
