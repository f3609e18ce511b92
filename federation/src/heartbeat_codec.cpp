#include "weiquan/federation/heartbeat_codec.h"

#include <google/protobuf/unknown_field_set.h>

#include <string>
#include <string_view>

#include "weiquan/crypto/signing.h"
#include "weiquan/sync/node_id.h"

namespace wq::federation {
namespace {

using weiquan::v1::HeartbeatBody;

Error bad(std::string_view why) {
  return make_error("federation.bad_heartbeat", "heartbeat: " + std::string(why));
}

bool has_unknown_fields(const google::protobuf::Message& message) {
  return !message.GetReflection()->GetUnknownFields(message).empty();
}

// Unknown fields or enum values anywhere in the body (proto3 keeps both silently).
bool carries_unknown(const HeartbeatBody& body) {
  if (has_unknown_fields(body) || !weiquan::v1::LinkState_IsValid(body.link())) return true;
  for (const weiquan::v1::PeerHealth& peer : body.peers()) {
    if (has_unknown_fields(peer)) return true;
  }
  return false;
}

Status check(const HeartbeatBody& body, std::string_view signer) {
  if (body.version() != 1) return bad("version is not 1");
  if (!sync::valid_node_id(body.node_id())) return bad("node_id is not a node id");
  if (signer != body.node_id()) return bad("signer is not the reporting node");
  if (body.sent_at_ms() <= 0) return bad("sending time is not positive");
  if (body.peers_size() > kMaxHeartbeatPeers) return bad("too many peers");
  for (const weiquan::v1::PeerHealth& peer : body.peers()) {
    if (!sync::valid_node_id(peer.node_id())) return bad("a peer is not a node id");
  }
  return {};
}

}  // namespace

weiquan::v1::Signed encode_heartbeat(const HeartbeatBody& body, const crypto::SigningKeyPair& key) {
  const std::string bytes = body.SerializeAsString();
  const crypto::Signature signature =
      crypto::sign(key, crypto::Domain::heartbeat, crypto::as_bytes(bytes));
  weiquan::v1::Signed wire;
  wire.set_body(bytes);
  wire.set_signature(signature.data(), signature.size());
  wire.set_signer(body.node_id());
  return wire;
}

Result<Heartbeat> decode_heartbeat(const weiquan::v1::Signed& wire) {
  if (has_unknown_fields(wire)) return bad("the wrapper carries unknown fields");
  if (wire.body().size() > kMaxHeartbeatBytes) return bad("body too large");
  Heartbeat heartbeat;
  if (!heartbeat.body.ParseFromString(wire.body())) return bad("body does not parse");
  if (carries_unknown(heartbeat.body)) return bad("body carries unknown content");
  auto signature = crypto::to_array<64>(crypto::as_bytes(wire.signature()));
  if (!signature) return bad("signature is not 64 bytes");
  if (Status ok = check(heartbeat.body, wire.signer()); !ok) return ok.error();
  const crypto::ByteView body = crypto::as_bytes(wire.body());
  heartbeat.body_bytes.assign(body.begin(), body.end());
  heartbeat.signature = *signature;
  heartbeat.signer = wire.signer();
  return heartbeat;
}

}  // namespace wq::federation
