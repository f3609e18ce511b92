#include "weiquan/sync/envelope_codec.h"

#include <catch2/catch.hpp>
#include <string>

#include "sync_fixture.h"
#include "weiquan/crypto/signing.h"
#include "weiquan/sync/transport.h"

using namespace wq;
using namespace wq::sync;
using test::federation;
using test::kT0;

namespace {

weiquan::v1::EnvelopeBody envelope_body() {
  weiquan::v1::EnvelopeBody body;
  body.set_version(1);
  body.set_origin("440305");
  body.set_destination("44");
  body.set_nonce(7);
  body.set_sent_at_ms(kT0);
  *body.add_certificates() = to_wire(federation().node("440305").cert);
  return body;
}

weiquan::v1::AckBody ack_body() {
  weiquan::v1::AckBody body;
  body.set_version(1);
  body.set_origin("44");
  body.set_destination("440305");
  body.set_nonce(7);
  auto& result = *body.add_results();
  result.set_ticket_id("440305-20250303-000001");
  result.set_seq(4);
  result.set_outcome(weiquan::v1::OUTCOME_GAP);
  result.set_code("sync.seq_gap");
  result.set_have_seq(2);
  return body;
}

const crypto::SigningKeyPair& key_of(const std::string& node) {
  return federation().node(node).keys.sign;
}

crypto::TrustStore trust() {
  crypto::TrustStore store(federation().anchor());
  for (const auto& cert : federation().certificates()) REQUIRE(store.add(cert));
  return store;
}

// The payload of a Signed wrapper with these parts.
crypto::Bytes wrapped(const std::string& body, const crypto::Signature& signature,
                      const std::string& signer) {
  weiquan::v1::Signed wire;
  wire.set_body(body);
  wire.set_signature(signature.data(), signature.size());
  wire.set_signer(signer);
  const std::string bytes = wire.SerializeAsString();
  return crypto::Bytes(bytes.begin(), bytes.end());
}

std::string decode_error(const weiquan::v1::EnvelopeBody& body, const std::string& signer) {
  const std::string bytes = body.SerializeAsString();
  const auto signature =
      crypto::sign(key_of("440305"), crypto::Domain::envelope, crypto::as_bytes(bytes));
  const auto decoded = decode_envelope(wrapped(bytes, signature, signer));
  return decoded ? "ok" : decoded.error().code;
}

}  // namespace

TEST_CASE("envelopes and acks round trip and verify under their origin's key", "[envelope_codec]") {
  const auto envelope = decode_envelope(encode_envelope(envelope_body(), key_of("440305")));
  REQUIRE(envelope);
  CHECK(envelope->signer == "440305");
  CHECK(envelope->body.nonce() == 7);
  CHECK(envelope->body.certificates_size() == 1);
  CHECK(verify_envelope(*envelope, trust()));

  const auto ack = decode_ack(encode_ack(ack_body(), key_of("44")));
  REQUIRE(ack);
  CHECK(ack->body.results(0).outcome() == weiquan::v1::OUTCOME_GAP);
  CHECK(ack->body.results(0).have_seq() == 2);
  CHECK(verify_ack(*ack, trust(), kT0));
  CHECK(crypto::domain_tag(crypto::Domain::ack) == "weiquan/v1/ack");
}

TEST_CASE("an ack's signature is no envelope's, and the other way round", "[envelope_codec]") {
  // The same bytes signed in the other domain.
  const std::string bytes = ack_body().SerializeAsString();
  const auto as_envelope =
      crypto::sign(key_of("44"), crypto::Domain::envelope, crypto::as_bytes(bytes));
  const auto ack = decode_ack(wrapped(bytes, as_envelope, "44"));
  REQUIRE(ack);
  CHECK(verify_ack(*ack, trust(), kT0).error().code == "sync.bad_signature");

  const auto envelope = decode_envelope(encode_envelope(envelope_body(), key_of("44")));
  REQUIRE(envelope);
  CHECK(verify_envelope(*envelope, trust()).error().code == "sync.bad_signature");
  auto stranger = envelope_body();
  stranger.set_origin("440307");
  const auto unknown = decode_envelope(encode_envelope(stranger, key_of("440305")));
  REQUIRE(unknown);
  CHECK(verify_envelope(*unknown, trust()).error().code == "crypto.unknown_node");
}

TEST_CASE("decoding refuses what breaks the envelope's rules", "[envelope_codec]") {
  CHECK(decode_error(envelope_body(), "440305") == "ok");
  CHECK(decode_error(envelope_body(), "44") == "sync.bad_envelope");
  auto body = envelope_body();
  body.set_version(2);
  CHECK(decode_error(body, "440305") == "sync.bad_version");
  body = envelope_body();
  body.set_destination("nowhere");
  CHECK(decode_error(body, "440305") == "sync.bad_envelope");
  body = envelope_body();
  body.set_nonce(0);
  CHECK(decode_error(body, "440305") == "sync.bad_envelope");
  body = envelope_body();
  body.set_sent_at_ms(0);
  CHECK(decode_error(body, "440305") == "sync.bad_envelope");
  body = envelope_body();
  body.GetReflection()->MutableUnknownFields(&body)->AddVarint(99, 1);
  CHECK(decode_error(body, "440305") == "sync.unknown_fields");

  CHECK(decode_envelope(crypto::Bytes{0xff, 0xff}).error().code == "sync.malformed");
  CHECK(decode_envelope(crypto::Bytes(kMaxTransportPayload + 1)).error().code == "sync.too_large");
  const std::string bytes = envelope_body().SerializeAsString();
  weiquan::v1::Signed short_signature;
  short_signature.set_body(bytes);
  short_signature.set_signature("short");
  short_signature.set_signer("440305");
  const std::string payload = short_signature.SerializeAsString();
  CHECK(decode_envelope(crypto::Bytes(payload.begin(), payload.end())).error().code ==
        "sync.malformed");
  auto ack = ack_body();
  ack.set_origin("440305");  // signed by 44
  const auto decoded = decode_ack(encode_ack(ack, key_of("44")));
  REQUIRE(decoded);  // the wrapper names the origin as signer: the key decides
  CHECK(verify_ack(*decoded, trust(), kT0).error().code == "sync.bad_signature");
}
