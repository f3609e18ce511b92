// The ticket endpoints of /api/v1/ (docs/api.md): filing (POST /tickets), the queue
// (GET /tickets), one ticket with its timeline (GET /tickets/{id}), the lifecycle steps
// (POST /tickets/{id}/actions; an urge or supervision of a ticket held by another office goes to
// its holder, supervision_request.h), evidence upload and download (POST /tickets/{id}/evidence,
// GET /tickets/{id}/evidence/{hash}), and the business directory search (GET /businesses).
//
// Reads run on the calling thread with a pooled reader; every write goes through the writer
// thread — new tickets through the group-committing IntakeQueue, steps as one append each, whose
// access checks read the ticket on that thread so they see exactly the state they append to.
#pragma once

#include "api_context.h"
#include "federation_link.h"
#include "router.h"

namespace wq::node::http {

// `context` and `link` (null when the node runs without --nats) must outlive the router's use.
void add_ticket_routes(Router& router, const ApiContext& context, FederationLink* link);

}  // namespace wq::node::http
