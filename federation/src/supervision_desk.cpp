#include "weiquan/federation/supervision_desk.h"

#include <memory>
#include <utility>

#include "weiquan/federation/supervision.h"
#include "wire_bytes.h"

namespace wq::federation {
namespace {

using weiquan::v1::SupervisionReply;

// The request id carried by an `urged` or `supervised` event, empty for any other.
const std::string& request_id_of(const weiquan::v1::EventBody& body) {
  static const std::string none;
  if (body.has_urged()) return body.urged().request_id();
  if (body.has_supervised()) return body.supervised().request_id();
  return none;
}

weiquan::v1::EventBody event_for(const Supervision& request) {
  const auto& asked = request.body;
  const std::string id(request.id.begin(), request.id.end());
  weiquan::v1::EventBody body;
  *body.mutable_actor() = asked.actor();
  if (asked.kind() == weiquan::v1::SUPERVISION_KIND_URGE) {
    auto& urged = *body.mutable_urged();
    urged.set_from_node(asked.from_node());
    urged.set_note(asked.note());
    urged.set_request_id(id);
  } else {
    auto& supervised = *body.mutable_supervised();
    supervised.set_from_node(asked.from_node());
    supervised.set_note(asked.note());
    supervised.set_request_id(id);
  }
  return body;
}

// Verifies `request` against the store and appends its event unless the ticket has it already.
Result<SupervisionReply> act(const Supervision& request, const std::string& self,
                             std::int64_t now_ms, sync::Store& store, sync::EventWriter& events) {
  if (Status ok = verify_supervision(request, store.trust(), self, now_ms); !ok) {
    return ok.error();
  }
  const std::string& ticket_id = request.body.ticket_id();
  auto ticket = store.reader().ticket(ticket_id);
  if (!ticket) return ticket.error();
  if (!*ticket) return make_error("sync.unknown_ticket", "no ticket " + ticket_id + " here");
  if ((*ticket)->holder != self) {
    return make_error("sync.not_holder", self + " does not hold " + ticket_id +
                                             " now: " + (*ticket)->holder + " does");
  }
  SupervisionReply reply;
  reply.set_version(1);
  reply.set_request_id(request.id.data(), request.id.size());
  auto chain = store.reader().events(ticket_id);
  if (!chain) return chain.error();
  const std::string id(request.id.begin(), request.id.end());
  for (const sync::SignedEvent& event : *chain) {
    if (request_id_of(event.body) == id) {
      reply.set_outcome(weiquan::v1::OUTCOME_DUPLICATE);
      reply.set_seq(event.seq());
      return reply;
    }
  }
  auto event = events.append(ticket_id, event_for(request), now_ms);
  if (!event) return event.error();
  reply.set_outcome(weiquan::v1::OUTCOME_APPLIED);
  reply.set_seq(event->seq());
  return reply;
}

}  // namespace

SupervisionDesk::SupervisionDesk(std::string self, WithWriter with_writer,
                                 std::function<std::int64_t()> now_ms)
    : self_(std::move(self)), with_writer_(std::move(with_writer)), now_ms_(std::move(now_ms)) {}

SupervisionReply SupervisionDesk::refused(SupervisionReply reply, const Error& error) {
  {
    std::lock_guard lock(mutex_);
    ++counters_.refused;
    counters_.last_refused = error.code;
  }
  reply.set_version(1);
  reply.set_outcome(weiquan::v1::OUTCOME_REJECTED);
  reply.set_code(error.code);
  reply.set_message(error.message);
  return reply;
}

void SupervisionDesk::handle(weiquan::v1::RpcRequest request, sync::Transport::Respond respond) {
  auto decoded = request.has_supervision()
                     ? decode_supervision(request.supervision().request())
                     : Result<Supervision>(make_error("federation.bad_supervision",
                                                      "an RpcRequest without a supervision"));
  if (!decoded) return respond(serialized(refused({}, decoded.error())));
  if (decoded->body.from_node() != request.origin()) {
    return respond(serialized(refused(
        {}, make_error("federation.bad_supervision", "the request's origin is not its signer"))));
  }
  auto shared = std::make_shared<Supervision>(std::move(*decoded));
  with_writer_(
      [this, shared, respond = std::move(respond)](sync::Store& store, sync::EventWriter& events) {
        auto reply = act(*shared, self_, now_ms_(), store, events);
        if (!reply) {
          SupervisionReply answer;
          answer.set_request_id(shared->id.data(), shared->id.size());
          return respond(serialized(refused(std::move(answer), reply.error())));
        }
        {
          std::lock_guard lock(mutex_);
          ++(reply->outcome() == weiquan::v1::OUTCOME_APPLIED ? counters_.applied
                                                              : counters_.duplicates);
        }
        respond(serialized(*reply));
      });
}

SupervisionCounters SupervisionDesk::counters() const {
  std::lock_guard lock(mutex_);
  return counters_;
}

}  // namespace wq::federation
