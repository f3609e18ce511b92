#include "system_routes.h"

#include <nlohmann/json.hpp>

namespace wq::node::http {

void add_system_routes(Router& router, const NodeConfig& config, HttpMetrics& metrics) {
  const auto health = [&config](const Request&) {
    return json_response(200, {{"status", "ok"},
                               {"node", config.node_id},
                               {"level", std::string(crypto::level_name(config.level))},
                               {"region", config.region},
                               {"version", WEIQUAN_VERSION}});
  };
  router.add_sync("GET", "/health", health);
  router.add_sync("GET", "/api/v1/health", health);
  router.add_sync("GET", "/metrics", [&metrics](const Request&) {
    Response response;
    response.content_type = std::string(kMetricsContentType);
    response.body = metrics.render();
    return response;
  });
}

}  // namespace wq::node::http
