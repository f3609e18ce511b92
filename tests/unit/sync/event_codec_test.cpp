#include "weiquan/sync/event_codec.h"

#include <catch2/catch.hpp>

#include "sync_fixture.h"
#include "weiquan/crypto/hash.h"
#include "weiquan/crypto/signing.h"
#include "weiquan/sync/receipt_codec.h"

using namespace wq;
using namespace wq::sync;
using test::federation;

namespace {

const std::string kTicket = "440305-20250303-000001";

// Body bytes re-signed by the county, as a county that misbehaves would send them.
weiquan::v1::Signed signed_by_county(const std::string& body) {
  weiquan::v1::Signed wire;
  wire.set_body(body);
  const auto signature = crypto::sign(federation().node("440305").keys.sign, crypto::Domain::event,
                                      crypto::as_bytes(body));
  wire.set_signature(signature.data(), signature.size());
  wire.set_signer("440305");
  return wire;
}

weiquan::v1::Signed valid_wire() {
  auto event =
      author_event(test::first_event("440305", kTicket), federation().node("440305").keys.sign);
  REQUIRE(event);
  return to_wire(*event);
}

std::string decode_code(const weiquan::v1::Signed& wire) {
  auto decoded = decode_event(wire);
  return decoded ? "ok" : decoded.error().code;
}

std::string reencoded(const weiquan::v1::EventBody& body) {
  return body.SerializeAsString();
}

}  // namespace

TEST_CASE("an authored event decodes to the same bytes, id and kind", "[event]") {
  const auto& county = federation().node("440305");
  auto event = author_event(test::first_event("440305", kTicket), county.keys.sign);
  REQUIRE(event);
  CHECK(event->id == crypto::blake2b_256(event->body_bytes));
  CHECK(event->kind() == "submitted");
  CHECK(verify_signature(*event, county.keys.sign.public_key));
  CHECK(verify_signature(*event, federation().node("440306").keys.sign.public_key).error().code ==
        "sync.bad_signature");

  auto decoded = decode_event(to_wire(*event));
  REQUIRE(decoded);
  CHECK(decoded->body_bytes == event->body_bytes);
  CHECK(decoded->signature == event->signature);
  CHECK(decoded->id == event->id);
  CHECK(decoded->ticket_id() == kTicket);
  CHECK(decoded->body.submitted().description() == "空调安装后不制冷，商家拒绝退货。");
  CHECK(verify_signature(*decoded, county.keys.sign.public_key));
}

TEST_CASE("the event id covers the body, never the signature", "[event]") {
  auto wire = valid_wire();
  auto a = decode_event(wire);
  (*wire.mutable_signature())[0] ^= 1;
  auto b = decode_event(wire);
  REQUIRE(a);
  REQUIRE(b);
  CHECK(a->id == b->id);
  CHECK_FALSE(verify_signature(*b, federation().node("440305").keys.sign.public_key));
}

TEST_CASE("unknown fields inside signed bytes are refused, however deep", "[event]") {
  const std::string body = valid_wire().body();
  CHECK(decode_code(signed_by_county(body)) == "ok");
  // Field 99, varint 1, at the top level.
  CHECK(decode_code(signed_by_county(body + std::string("\x98\x06\x01", 3))) ==
        "sync.unknown_fields");
  // Field 15 inside the actor (field 6): protobuf merges a repeated sub-message.
  CHECK(decode_code(signed_by_county(body + std::string("\x32\x02\x78\x01", 4))) ==
        "sync.unknown_fields");
  // Field 30 inside submitted.business (field 20 > field 6).
  CHECK(decode_code(signed_by_county(body + std::string("\xa2\x01\x04\x32\x02\xf0\x01", 7))) ==
        "sync.malformed");
  CHECK(decode_code(signed_by_county(body + std::string("\xa2\x01\x05\x32\x03\xf0\x01\x01", 8))) ==
        "sync.unknown_fields");
  // An enum value the schema does not define (actor.role = 99).
  CHECK(decode_code(signed_by_county(body + std::string("\x32\x02\x08\x63", 4))) ==
        "sync.unknown_fields");
}

TEST_CASE("oversized and malformed input is refused before parsing", "[event]") {
  auto body = test::first_event("440305", kTicket);
  body.mutable_submitted()->set_description(std::string(kMaxEventBodyBytes, 'x'));
  CHECK(author_event(body, federation().node("440305").keys.sign).error().code == "sync.too_large");
  CHECK(decode_code(signed_by_county(reencoded(body))) == "sync.too_large");
  CHECK(decode_code(signed_by_county("\x0a\xff\xff\xff\xff\x0f")) == "sync.malformed");

  auto wire = valid_wire();
  wire.mutable_signature()->append("x");
  CHECK(decode_code(wire) == "sync.malformed");
}

TEST_CASE("decoding checks the event's required fields", "[event]") {
  const auto& key = federation().node("440305").keys.sign;
  const auto check = [&](auto mutate) {
    auto body = test::first_event("440305", kTicket);
    mutate(body);
    auto authored = author_event(body, key);
    CHECK_FALSE(authored);
    const std::string via_decode = decode_code(signed_by_county(reencoded(body)));
    CHECK(via_decode == (authored ? "ok" : authored.error().code));
    return via_decode;
  };
  using Body = weiquan::v1::EventBody;
  CHECK(check([](Body& b) { b.set_version(2); }) == "sync.bad_version");
  CHECK(check([](Body& b) { b.set_ticket_id("nope"); }) == "sync.bad_ticket_id");
  CHECK(check([](Body& b) { b.set_seq(0); }) == "sync.bad_seq");
  CHECK(check([](Body& b) { b.set_prev_hash(std::string(32, 'h')); }) == "sync.bad_prev_hash");
  CHECK(check([](Body& b) { b.set_author("440306"); }) == "sync.bad_author");
  CHECK(check([](Body& b) { b.clear_actor(); }) == "sync.malformed");
  CHECK(check([](Body& b) { b.set_time_ms(0); }) == "sync.malformed");
  CHECK(check([](Body& b) { b.clear_submitted(); }) == "sync.malformed");
  CHECK(check([](Body& b) { b.set_ticket_id("440306-20250303-000001"); }) == "sync.bad_author");
  CHECK(check([](Body& b) { b.mutable_submitted()->clear_rule_version(); }) == "sync.malformed");
  CHECK(check([](Body& b) {
          b.set_seq(2);
          b.set_prev_hash("short");
        }) == "sync.bad_prev_hash");
  CHECK(check([](Body& b) {
          b.set_seq(2);
          b.set_prev_hash(std::string(32, 'h'));
        }) == "sync.malformed");  // `submitted` again
  CHECK(check([](Body& b) {
          b.set_seq(2);
          b.set_prev_hash(std::string(32, 'h'));
          b.mutable_routed();
        }) == "sync.malformed");  // routed without a destination
}

TEST_CASE("a receipt names the filing and is signed by the intake node", "[receipt]") {
  const auto& county = federation().node("440305");
  auto event = author_event(test::first_event("440305", kTicket), county.keys.sign);
  REQUIRE(event);
  auto receipt = issue_receipt(*event, "440305001", county.keys.sign);
  REQUIRE(receipt);
  auto decoded = decode_receipt(to_wire(*receipt));
  REQUIRE(decoded);
  CHECK(decoded->body.ticket_id() == kTicket);
  CHECK(decoded->body.received_at_ms() == test::kT0);
  CHECK(decoded->body.competent_office() == "440305001");
  CHECK(decoded->body.filing_hash() == std::string(event->id.begin(), event->id.end()));
  CHECK(verify_signature(*decoded, county.keys.sign.public_key));

  auto forged = to_wire(*receipt);
  forged.mutable_body()->append("\x98\x06\x01", 3);
  CHECK(decode_receipt(forged).error().code == "sync.unknown_fields");
  auto other_signer = to_wire(*receipt);
  other_signer.set_signer("440306");
  CHECK(decode_receipt(other_signer).error().code == "sync.bad_receipt");
  CHECK_FALSE(issue_receipt(*event, "not a node", county.keys.sign));
}

TEST_CASE("encoding and signing in two steps gives what authoring in one does", "[event]") {
  const auto& county = federation().node("440305");
  const auto authored = author_event(test::first_event("440305", kTicket), county.keys.sign);
  REQUIRE(authored);
  auto encoded = encode_event(test::first_event("440305", kTicket));
  REQUIRE(encoded);
  CHECK(encoded->body_bytes == authored->body_bytes);
  CHECK(encoded->id == authored->id);
  CHECK_FALSE(verify_signature(*encoded, county.keys.sign.public_key));
  sign_event(*encoded, county.keys.sign);
  CHECK(encoded->signature == authored->signature);  // Ed25519 signatures are deterministic
  CHECK(encode_event(test::draft(weiquan::v1::ROLE_SYSTEM)).error().code == "sync.bad_version");

  auto receipt = encode_receipt(*encoded, "440305001");
  REQUIRE(receipt);
  sign_receipt(*receipt, county.keys.sign);
  CHECK(receipt->body_bytes == issue_receipt(*authored, "440305001", county.keys.sign)->body_bytes);
  CHECK(verify_signature(*receipt, county.keys.sign.public_key));
}
