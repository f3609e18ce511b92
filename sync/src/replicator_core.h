// Private to sync/: the state behind Replicator, shared by replicator.cpp (ticks and status),
// replicator_send.cpp (batches out, acks in) and replicator_receive.cpp (batches in, acks out).
//
// Only the owner thread changes it; `mutex` guards `peers` and `counters` so that other threads
// may copy them, and is never held across a store or transport call.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "weiquan/crypto/bytes.h"
#include "weiquan/sync/envelope_codec.h"
#include "weiquan/sync/replicator.h"

namespace wq::sync {

struct Replicator::Core : std::enable_shared_from_this<Replicator::Core> {
  struct Peer {
    PeerStatus status;
    std::uint64_t nonce = 0;        // of the batch in flight
    std::vector<OutboxEntry> rows;  // of the batch in flight
  };

  Store& store;
  Transport& transport;
  ReplicatorOptions options;
  Post post;
  std::mt19937_64 jitter;
  std::uint64_t last_nonce = 0;                          // the last one this node sent
  std::map<std::string, std::uint64_t> accepted_nonces;  // per origin, the last one accepted
  std::set<crypto::Hash> known;  // certificates and revocations already added to the store

  mutable std::mutex mutex;
  std::map<std::string, Peer> peers;
  ReplicationCounters counters;

  Core(Store& owner_store, Transport& link, ReplicatorOptions replicator_options, Post poster);

  std::int64_t now_ms() const;
  // Runs `work` on the owner's thread, unless the replicator is gone by then.
  void post_to_owner(std::function<void(Core&)> work);
  // Changes the counters (and peers) under the mutex.
  template <class F>
  void update(F&& change) {
    std::lock_guard lock(mutex);
    change();
  }

  // Sending.
  void send_batch(const std::string& peer);
  void on_reply(const std::string& peer, std::uint64_t nonce, Result<Transport::Bytes> reply);
  Result<Ack> check_ack(const std::string& peer, std::uint64_t nonce,
                        const Transport::Bytes& reply);
  void settle(const std::string& peer, const std::vector<OutboxEntry>& rows, const Ack& ack);
  // Records `code` as the peer's last error and backs it off.
  void back_off(const std::string& peer, std::string code);
  // back_off after a batch that got no valid ack, or after the store failed.
  void batch_failed(const std::string& peer, const Error& error);
  void store_failed(const std::string& peer, const Error& error);

  // Receiving.
  void on_request(const Transport::Bytes& request, const Transport::Respond& respond);
};

}  // namespace wq::sync
