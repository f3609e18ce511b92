#include "weiquan/sync/memory_transport.h"

#include <algorithm>
#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <utility>

namespace wq::sync {
namespace {

using Bytes = Transport::Bytes;
// When an event runs: virtual time, then the order it was scheduled in.
using Key = std::pair<std::int64_t, std::uint64_t>;
using Link = std::pair<std::string, std::string>;

Link undirected(const std::string& a, const std::string& b) {
  return a < b ? Link(a, b) : Link(b, a);
}

}  // namespace

struct MemoryNetwork::State : std::enable_shared_from_this<MemoryNetwork::State> {
  struct Served {
    std::uint64_t transport = 0;  // which transport registered it
    Transport::Handler handler;
  };
  struct Pending {
    Transport::Done done;
    std::optional<Key> timeout;
  };

  mutable std::mutex mutex;
  std::mt19937_64 rng;
  std::int64_t now;
  std::uint64_t next_order = 0;
  std::uint64_t next_id = 1;  // of requests and transports
  std::map<Key, std::function<void()>> queue;
  std::map<std::pair<std::string, Channel>, Served> handlers;
  std::map<std::uint64_t, Pending> pending;  // requests whose `done` has not run
  std::set<Link> cuts;
  std::set<std::string> isolated;
  LinkFaults default_faults;
  std::map<Link, LinkFaults> faults;  // directed
  NetworkStats stats;

  State(std::uint64_t seed, std::int64_t start_ms) : rng(seed), now(start_ms) {}

  // The members below marked "locked" expect `mutex` held.

  Key schedule(std::int64_t at, std::function<void()> action) {  // locked
    const Key key{at, next_order++};
    queue.emplace(key, std::move(action));
    return key;
  }

  bool chance(double probability) {  // locked
    return static_cast<double>(rng() >> 11) * 0x1.0p-53 < probability;
  }

  bool cut(const std::string& from, const std::string& to) const {  // locked
    return isolated.contains(from) || isolated.contains(to) || cuts.contains(undirected(from, to));
  }

  const LinkFaults& faults_of(const std::string& from, const std::string& to) const {  // locked
    const auto it = faults.find({from, to});
    return it == faults.end() ? default_faults : it->second;
  }

  std::int64_t delay(const LinkFaults& link) {  // locked
    const std::int64_t low = std::max<std::int64_t>(0, link.min_delay_ms);
    const std::int64_t high = std::max(low, link.max_delay_ms);
    return low + static_cast<std::int64_t>(rng() % static_cast<std::uint64_t>(high - low + 1));
  }

  // Sends one message from `from` to `to`: runs `arrive` after the link's delay unless the
  // message is lost on the way; twice, with the link's probability, when `may_duplicate`.
  void send(const std::string& from, const std::string& to, bool may_duplicate,
            const std::function<void()>& arrive) {  // locked
    const LinkFaults& link = faults_of(from, to);
    if (cut(from, to) || chance(link.drop)) {
      ++stats.lost;
      return;
    }
    const int copies = may_duplicate && chance(link.duplicate) ? 2 : 1;
    if (copies == 2) ++stats.duplicated;
    for (int i = 0; i < copies; ++i) {
      schedule(now + delay(link), [this, from, to, arrive] {
        {
          std::lock_guard lock(mutex);
          if (cut(from, to)) {
            ++stats.lost;
            return;
          }
        }
        arrive();
      });
    }
  }

  // Runs the request's `done` with `outcome`, unless it already ran.
  void finish(std::uint64_t id, Result<Bytes> outcome) {
    Transport::Done done;
    {
      std::lock_guard lock(mutex);
      const auto it = pending.find(id);
      if (it == pending.end()) return;
      if (it->second.timeout) queue.erase(*it->second.timeout);
      done = std::move(it->second.done);
      pending.erase(it);
      if (outcome) {
        ++stats.replies;
      } else if (outcome.error().code == "sync.timeout") {
        ++stats.timeouts;
      } else if (outcome.error().code == "sync.unreachable") {
        ++stats.unreachable;
      }
    }
    done(std::move(outcome));
  }

  // The request `id` arrives at `to`.
  void deliver(std::uint64_t id, const std::string& from, const std::string& to, Channel channel,
               const Bytes& request) {
    Transport::Handler handler;
    {
      std::lock_guard lock(mutex);
      const auto it = handlers.find({to, channel});
      if (it == handlers.end()) {
        schedule(now, [this, id, to] {
          finish(id, make_error("sync.unreachable", "no node " + to + " serves the channel"));
        });
        return;
      }
      handler = it->second.handler;
      ++stats.delivered;
    }
    // The handler may answer later, from any thread, after the network is gone.
    auto answered = std::make_shared<bool>(false);
    handler(request, [weak = weak_from_this(), id, from, to, answered](Bytes reply) {
      const auto self = weak.lock();
      if (!self) return;
      std::lock_guard lock(self->mutex);
      if (*answered) return;
      *answered = true;
      State* state = self.get();
      state->send(to, from, false,
                  [state, id, reply = std::move(reply)] { state->finish(id, reply); });
    });
  }

  void request(const std::string& from, const std::string& to, Channel channel, Bytes bytes,
               std::chrono::milliseconds timeout, Transport::Done done) {
    std::lock_guard lock(mutex);
    ++stats.requests;
    const std::uint64_t id = next_id++;
    Pending& entry = pending[id];
    entry.done = std::move(done);
    if (bytes.size() > kMaxTransportPayload) {
      schedule(now, [this, id, size = bytes.size()] {
        finish(id, make_error("sync.too_large", "request of " + std::to_string(size) +
                                                    " bytes exceeds the transport's limit"));
      });
      return;
    }
    entry.timeout = schedule(now + timeout.count(), [this, id, to] {
      finish(id, make_error("sync.timeout", "no reply from " + to));
    });
    send(from, to, true, [this, id, from, to, channel, bytes = std::move(bytes)] {
      deliver(id, from, to, channel, bytes);
    });
  }

  // Runs the first event due at or before `limit`; false when there is none.
  bool run_one(std::int64_t limit) {
    std::function<void()> action;
    {
      std::lock_guard lock(mutex);
      if (queue.empty() || queue.begin()->first.first > limit) return false;
      now = std::max(now, queue.begin()->first.first);
      action = std::move(queue.begin()->second);
      queue.erase(queue.begin());
    }
    action();
    return true;
  }
};

namespace {

class MemoryTransport final : public Transport {
 public:
  MemoryTransport(std::shared_ptr<MemoryNetwork::State> state, std::string self, std::uint64_t id)
      : state_(std::move(state)), self_(std::move(self)), id_(id) {}

  ~MemoryTransport() override {
    std::lock_guard lock(state_->mutex);
    std::erase_if(state_->handlers, [&](const auto& entry) {
      return entry.first.first == self_ && entry.second.transport == id_;
    });
  }

  const std::string& self() const override { return self_; }

  Status serve(Channel channel, Handler handler) override {
    std::lock_guard lock(state_->mutex);
    state_->handlers[{self_, channel}] = {id_, std::move(handler)};
    return {};
  }

  void request(const std::string& to, Channel channel, Bytes request,
               std::chrono::milliseconds timeout, Done done) override {
    state_->request(self_, to, channel, std::move(request), timeout, std::move(done));
  }

  LinkState state() const override {
    std::lock_guard lock(state_->mutex);
    return state_->isolated.contains(self_) ? LinkState::reconnecting : LinkState::up;
  }

 private:
  std::shared_ptr<MemoryNetwork::State> state_;
  std::string self_;
  std::uint64_t id_;
};

}  // namespace

MemoryNetwork::MemoryNetwork(std::uint64_t seed, std::int64_t start_ms)
    : state_(std::make_shared<State>(seed, start_ms)) {}

MemoryNetwork::~MemoryNetwork() {
  // What is scheduled never runs now; it is destroyed outside the lock, as it may hold anything.
  std::map<Key, std::function<void()>> queue;
  std::map<std::uint64_t, State::Pending> pending;
  std::lock_guard lock(state_->mutex);
  queue.swap(state_->queue);
  pending.swap(state_->pending);
}

std::unique_ptr<Transport> MemoryNetwork::attach(const std::string& node_id) {
  std::uint64_t id = 0;
  {
    std::lock_guard lock(state_->mutex);
    id = state_->next_id++;
  }
  return std::make_unique<MemoryTransport>(state_, node_id, id);
}

void MemoryNetwork::set_default_faults(LinkFaults faults) {
  std::lock_guard lock(state_->mutex);
  state_->default_faults = faults;
}

void MemoryNetwork::set_faults(const std::string& from, const std::string& to, LinkFaults faults) {
  std::lock_guard lock(state_->mutex);
  state_->faults[{from, to}] = faults;
}

void MemoryNetwork::partition(const std::string& a, const std::string& b) {
  std::lock_guard lock(state_->mutex);
  state_->cuts.insert(undirected(a, b));
}

void MemoryNetwork::heal(const std::string& a, const std::string& b) {
  std::lock_guard lock(state_->mutex);
  state_->cuts.erase(undirected(a, b));
}

void MemoryNetwork::isolate(const std::string& node_id) {
  std::lock_guard lock(state_->mutex);
  state_->isolated.insert(node_id);
}

void MemoryNetwork::rejoin(const std::string& node_id) {
  std::lock_guard lock(state_->mutex);
  state_->isolated.erase(node_id);
}

std::int64_t MemoryNetwork::now_ms() const {
  std::lock_guard lock(state_->mutex);
  return state_->now;
}

void MemoryNetwork::run_until(std::int64_t ms) {
  while (state_->run_one(ms)) {
  }
  std::lock_guard lock(state_->mutex);
  state_->now = std::max(state_->now, ms);
}

bool MemoryNetwork::run_until_idle(std::int64_t limit_ms) {
  while (state_->run_one(limit_ms)) {
  }
  std::lock_guard lock(state_->mutex);
  if (state_->queue.empty()) return true;
  state_->now = std::max(state_->now, limit_ms);
  return false;
}

NetworkStats MemoryNetwork::stats() const {
  std::lock_guard lock(state_->mutex);
  return state_->stats;
}

}  // namespace wq::sync
