// Cryptographically secure randomness (libsodium's randombytes) and constant-time comparison.
//
// Use these for nonces, session tokens and identifiers that must not be guessable; never for
// reproducible simulation, which draws from its own seeded generator.
//
// Thread safety: every function may be called from any thread. Never fails.
#pragma once

#include <cstdint>
#include <span>

#include "weiquan/crypto/bytes.h"

namespace wq::crypto {

// Fills `out` with random bytes.
void random_fill(std::span<std::uint8_t> out);

// A uniformly random 64-bit value.
std::uint64_t random_u64();

// True when a and b hold the same bytes. Takes the same time for every pair of equal-length inputs
// (use it for secrets such as session tokens and password-derived values); inputs of different
// lengths are unequal at once, so a length must never be secret.
[[nodiscard]] bool constant_time_equal(ByteView a, ByteView b);

}  // namespace wq::crypto
