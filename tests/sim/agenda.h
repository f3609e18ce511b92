// Agenda: what the simulated world does at given virtual times (filings, officers' steps,
// partitions, crashes), run in time order, ties in the order they were scheduled.
//
// Ownership: owns the scheduled functions. Thread safety: one thread. Failure: never fails.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <utility>

namespace wq::sim {

class Agenda {
 public:
  void at(std::int64_t ms, std::function<void()> action) {
    queue_.emplace(std::pair(ms, next_++), std::move(action));
  }

  // Runs everything due at or before `now_ms`, including what those actions schedule then.
  void run_due(std::int64_t now_ms) {
    while (!queue_.empty() && queue_.begin()->first.first <= now_ms) {
      std::function<void()> action = std::move(queue_.begin()->second);
      queue_.erase(queue_.begin());
      action();
    }
  }

  bool empty() const { return queue_.empty(); }
  // The time of the next action; only when not empty().
  std::int64_t next_ms() const { return queue_.begin()->first.first; }

 private:
  std::map<std::pair<std::int64_t, std::uint64_t>, std::function<void()>> queue_;
  std::uint64_t next_ = 0;
};

}  // namespace wq::sim
