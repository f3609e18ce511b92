// GET /api/v1/stats (docs/api.md "Statistics"): the KPIs of a region within this node's subtree
// over a range of days, for the staff of this node. The handler only strings the parts together:
// stats_request.h reads the query, sync::StoreReader::stats sums the counters on a pooled reader,
// stats_render.h writes JSON or CSV.
//
// Failure codes: node.unauthenticated, node.session_expired (401), node.forbidden (403, not staff),
// node.outside_subtree (403), node.bad_query (400), sync.db (500).
#pragma once

#include "api_context.h"
#include "federation_link.h"
#include "router.h"

namespace wq::node::http {

// `context` and `link` (null without a federation link) must outlive the router's use; the link's
// health view marks figures of cut-off offices stale (stats_freshness.h).
void add_stats_routes(Router& router, const ApiContext& context, const FederationLink* link);

}  // namespace wq::node::http
