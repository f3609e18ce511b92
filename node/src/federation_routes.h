// GET /api/v1/federation: this node's place in the federation for operators and supervisors —
// the NATS link's state, every peer it owes events to with its backlog, last ack and last error,
// the replication counters and the directory sync (docs/api.md). Without `--nats` the link is
// "off" and the peers show only the backlog waiting in the outbox.
#pragma once

#include "api_context.h"
#include "federation_link.h"
#include "router.h"

namespace wq::node::http {

// `link` may be null (no --nats); it and `context` must outlive the router's use.
void add_federation_routes(Router& router, const ApiContext& context, FederationLink* link);

}  // namespace wq::node::http
