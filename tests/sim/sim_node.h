// SimNode: one simulated office — its own sync::Store (an SQLite file), an EventWriter whose
// interest function is federation::interest_set over the store's trust store (as the node's
// StoreWriter sets it), and a sync::Replicator over its MemoryNetwork transport that posts inline
// and reads the network's virtual clock.
//
// A crash destroys the replicator, the transport, the writer and the store object; start() then
// reopens the same database file (the outbox is what must survive) and attaches a new transport.
// The replicators' counters are summed across crashes.
//
// Certificates: a store knows what it was taught (learn) and what replication brings: every
// envelope and ack carries the certificate chains of its signers.
//
// Ownership: the node keeps references to the tree and the network, which must outlive it.
// Threads: the simulator's single thread. `on_work` runs each time the replicator posts work (a
// batch or a reply arrived), before the work itself.
// Failure codes: those of sync::Store::open, EventWriter::create, Replicator::start,
// Store::add_certificate and EventWriter::append.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "tree.h"
#include "weiquan/sync/event_writer.h"
#include "weiquan/sync/memory_transport.h"
#include "weiquan/sync/replicator.h"
#include "weiquan/sync/store.h"

namespace wq::sim {

// The replicator's tunables, the same for every node of a run (drawn from the seed).
struct Knobs {
  std::size_t max_batch_events = 256;
  std::chrono::milliseconds request_timeout{1000};
  std::chrono::milliseconds min_backoff{100};
  std::chrono::milliseconds max_backoff{10'000};
};

// Adds every counter of `from` to `to`.
void add_counters(sync::ReplicationCounters& to, const sync::ReplicationCounters& from);

class SimNode {
 public:
  SimNode(const Tree& tree, std::size_t index, std::filesystem::path database,
          sync::MemoryNetwork& network, Knobs knobs, std::uint64_t jitter_seed,
          std::function<void()> on_work);
  ~SimNode();
  SimNode(const SimNode&) = delete;
  SimNode& operator=(const SimNode&) = delete;

  std::size_t index() const { return index_; }
  const std::string& id() const;
  bool up() const { return replicator_ != nullptr; }

  // Opens the store and starts replicating; the first time, teaches the store its own chain.
  Status start();
  void crash();

  // Adds the certificate chain of node `other` (issuers first) to the store, as the directory
  // would have brought it. While up.
  Status learn(std::size_t other);

  // While up.
  sync::Store& store() { return *store_; }
  const sync::Store& store() const { return *store_; }
  sync::EventWriter& writer() { return *writer_; }

  // Sends what is due (Replicator::tick). Returns when a tick may next send anything: the
  // earliest end of a backoff among the peers owed events that have no batch in flight; kNever
  // when there is no such peer but a batch is in flight (its reply or timeout runs `on_work`);
  // nothing when the node owes nothing and awaits nothing.
  std::optional<std::int64_t> tick();
  static constexpr std::int64_t kNever = INT64_MAX;
  // Outbox rows as of the last tick.
  std::uint64_t backlog() const;
  sync::ReplicationCounters counters() const;

  // The node's taking in (node/src/federation_link.cpp): `received` on every ticket sent here
  // (in_transit, holder this node), at most kTakeInPerTick per call. `more` says whether the
  // limit was reached; `failed` holds the tickets that could not be received. The error is the
  // query's.
  struct TakeIn {
    std::vector<sync::SignedEvent> written;
    std::vector<Error> failed;
    bool more = false;
  };
  Result<TakeIn> take_in(std::int64_t now_ms);

  static constexpr std::size_t kTakeInPerTick = 200;

 private:
  const Tree& tree_;
  std::size_t index_;
  std::filesystem::path database_;
  sync::MemoryNetwork& network_;
  Knobs knobs_;
  std::uint64_t jitter_seed_;
  std::function<void()> on_work_;
  std::set<std::size_t> known_;        // nodes whose certificate the store holds
  sync::ReplicationCounters retired_;  // of the replicators that crashed
  std::optional<sync::Store> store_;
  std::optional<sync::EventWriter> writer_;
  std::unique_ptr<sync::Transport> transport_;
  std::unique_ptr<sync::Replicator> replicator_;
};

}  // namespace wq::sim
