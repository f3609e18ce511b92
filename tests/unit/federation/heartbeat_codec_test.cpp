#include "weiquan/federation/heartbeat_codec.h"

#include <google/protobuf/unknown_field_set.h>

#include <catch2/catch.hpp>

#include "federation_tree.h"
#include "weiquan/crypto/signing.h"

namespace wq::federation {
namespace {

using namespace test;
using weiquan::v1::HeartbeatBody;
using weiquan::v1::Signed;

HeartbeatBody body_of(const std::string& node) {
  HeartbeatBody body;
  body.set_version(1);
  body.set_node_id(node);
  body.set_sent_at_ms(kNow);
  body.set_software_version("0.1.0");
  body.set_policy_version("2026-04-15");
  body.set_link(weiquan::v1::LINK_STATE_UP);
  body.set_backlog(7);
  auto& peer = *body.add_peers();
  peer.set_node_id("11");
  peer.set_backlog(7);
  peer.set_last_ack_ms(kNow - 1000);
  peer.set_last_error("sync.timeout");
  body.set_anti_entropy_last_complete_ms(kNow - 60'000);
  return body;
}

// `body` as given (not necessarily well formed) signed by `node`'s key.
Signed signed_as(const std::string& node, const std::string& body_bytes) {
  const auto signature = crypto::sign(tree().keys.at(node).sign, crypto::Domain::heartbeat,
                                      crypto::as_bytes(body_bytes));
  Signed wire;
  wire.set_body(body_bytes);
  wire.set_signature(signature.data(), signature.size());
  wire.set_signer(node);
  return wire;
}

std::string code_of(const Signed& wire) {
  auto decoded = decode_heartbeat(wire);
  return decoded ? std::string("ok") : decoded.error().code;
}

TEST_CASE("heartbeat codec: a heartbeat decodes to what was signed, the signed bytes kept") {
  const Signed wire = encode_heartbeat(body_of("1101"), tree().keys.at("1101").sign);
  CHECK(wire.signer() == "1101");
  auto decoded = decode_heartbeat(wire);
  REQUIRE(decoded);
  CHECK(decoded->signer == "1101");
  CHECK(decoded->body.backlog() == 7);
  CHECK(decoded->body.peers(0).last_error() == "sync.timeout");
  CHECK(decoded->body_bytes == crypto::Bytes(wire.body().begin(), wire.body().end()));
  CHECK(crypto::verify(tree().keys.at("1101").sign.public_key, crypto::Domain::heartbeat,
                       decoded->body_bytes, decoded->signature));
  // The heartbeat domain is its own: the same bytes do not verify as an event.
  CHECK_FALSE(crypto::verify(tree().keys.at("1101").sign.public_key, crypto::Domain::event,
                             decoded->body_bytes, decoded->signature));
}

TEST_CASE("heartbeat codec: unknown content and broken field rules are refused") {
  SECTION("an unknown field in the body") {
    std::string bytes = body_of("1101").SerializeAsString();
    bytes += std::string("\xa0\x06\x01", 3);  // field 100, varint 1
    CHECK(code_of(signed_as("1101", bytes)) == "federation.bad_heartbeat");
  }
  SECTION("an unknown field inside a peer") {
    HeartbeatBody body = body_of("1101");
    weiquan::v1::PeerHealth& peer = *body.mutable_peers(0);
    peer.GetReflection()->MutableUnknownFields(&peer)->AddVarint(9, 1);
    CHECK(code_of(signed_as("1101", body.SerializeAsString())) == "federation.bad_heartbeat");
  }
  SECTION("an undefined link state") {
    HeartbeatBody body = body_of("1101");
    body.set_link(static_cast<weiquan::v1::LinkState>(9));
    CHECK(code_of(signed_as("1101", body.SerializeAsString())) == "federation.bad_heartbeat");
  }
  SECTION("another version") {
    HeartbeatBody body = body_of("1101");
    body.set_version(2);
    CHECK(code_of(signed_as("1101", body.SerializeAsString())) == "federation.bad_heartbeat");
  }
  SECTION("a signer that is not the reporting node") {
    Signed wire = encode_heartbeat(body_of("1101"), tree().keys.at("1101").sign);
    wire.set_signer("11");
    CHECK(code_of(wire) == "federation.bad_heartbeat");
  }
  SECTION("a peer that is not a node id") {
    HeartbeatBody body = body_of("1101");
    body.mutable_peers(0)->set_node_id("wq.v1.n.*");
    CHECK(code_of(signed_as("1101", body.SerializeAsString())) == "federation.bad_heartbeat");
  }
  SECTION("no sending time") {
    HeartbeatBody body = body_of("1101");
    body.set_sent_at_ms(0);
    CHECK(code_of(signed_as("1101", body.SerializeAsString())) == "federation.bad_heartbeat");
  }
  SECTION("too many peers") {
    HeartbeatBody body = body_of("1101");
    for (int i = 0; i < kMaxHeartbeatPeers; ++i) *body.add_peers() = body.peers(0);
    CHECK(code_of(signed_as("1101", body.SerializeAsString())) == "federation.bad_heartbeat");
  }
  SECTION("a body over the size limit") {
    HeartbeatBody body = body_of("1101");
    body.set_software_version(std::string(kMaxHeartbeatBytes, 'x'));
    CHECK(code_of(signed_as("1101", body.SerializeAsString())) == "federation.bad_heartbeat");
  }
  SECTION("a signature that is not 64 bytes") {
    Signed wire = encode_heartbeat(body_of("1101"), tree().keys.at("1101").sign);
    wire.mutable_signature()->pop_back();
    CHECK(code_of(wire) == "federation.bad_heartbeat");
  }
  SECTION("bytes that do not parse") {
    CHECK(code_of(signed_as("1101", std::string("\x0a\xff", 2))) == "federation.bad_heartbeat");
  }
}

}  // namespace
}  // namespace wq::federation
