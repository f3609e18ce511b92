// Whether the figures of a statistics query are live (DESIGN §6): a node sums the counters of the
// events it holds, so while an office below it is cut off, what that office did since is missing
// from the figures. The health view (federation/health_book.h) says which offices of the queried
// subtree have not sent a heartbeat lately; the answer names them, and marks each child region's
// group that contains one, so that figures of a cut-off subtree are shown as stale, as of the last
// heartbeat, never silently as current.
//
// Thread safety: stats_freshness may be called from any thread (the health view and the directory
// snapshot are thread-safe); the result is a plain value.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wq::node {

class DirectorySnapshot;
class FederationLink;

struct StaleOffice {
  std::string node;
  std::string region;
  std::optional<std::int64_t> as_of;  // its newest heartbeat's time; nullopt: never heard
};

struct StatsFreshness {
  bool known = false;  // false: the node runs without a federation link, so without heartbeats
  std::vector<StaleOffice> stale;  // offices of the queried subtree below this node, not live

  // The stale offices within `region` (a region code, or "cn" for every one).
  std::vector<const StaleOffice*> within(std::string_view region) const;
};

// `link` may be null (no --nats): then nothing is known.
StatsFreshness stats_freshness(const FederationLink* link, const DirectorySnapshot& directory,
                               std::string_view region, std::int64_t now_ms);

}  // namespace wq::node
