#include "weiquan/crypto/sodium.h"

#include <sodium.h>

#include <cstdio>
#include <cstdlib>
#include <mutex>

#include "ready.h"

namespace wq::crypto {

Status init() {
  static std::once_flag once;
  static int result = -1;
  std::call_once(once, [] { result = sodium_init(); });
  if (result < 0) {
    return make_error("crypto.init_failed",
                      "libsodium could not initialise (is a system entropy source available?)");
  }
  return {};
}

namespace detail {

void ensure_ready() {
  const Status status = init();
  if (!status) {
    std::fprintf(stderr, "weiquan: fatal: %s\n", status.error().message.c_str());
    std::abort();
  }
}

}  // namespace detail
}  // namespace wq::crypto
