// AntiEntropy: the periodic pass between a node and its parent that compares the heads of their
// tickets and repairs whatever replication missed, e.g. after a node was restored from a backup
// (DESIGN §5, protocol.md §13).
//
// Asking (child -> parent): start_pass() sends the parent an AntiEntropyRequest on its rpc channel
// with the heads (ticket id, last seq, head event id) of this node's tickets in the id range
// (after_id, until_id], at most page_size of them; the parent answers how far it compared
// (covered_until_id) and the next page starts after that, until the parent covered the end.
// Serving (parent): handle() compares the asker's heads with its own tickets in the same range.
// Where the parent holds more of a ticket that names the asker's subtree (intake node, holder or a
// past holder in the asker's region), it enqueues outbox rows (asker, ticket, seq) for the missing
// seqs; where the asker holds more, the reply names the parent's head and the asker enqueues rows
// for the parent from there. Different heads at the same seq are equivocation: never repaired,
// counted on both sides (diverged in the reply). Nothing is applied here: the rows flow through
// each side's Replicator and the receiver's usual checks, which answer DUPLICATE for what it had.
//
// Threads: the Store belongs to its owner thread. start_pass() runs there; handle() may run on any
// thread (the rpc handler) and posts its work there; transport callbacks post there too. status()
// may be called from any thread.
// Ownership: store, transport and `post` as for the Replicator: the caller's, outliving the
// AntiEntropy; callbacks that arrive after it is destroyed do nothing.
// Failure codes (AntiEntropyStatus::last_error): sync.timeout, sync.unreachable, sync.too_large,
// sync.bad_anti_entropy_reply, sync.db. A malformed request is dropped without an answer and
// counted.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "weiquan/sync/rpc_server.h"
#include "weiquan/sync/store.h"
#include "weiquan/sync/transport.h"

namespace wq::sync {

struct AntiEntropyOptions {
  std::string self;              // this node's id
  std::string parent;            // "" at the national node: start_pass() does nothing
  std::size_t page_size = 1000;  // tickets per page, asking and serving (at most 1000)
  std::chrono::milliseconds request_timeout{10000};
  std::function<std::int64_t()> now_ms;  // wall clock (virtual in tests); system clock when empty
};

struct AntiEntropyStatus {
  // Asking.
  bool running = false;                // a pass is under way
  std::uint64_t passes = 0;            // completed passes
  std::uint64_t passes_failed = 0;     // passes ended by an error (last_error)
  std::uint64_t pages = 0;             // pages the parent answered
  std::uint64_t tickets_compared = 0;  // heads sent that the parent compared
  std::uint64_t rows_for_parent = 0;   // outbox rows enqueued for the parent
  std::int64_t last_complete_ms = 0;   // when a pass last covered every ticket
  std::string last_error;              // code of the last failed pass, "" after a complete one
  // Serving.
  std::uint64_t requests_served = 0;
  std::uint64_t requests_dropped = 0;  // malformed requests, or the store failed
  std::uint64_t tickets_served = 0;    // tickets compared for askers
  std::uint64_t rows_for_askers = 0;   // outbox rows enqueued for askers
  // Both.
  std::uint64_t equivocations = 0;   // tickets whose chains differ at the same seq
  std::string last_diverged_ticket;  // the last of them
};

class AntiEntropy {
 public:
  using Post = std::function<void(std::function<void()>)>;

  // `post` runs a function on the thread that owns `store` (inline in tests).
  AntiEntropy(Store& store, Transport& transport, AntiEntropyOptions options, Post post);
  ~AntiEntropy();
  AntiEntropy(const AntiEntropy&) = delete;
  AntiEntropy& operator=(const AntiEntropy&) = delete;

  // On the owner's thread: starts a pass with the parent; a no-op while one runs or without a
  // parent.
  void start_pass();

  // The serving side, for RpcServer::route(RpcRequest::kAntiEntropy, ...): answers an
  // anti-entropy request from the owner's thread. Any thread; safe after destruction (ignored).
  RpcServer::Handler handler() const;

  AntiEntropyStatus status() const;

  struct Core;

 private:
  std::shared_ptr<Core> core_;
};

}  // namespace wq::sync
