#include "weiquan/crypto/keyed_hash.h"

#include <sodium.h>

#include <cassert>

#include "ready.h"

namespace wq::crypto {

static_assert(crypto_generichash_KEYBYTES == 32);

Hash keyed_blake2b_256(std::span<const std::uint8_t, 32> key, ByteView data) {
  detail::ensure_ready();
  Hash out{};
  [[maybe_unused]] const int rc =
      crypto_generichash(out.data(), out.size(), data.data(), data.size(), key.data(), key.size());
  assert(rc == 0);
  return out;
}

}  // namespace wq::crypto
