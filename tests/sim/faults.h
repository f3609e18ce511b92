// The seeded faults of a run: how every link loses, duplicates and delays messages, which
// subtrees are cut off for a while (every node of a province or a city, now and then the
// national node alone, isolated from every other node) and which nodes crash and restart. Every
// partition heals and every crashed node restarts before the workload ends; the link faults stay
// until the run is quiescent. Also the replicators' tunables, drawn from the seed too.
//
// Thread safety: pure function of its arguments. Failure: never fails.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "sim_node.h"
#include "sim_random.h"
#include "tree.h"
#include "weiquan/sync/memory_transport.h"

namespace wq::sim {

struct Outage {
  std::int64_t from_ms = 0;
  std::int64_t until_ms = 0;
  std::size_t node = 0;  // partition: the root of the subtree; crash: the node
};

struct FaultPlan {
  sync::LinkFaults links;
  std::vector<Outage> partitions;
  std::vector<Outage> crashes;
  Knobs knobs;
};

// Faults within [start_ms, end_ms]; with `enabled` false only a small delay (1 to 20 ms, which
// still reorders) and no partitions or crashes. The knobs are drawn either way.
FaultPlan plan_faults(const Tree& tree, bool enabled, std::int64_t start_ms, std::int64_t end_ms,
                      Rng& rng);

}  // namespace wq::sim
