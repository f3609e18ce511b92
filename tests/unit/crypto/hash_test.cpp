#include "weiquan/crypto/hash.h"

#include <catch2/catch.hpp>
#include <string>

namespace wq::crypto {
namespace {

TEST_CASE("blake2b_256 matches the reference vectors", "[crypto][hash]") {
  CHECK(to_hex(blake2b_256(as_bytes(""))) ==
        "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8");
  CHECK(to_hex(blake2b_256(as_bytes("abc"))) ==
        "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319");
}

TEST_CASE("Hasher over pieces equals blake2b_256 over their concatenation", "[crypto][hash]") {
  const std::string text = "weiquan ticket 110101-20260415-000001";
  for (std::size_t split = 0; split <= text.size(); split += 7) {
    Hasher hasher;
    hasher.update(as_bytes(std::string_view(text).substr(0, split)));
    hasher.update(as_bytes(std::string_view(text).substr(split)));
    CHECK(hasher.finish() == blake2b_256(as_bytes(text)));
  }
}

TEST_CASE("Hasher with no input gives the empty-string digest", "[crypto][hash]") {
  Hasher hasher;
  CHECK(hasher.finish() == blake2b_256({}));
}

TEST_CASE("a copied Hasher continues independently", "[crypto][hash]") {
  Hasher first;
  first.update(as_bytes("ab"));
  Hasher second = first;
  first.update(as_bytes("c"));
  second.update(as_bytes("d"));
  CHECK(first.finish() == blake2b_256(as_bytes("abc")));
  CHECK(second.finish() == blake2b_256(as_bytes("abd")));
}

}  // namespace
}  // namespace wq::crypto
