// must(): for programs that run outside Catch2 (the benchmarks), a failed Result or Status becomes
// a Failure exception naming the step, which main reports once everything it started is stopped.
//
// Ownership: values in, values out. Thread safety: pure functions. Failure: throws Failure, whose
// what() reads "<what>: <code>: <message>" (or "<what>: <why>" from fail).
#pragma once

#include <stdexcept>
#include <string>
#include <utility>

#include "weiquan/result.h"

namespace wq::testing {

// A failure of a program's set-up or of its checks.
struct Failure : std::runtime_error {
  using std::runtime_error::runtime_error;
};

[[noreturn]] inline void fail(const std::string& what, const std::string& why) {
  throw Failure(what + ": " + why);
}

// The value of `result`, or a Failure of step `what`.
template <class T>
T must(Result<T> result, const std::string& what) {
  if (!result) fail(what, result.error().code + ": " + result.error().message);
  return std::move(result).value();
}

inline void must(const Status& status, const std::string& what) {
  if (!status) fail(what, status.error().code + ": " + status.error().message);
}

}  // namespace wq::testing
