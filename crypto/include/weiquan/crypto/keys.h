// A node's two key pairs: Ed25519 for signatures and X25519 for sealed boxes.
//
// Secret material is held in SecretKey objects that wipe themselves (sodium_memzero) on
// destruction and never print. Key pairs are move-only.
//
// Thread safety: a const NodeKeys may be shared between threads.
#pragma once

#include <array>
#include <cstdint>

#include "weiquan/crypto/bytes.h"

namespace wq::crypto {

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
  static constexpr std::size_t size() { return N; }

 private:
  std::array<std::uint8_t, N> bytes_{};
};

struct SigningKeyPair {
  PublicKey public_key{};
  SecretKey<64> secret;  // libsodium's 64-byte Ed25519 secret key (seed || public key)

  static SigningKeyPair generate();
  // Deterministic pair from a 32-byte seed (key files store the seed).
  static SigningKeyPair from_seed(const std::array<std::uint8_t, 32>& seed);
  std::array<std::uint8_t, 32> seed() const;
};

struct BoxKeyPair {
  PublicKey public_key{};
  SecretKey<32> secret;

  static BoxKeyPair generate();
  static BoxKeyPair from_secret(const std::array<std::uint8_t, 32>& secret);
};

struct NodeKeys {
  SigningKeyPair sign;
  BoxKeyPair box;

  static NodeKeys generate();
};

}  // namespace wq::crypto
