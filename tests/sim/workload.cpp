#include "workload.h"

#include <algorithm>

namespace wq::sim {
namespace {

constexpr std::size_t kMaxTransfers = 3;

// A county of counties[first, last) other than `from`, which lies in that range (the list is
// sorted), uniformly.
std::size_t other_than(const std::vector<std::size_t>& counties, std::size_t first,
                       std::size_t last, std::size_t from, Rng& rng) {
  const std::size_t i = first + rng.index(last - first - 1);
  return counties[i] >= from ? counties[i + 1] : counties[i];
}

// Another county than `from` (none: `from`): in its province with probability
// `same_province_share` when the province has another, else anywhere.
std::size_t transfer_target(const Tree& tree, std::size_t from, double same_province_share,
                            Rng& rng) {
  const std::vector<std::size_t>& counties = tree.counties();
  const std::size_t province = tree.chain(from).rbegin()[1];
  const auto position = [&](std::size_t node) {
    return static_cast<std::size_t>(std::lower_bound(counties.begin(), counties.end(), node) -
                                    counties.begin());
  };
  const std::size_t first = position(province);
  const std::size_t last = position(tree.node(province).subtree_end);
  if (last - first > 1 && rng.chance(same_province_share)) {
    return other_than(counties, first, last, from, rng);
  }
  if (counties.size() < 2) return from;
  return other_than(counties, 0, counties.size(), from, rng);
}

}  // namespace

std::vector<TicketPlan> plan_workload(const Tree& tree, const WorkloadShape& shape, Rng& rng) {
  const std::vector<std::size_t>& counties = tree.counties();
  std::vector<TicketPlan> plans(shape.tickets);
  for (TicketPlan& plan : plans) {
    plan.at_ms = shape.start_ms + rng.between(0, shape.duration_ms);
    plan.county = counties[rng.index(counties.size())];
    plan.intake = rng.chance(shape.national_share) ? 0 : plan.county;
    const auto delay = [&] { return rng.between(shape.min_delay_ms, shape.max_delay_ms); };
    std::size_t holder = plan.county;
    while (plan.steps.size() < kMaxTransfers && rng.chance(shape.transfer_chance)) {
      const std::size_t to = transfer_target(tree, holder, shape.same_province_share, rng);
      if (to == holder) break;
      plan.steps.push_back({StepKind::transfer, to, delay()});
      holder = to;
    }
    if (rng.chance(shape.accept_chance)) {
      plan.steps.push_back({StepKind::accept, holder, delay()});
      if (rng.chance(shape.close_chance)) plan.steps.push_back({StepKind::close, holder, delay()});
    }
  }
  std::stable_sort(plans.begin(), plans.end(),
                   [](const TicketPlan& a, const TicketPlan& b) { return a.at_ms < b.at_ms; });
  return plans;
}

}  // namespace wq::sim
