#include "weiquan/crypto/seal.h"

#include <catch2/catch.hpp>
#include <string>

namespace wq::crypto {
namespace {

TEST_CASE("a sealed box opens with the recipient's key only", "[crypto][seal]") {
  const BoxKeyPair recipient = BoxKeyPair::generate();
  const std::string personal = "张三 110101199003071234 13800138000 北京市东城区";

  const Result<Bytes> box = seal(recipient.public_key, as_bytes(personal));
  REQUIRE(box.ok());
  CHECK(box->size() == personal.size() + 48);

  const Result<Bytes> opened = open_sealed(recipient, *box);
  REQUIRE(opened.ok());
  CHECK(std::string(opened->begin(), opened->end()) == personal);

  SECTION("wrong recipient") {
    const Result<Bytes> other = open_sealed(BoxKeyPair::generate(), *box);
    REQUIRE_FALSE(other.ok());
    CHECK(other.error().code == "crypto.seal_open_failed");
  }
  SECTION("tampered box") {
    for (std::size_t i = 0; i < box->size(); ++i) {
      Bytes altered = *box;
      altered[i] ^= 0x01;
      const Result<Bytes> result = open_sealed(recipient, altered);
      REQUIRE_FALSE(result.ok());
      CHECK(result.error().code == "crypto.seal_open_failed");
    }
  }
  SECTION("truncated box") {
    for (const std::size_t length : {std::size_t{0}, std::size_t{47}, box->size() - 1}) {
      const Result<Bytes> result = open_sealed(recipient, ByteView(*box).first(length));
      REQUIRE_FALSE(result.ok());
      CHECK(result.error().code == "crypto.seal_open_failed");
    }
  }
}

TEST_CASE("sealing the same plaintext twice gives different boxes", "[crypto][seal]") {
  const BoxKeyPair recipient = BoxKeyPair::generate();
  const Result<Bytes> a = seal(recipient.public_key, as_bytes("same"));
  const Result<Bytes> b = seal(recipient.public_key, as_bytes("same"));
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  CHECK(*a != *b);
}

TEST_CASE("an empty plaintext seals and opens", "[crypto][seal]") {
  const BoxKeyPair recipient = BoxKeyPair::generate();
  const Result<Bytes> box = seal(recipient.public_key, {});
  REQUIRE(box.ok());
  const Result<Bytes> opened = open_sealed(recipient, *box);
  REQUIRE(opened.ok());
  CHECK(opened->empty());
}

TEST_CASE("sealing to a low-order public key fails", "[crypto][seal]") {
  const Result<Bytes> box = seal(PublicKey{}, as_bytes("data"));
  REQUIRE_FALSE(box.ok());
  CHECK(box.error().code == "crypto.bad_public_key");
}

}  // namespace
}  // namespace wq::crypto
