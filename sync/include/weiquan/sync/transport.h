// Transport: how one node's replication code talks to another node, without knowing what carries
// the bytes. The NATS implementation lives in federation/ (the only file that includes nats.h); an
// in-memory one (sync/memory_transport.h) serves unit tests and the simulator.
//
// Addressing: a request goes to a node id on a channel; NATS maps (node, channel) to the subject
// `wq.v1.n.<node>.<channel>` (DESIGN §5). Payloads are opaque bytes, at most kMaxTransportPayload;
// everything that crosses is signed by its author (envelopes and acks, see protocol.md), so the
// transport itself is trusted with nothing: it may lose, delay, duplicate or reorder.
//
// Outcomes of a request: the reply's bytes, or an error that means "unknown" (the request may or
// may not have been delivered and acted on): sync.timeout (no reply in time), sync.unreachable (no
// link or no responder, e.g. NATS reports no responders or the connection dropped). The caller
// retries with the same content; receivers apply idempotently.
//
// Threads: handlers and `done` callbacks may run on any thread the transport chooses (nats.c's
// threads, or the simulator's single thread), one at a time per subscription; they must not block
// for long (post work to the owner's thread). `respond` may be called later, from any thread, at
// most once. All members are safe to call from any thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "weiquan/result.h"

namespace wq::sync {

// Large enough for a batch of events with their certificates, below NATS's default max_payload
// of 1 MiB.
inline constexpr std::size_t kMaxTransportPayload = 900 * 1024;

enum class Channel {
  sync,  // batches of signed events and their acks
  rpc,   // backfill and directory queries
};

// "sync" or "rpc": the last token of the channel's subject.
std::string_view channel_name(Channel channel);

enum class LinkState {
  up,            // connected; requests can flow
  reconnecting,  // lost the connection; retrying in the background
  down,          // closed: no request will succeed any more
};

std::string_view link_state_name(LinkState state);

class Transport {
 public:
  using Bytes = std::vector<std::uint8_t>;
  // Sends the reply to a request; calling it is optional (no reply means the requester times out).
  using Respond = std::function<void(Bytes reply)>;
  using Handler = std::function<void(Bytes request, Respond respond)>;
  using Done = std::function<void(Result<Bytes> reply)>;

  virtual ~Transport() = default;

  // The node id this transport receives for.
  virtual const std::string& self() const = 0;

  // Serves requests addressed to this node on `channel`; replaces an earlier handler. Fails with
  // sync.unreachable when the subscription cannot be made.
  virtual Status serve(Channel channel, Handler handler) = 0;

  // Sends `request` to node `to`; `done` runs exactly once, with the reply or sync.timeout /
  // sync.unreachable, or sync.too_large when `request` exceeds kMaxTransportPayload.
  virtual void request(const std::string& to, Channel channel, Bytes request,
                       std::chrono::milliseconds timeout, Done done) = 0;

  virtual LinkState state() const = 0;
};

}  // namespace wq::sync
