// Library initialisation. crypto/ is the only module that includes <sodium.h>.
//
// init() calls sodium_init() once per process (std::call_once); every other crypto function calls
// it too, so callers never need to, but a binary should call it early to fail fast: a function that
// cannot report failure aborts the process if libsodium cannot initialise (no entropy source).
//
// Thread safety: safe to call from any thread, any number of times.
// Failure codes: crypto.init_failed.
#pragma once

#include "weiquan/result.h"

namespace wq::crypto {

Status init();

}  // namespace wq::crypto
