#include "stats_commands.h"

namespace wq::node {

Result<std::size_t> rebuild_stats(const NodeDir& dir, const sync::StatsProgress& progress) {
  auto config = load_config(dir);
  if (!config) return config.error();
  auto store = open_store(dir, *config);
  if (!store) return store.error();
  return store->rebuild_stats(progress);
}

Result<std::vector<sync::StatsDifference>> check_stats(const NodeDir& dir,
                                                       const sync::StatsProgress& progress) {
  auto reader = open_store_reader(dir);
  if (!reader) return reader.error();
  return reader->check_stats(progress);
}

}  // namespace wq::node
