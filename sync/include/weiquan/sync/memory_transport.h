// MemoryNetwork: Transports that talk through memory, in virtual time, deterministic for a seed —
// for unit tests and the simulator (DESIGN §10).
//
// attach(node) gives a node its Transport. Nothing moves by itself: run_until and run_until_idle
// deliver requests, replies and timeouts in virtual-time order (ties in the order they were
// scheduled) on the calling thread, advancing now_ms(), which also serves as the nodes' wall clock
// (ReplicatorOptions::now_ms).
//
// Faults, per direction of a link (set_faults) or for every link without its own
// (set_default_faults): a message is lost with probability `drop`; a request is delivered twice
// with probability `duplicate` (the receiver may answer both; the requester takes the first reply
// that arrives); each message arrives after a delay drawn uniformly from [min_delay_ms,
// max_delay_ms], so messages overtake each other. partition(a, b) cuts the link between a and b
// both ways until heal(a, b); isolate(n) cuts every link of n until rejoin(n).
//
// Outcomes for the requester: the reply; sync.timeout when none arrived within the request's
// timeout — whatever was lost (request or reply, by `drop`, or by a link cut when the message was
// sent or when it would have arrived); sync.unreachable, after the link's delay, when the
// destination serves no handler on the channel (never attached, or its Transport destroyed: NATS's
// "no responders"); sync.too_large, at the current time, for a request over kMaxTransportPayload.
// Every `done` runs exactly once, from run_until / run_until_idle, never inside request() (and
// never when the network is destroyed first).
//
// Threads: every member may be called from any thread (one mutex); handlers and callbacks run on
// the thread that calls run_until* with no lock held, so they may call back into the network. The
// order of events, and so the outcome, is deterministic when a single thread drives it.
// Ownership: transports share the network's state; either may be destroyed first.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "weiquan/sync/transport.h"

namespace wq::sync {

struct LinkFaults {
  double drop = 0;       // probability that a message is lost
  double duplicate = 0;  // probability that a request is delivered twice
  std::int64_t min_delay_ms = 1;
  std::int64_t max_delay_ms = 1;
};

struct NetworkStats {
  std::uint64_t requests = 0;    // request() calls
  std::uint64_t delivered = 0;   // requests handed to a handler (duplicates included)
  std::uint64_t replies = 0;     // replies handed to a requester
  std::uint64_t lost = 0;        // messages lost to `drop` or a cut link
  std::uint64_t duplicated = 0;  // requests delivered a second time
  std::uint64_t timeouts = 0;
  std::uint64_t unreachable = 0;
};

class MemoryNetwork {
 public:
  explicit MemoryNetwork(std::uint64_t seed, std::int64_t start_ms = 0);
  ~MemoryNetwork();
  MemoryNetwork(const MemoryNetwork&) = delete;
  MemoryNetwork& operator=(const MemoryNetwork&) = delete;

  // A transport receiving for `node_id`. A later transport of the same node takes over the
  // channels it serves.
  std::unique_ptr<Transport> attach(const std::string& node_id);

  void set_default_faults(LinkFaults faults);
  // Faults of messages from `from` to `to` (requests that way, replies the other way).
  void set_faults(const std::string& from, const std::string& to, LinkFaults faults);

  void partition(const std::string& a, const std::string& b);
  void heal(const std::string& a, const std::string& b);
  void isolate(const std::string& node_id);
  void rejoin(const std::string& node_id);

  std::int64_t now_ms() const;
  // Runs everything due up to `ms`, then sets the clock to `ms` (if it is not already later).
  void run_until(std::int64_t ms);
  // Runs until nothing is scheduled (true) or the next event lies after `limit_ms` (false, the
  // clock then at `limit_ms`).
  bool run_until_idle(std::int64_t limit_ms);

  NetworkStats stats() const;

  struct State;

 private:
  std::shared_ptr<State> state_;
};

}  // namespace wq::sync
