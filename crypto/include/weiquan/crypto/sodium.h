// Library initialisation. crypto/ is the only module that includes <sodium.h>.
//
// init() calls sodium_init() once per process; every other crypto function calls it too, so callers
// never need to, but a binary may call it early to fail fast. Thread-safe.
#pragma once

#include "weiquan/result.h"

namespace wq::crypto {

Status init();

}  // namespace wq::crypto
