#include "weiquan/federation/supervision_client.h"

#include <string>
#include <utility>

namespace wq::federation {
namespace {

Result<SupervisionAnswer> answer_of(const Supervision& request,
                                    Result<sync::Transport::Bytes> reply) {
  const std::string& holder = request.body.to_node();
  if (!reply) {
    return make_error("federation.unreachable", "the holder " + holder + " did not answer (" +
                                                    reply.error().code + "); nothing was appended");
  }
  weiquan::v1::SupervisionReply answer;
  const std::string id(request.id.begin(), request.id.end());
  if (reply->size() > sync::kMaxTransportPayload ||
      !answer.ParseFromArray(reply->data(), static_cast<int>(reply->size())) ||
      answer.version() != 1 || (!answer.request_id().empty() && answer.request_id() != id)) {
    return make_error("federation.bad_supervision_reply",
                      "the holder " + holder +
                          " answered with something that is not a reply to "
                          "this request");
  }
  switch (answer.outcome()) {
    case weiquan::v1::OUTCOME_APPLIED:
    case weiquan::v1::OUTCOME_DUPLICATE:
      if (answer.request_id() != id || answer.seq() == 0) break;
      return SupervisionAnswer{answer.outcome() == weiquan::v1::OUTCOME_DUPLICATE, answer.seq()};
    case weiquan::v1::OUTCOME_REJECTED:
      if (answer.code().empty()) break;
      return make_error(answer.code(), "the holder " + holder + " refused: " + answer.message());
    default:
      break;
  }
  return make_error("federation.bad_supervision_reply",
                    "the holder " + holder + " answered with an incomplete reply");
}

}  // namespace

void send_supervision(sync::Transport& transport, const Supervision& request,
                      std::function<void(Result<SupervisionAnswer>)> done) {
  weiquan::v1::RpcRequest rpc;
  rpc.set_version(1);
  rpc.set_origin(request.body.from_node());
  *rpc.mutable_supervision()->mutable_request() = to_wire(request);
  const std::string bytes = rpc.SerializeAsString();
  transport.request(request.body.to_node(), sync::Channel::rpc, {bytes.begin(), bytes.end()},
                    kSupervisionTimeout,
                    [request, done = std::move(done)](Result<sync::Transport::Bytes> reply) {
                      done(answer_of(request, std::move(reply)));
                    });
}

}  // namespace wq::federation
