// GET /api/v1/public/businesses (docs/api.md "Public disclosure"), unauthenticated: the businesses
// of a region of this node's subtree over a range of days with what the platform discloses about
// them (disclosure.h), filtered by `q` and paged.
//
// Parameters: region, from, to as for GET /api/v1/stats (stats_request.h: default this node's
// region and the 30 days up to today, at most 366 days); q (at most 50 characters: part of the
// name, or the start of the USCC); limit (1-100, default 20); offset (0-100000, default 0).
// Anything else is refused. An Authorization header is ignored: the answer is the same for all.
//
// Failure codes: node.bad_query (400), node.outside_subtree (400: the region is not this node's
// to disclose), node.overloaded (503: another list is being computed; disclosure.h), sync.db (500).
#pragma once

#include "api_context.h"
#include "disclosure.h"
#include "router.h"

namespace wq::node::http {

// `context` and `cache` must outlive the router's use.
void add_disclosure_routes(Router& router, const ApiContext& context, DisclosureCache& cache);

}  // namespace wq::node::http
