// ScopedEnv: sets an environment variable for as long as it lives, so that the `weiquan` processes
// a test starts meanwhile read it (weiquan run takes several options from the environment), and
// removes it again when the test ends, passed or not.
//
// Thread safety: setenv/unsetenv; construct and destroy on the test's thread while no other thread
// reads the environment.
#pragma once

#include <cstdlib>
#include <string>
#include <utility>

namespace wq::testing {

class ScopedEnv {
 public:
  ScopedEnv(std::string name, const std::string& value) : name_(std::move(name)) {
    ::setenv(name_.c_str(), value.c_str(), 1);
  }
  ~ScopedEnv() { ::unsetenv(name_.c_str()); }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;

 private:
  std::string name_;
};

}  // namespace wq::testing
