#include "faults.h"

#include <algorithm>

namespace wq::sim {
namespace {

constexpr std::int64_t kSecond = 1000;

// A province or a city (now and then the national node), to cut off with everything below it.
std::size_t partition_root(const Tree& tree, Rng& rng) {
  if (rng.chance(0.1)) return 0;
  const crypto::Level level = rng.chance(0.3) ? crypto::Level::province : crypto::Level::city;
  std::vector<std::size_t> candidates;
  for (std::size_t i = 1; i < tree.size(); ++i) {
    if (tree.node(i).level == level) candidates.push_back(i);
  }
  return candidates.empty() ? 0 : candidates[rng.index(candidates.size())];
}

Knobs draw_knobs(Rng& rng) {
  static constexpr std::size_t kBatchSizes[] = {4, 16, 64, 256};
  static constexpr std::int64_t kMaxBackoffs[] = {2'000, 10'000, 30'000};
  Knobs knobs;
  knobs.max_batch_events = kBatchSizes[rng.index(std::size(kBatchSizes))];
  knobs.request_timeout = std::chrono::milliseconds(rng.between(800, 2'000));
  knobs.min_backoff = std::chrono::milliseconds(rng.between(50, 500));
  knobs.max_backoff = std::chrono::milliseconds(kMaxBackoffs[rng.index(std::size(kMaxBackoffs))]);
  return knobs;
}

}  // namespace

FaultPlan plan_faults(const Tree& tree, bool enabled, std::int64_t start_ms, std::int64_t end_ms,
                      Rng& rng) {
  FaultPlan plan;
  plan.knobs = draw_knobs(rng);
  if (!enabled) {
    plan.links = {0, 0, 1, 20};
    return plan;
  }
  plan.links.drop = rng.real(0.02, 0.15);
  plan.links.duplicate = rng.real(0.0, 0.1);
  plan.links.min_delay_ms = 1;
  plan.links.max_delay_ms = rng.between(20, 300);

  const std::int64_t span = std::max<std::int64_t>(end_ms - start_ms, kSecond);
  const auto outage = [&](std::size_t node, std::int64_t shortest, std::int64_t longest) {
    const std::int64_t from = start_ms + rng.between(0, span - 1);
    return Outage{from, std::min(end_ms, from + rng.between(shortest, longest)), node};
  };
  // About one partition every 10 s and one crash every 5 s of workload, at least one of each.
  const std::int64_t partitions = std::max<std::int64_t>(1, span / (10 * kSecond));
  for (std::int64_t i = 0; i < partitions; ++i) {
    plan.partitions.push_back(outage(partition_root(tree, rng), 2 * kSecond, 20 * kSecond));
  }
  const std::int64_t crashes = std::max<std::int64_t>(1, span / (5 * kSecond));
  for (std::int64_t i = 0; i < crashes; ++i) {
    plan.crashes.push_back(outage(rng.index(tree.size()), 500, 10 * kSecond));
  }
  return plan;
}

}  // namespace wq::sim
