// NatsTransport: sync::Transport over core NATS (nats.c). A request to node N on channel C is a
// NATS request on `wq.v1.n.<N>.<C>`; serve() subscribes to this node's own subjects. Only
// federation/src/nats_transport.cpp includes nats.h.
//
// Link: one connection to the first answering server of `urls`, reconnecting forever (also when
// the first connect fails, so a node may start before its nats-server). state() follows nats.c's
// connected / disconnected / reconnected / closed events: up, reconnecting, down (only after the
// destructor began). A dead peer that keeps its TCP connection open is noticed by pings within
// about 20 s.
//
// Requests never wait for the reply: all of them share one wildcard inbox subscription, pending
// requests sit in a table with their deadlines, and a worker thread of this object times them out.
// Outcomes (`done` runs exactly once, never inside request()):
//   the reply's bytes;
//   sync.unreachable: the link is not up, it dropped while the request was pending (nothing is
//     kept for a later reconnect: core NATS would drop it), no server-side subscriber for the
//     subject (NATS "no responders"), `to` is not a node id, or the transport is shutting down;
//   sync.timeout: no reply before the deadline;
//   sync.too_large: the request exceeds sync::kMaxTransportPayload.
// Both unreachable and timeout mean "unknown": the receiver may have acted on the request.
//
// Serving: the handler runs on the subscription's nats.c thread, one message at a time per
// channel; `respond` publishes to the request's reply subject, from any thread, at most once
// (later calls are ignored); a reply above sync::kMaxTransportPayload, or one made after the
// transport is gone, is dropped (the requester times out).
//
// Ownership and threads: all members are safe from any thread. The destructor drains the
// connection when it is up (closes it otherwise), waits until every nats.c callback into this
// object has returned, fails the still pending requests with sync.unreachable and returns; no
// handler or `done` runs after it. Do not destroy the transport from one of its own callbacks.
//
// Failure codes of connect(): federation.nats_bad_url (no URL, or one that is not
// nats://HOST:PORT or tls://HOST:PORT), federation.nats_bad_node_id, federation.nats_setup (nats.c
// could not create the options, the connection or the inbox subscription).
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "weiquan/result.h"
#include "weiquan/sync/transport.h"

namespace wq::federation {

struct NatsOptions {
  std::vector<std::string> urls;  // nats://HOST:PORT or tls://HOST:PORT, tried in this order
  std::string node_id;            // the node this transport serves (sync::valid_node_id)
  std::string name;  // connection name in the server's monitoring; default "weiquan <node_id>"
  std::chrono::milliseconds reconnect_wait{250};    // between attempts on the same server
  std::chrono::milliseconds connect_timeout{2000};  // of one TCP connect and handshake
};

class NatsTransport final : public sync::Transport {
 public:
  // Creates the connection; returns at once when no server answers yet (state() is then
  // reconnecting and the link comes up in the background).
  static Result<std::unique_ptr<NatsTransport>> connect(NatsOptions options);

  ~NatsTransport() override;
  NatsTransport(const NatsTransport&) = delete;
  NatsTransport& operator=(const NatsTransport&) = delete;

  const std::string& self() const override;
  Status serve(sync::Channel channel, Handler handler) override;
  void request(const std::string& to, sync::Channel channel, Bytes request,
               std::chrono::milliseconds timeout, Done done) override;
  sync::LinkState state() const override;

  struct Impl;  // defined in nats_transport.cpp; shared with pending `respond` callbacks

 private:
  explicit NatsTransport(std::shared_ptr<Impl> impl);
  std::shared_ptr<Impl> impl_;
};

// The subject of `channel` at node `node_id`: "wq.v1.n.<node_id>.<channel>". `node_id` must be a
// valid node id (callers check with sync::valid_node_id).
std::string node_subject(std::string_view node_id, sync::Channel channel);

}  // namespace wq::federation
