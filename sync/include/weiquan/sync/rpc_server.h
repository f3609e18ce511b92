// RpcServer: the one handler of a node's rpc channel (Channel::rpc, `wq.v1.n.<node>.rpc`), which
// routes each RpcRequest by its kind to the handler registered for it (directory queries,
// anti-entropy, ...). Transport::serve replaces an earlier handler of a channel, so every user of
// the rpc channel registers here instead of serving it.
//
// A request is handed on only when it is at most kMaxTransportPayload, parses as an RpcRequest, has
// version 1, an origin that is a node id and a kind that has a handler; anything else is dropped
// without an answer (the asker times out) and counted.
//
// Threads: route() before start(), on one thread; handlers run on the transport's threads and
// must not block (post work to the store's owner thread). dropped() may be called from any thread.
// Ownership: the transport is the caller's and must outlive the RpcServer; the handlers are kept by
// the transport's subscription, so requests that arrive after the RpcServer is destroyed still
// reach them (each handler guards its own lifetime, e.g. with a weak pointer).
// Failure codes: start() those of Transport::serve (sync.unreachable).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>

#include "weiquan/result.h"
#include "weiquan/sync/transport.h"
#include "weiquan/v1/weiquan.pb.h"

namespace wq::sync {

class RpcServer {
 public:
  using Kind = weiquan::v1::RpcRequest::KindCase;
  using Handler = std::function<void(weiquan::v1::RpcRequest request, Transport::Respond respond)>;

  explicit RpcServer(Transport& transport);

  // Requests of `kind` go to `handler`; replaces an earlier handler of that kind.
  void route(Kind kind, Handler handler);
  // Serves Channel::rpc with the routes registered so far.
  Status start();

  // Requests dropped since start().
  std::uint64_t dropped() const;

  struct Routes;

 private:
  Transport& transport_;
  std::shared_ptr<Routes> routes_;
};

}  // namespace wq::sync
