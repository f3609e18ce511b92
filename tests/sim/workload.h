// The seeded workload: which tickets are filed where and when, and what happens to each after the
// office with jurisdiction receives it.
//
// Most tickets are filed at a county about a business in its own region (the county is competent
// and receives the ticket at once); some are filed at the national node about a business in a
// random county, and routed point to point to the office with jurisdiction. After receipt a ticket
// may be transferred sideways to another county (of the same province or any other), possibly
// again after that county receives it; the last holder may accept it and then close it. Each step
// follows the previous one after an officer's delay.
//
// Thread safety: pure function of its arguments. Failure: never fails.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "sim_random.h"
#include "tree.h"

namespace wq::sim {

struct WorkloadShape {
  std::size_t tickets = 500;
  std::int64_t start_ms = 0;
  std::int64_t duration_ms = 60'000;  // filings spread uniformly over this
  double national_share = 0.1;        // filed at the national node
  double transfer_chance = 0.3;       // of a (further) transfer after each receipt, at most 3
  double same_province_share = 0.5;   // of transfers that stay in the province
  double accept_chance = 0.6;
  double close_chance = 0.5;        // after acceptance
  std::int64_t min_delay_ms = 200;  // an officer's delay before each step
  std::int64_t max_delay_ms = 5'000;
};

enum class StepKind { transfer, accept, close };

struct Step {
  StepKind kind = StepKind::accept;
  std::size_t to = 0;         // transfer: the county it goes to
  std::int64_t delay_ms = 0;  // after the previous step took effect (receipt, acceptance)
};

struct TicketPlan {
  std::int64_t at_ms = 0;
  std::size_t intake = 0;  // the node where it is filed
  std::size_t county = 0;  // the county of the business: jurisdiction
  std::vector<Step> steps;
};

// In order of filing time. The tree must have at least one county.
std::vector<TicketPlan> plan_workload(const Tree& tree, const WorkloadShape& shape, Rng& rng);

}  // namespace wq::sim
