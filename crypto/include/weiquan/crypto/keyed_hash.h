// Keyed BLAKE2b-256 (crypto_generichash with a 32-byte key): a pseudorandom fingerprint of a value
// that only the key's holder can compute, e.g. the lookup key of a consumer's phone number, which a
// node keeps instead of the number itself.
//
// Ownership: the caller owns and wipes the key (keep it in a SecretKey<32>).
// Thread safety: a pure function. Failure: never fails.
#pragma once

#include <cstdint>
#include <span>

#include "weiquan/crypto/bytes.h"

namespace wq::crypto {

Hash keyed_blake2b_256(std::span<const std::uint8_t, 32> key, ByteView data);

}  // namespace wq::crypto
