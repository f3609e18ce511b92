#include "federation_routes.h"

#include <nlohmann/json.hpp>

#include "api_errors.h"
#include "auth.h"

namespace wq::node::http {
namespace {

using nlohmann::json;

// Without a link: what the outbox owes each peer.
void outbox_only(const ApiContext& context, const Reply& reply) {
  context.writer.post([&context, reply](sync::Store& store, sync::EventWriter&) {
    auto backlog = store.reader().outbox_backlog();
    if (!backlog) return reply(error_reply(backlog.error()));
    json peers = json::array();
    for (const sync::OutboxBacklog& peer : *backlog) {
      peers.push_back({{"node", peer.peer}, {"backlog", peer.rows}});
    }
    reply(json_response(
        200, {{"node", context.config.node_id}, {"link", "off"}, {"peers", std::move(peers)}}));
  });
}

}  // namespace

void add_federation_routes(Router& router, const ApiContext& context, FederationLink* link) {
  router.add("GET", "/api/v1/federation", [&context, link](const Request& request, Reply reply) {
    auto principal = authenticate(request, context.accounts, context.now_ms());
    if (!principal) return reply(error_reply(principal.error()));
    if (Status ok = require_role(*principal, {policies::Role::officer, policies::Role::supervisor,
                                              policies::Role::admin});
        !ok) {
      return reply(error_reply(ok.error()));
    }
    if (link == nullptr) return outbox_only(context, reply);
    link->status([reply](json status) { reply(json_response(200, status)); });
  });
}

}  // namespace wq::node::http
