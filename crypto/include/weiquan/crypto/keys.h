// A node's two key pairs: Ed25519 for signatures and X25519 for sealed boxes.
//
// Ownership: secret material lives only in SecretKey objects, which wipe themselves
// (sodium_memzero) on destruction and when moved from, and never print. Key pairs are move-only.
// Thread safety: a const NodeKeys may be shared between threads.
// Failure: never fails (generation aborts only if libsodium cannot initialise, see sodium.h).
#pragma once

#include <array>
#include <cstdint>
#include <span>

#include "weiquan/crypto/bytes.h"

namespace wq::crypto {

// N secret bytes. Instantiated for N = 32 (seeds, X25519 secrets) and N = 64 (Ed25519 secrets).
template <std::size_t N>
class SecretKey {
 public:
  SecretKey() = default;
  ~SecretKey();
  SecretKey(SecretKey&& other) noexcept;
  SecretKey& operator=(SecretKey&& other) noexcept;
  SecretKey(const SecretKey&) = delete;
  SecretKey& operator=(const SecretKey&) = delete;

  std::uint8_t* data() { return bytes_.data(); }
  const std::uint8_t* data() const { return bytes_.data(); }
  std::span<const std::uint8_t, N> view() const { return bytes_; }
  static constexpr std::size_t size() { return N; }

 private:
  std::array<std::uint8_t, N> bytes_{};
};

extern template class SecretKey<32>;
extern template class SecretKey<64>;

struct SigningKeyPair {
  PublicKey public_key{};
  SecretKey<64> secret;  // libsodium's 64-byte Ed25519 secret key (seed || public key)

  static SigningKeyPair generate();
  // Deterministic pair from a 32-byte seed (key files store the seed). Accepts a std::array or a
  // SecretKey<32>::view(); the caller keeps ownership of (and wipes) the seed.
  static SigningKeyPair from_seed(std::span<const std::uint8_t, 32> seed);
  SecretKey<32> seed() const;
};

struct BoxKeyPair {
  PublicKey public_key{};
  SecretKey<32> secret;

  static BoxKeyPair generate();
  // The pair whose public key is derived from `secret` (key files store the secret).
  static BoxKeyPair from_secret(std::span<const std::uint8_t, 32> secret);
};

struct NodeKeys {
  SigningKeyPair sign;
  BoxKeyPair box;

  static NodeKeys generate();
};

}  // namespace wq::crypto
