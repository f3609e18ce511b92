// Shared by the crypto unit tests: fixed byte values written as hex.
#pragma once

#include <array>
#include <catch2/catch.hpp>
#include <cstdint>
#include <string_view>

#include "weiquan/crypto/bytes.h"

namespace wq::crypto::test {

// The N bytes spelled by `hex`; fails the running test if it is not exactly that.
template <std::size_t N>
std::array<std::uint8_t, N> hex_array(std::string_view hex) {
  const Result<Bytes> bytes = from_hex(hex);
  REQUIRE(bytes.ok());
  const Result<std::array<std::uint8_t, N>> array = to_array<N>(*bytes);
  REQUIRE(array.ok());
  return *array;
}

}  // namespace wq::crypto::test
