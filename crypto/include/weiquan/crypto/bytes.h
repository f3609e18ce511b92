// Byte types shared by every crypto call, and their text forms (hex, base64).
//
// Ownership: plain values; ByteView never owns what it points at.
// Thread safety: pure functions.
// Failure codes: from_hex and from_base64 return "crypto.bad_encoding" for anything that is not a
// complete, canonical encoding; to_array returns "crypto.bad_length" for a view of the wrong size.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "weiquan/result.h"

namespace wq::crypto {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;

using PublicKey = std::array<std::uint8_t, 32>;  // Ed25519 or X25519 public key
using Signature = std::array<std::uint8_t, 64>;  // Ed25519 detached signature
using Hash = std::array<std::uint8_t, 32>;       // BLAKE2b-256

// The bytes of a string, without a terminating NUL.
ByteView as_bytes(std::string_view s);

// Lower-case hex. from_hex accepts either case and nothing else (no separators, even length).
std::string to_hex(ByteView bytes);
Result<Bytes> from_hex(std::string_view hex);

// Standard base64 with padding (RFC 4648 §4), as used in `weiquan export`. from_base64 refuses
// missing padding, characters outside the alphabet and non-zero trailing bits.
std::string to_base64(ByteView bytes);
Result<Bytes> from_base64(std::string_view text);

// Copies exactly N bytes; fails with "crypto.bad_length" otherwise.
template <std::size_t N>
Result<std::array<std::uint8_t, N>> to_array(ByteView bytes) {
  if (bytes.size() != N) {
    return make_error("crypto.bad_length", "expected " + std::to_string(N) + " bytes, got " +
                                               std::to_string(bytes.size()));
  }
  std::array<std::uint8_t, N> out{};
  std::copy(bytes.begin(), bytes.end(), out.begin());
  return out;
}

}  // namespace wq::crypto
