// Runs programs, among them the real `weiquan` binary of this build, as child processes and
// captures their output.
#pragma once

#include <filesystem>
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

// A fresh directory under the system temp dir, removed when the object goes out of scope.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::string operator/(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

}  // namespace wq::testing
