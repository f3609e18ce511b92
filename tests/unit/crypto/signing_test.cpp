#include "weiquan/crypto/signing.h"

#include <catch2/catch.hpp>

#include "helpers.h"

namespace wq::crypto {
namespace {

using test::hex_array;

const Domain kAllDomains[] = {Domain::certificate, Domain::revocation, Domain::event,
                              Domain::receipt,     Domain::envelope,   Domain::policy,
                              Domain::ack,         Domain::heartbeat,  Domain::supervision,
                              Domain::report};

TEST_CASE("domain tags name the version and the kind of object", "[crypto][signing]") {
  CHECK(domain_tag(Domain::certificate) == "weiquan/v1/certificate");
  CHECK(domain_tag(Domain::revocation) == "weiquan/v1/revocation");
  CHECK(domain_tag(Domain::event) == "weiquan/v1/event");
  CHECK(domain_tag(Domain::receipt) == "weiquan/v1/receipt");
  CHECK(domain_tag(Domain::envelope) == "weiquan/v1/envelope");
  CHECK(domain_tag(Domain::policy) == "weiquan/v1/policy");
  CHECK(domain_tag(Domain::ack) == "weiquan/v1/ack");
  CHECK(domain_tag(Domain::heartbeat) == "weiquan/v1/heartbeat");
  CHECK(domain_tag(Domain::supervision) == "weiquan/v1/supervision");
  CHECK(domain_tag(Domain::report) == "weiquan/v1/report");
}

TEST_CASE("the signature covers tag, NUL and body (independent Ed25519 vector)",
          "[crypto][signing]") {
  // Ed25519 over "weiquan/v1/event" || 0x00 || "hello" with the RFC 8032 test 1 seed, computed by
  // a separate implementation.
  const SigningKeyPair key = SigningKeyPair::from_seed(
      hex_array<32>("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
  const Signature signature = sign(key, Domain::event, as_bytes("hello"));
  CHECK(to_hex(signature) ==
        "826d84002d2e5f94499dc280b3b875779b4a4854667abe43a1694fd6b6281b3a"
        "b4b8bf2175ee41305f59fd436ebf8f6306c9ca2053b523ee8476e2210866dc03");
  CHECK(verify(key.public_key, Domain::event, as_bytes("hello"), signature));
}

TEST_CASE("verify accepts exactly what was signed", "[crypto][signing]") {
  const SigningKeyPair key = SigningKeyPair::generate();
  const Bytes body{'t', 'i', 'c', 'k', 'e', 't', 0, 1, 2, 3};

  for (const Domain domain : kAllDomains) {
    INFO(domain_tag(domain));
    const Signature signature = sign(key, domain, body);
    CHECK(verify(key.public_key, domain, body, signature));
    for (const Domain other : kAllDomains) {
      if (other != domain) CHECK_FALSE(verify(key.public_key, other, body, signature));
    }
  }

  const Signature signature = sign(key, Domain::event, body);
  SECTION("flipped body byte") {
    for (std::size_t i = 0; i < body.size(); ++i) {
      Bytes altered = body;
      altered[i] ^= 0x01;
      CHECK_FALSE(verify(key.public_key, Domain::event, altered, signature));
    }
  }
  SECTION("truncated or extended body") {
    CHECK_FALSE(
        verify(key.public_key, Domain::event, ByteView(body).first(body.size() - 1), signature));
    Bytes longer = body;
    longer.push_back(0);
    CHECK_FALSE(verify(key.public_key, Domain::event, longer, signature));
  }
  SECTION("flipped signature byte") {
    for (std::size_t i = 0; i < signature.size(); ++i) {
      Signature altered = signature;
      altered[i] ^= 0x80;
      CHECK_FALSE(verify(key.public_key, Domain::event, body, altered));
    }
  }
  SECTION("wrong key") {
    CHECK_FALSE(verify(SigningKeyPair::generate().public_key, Domain::event, body, signature));
    CHECK_FALSE(verify(PublicKey{}, Domain::event, body, signature));
  }
}

TEST_CASE("an empty body can be signed", "[crypto][signing]") {
  const SigningKeyPair key = SigningKeyPair::generate();
  const Signature signature = sign(key, Domain::policy, {});
  CHECK(verify(key.public_key, Domain::policy, {}, signature));
  CHECK_FALSE(verify(key.public_key, Domain::policy, Bytes{0}, signature));
}

}  // namespace
}  // namespace wq::crypto
