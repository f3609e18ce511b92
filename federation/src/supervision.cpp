#include "weiquan/federation/supervision.h"

#include <algorithm>
#include <string>
#include <tuple>

#include "weiquan/crypto/signing.h"
#include "weiquan/federation/interest.h"
#include "weiquan/policies/validation.h"
#include "weiquan/sync/node_id.h"
#include "weiquan/sync/ticket_id.h"

namespace wq::federation {
namespace {

using weiquan::v1::SupervisionBody;

Error bad(const std::string& why) {
  return make_error("federation.bad_supervision", "supervision request: " + why);
}

// The body's fields, after it parsed.
Status check_form(const SupervisionBody& body, std::string_view signer) {
  if (body.version() != 1) return bad("version " + std::to_string(body.version()));
  if (!sync::parse_ticket_id(body.ticket_id())) return bad("ticket_id is not a ticket id");
  if (body.kind() != weiquan::v1::SUPERVISION_KIND_URGE &&
      body.kind() != weiquan::v1::SUPERVISION_KIND_SUPERVISE) {
    return bad("kind is neither urge nor supervise");
  }
  if (!sync::valid_node_id(body.from_node()) || !sync::valid_node_id(body.to_node())) {
    return bad("from_node and to_node must be node ids");
  }
  if (body.from_node() != signer) return bad("the signer is not from_node");
  const auto role = body.actor().role();
  const bool may =
      role == weiquan::v1::ROLE_SUPERVISOR ||
      (role == weiquan::v1::ROLE_OFFICER && body.kind() == weiquan::v1::SUPERVISION_KIND_URGE);
  if (!may) return bad("the actor's role may not make this request");
  if (body.actor().id().empty() ||
      !policies::check_text(body.actor().id(), kMaxActorIdCharacters,
                            policies::TextLines::single) ||
      body.actor().name().empty() ||
      !policies::check_text(body.actor().name(), kMaxActorNameCharacters,
                            policies::TextLines::single)) {
    return bad("the actor needs an account id and a name of one line");
  }
  if (Status note = policies::check_text(body.note(), kMaxSupervisionNoteCharacters); !note) {
    return bad("note: " + note.error().message);
  }
  if (body.time_ms() <= 0) return bad("time_ms must be positive");
  return {};
}

}  // namespace

Supervision sign_supervision(const SupervisionBody& body, const crypto::SigningKeyPair& key) {
  Supervision out;
  out.body = body;
  const std::string bytes = body.SerializeAsString();
  out.body_bytes.assign(bytes.begin(), bytes.end());
  out.signature = crypto::sign(key, crypto::Domain::supervision, out.body_bytes);
  out.id = crypto::blake2b_256(out.body_bytes);
  return out;
}

weiquan::v1::Signed to_wire(const Supervision& supervision) {
  weiquan::v1::Signed wire;
  wire.set_body(supervision.body_bytes.data(), supervision.body_bytes.size());
  wire.set_signature(supervision.signature.data(), supervision.signature.size());
  wire.set_signer(supervision.body.from_node());
  return wire;
}

Result<Supervision> decode_supervision(const weiquan::v1::Signed& wire) {
  if (wire.body().size() > kMaxSupervisionBytes) {
    return bad("body of " + std::to_string(wire.body().size()) + " bytes exceeds " +
               std::to_string(kMaxSupervisionBytes));
  }
  auto signature =
      crypto::to_array<std::tuple_size_v<crypto::Signature>>(crypto::as_bytes(wire.signature()));
  if (!signature) return bad("the signature is not 64 bytes");
  Supervision out;
  // Unknown fields are refused (protocol.md §2): the body and its one nested message, the actor;
  // the values of its two enums are checked by check_form.
  if (!out.body.ParseFromString(wire.body()) ||
      !out.body.GetReflection()->GetUnknownFields(out.body).empty() ||
      !out.body.actor().GetReflection()->GetUnknownFields(out.body.actor()).empty()) {
    return bad("the body does not parse, or carries unknown fields");
  }
  if (Status form = check_form(out.body, wire.signer()); !form) return form.error();
  out.body_bytes.assign(wire.body().begin(), wire.body().end());
  out.signature = *signature;
  out.id = crypto::blake2b_256(out.body_bytes);
  return out;
}

Status verify_supervision(const Supervision& supervision, const crypto::TrustStore& trust,
                          std::string_view holder, std::int64_t now_ms) {
  const SupervisionBody& body = supervision.body;
  if (body.to_node() != holder) {
    return make_error("federation.wrong_destination",
                      "the request is for " + body.to_node() + ", not " + std::string(holder));
  }
  if (body.time_ms() < now_ms - kSupervisionSkewMs ||
      body.time_ms() > now_ms + kSupervisionSkewMs) {
    return make_error("federation.stale_request",
                      "the request was signed at " + std::to_string(body.time_ms()) +
                          ", more than " + std::to_string(kSupervisionSkewMs) +
                          " ms from this node's clock (" + std::to_string(now_ms) + ")");
  }
  auto cert = trust.verify_chain(body.from_node(), body.time_ms());
  if (!cert) return cert.error();
  if (!crypto::verify((*cert)->cert.sign_key, crypto::Domain::supervision, supervision.body_bytes,
                      supervision.signature)) {
    return make_error("sync.bad_signature",
                      "the request's signature does not verify under " + body.from_node());
  }
  const auto chain = chain_of(trust, holder, now_ms);
  if (body.from_node() == holder ||
      std::find(chain.begin(), chain.end(), body.from_node()) == chain.end()) {
    return make_error("federation.not_ancestor",
                      body.from_node() + " is not an ancestor of " + std::string(holder));
  }
  return {};
}

}  // namespace wq::federation
