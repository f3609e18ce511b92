// Private to sync/: items of CPU-bound work (the writer's signatures) done ahead of a consumer on a
// helper thread, so that the consumer (the writer applying events) overlaps with them; the node
// runs on two cores.
//
// Items are taken in index order by whichever thread is free: the helper, and the consumer while it
// waits for the item it needs next. Each item is done exactly once.
// Threads: `work` runs on two threads at once, on different items. The other members belong to
// the consumer's thread. Destroying a WorkAhead stops the helper after its current item.
#pragma once

#include <atomic>
#include <cstddef>
#include <functional>
#include <memory>
#include <thread>

namespace wq::sync {

class WorkAhead {
 public:
  // Starts the helper unless `count` is too small for a thread to pay, or no thread can be had
  // (then the consumer does every item itself, in ready()).
  WorkAhead(std::size_t count, std::function<void(std::size_t)> work);
  WorkAhead(const WorkAhead&) = delete;
  WorkAhead& operator=(const WorkAhead&) = delete;
  ~WorkAhead();

  // Returns once item `index` is done, doing pending items itself meanwhile.
  void ready(std::size_t index);

 private:
  // Does the next pending item; false when none is left to take.
  bool do_next();

  std::size_t count_;
  std::function<void(std::size_t)> work_;
  std::atomic<std::size_t> next_{0};
  std::unique_ptr<std::atomic<bool>[]> done_;
  std::thread helper_;
};

}  // namespace wq::sync
