// Fixed-size byte types shared by every crypto call, and their text forms (hex, base64).
//
// Thread safety: pure functions. Failure: decoders return Result with code "crypto.bad_encoding".
#pragma once

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

ByteView as_bytes(std::string_view s);

std::string to_hex(ByteView bytes);
Result<Bytes> from_hex(std::string_view hex);

// Standard base64 with padding (RFC 4648 §4), as used in `weiquan export`.
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
  for (std::size_t i = 0; i < N; ++i) out[i] = bytes[i];
  return out;
}

}  // namespace wq::crypto
