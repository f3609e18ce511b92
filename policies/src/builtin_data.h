// Private to policies/: turns the result of loading a table embedded in the binary into its value.
// The embedded tables are checked by the unit tests, so a failure here is a build defect: the
// process stops with the reason rather than run with rules it cannot read.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <utility>

#include "weiquan/result.h"

namespace wq::policies::detail {

template <class T>
T expect_builtin(Result<T> loaded, const char* what) {
  if (!loaded.ok()) {
    std::fprintf(stderr, "weiquan: the built-in %s cannot be loaded: %s: %s\n", what,
                 loaded.error().code.c_str(), loaded.error().message.c_str());
    std::abort();
  }
  return std::move(loaded).value();
}

}  // namespace wq::policies::detail
