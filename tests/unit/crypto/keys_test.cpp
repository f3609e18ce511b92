#include "weiquan/crypto/keys.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <utility>

#include "helpers.h"

namespace wq::crypto {
namespace {

using test::hex_array;

template <std::size_t N>
bool all_zero(const SecretKey<N>& key) {
  return std::all_of(key.data(), key.data() + N, [](std::uint8_t b) { return b == 0; });
}

TEST_CASE("an Ed25519 pair from the RFC 8032 seed has the RFC public key", "[crypto][keys]") {
  const auto seed =
      hex_array<32>("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60");
  const SigningKeyPair pair = SigningKeyPair::from_seed(seed);
  CHECK(to_hex(pair.public_key) ==
        "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
  const SecretKey<32> back = pair.seed();
  CHECK(std::equal(seed.begin(), seed.end(), back.data()));
}

TEST_CASE("an X25519 pair from the RFC 7748 secret has the RFC public key", "[crypto][keys]") {
  const auto secret =
      hex_array<32>("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
  const BoxKeyPair pair = BoxKeyPair::from_secret(secret);
  CHECK(to_hex(pair.public_key) ==
        "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
  CHECK(std::equal(secret.begin(), secret.end(), pair.secret.data()));
}

TEST_CASE("generated pairs are fresh and self-consistent", "[crypto][keys]") {
  const NodeKeys a = NodeKeys::generate();
  const NodeKeys b = NodeKeys::generate();
  CHECK(a.sign.public_key != b.sign.public_key);
  CHECK(a.box.public_key != b.box.public_key);
  CHECK(SigningKeyPair::from_seed(a.sign.seed().view()).public_key == a.sign.public_key);
  CHECK(BoxKeyPair::from_secret(a.box.secret.view()).public_key == a.box.public_key);
}

TEST_CASE("moving a SecretKey wipes the source", "[crypto][keys]") {
  SigningKeyPair pair = SigningKeyPair::generate();
  REQUIRE_FALSE(all_zero(pair.secret));
  const SigningKeyPair moved = std::move(pair);
  CHECK(all_zero(pair.secret));  // moved from: must be wiped
  CHECK_FALSE(all_zero(moved.secret));

  BoxKeyPair box = BoxKeyPair::generate();
  BoxKeyPair target = BoxKeyPair::generate();
  const PublicKey expected = box.public_key;
  target = std::move(box);
  CHECK(all_zero(box.secret));  // moved from: must be wiped
  CHECK(BoxKeyPair::from_secret(target.secret.view()).public_key == expected);
}

}  // namespace
}  // namespace wq::crypto
