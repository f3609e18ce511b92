#include "weiquan/sync/event_codec.h"

#include <limits>
#include <string>

#include "proto_util.h"
#include "weiquan/crypto/hash.h"
#include "weiquan/crypto/signing.h"
#include "weiquan/sync/node_id.h"
#include "weiquan/sync/ticket_id.h"

namespace wq::sync {
namespace {

using weiquan::v1::EventBody;

constexpr std::uint64_t kMaxSeq = std::numeric_limits<std::int64_t>::max();

Error invalid(std::string code, const EventBody& body, std::string_view why) {
  return make_error(std::move(code), "event " + body.ticket_id().substr(0, kMaxTicketIdLength) +
                                         " seq " + std::to_string(body.seq()) + ": " +
                                         std::string(why));
}

// The fields each kind needs so that the store can derive the ticket's type and holder.
Status check_kind(const EventBody& body) {
  switch (body.kind_case()) {
    case EventBody::kSubmitted:
      if (body.submitted().type() == weiquan::v1::TICKET_TYPE_UNSPECIFIED ||
          body.submitted().received_at_ms() <= 0 || body.submitted().rule_version().empty()) {
        return invalid("sync.malformed", body, "submitted needs type, receipt time, rule version");
      }
      return {};
    case EventBody::kRouted:
      if (!valid_node_id(body.routed().to_node())) {
        return invalid("sync.malformed", body, "routed needs a to_node");
      }
      return {};
    case EventBody::kTransferred:
      if (!valid_node_id(body.transferred().to_node()) ||
          body.transferred().direction() == weiquan::v1::TRANSFER_DIRECTION_UNSPECIFIED) {
        return invalid("sync.malformed", body, "transferred needs a direction and a to_node");
      }
      return {};
    case EventBody::kAssigned:
      if (body.assigned().kind() == weiquan::v1::ASSIGNEE_KIND_UNSPECIFIED ||
          body.assigned().assignee().empty() ||
          (body.assigned().kind() == weiquan::v1::ASSIGNEE_KIND_STATION &&
           !valid_node_id(body.assigned().assignee()))) {
        return invalid("sync.malformed", body, "assigned needs a kind and an assignee");
      }
      return {};
    case EventBody::kTypeChanged:
      if (body.type_changed().to() == weiquan::v1::TICKET_TYPE_UNSPECIFIED) {
        return invalid("sync.malformed", body, "type_changed needs a type");
      }
      return {};
    case EventBody::KIND_NOT_SET:
      return invalid("sync.malformed", body, "no kind");
    default:
      return {};
  }
}

Status check_event(const EventBody& body, std::string_view signer) {
  if (body.version() != kWireVersion) return invalid("sync.bad_version", body, "version is not 1");
  auto ticket = parse_ticket_id(body.ticket_id());
  if (!ticket) return ticket.error();
  if (body.seq() == 0 || body.seq() > kMaxSeq) return invalid("sync.bad_seq", body, "bad seq");
  const bool first = body.seq() == 1;
  if (first ? !body.prev_hash().empty() : body.prev_hash().size() != crypto::Hash{}.size()) {
    return invalid("sync.bad_prev_hash", body,
                   first ? "seq 1 has a prev_hash" : "prev_hash must be 32 bytes");
  }
  if (!valid_node_id(body.author()) || body.author() != signer) {
    return invalid("sync.bad_author", body, "author is not a node id equal to the signer");
  }
  if (first && body.author() != ticket->intake_node) {
    return invalid("sync.bad_author", body, "the first event is not by the intake node");
  }
  if (!body.has_actor() || body.actor().role() == weiquan::v1::ROLE_UNSPECIFIED) {
    return invalid("sync.malformed", body, "no actor role");
  }
  if (body.time_ms() <= 0) return invalid("sync.malformed", body, "time is not positive");
  if (first != (body.kind_case() == EventBody::kSubmitted)) {
    return invalid("sync.malformed", body, "seq 1, and only seq 1, is `submitted`");
  }
  return check_kind(body);
}

}  // namespace

std::string_view kind_name(const EventBody& body) {
  static const auto* const oneof = EventBody::descriptor()->FindOneofByName("kind");
  const auto* field = body.GetReflection()->GetOneofFieldDescriptor(body, oneof);
  return field == nullptr ? std::string_view() : std::string_view(field->name());
}

std::string_view SignedEvent::kind() const {
  return kind_name(body);
}

Result<SignedEvent> author_event(EventBody body, const crypto::SigningKeyPair& key) {
  auto event = encode_event(std::move(body));
  if (event) sign_event(*event, key);
  return event;
}

Result<SignedEvent> encode_event(EventBody body) {
  if (Status ok = check_event(body, body.author()); !ok) return ok.error();
  crypto::Bytes bytes = serialize(body);
  if (bytes.size() > kMaxEventBodyBytes) {
    return invalid("sync.too_large", body, "body exceeds " + std::to_string(kMaxEventBodyBytes));
  }
  SignedEvent event{std::move(body), std::move(bytes), {}, {}};
  event.id = crypto::blake2b_256(event.body_bytes);
  return event;
}

void sign_event(SignedEvent& event, const crypto::SigningKeyPair& key) {
  event.signature = crypto::sign(key, crypto::Domain::event, event.body_bytes);
}

Result<SignedEvent> decode_event(crypto::ByteView body, crypto::ByteView signature,
                                 std::string_view signer) {
  SignedEvent event;
  if (Status ok = parse_strict(body, kMaxEventBodyBytes, "event", event.body); !ok) {
    return ok.error();
  }
  auto sig = signature_from(signature);
  if (!sig) return sig.error();
  if (Status ok = check_event(event.body, signer); !ok) return ok.error();
  event.body_bytes.assign(body.begin(), body.end());
  event.signature = *sig;
  event.id = crypto::blake2b_256(body);
  return event;
}

Result<SignedEvent> decode_event(const weiquan::v1::Signed& wire) {
  return decode_event(crypto::as_bytes(wire.body()), crypto::as_bytes(wire.signature()),
                      wire.signer());
}

weiquan::v1::Signed to_wire(const SignedEvent& event) {
  return wrap_signed(event.body_bytes, event.signature, event.author());
}

Status verify_signature(const SignedEvent& event, const crypto::PublicKey& author_key) {
  if (!crypto::verify(author_key, crypto::Domain::event, event.body_bytes, event.signature)) {
    return invalid("sync.bad_signature", event.body, "signature does not verify");
  }
  return {};
}

}  // namespace wq::sync
