#include "region_names.h"

#include "weiquan/policies/regions.h"

namespace wq::node {

Result<std::string> describe_region(crypto::Level level, std::string_view region) {
  if (level == crypto::Level::national || region == policies::kNationalRegion) {
    if (level != crypto::Level::national || region != policies::kNationalRegion) {
      return make_error("node.level_mismatch",
                        "the national node, and only it, has region \"cn\" and level national");
    }
    return std::string("全国");
  }
  auto found = policies::RegionTable::builtin().lookup(region);
  if (!found) return make_error("node.bad_region", found.error().message);
  if (found->level != level) {
    return make_error("node.level_mismatch",
                      "region " + std::string(region) + " (" + std::string(found->name) +
                          ") is a " + std::string(crypto::level_name(found->level)) +
                          " region, not a " + std::string(crypto::level_name(level)) + " one");
  }
  return std::string(found->name);
}

}  // namespace wq::node
