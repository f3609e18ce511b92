#include "invariants.h"

#include <set>

namespace wq::sim {
namespace {

class Violations {
 public:
  void add(std::string invariant, std::string what) {
    ++count_;
    if (lines_.size() < kViolationsShown) lines_.push_back(invariant + ": " + what);
  }

  std::vector<std::string> lines() const {
    std::vector<std::string> out = lines_;
    if (count_ > lines_.size()) {
      out.push_back("... and " + std::to_string(count_ - lines_.size()) + " more violations");
    }
    return out;
  }

 private:
  std::vector<std::string> lines_;
  std::size_t count_ = 0;
};

// The final interest set of a ticket: every holder (the intake node first) and its ancestors.
std::set<std::size_t> interest_of(const Tree& tree, const TicketLog& log) {
  std::set<std::size_t> members;
  for (std::size_t holder : log.holders) {
    for (std::size_t node : tree.chain(holder)) members.insert(node);
  }
  return members;
}

// One node's copy of one ticket against the ledger.
void check_copy(const Tree& tree, const SimNode& node, const TicketLog& log, Violations& v) {
  const sync::StoreReader& reader = node.store().reader();
  const std::string where = log.id + " at " + node.id();
  auto events = reader.events(log.id);
  if (!events) return v.add("no loss", where + ": " + events.error().message);
  if (events->empty()) {
    return v.add("no loss",
                 where + ": none of its " + std::to_string(log.events.size()) + " events");
  }
  if (events->size() < log.events.size()) {
    v.add("no loss", where + ": " + std::to_string(events->size()) + " of " +
                         std::to_string(log.events.size()) + " events");
  } else if (events->size() > log.events.size()) {
    v.add("no duplicate apply", where + ": " + std::to_string(events->size()) +
                                    " events, the chain has " + std::to_string(log.events.size()));
  }
  for (std::size_t i = 0; i < events->size() && i < log.events.size(); ++i) {
    if ((*events)[i].seq() != i + 1 || (*events)[i].id != log.events[i]) {
      v.add("no duplicate apply", where + ": event " + std::to_string(i + 1) + " differs");
      break;
    }
  }
  auto ticket = reader.ticket(log.id);
  if (!ticket || !*ticket) return v.add("no loss", where + ": no projection");
  const sync::Ticket& copy = **ticket;
  const std::string& holder = tree.node(log.holders.back()).id;
  if (copy.head != log.events.back() || copy.last_seq != log.events.size()) {
    v.add("convergence", where + ": head at seq " + std::to_string(copy.last_seq) + " of " +
                             std::to_string(log.events.size()));
  }
  if (copy.holder != holder) {
    v.add("convergence", where + ": holder " + copy.holder + ", expected " + holder);
  }
}

// One node as a whole: its ticket count, outbox, quarantine and alerts.
void check_node(const SimNode& node, std::uint64_t expected_tickets, Violations& v) {
  if (!node.up()) return v.add("outboxes empty", node.id() + " is down");
  const sync::StoreReader& reader = node.store().reader();
  auto held = reader.count(sync::TicketQuery{});
  if (!held || *held != expected_tickets) {
    v.add("no stray copy", node.id() + " holds " + (held ? std::to_string(*held) : "?") +
                               " tickets, its interest sets name it in " +
                               std::to_string(expected_tickets));
  }
  auto owed = reader.outbox_backlog();
  if (!owed) return v.add("outboxes empty", node.id() + ": " + owed.error().message);
  for (const sync::OutboxBacklog& peer : *owed) {
    v.add("outboxes empty",
          node.id() + " still owes " + std::to_string(peer.rows) + " events to " + peer.peer);
  }
  auto quarantined = reader.quarantine();
  if (!quarantined || !quarantined->empty()) {
    v.add("no quarantine", node.id() + " quarantined " +
                               (quarantined ? std::to_string(quarantined->size()) : "?") +
                               " events");
  }
  const sync::ReplicationCounters counters = node.counters();
  if (counters.quarantined != 0 || counters.equivocation_alerts != 0) {
    v.add("no quarantine", node.id() + " counted " + std::to_string(counters.quarantined) +
                               " quarantined events and " +
                               std::to_string(counters.equivocation_alerts) + " alerts");
  }
}

}  // namespace

std::vector<std::string> check_invariants(const Tree& tree, const Simulation& simulation) {
  Violations v;
  const auto& nodes = simulation.nodes();
  const auto& plans = simulation.plans();
  if (simulation.ledger().tickets().size() != plans.size()) {
    v.add("workload done", std::to_string(simulation.ledger().tickets().size()) + " of " +
                               std::to_string(plans.size()) + " tickets filed");
  }
  std::vector<std::uint64_t> expected(tree.size(), 0);
  for (const auto& [id, log] : simulation.ledger().tickets()) {
    if (log.steps_done != plans[log.plan].steps.size()) {
      v.add("workload done", id + ": " + std::to_string(log.steps_done) + " of " +
                                 std::to_string(plans[log.plan].steps.size()) + " steps taken");
    }
    if (log.last_received <= log.last_handover) {
      v.add("single holder", id + ": " + tree.node(log.holders.back()).id +
                                 " never received it after seq " +
                                 std::to_string(log.last_handover));
    }
    for (std::size_t member : interest_of(tree, log)) {
      ++expected[member];
      if (nodes[member]->up()) check_copy(tree, *nodes[member], log, v);
    }
  }
  for (const auto& node : nodes) check_node(*node, expected[node->index()], v);
  return v.lines();
}

}  // namespace wq::sim
