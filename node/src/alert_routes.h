// GET /api/v1/alerts?scope=own|children|subtree&kind=overdue|due_soon&limit=&offset= (officers and
// supervisors): the open tickets of the scope whose next deadline has passed or is due soon
// (alerts.h), each with ticket id, holder, type, state, the clock, its due time and how long it is
// overdue — no personal data. docs/api.md, "Alerts".
//
// Reads run on the calling I/O thread with a pooled reader and the directory's snapshot of
// certificates (index lookups only, alerts.h).
#pragma once

#include "api_context.h"
#include "router.h"

namespace wq::node::http {

// `context` must outlive the router's use.
void add_alert_routes(Router& router, const ApiContext& context);

}  // namespace wq::node::http
