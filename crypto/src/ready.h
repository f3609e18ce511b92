// Private to crypto/: the call every entry point makes before touching libsodium.
#pragma once

namespace wq::crypto::detail {

// Runs sodium_init() once per process; aborts with a message if libsodium cannot initialise, for
// the functions that have no way to report it (see sodium.h).
void ensure_ready();

}  // namespace wq::crypto::detail
