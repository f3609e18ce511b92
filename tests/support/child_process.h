// ChildProcess: a long-running program started by a test (a `weiquan run` node): spawn it, read
// lines from its standard output with a deadline, signal it by pid, wait for its exit with a
// deadline. Standard error goes to a file the test can show when it fails. A child still running
// when the object goes away is killed (SIGKILL) and reaped.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace wq::testing {

using Deadline = std::chrono::steady_clock::time_point;

inline Deadline deadline_in(std::chrono::milliseconds ms) {
  return std::chrono::steady_clock::now() + ms;
}

// Milliseconds left until `deadline` (0 once it has passed), as poll(2) takes them.
inline int remaining_ms(Deadline deadline) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
  return left.count() > 0 ? static_cast<int>(left.count()) : 0;
}

class ChildProcess {
 public:
  // Starts `program` (a path) with `args`; throws std::runtime_error when it cannot.
  ChildProcess(const std::string& program, const std::vector<std::string>& args,
               const std::filesystem::path& stderr_file);
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }

  // The next line of standard output (without '\n'); nullopt at end of output or the deadline.
  std::optional<std::string> read_line(Deadline deadline);
  void send_signal(int signal) const;
  // The exit status (128 + signal when killed by one); nullopt if still running at the deadline.
  std::optional<int> wait(Deadline deadline);
  // What the child wrote to standard error so far.
  std::string stderr_text() const;

 private:
  pid_t pid_ = -1;
  int out_fd_ = -1;
  int pid_fd_ = -1;
  std::string pending_;
  std::filesystem::path stderr_file_;
  std::optional<int> exit_status_;
};

}  // namespace wq::testing
