// HealthBook: the newest heartbeat (protocol.md §14) of every node in this node's subtree, as the
// node heard it, so that each level shows whether a descendant is live or "as of" a time, with its
// backlog (DESIGN §6). Kept in memory only: after a restart every descendant is "never heard" until
// its next heartbeat arrives.
//
// accept() keeps a heartbeat only when it decodes (heartbeat_codec.h), its signature verifies under
// the key of the reporting node's certificate trusted at its sent_at_ms, that node is still trusted
// at `now_ms` (chain to the anchor, not revoked, not expired), the node is a descendant of this one
// (this node is on its certificate chain, and is not the node itself), sent_at_ms is not more than
// max_skew ahead of `now_ms`, and it is newer (sent_at_ms) than the heartbeat held for that node.
// A refused heartbeat changes nothing and is counted by reason; the exact bytes already held are a
// duplicate, neither kept again nor refused.
//
// Each kept heartbeat gets the next arrival number; pending() hands out, in arrival order, those
// above a number, which is how a node passes on to its parent what the parent has not had yet.
//
// Reading: as_of() and live() are the small API the rest of the node uses to tell live figures from
// stale ones (e.g. a child region's statistics): as_of is the sent_at_ms of the newest heartbeat
// held, live means that is at most live_window before now.
//
// Threads: every member may be called from any thread (one mutex); accept() must be given a
// TrustStore that no other thread changes during the call (the store owner's thread).
// Failure codes of accept(): federation.bad_heartbeat, federation.heartbeat_bad_signature, the
// crypto.* codes of the node's certificate chain (crypto.unknown_node, crypto.cert_revoked, ...),
// federation.heartbeat_outside_subtree, federation.heartbeat_from_future,
// federation.heartbeat_stale.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "weiquan/crypto/certificate.h"
#include "weiquan/federation/heartbeat_codec.h"
#include "weiquan/result.h"
#include "weiquan/v1/weiquan.pb.h"

namespace wq::federation {

struct HealthBookOptions {
  std::string self;                          // this node's id
  std::int64_t max_skew_ms = 5 * 60'000;     // how far sent_at_ms may lie ahead of the clock
  std::int64_t live_window_ms = 3 * 15'000;  // live: heard within this (3 heartbeat intervals)
};

struct HealthCounters {
  std::uint64_t accepted = 0;
  std::uint64_t duplicates = 0;
  // Refused, by reason.
  std::uint64_t malformed = 0;      // federation.bad_heartbeat
  std::uint64_t bad_signature = 0;  // federation.heartbeat_bad_signature
  std::uint64_t untrusted = 0;      // crypto.*: unknown, revoked or expired certificate
  std::uint64_t outside_subtree = 0;
  std::uint64_t from_future = 0;
  std::uint64_t stale = 0;  // not newer than the heartbeat held
};

// One node of this node's subtree, as the directory knows it and its heartbeats tell.
struct DescendantHealth {
  std::string node;
  crypto::Level level = crypto::Level::station;
  std::string region;
  std::optional<std::int64_t> as_of;  // sent_at_ms of the newest heartbeat; nullopt: never heard
  bool live = false;
  std::optional<weiquan::v1::HeartbeatBody> latest;  // the newest heartbeat's body
};

// Heartbeats for the parent: in arrival order, and the arrival number of the last one.
struct PendingHeartbeats {
  std::vector<weiquan::v1::Signed> heartbeats;
  std::uint64_t through = 0;  // arrival number of the last one handed out; the input when none
  bool more = false;          // some did not fit in the budget
};

class HealthBook {
 public:
  explicit HealthBook(HealthBookOptions options);

  // True when kept, false for a duplicate; an error when refused (codes above).
  Result<bool> accept(const weiquan::v1::Signed& wire, const crypto::TrustStore& trust,
                      std::int64_t now_ms);

  // sent_at_ms of the newest heartbeat held from `node`; nullopt when never heard.
  std::optional<std::int64_t> as_of(std::string_view node) const;
  // Whether `node` was heard within live_window of `now_ms`.
  bool live(std::string_view node, std::int64_t now_ms) const;

  // Every node of this node's subtree whose certificate chain `trust` verifies at `now_ms`, by node
  // id, with what its heartbeats tell.
  std::vector<DescendantHealth> descendants(const crypto::TrustStore& trust,
                                            std::int64_t now_ms) const;

  // The heartbeats kept after arrival number `after`, oldest arrival first, as many as fit in
  // `budget_bytes` of serialized wrappers.
  PendingHeartbeats pending(std::uint64_t after, std::size_t budget_bytes) const;

  HealthCounters counters() const;

 private:
  struct Held {
    Heartbeat heartbeat;
    std::uint64_t arrival = 0;
  };

  // Every rule but freshness against the heartbeat held.
  Status check(const Heartbeat& heartbeat, const crypto::TrustStore& trust,
               std::int64_t now_ms) const;
  bool live_locked(std::string_view node, std::int64_t now_ms) const;

  HealthBookOptions options_;
  mutable std::mutex mutex_;
  std::map<std::string, Held, std::less<>> held_;    // by node id
  std::map<std::uint64_t, std::string> by_arrival_;  // arrival number -> node id
  std::uint64_t last_arrival_ = 0;
  HealthCounters counters_;
};

}  // namespace wq::federation
