// Replicator: delivers this node's outbox to its peers and applies the batches its peers send it
// (DESIGN §5, protocol.md §11), over an abstract Transport.
//
// Sending: tick() sends one batch to each peer that is owed events, has no batch in flight and
// whose backoff has passed: the peer's first outbox rows in send order (at most
// max_batch_events, and no more than fit in kMaxTransportPayload), their events' stored bytes as
// they are, in one envelope signed by this node with the certificates (and their revocations) of
// every signer in the batch and of this node, up to but not including the anchor, a fresh nonce
// and the time. The reply must be a well-signed ack from the peer to this node naming that nonce;
// anything else counts as a bad ack and is treated like a timeout. Per event of the ack: APPLIED,
// DUPLICATE, QUARANTINED remove the row (QUARANTINED also counts an equivocation alert); GAP
// enqueues the events between what the peer holds and this one, from this node's store whoever
// authored them (backfill), and keeps the row; REJECTED keeps the row, records the code and backs
// off. A timeout, sync.unreachable or a bad ack keeps every row and backs off; the next batch
// resends the same events. Backoff: exponential from min_backoff to max_backoff with full jitter,
// reset by an ack without rejections.
//
// Receiving (Channel::sync): an envelope is decoded within the size limit, must be addressed to
// this node, its certificates and revocations are added to the store, its signature must verify
// under the origin's certificate at its sent_at_ms, and its nonce must exceed the last one accepted
// from that origin (remembered in memory: after a restart a replay is applied again, harmlessly).
// Its events are applied, each ticket's in seq order, in one transaction (Store::apply_batch,
// durable when it returns), and only then the signed ack answers, per event: APPLIED, DUPLICATE,
// QUARANTINED, GAP (sync.seq_gap, with the last seq this node holds of the ticket; the ticket's
// later events in the batch are GAP too) or REJECTED (with the code). An envelope that fails a
// check is counted by reason, never applied and never answered.
//
// Threads: the Store belongs to its owner thread (the node's writer strand). start() and tick() run
// there; transport callbacks only `post` work there, and the posted functions touch the store.
// peers() and counters() may be called from any thread (a mutex guards what they copy).
// Ownership: store, transport and options.key are the caller's and must outlive the Replicator;
// `post` must stay callable as long as the transport may call back. Callbacks that arrive after
// the Replicator is destroyed do nothing.
// Failure codes: start() those of Transport::serve. PeerStatus::last_error: sync.timeout,
// sync.unreachable, sync.too_large, sync.bad_ack (and the decoding codes of envelope_codec.h,
// sync.bad_signature, crypto.* of the acker's chain), the code of a REJECTED event, sync.db.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "weiquan/crypto/keys.h"
#include "weiquan/result.h"
#include "weiquan/sync/store.h"
#include "weiquan/sync/transport.h"

namespace wq::sync {

struct ReplicatorOptions {
  std::string self;                             // this node's id
  const crypto::SigningKeyPair* key = nullptr;  // this node's signing key
  std::size_t max_batch_events = 256;           // and stay under kMaxTransportPayload
  std::chrono::milliseconds request_timeout{5000};
  std::chrono::milliseconds min_backoff{250}, max_backoff{30000};  // exponential, full jitter
  std::uint64_t jitter_seed = 0;                                   // 0: from the clock
  std::function<std::int64_t()> now_ms;  // wall clock (virtual in tests); system clock when empty
  // Fault injection for tests: runs on the owner thread after a received batch has committed and
  // before its ack is signed and sent (a crash here must cost nothing but a resend). Empty: none.
  std::function<void()> before_ack;
};

struct PeerStatus {
  std::string peer;
  std::uint64_t backlog = 0;  // outbox rows owed to the peer, as of the last tick()
  bool in_flight = false;     // a batch awaits its ack
  std::int64_t last_ack_ms = 0;
  std::string last_error;  // code of the last failed batch or rejected event; "" after a good ack
  std::int64_t next_attempt_ms = 0;  // no batch before this time (backoff)
  std::uint32_t attempts = 0;        // failed batches since the last good ack
};

struct ReplicationCounters {
  // Sending.
  std::uint64_t batches_sent = 0;
  std::uint64_t batches_acked = 0;   // answered by a valid ack
  std::uint64_t batches_failed = 0;  // timeout, unreachable, too large or a bad ack
  std::uint64_t bad_acks = 0;
  std::uint64_t events_sent = 0;
  std::uint64_t equivocation_alerts = 0;  // acks saying a peer quarantined what this node sent
  // Receiving.
  std::uint64_t batches_received = 0;  // envelopes that passed every check
  std::uint64_t applied = 0;
  std::uint64_t duplicates = 0;
  std::uint64_t rejected = 0;
  std::uint64_t gaps = 0;
  std::uint64_t quarantined = 0;  // equivocation found here
  // Envelopes dropped without a reply, by reason.
  std::uint64_t dropped_malformed = 0;  // does not decode (envelope, event or certificate)
  std::uint64_t dropped_bad_signature = 0;
  std::uint64_t dropped_wrong_destination = 0;
  std::uint64_t dropped_replayed = 0;        // nonce not above the origin's last accepted one
  std::uint64_t dropped_unknown_signer = 0;  // origin's certificate unknown or untrusted then
  std::uint64_t store_errors = 0;            // the store failed (sync.db); retried later
};

class Replicator {
 public:
  using Post = std::function<void(std::function<void()>)>;

  // `post` runs a function on the thread that owns `store` (the node's writer thread; inline in
  // tests). Every Store access happens in posted functions or in calls made on that thread.
  Replicator(Store& store, Transport& transport, ReplicatorOptions options, Post post);
  ~Replicator();
  Replicator(const Replicator&) = delete;
  Replicator& operator=(const Replicator&) = delete;

  // Serves Channel::sync on the transport.
  Status start();
  // On the owner's thread: sends one batch to each peer that has a backlog, nothing in flight and
  // whose backoff has passed.
  void tick();

  // Peers owed anything at some tick, or sent a batch, by peer id.
  std::vector<PeerStatus> peers() const;
  ReplicationCounters counters() const;

  struct Core;

 private:
  std::shared_ptr<Core> core_;
};

}  // namespace wq::sync
