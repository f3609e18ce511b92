// Runs programs, among them the real `weiquan` binary of this build, as child processes and
// captures their output.
#pragma once

#include <string>
#include <vector>

namespace wq::testing {

struct ProcessResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs `program` (a path; PATH is not searched) with `args` and waits for it to exit.
ProcessResult run_process(const std::string& program, const std::vector<std::string>& args);

// run_process of this build's `weiquan` binary.
ProcessResult run_weiquan(const std::vector<std::string>& args);

}  // namespace wq::testing
