#include "stats_freshness.h"

#include "directory_snapshot.h"
#include "federation_link.h"
#include "weiquan/policies/regions.h"

namespace wq::node {
namespace {

bool in_region(std::string_view office_region, std::string_view region) {
  return region == policies::kNationalRegion || office_region.starts_with(region);
}

}  // namespace

std::vector<const StaleOffice*> StatsFreshness::within(std::string_view region) const {
  std::vector<const StaleOffice*> out;
  for (const StaleOffice& office : stale) {
    if (in_region(office.region, region)) out.push_back(&office);
  }
  return out;
}

StatsFreshness stats_freshness(const FederationLink* link, const DirectorySnapshot& directory,
                               std::string_view region, std::int64_t now_ms) {
  StatsFreshness out;
  const auto trust = directory.trust();
  if (link == nullptr || !trust) return out;
  out.known = true;
  for (const federation::DescendantHealth& office : link->health().descendants(*trust, now_ms)) {
    if (office.live || !in_region(office.region, region)) continue;
    out.stale.push_back({office.node, office.region, office.as_of});
  }
  return out;
}

}  // namespace wq::node
