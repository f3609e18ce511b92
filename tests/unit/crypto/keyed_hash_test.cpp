#include "weiquan/crypto/keyed_hash.h"

#include <array>
#include <catch2/catch.hpp>

#include "weiquan/crypto/hash.h"

namespace wq::crypto {
namespace {

std::array<std::uint8_t, 32> counting_key() {
  std::array<std::uint8_t, 32> key{};
  for (std::size_t i = 0; i < key.size(); ++i) key[i] = static_cast<std::uint8_t>(i);
  return key;
}

// Expected digests from Python's hashlib.blake2b(data, key=bytes(range(32)), digest_size=32).
TEST_CASE("keyed_blake2b_256 matches an independent implementation", "[crypto][hash]") {
  const auto key = counting_key();
  CHECK(to_hex(keyed_blake2b_256(key, as_bytes(""))) ==
        "4e51e7a913fc80137da52880fecca175bf81e117d5c68126dc2774033517ea0d");
  CHECK(to_hex(keyed_blake2b_256(key, as_bytes("13812345678"))) ==
        "215625271113104639740b2a4d17c2092ba1f2e3deb6f455f83bb1c23f3dd6ec");
}

TEST_CASE("keyed_blake2b_256 depends on the key", "[crypto][hash]") {
  auto key = counting_key();
  const Hash first = keyed_blake2b_256(key, as_bytes("13812345678"));
  key[31] ^= 0x01;
  CHECK(keyed_blake2b_256(key, as_bytes("13812345678")) != first);
  CHECK(first != blake2b_256(as_bytes("13812345678")));
}

}  // namespace
}  // namespace wq::crypto
