// weiquan stats rebuild / check: the statistics counters of a node's store recomputed from its
// event log (sync::Store::rebuild_stats, sync::StoreReader::check_stats).
//
// A rebuild is one write transaction: while it runs, a node serving the same directory waits for
// the store (and gives up after its busy timeout), so stop the node first on a large store. A check
// only reads, on its own read-only connection, and may run beside a serving node.
//
// Thread safety: one command at a time per node directory. Failure codes: node.* of the node
// directory, sync.* of the store (sync.corrupt: a stored event no longer replays).
#pragma once

#include <cstddef>
#include <vector>

#include "weiquan/node/node_dir.h"
#include "weiquan/sync/stats.h"

namespace wq::node {

// Returns how many tickets were counted.
Result<std::size_t> rebuild_stats(const NodeDir& dir, const sync::StatsProgress& progress);

// The cells whose stored counters differ from the rebuilt ones (none: exact).
Result<std::vector<sync::StatsDifference>> check_stats(const NodeDir& dir,
                                                       const sync::StatsProgress& progress);

}  // namespace wq::node
