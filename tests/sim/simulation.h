// Simulation: the whole federation of a Tree in one process — one SimNode per node, all on one
// sync::MemoryNetwork in virtual time — driven through a seeded workload under seeded faults
// until it is quiescent (DESIGN §10).
//
// The loop advances virtual time in steps: it runs what the agenda holds for now (filings,
// officers' steps, partitions and their healing, crashes and restarts), lets every node that was
// handed work take in the tickets sent to it, ticks the replicator of every node that may send
// something (it owes events and is not backing off, or a reply or timeout just came back), then
// delivers the network up to the next step. While no node has anything to do it skips ahead to
// the next action. After the workload (every partition healed and every crashed node restarted by
// then) it runs until no action is pending, no node owes anything and nothing is left on the
// wire, or until the quiescence limit.
//
// Certificates: each store starts with its own chain; the national node, which routes tickets,
// knows every node; before an office hands a ticket to another it learns that office's chain
// (what the directory brings a real node). Everything else arrives with the envelopes and acks.
//
// Ownership: the simulation keeps a reference to the tree, which must outlive it; it owns the
// network and the nodes, whose databases live in `dir`.
// Threads: one thread. Failure codes: setup() those of SimNode::start and SimNode::learn.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "agenda.h"
#include "faults.h"
#include "ledger.h"
#include "sim_node.h"
#include "tree.h"
#include "weiquan/sync/memory_transport.h"
#include "workload.h"

namespace wq::sim {

// 2025-03-03 09:00 China Standard Time, a Monday: virtual time starts here.
inline constexpr std::int64_t kStartMs = 1'740'963'600'000;

struct SimOptions {
  std::uint64_t seed = 1;
  std::size_t provinces = 0;  // the first K provinces in code order; 0: all 31
  std::size_t tickets = 500;
  bool faults = true;
  std::int64_t workload_ms = 60'000;             // filings spread over this much virtual time
  std::int64_t step_ms = 20;                     // virtual time per step of the loop
  std::int64_t quiescence_limit_ms = 1'800'000;  // after the workload
  std::size_t progress_every = 500;              // steps between progress lines; 0: none
};

struct SimTotals {
  sync::ReplicationCounters replication;  // summed over every node and crash
  sync::NetworkStats network;
  std::uint64_t backlog = 0;  // outbox rows, as of each node's last tick
  std::size_t active = 0;     // nodes that owe anything or await an ack
  std::size_t down = 0;
  std::size_t isolated = 0;
  std::size_t partitions = 0;  // begun so far
  std::size_t crashes = 0;
};

class Simulation {
 public:
  Simulation(const Tree& tree, SimOptions options, std::filesystem::path dir);
  ~Simulation();
  Simulation(const Simulation&) = delete;
  Simulation& operator=(const Simulation&) = delete;

  // Opens every node's store, starts its replicator and schedules the workload and the faults.
  Status setup();
  // True when the run became quiescent within the limit.
  bool run();

  // What went wrong while running: an office that could not write what the workload asked.
  const std::vector<std::string>& problems() const { return problems_; }
  const Ledger& ledger() const { return ledger_; }
  const std::vector<std::unique_ptr<SimNode>>& nodes() const { return nodes_; }
  const std::vector<TicketPlan>& plans() const { return plans_; }
  const FaultPlan& faults() const { return faults_; }
  SimTotals totals() const;
  // Virtual time since the start.
  std::int64_t elapsed_ms() const;

 private:
  void file(std::size_t plan);
  void perform(const std::string& ticket_id);
  // Schedules the ticket's next step, if any, after its holder received it or acted on it.
  void follow_up(const TicketLog& log);
  void take_ins();
  void ticks();
  // `node` wrote events: its next tick sends them.
  void activate(std::size_t node) { active_[node] = 0; }
  // `node` was handed work by its replicator: it takes in, and ticks if it owes anything.
  void wake(std::size_t node);
  void begin_partition(const Outage& outage);
  void end_partition(const Outage& outage);
  void crash(const Outage& outage);
  void restart(std::size_t node);
  // The nodes a partition rooted at `root` cuts off: the national node alone, or the subtree.
  std::pair<std::size_t, std::size_t> partitioned(std::size_t root) const;
  TicketLog* record(const sync::SignedEvent& event, std::size_t plan = 0);
  void problem(std::string what);
  bool quiet() const;
  void progress() const;

  const Tree& tree_;
  SimOptions options_;
  std::filesystem::path dir_;
  sync::MemoryNetwork network_;  // before the nodes: they detach from it when destroyed
  std::vector<std::unique_ptr<SimNode>> nodes_;
  std::vector<TicketPlan> plans_;
  FaultPlan faults_;
  Agenda agenda_;
  Ledger ledger_;
  // Nodes that owe anything or await an ack, and when each one's next tick may send anything.
  std::map<std::size_t, std::int64_t> active_;
  std::set<std::size_t> touched_;    // let these take in
  std::vector<unsigned> isolation_;  // partitions each node is in now
  std::size_t filed_ = 0;
  std::size_t partitions_begun_ = 0;
  std::size_t crashes_ = 0;
  std::vector<std::string> problems_;
};

}  // namespace wq::sim
