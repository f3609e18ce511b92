#include "weiquan/sync/certificate_codec.h"

#include <catch2/catch.hpp>

#include "sync_fixture.h"
#include "weiquan/crypto/signing.h"

using namespace wq;
using namespace wq::sync;
using test::federation;

namespace {

crypto::Certificate county_certificate(const crypto::NodeKeys& keys) {
  crypto::Certificate cert;
  cert.node_id = "440306";
  cert.level = crypto::Level::county;
  cert.region = "440306";
  cert.sign_key = keys.sign.public_key;
  cert.box_key = keys.box.public_key;
  cert.not_before_ms = test::kValidFrom;
  cert.not_after_ms = test::kValidUntil;
  cert.serial = 7;
  cert.issuer = "4403";
  return cert;
}

}  // namespace

TEST_CASE("a certificate is signed once and decodes to the same struct", "[certificate]") {
  const auto keys = crypto::NodeKeys::generate();
  const auto& city = federation().node("4403");
  auto issued = issue_certificate(county_certificate(keys), city.keys.sign);
  REQUIRE(issued);
  CHECK(crypto::verify(city.keys.sign.public_key, crypto::Domain::certificate, issued->body,
                       issued->signature));

  const auto wire = to_wire(*issued);
  CHECK(wire.signer() == "4403");
  auto decoded = decode_certificate(wire);
  REQUIRE(decoded);
  CHECK(decoded->body == issued->body);
  CHECK(decoded->signature == issued->signature);
  CHECK(decoded->cert.node_id == "440306");
  CHECK(decoded->cert.level == crypto::Level::county);
  CHECK(decoded->cert.sign_key == keys.sign.public_key);
  CHECK(decoded->cert.box_key == keys.box.public_key);
  CHECK(decoded->cert.serial == 7);
  CHECK(decoded->cert.not_after_ms == test::kValidUntil);

  crypto::TrustStore trust(federation().anchor());
  for (const auto& cert : federation().certificates()) REQUIRE(trust.add(cert));
  REQUIRE(trust.add(*decoded));
  CHECK(trust.verify_chain("440306", test::kT0));
}

TEST_CASE("the anchor certificate is self-signed by the national key", "[certificate]") {
  const auto& national = federation().node("cn");
  auto decoded = decode_certificate(to_wire(national.cert));
  REQUIRE(decoded);
  CHECK(decoded->cert.issuer == "cn");
  CHECK(decoded->cert.sign_key == national.keys.sign.public_key);
  crypto::TrustStore trust(national.keys.sign.public_key);
  CHECK(trust.add(*decoded));
}

TEST_CASE("certificates that contradict themselves are not issued", "[certificate]") {
  const auto keys = crypto::NodeKeys::generate();
  const auto& signer = federation().node("4403").keys.sign;
  auto cert = county_certificate(keys);
  cert.region = "4403";
  CHECK(issue_certificate(cert, signer).error().code == "sync.bad_certificate");
  cert = county_certificate(keys);
  cert.level = crypto::Level::city;
  CHECK(issue_certificate(cert, signer).error().code == "sync.bad_certificate");
  cert = county_certificate(keys);
  cert.not_after_ms = cert.not_before_ms;
  CHECK(issue_certificate(cert, signer).error().code == "sync.bad_certificate");
  cert = county_certificate(keys);
  cert.issuer = cert.node_id;
  CHECK(issue_certificate(cert, signer).error().code == "sync.bad_certificate");
}

TEST_CASE("decoding refuses unknown fields, bad sizes and a wrong signer", "[certificate]") {
  const auto& county = federation().node("440305");
  const auto wire = to_wire(county.cert);

  auto extended = wire;
  extended.mutable_body()->append("\x98\x06\x01", 3);  // field 99, varint 1
  CHECK(decode_certificate(extended).error().code == "sync.unknown_fields");

  auto unknown_level = wire;
  unknown_level.mutable_body()->append("\x18\x09", 2);  // level = 9
  CHECK(decode_certificate(unknown_level).error().code == "sync.unknown_fields");

  auto short_signature = wire;
  short_signature.mutable_signature()->pop_back();
  CHECK(decode_certificate(short_signature).error().code == "sync.malformed");

  auto huge = wire;
  huge.mutable_body()->append(std::string(kMaxCertificateBytes, '\0'));
  CHECK(decode_certificate(huge).error().code == "sync.too_large");

  auto garbage = wire;
  garbage.set_body("\xff\xff\xff");
  CHECK(decode_certificate(garbage).error().code == "sync.malformed");

  auto wrong_signer = wire;
  wrong_signer.set_signer("44");
  CHECK(decode_certificate(wrong_signer).error().code == "sync.bad_certificate");
}

TEST_CASE("revocations round-trip and are refused when malformed", "[certificate]") {
  const auto& city = federation().node("4403");
  crypto::Revocation revocation;
  revocation.issuer = "4403";
  revocation.node_id = "440305";
  revocation.serial = 1;
  revocation.revoked_at_ms = test::kT0;
  revocation.reason = "key lost";
  auto issued = issue_revocation(revocation, city.keys.sign);
  REQUIRE(issued);
  auto decoded = decode_revocation(to_wire(*issued));
  REQUIRE(decoded);
  CHECK(decoded->body == issued->body);
  CHECK(decoded->revocation.reason == "key lost");
  CHECK(decoded->revocation.revoked_at_ms == test::kT0);

  auto extended = to_wire(*issued);
  extended.mutable_body()->append("\x98\x06\x01", 3);
  CHECK(decode_revocation(extended).error().code == "sync.unknown_fields");

  revocation.serial = 0;
  CHECK(issue_revocation(revocation, city.keys.sign).error().code == "sync.bad_revocation");
}
