// GET /api/v1/stats: the query string read into a statistics query (docs/api.md "Statistics").
//
// Parameters: region (GB/T 2260 code or "cn"; default the node's own region; must lie within the
// node's subtree), from and to (YYYY-MM-DD, China dates, both ends included; default the 30 days
// up to today; to >= from; at most sync::kMaxStatsDays days), by (none, region, category, channel,
// type, business; default none) and format (json or csv; default json). Anything else is refused.
//
// Thread safety: pure function. Failure codes: node.bad_query (400: a malformed or unknown
// parameter, a region that is not one, a date range out of bounds), node.outside_subtree (403: a
// region outside this node's subtree).
#pragma once

#include <cstdint>
#include <string>

#include "query_params.h"
#include "weiquan/node/node_dir.h"
#include "weiquan/policies/regions.h"
#include "weiquan/sync/stats.h"

namespace wq::node::http {

struct StatsRequest {
  sync::StatsQuery query;
  std::string by = "none";  // as the client named it
  bool csv = false;
};

Result<StatsRequest> parse_stats_request(const QueryParams& params, const NodeConfig& config,
                                         const policies::RegionTable& regions, std::int64_t now_ms);

}  // namespace wq::node::http
