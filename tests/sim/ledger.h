// Ledger: the simulator's own record of every event any node authored, per ticket, kept apart
// from the stores under test — the reference the invariants compare every copy against. It also
// follows each ticket's holders (the intake node, then each to-node of `routed` and
// `transferred`), which of its workload steps are done, and a digest of everything authored, in
// order, that shows two runs of one seed did the same.
//
// Ownership: plain values. Thread safety: one thread. Failure codes: sim.not_chained (an event
// that does not continue its ticket's chain as recorded: two authors of one seq, or a gap),
// sim.unknown_node (a to-node outside the tree).
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "tree.h"
#include "weiquan/crypto/hash.h"
#include "weiquan/result.h"
#include "weiquan/sync/event_codec.h"

namespace wq::sim {

struct TicketLog {
  std::string id;
  std::size_t plan = 0;               // index of its TicketPlan
  std::vector<std::size_t> holders;   // intake node, then each to-node of routed / transferred
  std::vector<sync::EventId> events;  // by seq - 1
  std::uint64_t last_handover = 0;    // seq of the last routed / transferred
  std::uint64_t last_received = 0;    // seq of the last received
  std::size_t steps_done = 0;         // of the plan's steps
};

class Ledger {
 public:
  explicit Ledger(const Tree& tree) : tree_(tree) {}

  // Records an event of a ticket; its `submitted` opens the ticket's log for plan `plan`.
  Result<TicketLog*> record(const sync::SignedEvent& event, std::size_t plan = 0);

  TicketLog* find(const std::string& ticket_id);
  const std::map<std::string, TicketLog>& tickets() const { return tickets_; }
  std::uint64_t events() const { return events_; }
  // Hex of the digest of every event id recorded so far (does not end the digest).
  std::string digest() const;

 private:
  const Tree& tree_;
  std::map<std::string, TicketLog> tickets_;
  std::uint64_t events_ = 0;
  crypto::Hasher digest_;
};

}  // namespace wq::sim
