#include "weiquan/crypto/hash.h"

#include <sodium.h>

#include <cassert>
#include <cstddef>
#include <new>

#include "ready.h"

namespace wq::crypto {
namespace {

static_assert(crypto_generichash_BYTES == std::tuple_size_v<Hash>);

crypto_generichash_state* as_state(unsigned char* storage) {
  return std::launder(reinterpret_cast<crypto_generichash_state*>(storage));
}

}  // namespace

Hash blake2b_256(ByteView data) {
  detail::ensure_ready();
  Hash out{};
  [[maybe_unused]] const int rc =
      crypto_generichash(out.data(), out.size(), data.data(), data.size(), nullptr, 0);
  assert(rc == 0);
  return out;
}

Hasher::Hasher() {
  static_assert(sizeof(state_) == sizeof(crypto_generichash_state));
  static_assert(alignof(Hasher) % alignof(crypto_generichash_state) == 0);
  static_assert(offsetof(Hasher, state_) % alignof(crypto_generichash_state) == 0);
  detail::ensure_ready();
  ::new (static_cast<void*>(state_)) crypto_generichash_state;
  [[maybe_unused]] const int rc =
      crypto_generichash_init(as_state(state_), nullptr, 0, std::tuple_size_v<Hash>);
  assert(rc == 0);
}

void Hasher::update(ByteView data) {
  assert(!finished_);
  [[maybe_unused]] const int rc =
      crypto_generichash_update(as_state(state_), data.data(), data.size());
  assert(rc == 0);
}

Hash Hasher::finish() {
  assert(!finished_);
  finished_ = true;
  Hash out{};
  [[maybe_unused]] const int rc =
      crypto_generichash_final(as_state(state_), out.data(), out.size());
  assert(rc == 0);
  return out;
}

}  // namespace wq::crypto
