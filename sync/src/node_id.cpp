#include "weiquan/sync/node_id.h"

#include <algorithm>

namespace wq::sync {
namespace {

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

std::optional<crypto::Level> region_level(std::string_view region) {
  if (region == "cn") return crypto::Level::national;
  if (!all_digits(region)) return std::nullopt;
  switch (region.size()) {
    case 2:
      return crypto::Level::province;
    case 4:
      return crypto::Level::city;
    case 6:
      return crypto::Level::county;
    case 9:
      return crypto::Level::station;
    default:
      return std::nullopt;
  }
}

std::string_view node_region(std::string_view node_id) {
  return node_id.substr(0, node_id.find('-'));
}

bool valid_node_id(std::string_view node_id) {
  if (node_id.size() > kMaxNodeIdLength) return false;
  const auto dash = node_id.find('-');
  if (!region_level(node_id.substr(0, dash))) return false;
  if (dash == std::string_view::npos) return true;
  const std::string_view replica = node_id.substr(dash + 1);
  return all_digits(replica) && replica.size() <= 2 && replica[0] != '0' && replica != "1";
}

}  // namespace wq::sync
