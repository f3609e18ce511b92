#include "connections.h"

namespace wq::node::http {

bool Connections::try_reserve(std::size_t limit, std::uint64_t& id) {
  std::lock_guard lock(mutex_);
  if (stopping_ || sessions_.size() >= limit) return false;
  id = next_id_++;
  sessions_.emplace(id, std::weak_ptr<HttpSession>{});
  return true;
}

void Connections::attach(std::uint64_t id, std::weak_ptr<HttpSession> session) {
  std::lock_guard lock(mutex_);
  if (auto it = sessions_.find(id); it != sessions_.end()) it->second = std::move(session);
}

void Connections::release(std::uint64_t id) {
  std::function<void()> notify;
  {
    std::lock_guard lock(mutex_);
    sessions_.erase(id);
    if (stopping_ && sessions_.empty()) notify = std::move(on_empty_);
    if (notify) on_empty_ = nullptr;
  }
  if (notify) notify();
}

void Connections::begin_stop(std::function<void()> on_empty) {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    if (!sessions_.empty()) {
      on_empty_ = std::move(on_empty);
      return;
    }
  }
  on_empty();
}

void Connections::forget_listener() {
  std::lock_guard lock(mutex_);
  on_empty_ = nullptr;
}

std::vector<std::shared_ptr<HttpSession>> Connections::live() const {
  std::lock_guard lock(mutex_);
  std::vector<std::shared_ptr<HttpSession>> out;
  for (const auto& [id, weak] : sessions_) {
    if (auto session = weak.lock()) out.push_back(std::move(session));
  }
  return out;
}

std::size_t Connections::size() const {
  std::lock_guard lock(mutex_);
  return sessions_.size();
}

bool Connections::stopping() const {
  std::lock_guard lock(mutex_);
  return stopping_;
}

}  // namespace wq::node::http
