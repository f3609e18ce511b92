// The node's own endpoints: GET /health (who this node is, that it serves) and GET /metrics
// (Prometheus text). The /api/v1/ endpoints register themselves in their own files.
#pragma once

#include "metrics.h"
#include "router.h"
#include "weiquan/node/node_dir.h"

namespace wq::node::http {

// `config` and `metrics` must outlive the router's use.
void add_system_routes(Router& router, const NodeConfig& config, HttpMetrics& metrics);

}  // namespace wq::node::http
