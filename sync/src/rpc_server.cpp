#include "weiquan/sync/rpc_server.h"

#include <atomic>
#include <map>
#include <utility>

#include "weiquan/sync/node_id.h"

namespace wq::sync {

struct RpcServer::Routes {
  std::map<Kind, Handler> handlers;
  std::atomic<std::uint64_t> dropped{0};
};

RpcServer::RpcServer(Transport& transport)
    : transport_(transport), routes_(std::make_shared<Routes>()) {}

void RpcServer::route(Kind kind, Handler handler) {
  routes_->handlers[kind] = std::move(handler);
}

Status RpcServer::start() {
  return transport_.serve(
      Channel::rpc, [routes = routes_](Transport::Bytes bytes, Transport::Respond respond) {
        weiquan::v1::RpcRequest request;
        const bool parsed = bytes.size() <= kMaxTransportPayload &&
                            request.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()));
        const auto handler = routes->handlers.find(request.kind_case());
        if (!parsed || request.version() != 1 || !valid_node_id(request.origin()) ||
            handler == routes->handlers.end()) {
          ++routes->dropped;
          return;  // no answer: the asker times out
        }
        handler->second(std::move(request), std::move(respond));
      });
}

std::uint64_t RpcServer::dropped() const {
  return routes_->dropped.load();
}

}  // namespace wq::sync
