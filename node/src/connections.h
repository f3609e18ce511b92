// Connections: the registry of live HTTP sessions, shared by the server and every session so that
// either may outlive the other. It counts connections against the bound, lets the server reach
// every session at shutdown, and reports when the last one is gone.
//
// Thread safety: every member may be called from any thread (one mutex).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace wq::node::http {

class HttpSession;

class Connections {
 public:
  // Registers a session slot; false when `limit` sessions are live already (or stopping).
  bool try_reserve(std::size_t limit, std::uint64_t& id);
  void attach(std::uint64_t id, std::weak_ptr<HttpSession> session);
  void release(std::uint64_t id);

  // Stops admitting; `on_empty` runs (on the releasing thread, or here) once none are left.
  void begin_stop(std::function<void()> on_empty);
  // Called when the server goes away: nothing to notify any more.
  void forget_listener();

  std::vector<std::shared_ptr<HttpSession>> live() const;
  std::size_t size() const;
  bool stopping() const;

 private:
  mutable std::mutex mutex_;
  std::unordered_map<std::uint64_t, std::weak_ptr<HttpSession>> sessions_;
  std::uint64_t next_id_ = 1;
  bool stopping_ = false;
  std::function<void()> on_empty_;
};

}  // namespace wq::node::http
