#include "work_ahead.h"

#include <system_error>

namespace wq::sync {
namespace {

// Below this many items (signatures of about 8 tickets) starting a thread costs more than it saves.
constexpr std::size_t kMinItemsForHelper = 8;

}  // namespace

WorkAhead::WorkAhead(std::size_t count, std::function<void(std::size_t)> work)
    : count_(count), work_(std::move(work)), done_(new std::atomic<bool>[count]) {
  for (std::size_t i = 0; i < count_; ++i) done_[i].store(false, std::memory_order_relaxed);
  if (count_ < kMinItemsForHelper) return;
  try {
    helper_ = std::thread([this] {
      while (do_next()) {
      }
    });
  } catch (const std::system_error&) {
    // No thread to be had: the consumer does every item.
  }
}

WorkAhead::~WorkAhead() {
  next_.store(count_);
  if (helper_.joinable()) helper_.join();
}

bool WorkAhead::do_next() {
  const std::size_t index = next_.fetch_add(1);
  if (index >= count_) return false;
  work_(index);
  done_[index].store(true, std::memory_order_release);
  return true;
}

void WorkAhead::ready(std::size_t index) {
  while (!done_[index].load(std::memory_order_acquire)) {
    // Help with the pending items; once none is left, `index` is in the helper's hands.
    if (!do_next()) std::this_thread::yield();
  }
}

}  // namespace wq::sync
