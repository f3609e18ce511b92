// Period reports over HTTP (docs/api.md "Period reports"):
//
//   GET  /api/v1/reports?period=YYYY-MM|YYYY-MM-DD   staff (officer, supervisor) and admin: this
//        node's own report of the period as last sent, with its parent's answer, and every child
//        office's report as checked here — match, mismatch (what differs, both counts), behind —
//        or missing when none arrived.
//   POST /api/v1/reports/send?period=...             admin: signs and sends this node's report of
//        the period now, finished or not, and answers with the parent's outcome.
//
// Failure codes: node.unauthenticated, node.session_expired (401), node.forbidden (403),
// node.bad_query (400), node.no_parent (409: national node or not federated),
// federation.unreachable (503), federation.bad_report_reply (502), the parent's refusal codes
// (federation.report_*, crypto.*: 502, the parent does not take this report), sync.db (500).
#pragma once

#include "api_context.h"
#include "federation_link.h"
#include "report_book.h"
#include "router.h"

namespace wq::node::http {

// `context` and `book` must outlive the router's use; `link` may be null (not federated).
void add_report_routes(Router& router, const ApiContext& context, ReportBook& book,
                       FederationLink* link);

}  // namespace wq::node::http
