#include "stats_routes.h"

#include <nlohmann/json.hpp>

#include "api_errors.h"
#include "auth.h"
#include "stats_freshness.h"
#include "stats_render.h"
#include "stats_request.h"

namespace wq::node::http {
namespace {

// The statistics' own codes have the status their meaning gives them; the rest as everywhere.
Response stats_error(const Error& error) {
  if (error.code == "node.outside_subtree") return error_response(403, error.code, error.message);
  if (error.code == "sync.bad_stats_query") return error_response(400, error.code, error.message);
  return error_reply(error);
}

Response show_stats(const ApiContext& context, const FederationLink* link, const Request& request) {
  const std::int64_t now = context.now_ms();
  auto principal = authenticate(request, context.accounts, now);
  if (!principal) return stats_error(principal.error());
  if (!is_staff(*principal)) {
    return stats_error(
        make_error("node.forbidden", "statistics are for the officers and supervisors here"));
  }
  auto params = parse_query(request.query);
  if (!params) return stats_error(params.error());
  auto parsed = parse_stats_request(*params, context.config, context.regions, now);
  if (!parsed) return stats_error(parsed.error());
  auto reader = context.readers.acquire();
  if (!reader) return stats_error(reader.error());
  auto table = (*reader)->stats(parsed->query);
  if (!table) return stats_error(table.error());
  const StatsFreshness freshness =
      stats_freshness(link, context.directory, parsed->query.region, now);
  const StatsView view{*parsed, *table, context.regions, now, &freshness};
  if (!parsed->csv) return json_response(200, stats_json(view));
  Response response;
  response.content_type = "text/csv; charset=utf-8";
  response.body = stats_csv(view);
  response.headers.emplace_back("Content-Disposition", "attachment; filename=\"stats.csv\"");
  return response;
}

}  // namespace

void add_stats_routes(Router& router, const ApiContext& context, const FederationLink* link) {
  router.add_sync("GET", "/api/v1/stats", [&context, link](const Request& request) {
    return show_stats(context, link, request);
  });
}

}  // namespace wq::node::http
