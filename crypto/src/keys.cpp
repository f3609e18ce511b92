#include "weiquan/crypto/keys.h"

#include <sodium.h>

#include <algorithm>
#include <cassert>

#include "ready.h"

namespace wq::crypto {

template <std::size_t N>
SecretKey<N>::~SecretKey() {
  sodium_memzero(bytes_.data(), bytes_.size());
}

template <std::size_t N>
SecretKey<N>::SecretKey(SecretKey&& other) noexcept : bytes_(other.bytes_) {
  sodium_memzero(other.bytes_.data(), other.bytes_.size());
}

template <std::size_t N>
SecretKey<N>& SecretKey<N>::operator=(SecretKey&& other) noexcept {
  if (this != &other) {
    bytes_ = other.bytes_;
    sodium_memzero(other.bytes_.data(), other.bytes_.size());
  }
  return *this;
}

template class SecretKey<32>;
template class SecretKey<64>;

static_assert(crypto_sign_PUBLICKEYBYTES == std::tuple_size_v<PublicKey>);
static_assert(crypto_sign_SECRETKEYBYTES == SecretKey<64>::size());
static_assert(crypto_sign_SEEDBYTES == SecretKey<32>::size());
static_assert(crypto_box_PUBLICKEYBYTES == std::tuple_size_v<PublicKey>);
static_assert(crypto_box_SECRETKEYBYTES == SecretKey<32>::size());
static_assert(crypto_scalarmult_BYTES == std::tuple_size_v<PublicKey>);

SigningKeyPair SigningKeyPair::generate() {
  detail::ensure_ready();
  SigningKeyPair pair;
  [[maybe_unused]] const int rc = crypto_sign_keypair(pair.public_key.data(), pair.secret.data());
  assert(rc == 0);
  return pair;
}

SigningKeyPair SigningKeyPair::from_seed(std::span<const std::uint8_t, 32> seed) {
  detail::ensure_ready();
  SigningKeyPair pair;
  [[maybe_unused]] const int rc =
      crypto_sign_seed_keypair(pair.public_key.data(), pair.secret.data(), seed.data());
  assert(rc == 0);
  return pair;
}

SecretKey<32> SigningKeyPair::seed() const {
  detail::ensure_ready();
  SecretKey<32> seed;
  [[maybe_unused]] const int rc = crypto_sign_ed25519_sk_to_seed(seed.data(), secret.data());
  assert(rc == 0);
  return seed;
}

BoxKeyPair BoxKeyPair::generate() {
  detail::ensure_ready();
  BoxKeyPair pair;
  [[maybe_unused]] const int rc = crypto_box_keypair(pair.public_key.data(), pair.secret.data());
  assert(rc == 0);
  return pair;
}

BoxKeyPair BoxKeyPair::from_secret(std::span<const std::uint8_t, 32> secret) {
  detail::ensure_ready();
  BoxKeyPair pair;
  std::copy(secret.begin(), secret.end(), pair.secret.data());
  [[maybe_unused]] const int rc =
      crypto_scalarmult_base(pair.public_key.data(), pair.secret.data());
  assert(rc == 0);
  return pair;
}

NodeKeys NodeKeys::generate() {
  return NodeKeys{SigningKeyPair::generate(), BoxKeyPair::generate()};
}

}  // namespace wq::crypto
