#include "weiquan/crypto/random.h"

#include <sodium.h>

#include "ready.h"

namespace wq::crypto {

void random_fill(std::span<std::uint8_t> out) {
  detail::ensure_ready();
  if (out.empty()) return;  // randombytes_buf takes no null pointer, which an empty span may hold
  randombytes_buf(out.data(), out.size());
}

std::uint64_t random_u64() {
  detail::ensure_ready();
  std::uint64_t value = 0;
  randombytes_buf(&value, sizeof value);
  return value;
}

bool constant_time_equal(ByteView a, ByteView b) {
  detail::ensure_ready();
  return a.size() == b.size() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace wq::crypto
