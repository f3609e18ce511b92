// The answer of GET /api/v1/stats, as JSON or as CSV (docs/api.md "Statistics"): the KPIs of the
// totals and of each group (sync::kpis_of), with a display name per group, and the hot spots.
//
// A group is one object (one CSV line) built by one function. Grouped by child region, each group
// says whether an office within it is cut off (stale, and as_of its oldest last heartbeat); the
// answer lists every such office of the queried subtree (stats_freshness.h).
//
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <string>

#include "stats_freshness.h"
#include "stats_request.h"
#include "weiquan/policies/regions.h"
#include "weiquan/sync/stats.h"

namespace wq::node::http {

struct StatsView {
  const StatsRequest& request;
  const sync::StatsTable& table;
  const policies::RegionTable& regions;
  std::int64_t generated_at_ms = 0;
  const StatsFreshness* freshness = nullptr;  // null: nothing known, as without a federation link
};

nlohmann::json stats_json(const StatsView& view);

// UTF-8 with a byte order mark (so spreadsheet programs read the Chinese names), CRLF line ends,
// a header line, one line per group and a last line "total".
std::string stats_csv(const StatsView& view);

}  // namespace wq::node::http
