// HeartbeatExchange: both ends of the heartbeats a node sends its parent (protocol.md §14, DESIGN
// §6), over an abstract Transport.
//
// Sending (child -> parent, the issuer of its certificate): beat() signs a fresh HeartbeatBody of
// this node — what `describe` reports, with version, node_id and sent_at_ms filled in here — and
// sends the parent one RpcRequest `heartbeats` on its rpc channel: this node's heartbeat first,
// then the heartbeats the HealthBook kept from descendants since the last page the parent answered
// (in arrival order; all of them after a restart), within kMaxTransportPayload. The parent's
// HeartbeatsReply (accepted, duplicates, refused) marks that page delivered, whatever the parent
// thought of each heartbeat: a refused one would be refused again, and the node's next heartbeat
// replaces it. A page that did not hold everything is followed at once by the next. One request is
// in flight at a time; a beat or a forward asked for meanwhile is sent once it is answered. A
// timeout, sync.unreachable or a bad reply marks nothing delivered and sends nothing more; the
// next beat sends the delta again (with a fresher heartbeat of this node).
// Serving (parent): handler() takes a request on the rpc channel, offers each heartbeat to the
// HealthBook on the owner's thread (with the owner's TrustStore), answers with the counts, calls
// on_unknown_node when a heartbeat's node had no known certificate, and when it kept any,
// forwards them to its own parent at once (so a county's heartbeat reaches the national node
// within a round trip per level, not an interval per level).
//
// Threads: beat() runs on the owner's thread (the node's writer thread; `describe` is called
// there); transport callbacks and requests are handed to that thread with `on_owner`, which also
// gives access to the TrustStore. status() may be called from any thread.
// Ownership: transport, key and book are the caller's and must outlive the exchange; `on_owner`
// must stay callable as long as the transport may call back. Callbacks that arrive after the
// exchange is destroyed do nothing.
// Failure codes (HeartbeatStatus::last_error): sync.timeout, sync.unreachable, sync.too_large,
// federation.bad_heartbeats_reply. A request without heartbeats is dropped unanswered and counted.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "weiquan/crypto/certificate.h"
#include "weiquan/crypto/keys.h"
#include "weiquan/federation/health_book.h"
#include "weiquan/sync/rpc_server.h"
#include "weiquan/sync/transport.h"
#include "weiquan/v1/weiquan.pb.h"

namespace wq::federation {

struct HeartbeatOptions {
  std::string self;    // this node's id
  std::string parent;  // the issuer of its certificate; "" at the national node: sends nothing
  std::chrono::milliseconds request_timeout{5000};
  std::function<std::int64_t()> now_ms;  // wall clock
  // On the owner's thread, after serving a request that carried a heartbeat of a node without a
  // known certificate (an office enrolled since the last directory refresh); may be empty.
  std::function<void()> on_unknown_node;
};

struct HeartbeatStatus {
  // Sending.
  std::uint64_t requests_answered = 0;  // requests the parent answered
  std::uint64_t requests_failed = 0;    // timeouts, unreachable, bad replies
  std::uint64_t delivered = 0;          // heartbeats the parent kept (this node's and forwarded)
  std::uint64_t refused_by_parent = 0;
  std::int64_t last_answer_ms = 0;  // when the parent last answered; 0: never
  std::string last_error;           // code of the last failed request, "" after an answer
  // Serving.
  std::uint64_t requests_served = 0;
  std::uint64_t requests_dropped = 0;  // without heartbeats
};

class HeartbeatExchange {
 public:
  // Runs a function on the thread that owns the TrustStore (inline in tests).
  using OnOwner = std::function<void(std::function<void(const crypto::TrustStore&)>)>;
  // This node's health now: link, backlog, peers, versions, anti-entropy (the rest is filled in).
  using Describe = std::function<weiquan::v1::HeartbeatBody()>;

  HeartbeatExchange(sync::Transport& transport, const crypto::SigningKeyPair& key, HealthBook& book,
                    HeartbeatOptions options, OnOwner on_owner, Describe describe);
  ~HeartbeatExchange();
  HeartbeatExchange(const HeartbeatExchange&) = delete;
  HeartbeatExchange& operator=(const HeartbeatExchange&) = delete;

  // On the owner's thread: sends the parent a fresh heartbeat of this node with the pending ones
  // of its descendants.
  void beat();

  // For RpcServer::route(RpcRequest::kHeartbeats, ...). Any thread; safe after destruction.
  sync::RpcServer::Handler handler() const;

  HeartbeatStatus status() const;

  struct Core;

 private:
  std::shared_ptr<Core> core_;
};

}  // namespace wq::federation
