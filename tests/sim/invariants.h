// The invariants a quiescent run must satisfy, checked against the Ledger (what was authored) and
// the Tree (who is whose ancestor) rather than against the code under test:
//   no loss          every event of a ticket is in the store of every node of the ticket's final
//                    interest set (its intake node, every holder, and all their ancestors);
//   no duplicate     each such store holds the ticket's chain exactly: one event per seq,
//   apply            1..length, the ids the authors wrote;
//   convergence      every copy has the same head and the same holder;
//   single holder    that holder is the last to-node of `routed` / `transferred`, and it wrote
//                    `received` after that hand-over;
//   no stray copy    no node holds a ticket outside its interest set;
//   outboxes empty   every node is up and owes nothing;
//   no quarantine    no store quarantined an event and no replicator raised an alert;
//   workload done    every planned ticket was filed and every planned step taken.
//
// Threads: the simulator's thread, after the run. Failure: violations are returned, one line each
// (the first `kViolationsShown`, then a count of the rest).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "simulation.h"

namespace wq::sim {

inline constexpr std::size_t kViolationsShown = 30;

std::vector<std::string> check_invariants(const Tree& tree, const Simulation& simulation);

}  // namespace wq::sim
