#include "supervision_request.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <string>

#include "api_errors.h"
#include "auth.h"
#include "json_body.h"
#include "weiquan/crypto/bytes.h"
#include "weiquan/federation/interest.h"
#include "weiquan/federation/supervision.h"

namespace wq::node::http {
namespace {

using nlohmann::json;

bool is_supervision_action(const json& action) {
  const auto name = action.find("action");
  return name != action.end() && name->is_string() && (*name == "urge" || *name == "supervise");
}

// The statuses of the codes a supervision request adds; the rest as error_reply has them.
Response supervision_error(const Error& error) {
  unsigned status = 0;
  if (error.code == "federation.unreachable" || error.code == "federation.stale_request") {
    status = 503;
  } else if (error.code == "federation.not_ancestor" || error.code == "sync.bad_signature" ||
             error.code.starts_with("crypto.")) {
    status = 403;  // the holder does not take this office's word
  } else if (error.code == "federation.wrong_destination") {
    status = 409;
  } else if (error.code == "federation.bad_supervision") {
    status = 422;
  } else if (error.code == "federation.bad_supervision_reply") {
    status = 502;
  } else {
    return error_reply(error);
  }
  Response response = error_response(status, error.code, error.message);
  if (status == 503) response.headers.emplace_back("Retry-After", "1");
  return response;
}

// Whether this node is a strict ancestor of `holder` by the certificates it trusts now.
bool ancestor_of(const ApiContext& context, const std::string& holder) {
  const auto trust = context.directory.trust();
  if (!trust || holder == context.config.node_id) return false;
  const auto chain = federation::chain_of(*trust, holder, context.now_ms());
  return std::find(chain.begin(), chain.end(), context.config.node_id) != chain.end();
}

}  // namespace

bool asks_holder(const json& action, const sync::Ticket& ticket, const NodeConfig& config) {
  return is_supervision_action(action) && ticket.holder != config.node_id;
}

void ask_holder(const ApiContext& context, FederationLink& link, const Principal& principal,
                const sync::Ticket& ticket, const json& action, const Reply& reply) {
  FieldReader in(action);
  const std::string name = in.text("action", 40, true);
  const std::string note = in.text("note", federation::kMaxSupervisionNoteCharacters, false, true);
  if (Status ok = in.finish(); !ok) return reply(error_reply(ok.error()));
  const bool supervise = name == "supervise";
  const Status allowed =
      supervise ? require_role(principal, {policies::Role::supervisor})
                : require_role(principal, {policies::Role::officer, policies::Role::supervisor});
  if (!allowed) return reply(error_reply(allowed.error()));
  if (!ancestor_of(context, ticket.holder)) {
    return reply(supervision_error(
        make_error("federation.not_ancestor", context.config.node_id + " is not an ancestor of " +
                                                  ticket.holder + ", which holds " + ticket.id)));
  }
  weiquan::v1::SupervisionBody body;
  body.set_version(1);
  body.set_ticket_id(ticket.id);
  body.set_kind(supervise ? weiquan::v1::SUPERVISION_KIND_SUPERVISE
                          : weiquan::v1::SUPERVISION_KIND_URGE);
  body.set_from_node(context.config.node_id);
  body.set_to_node(ticket.holder);
  *body.mutable_actor() = actor_of(principal);
  body.set_note(note);
  body.set_time_ms(context.now_ms());
  const federation::Supervision request = federation::sign_supervision(body, context.keys.sign);
  link.ask_holder(request, [reply, request](Result<federation::SupervisionAnswer> answer) {
    if (!answer) return reply(supervision_error(answer.error()));
    const bool urge = request.body.kind() == weiquan::v1::SUPERVISION_KIND_URGE;
    reply(json_response(201, {{"outcome", answer->duplicate ? "duplicate" : "applied"},
                              {"ticket_id", request.body.ticket_id()},
                              {"holder", request.body.to_node()},
                              {"kind", urge ? "urged" : "supervised"},
                              {"seq", answer->seq},
                              {"request_id", crypto::to_hex(request.id)}}));
  });
}

}  // namespace wq::node::http
