// The one file of the project that includes nats.h (DESIGN §3).
#include "weiquan/federation/nats_transport.h"

#include <nats/nats.h>

#include <array>
#include <atomic>
#include <charconv>
#include <condition_variable>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <shared_mutex>
#include <thread>
#include <utility>

#include "weiquan/sync/node_id.h"

namespace wq::federation {

namespace {

using Clock = std::chrono::steady_clock;
using sync::Channel;
using sync::LinkState;
using Bytes = sync::Transport::Bytes;

// A server that stops answering without closing the TCP connection is declared gone after
// kMaxPingsOut unanswered pings, kPingIntervalMs apart.
constexpr int64_t kPingIntervalMs = 5000;
constexpr int kMaxPingsOut = 3;
// How long the destructor lets subscriptions finish their queued messages before closing.
constexpr int64_t kDrainTimeoutMs = 2000;

Error setup_error(const std::string& what, natsStatus status) {
  return make_error("federation.nats_setup", what + ": " + natsStatus_GetText(status));
}

Error unreachable(std::string message) {
  return make_error("sync.unreachable", std::move(message));
}

// nats://HOST:PORT or tls://HOST:PORT, optionally with USER[:PASSWORD]@ before the host.
bool valid_url(std::string_view url) {
  std::string_view rest;
  for (std::string_view scheme : {"nats://", "tls://"}) {
    if (url.starts_with(scheme)) rest = url.substr(scheme.size());
  }
  if (const auto at = rest.rfind('@'); at != std::string_view::npos) rest.remove_prefix(at + 1);
  const auto colon = rest.rfind(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  for (const char c : rest.substr(0, colon)) {
    if (c == '/' || c == '@' || c <= ' ') return false;
  }
  const std::string_view port = rest.substr(colon + 1);
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  return ec == std::errc() && end == port.data() + port.size() && value >= 1 && value <= 65535;
}

std::size_t channel_index(Channel channel) {
  return channel == Channel::sync ? 0 : 1;
}

// The request id that ends a reply subject "<inbox>.<id>".
std::optional<std::uint64_t> request_id(std::string_view subject) {
  const std::string_view token = subject.substr(subject.rfind('.') + 1);
  std::uint64_t id = 0;
  const auto [end, ec] = std::from_chars(token.data(), token.data() + token.size(), id);
  if (ec != std::errc() || end != token.data() + token.size()) return std::nullopt;
  return id;
}

Bytes message_bytes(natsMsg* msg) {
  const auto* data = reinterpret_cast<const std::uint8_t*>(natsMsg_GetData(msg));
  return Bytes(data, data + natsMsg_GetDataLength(msg));
}

}  // namespace

struct NatsTransport::Impl : std::enable_shared_from_this<Impl> {
  struct Pending {
    Clock::time_point deadline;
    Done done;
  };
  struct Outcome {
    Done done;
    Error error;
  };
  // The closure of one serve() subscription.
  struct ServeSlot {
    Impl* impl = nullptr;
    std::size_t index = 0;
  };

  std::string node_id;
  std::string inbox;  // requests' reply subjects are "<inbox>.<request id>"

  // nats.c objects. `conn` becomes null (under life_mu, exclusively) only after every callback
  // has returned, just before it is destroyed; publishers hold life_mu shared.
  std::shared_mutex life_mu;
  bool closing = false;  // guarded by life_mu: set first by shutdown(), refuses new work
  natsOptions* options = nullptr;
  natsConnection* conn = nullptr;
  natsSubscription* inbox_sub = nullptr;

  // Link state, and what shutdown() waits for.
  mutable std::mutex state_mu;
  std::condition_variable state_cv;
  LinkState link = LinkState::reconnecting;
  int link_events = 0;  // connection events seen from nats.c
  bool closed = false;  // nats.c's closed callback ran
  int open_subs = 0;    // subscriptions whose completion callback has not run yet

  // serve(): one subscription per channel, created once; its handler may be replaced.
  std::mutex serve_mu;
  std::array<natsSubscription*, 2> serve_subs{};
  std::array<std::shared_ptr<const Handler>, 2> handlers;
  std::array<ServeSlot, 2> slots;

  // request(): pending requests by id, their deadlines, and outcomes the worker is to deliver.
  std::mutex pending_mu;
  std::condition_variable pending_cv;
  std::map<std::uint64_t, Pending> pending;
  std::set<std::pair<Clock::time_point, std::uint64_t>> deadlines;
  std::vector<Outcome> outcomes;
  std::uint64_t next_id = 1;
  bool stopping = false;
  std::thread worker;

  Impl() {
    for (std::size_t i = 0; i < slots.size(); ++i) slots[i] = ServeSlot{this, i};
  }

  LinkState current_link() const {
    std::lock_guard lock(state_mu);
    return link;
  }

  void set_link(LinkState state) {
    std::lock_guard lock(state_mu);
    ++link_events;
    link = state;
  }

  // After a connect that succeeded at once: up, unless nats.c already reported a later event.
  void set_up_unless_reported() {
    std::lock_guard lock(state_mu);
    if (link_events == 0) link = LinkState::up;
  }

  // --- pending requests ---

  // Hands `done` with `error` to the worker thread (never runs it on the caller's stack).
  void deliver_later(Done done, Error error) {
    std::lock_guard lock(pending_mu);
    outcomes.push_back(Outcome{std::move(done), std::move(error)});
    pending_cv.notify_one();
  }

  std::uint64_t add_pending(Clock::time_point deadline, Done done) {
    std::lock_guard lock(pending_mu);
    const std::uint64_t id = next_id++;
    pending.emplace(id, Pending{deadline, std::move(done)});
    deadlines.emplace(deadline, id);
    pending_cv.notify_one();
    return id;
  }

  // Removes request `id`; its `done` for exactly one caller, nullopt when already answered.
  std::optional<Done> take(std::uint64_t id) {
    std::lock_guard lock(pending_mu);
    const auto it = pending.find(id);
    if (it == pending.end()) return std::nullopt;
    Done done = std::move(it->second.done);
    deadlines.erase({it->second.deadline, id});
    pending.erase(it);
    return done;
  }

  // Every pending request fails with sync.unreachable (the link dropped: core NATS keeps nothing).
  void fail_pending(const std::string& why) {
    std::lock_guard lock(pending_mu);
    for (auto& [id, entry] : pending) {
      outcomes.push_back(Outcome{std::move(entry.done), unreachable(why)});
    }
    pending.clear();
    deadlines.clear();
    pending_cv.notify_one();
  }

  // The worker: delivers queued outcomes and times out requests at their deadlines; when stopping,
  // fails whatever is left and returns.
  void run_worker() {
    std::unique_lock lock(pending_mu);
    for (;;) {
      std::vector<Outcome> due = std::move(outcomes);
      outcomes.clear();
      const auto now = Clock::now();
      while (!deadlines.empty() && (stopping || deadlines.begin()->first <= now)) {
        const std::uint64_t id = deadlines.begin()->second;
        deadlines.erase(deadlines.begin());
        const auto it = pending.find(id);
        due.push_back(Outcome{std::move(it->second.done),
                              stopping ? unreachable("the NATS transport was closed")
                                       : make_error("sync.timeout", "no reply in time")});
        pending.erase(it);
      }
      if (!due.empty()) {
        lock.unlock();
        for (Outcome& outcome : due) outcome.done(std::move(outcome.error));
        lock.lock();
        continue;
      }
      if (stopping) return;
      if (deadlines.empty()) {
        pending_cv.wait(lock);
      } else {
        const Clock::time_point next = deadlines.begin()->first;  // a copy: the set may change
        pending_cv.wait_until(lock, next);
      }
    }
  }

  // --- serving ---

  // Publishes a reply while the connection exists (a refused one is the requester's timeout).
  void publish_reply(const std::string& subject, const Bytes& data) {
    std::shared_lock life(life_mu);
    if (conn == nullptr) return;
    (void)natsConnection_Publish(conn, subject.c_str(), data.data(), static_cast<int>(data.size()));
  }

  Respond make_respond(std::string reply_to) {
    auto used = std::make_shared<std::atomic<bool>>(false);
    return [weak = weak_from_this(), reply_to = std::move(reply_to), used](Bytes reply) {
      if (reply_to.empty() || used->exchange(true)) return;
      if (reply.size() > sync::kMaxTransportPayload) return;
      if (const auto impl = weak.lock()) impl->publish_reply(reply_to, reply);
    };
  }

  // --- nats.c callbacks: short, never blocking ---

  static void on_connected(natsConnection*, void* closure) {
    static_cast<Impl*>(closure)->set_link(LinkState::up);
  }
  static void on_reconnected(natsConnection*, void* closure) {
    static_cast<Impl*>(closure)->set_link(LinkState::up);
  }
  static void on_disconnected(natsConnection*, void* closure) {
    auto* impl = static_cast<Impl*>(closure);
    impl->set_link(LinkState::reconnecting);
    impl->fail_pending("the link to NATS dropped while the request was pending");
  }
  static void on_closed(natsConnection*, void* closure) {
    auto* impl = static_cast<Impl*>(closure);
    std::lock_guard lock(impl->state_mu);
    ++impl->link_events;
    impl->link = LinkState::down;
    impl->closed = true;
    impl->state_cv.notify_all();
  }
  static void on_subscription_complete(void* closure) {
    auto* impl = static_cast<Impl*>(closure);
    std::lock_guard lock(impl->state_mu);
    --impl->open_subs;
    impl->state_cv.notify_all();
  }

  static void on_reply(natsConnection*, natsSubscription*, natsMsg* msg, void* closure) {
    auto* impl = static_cast<Impl*>(closure);
    const std::optional<std::uint64_t> id = request_id(natsMsg_GetSubject(msg));
    const bool no_responders = natsMsg_IsNoResponders(msg);
    Bytes data = message_bytes(msg);
    natsMsg_Destroy(msg);  // `msg` owns the subject's characters too
    if (!id) return;
    auto done = impl->take(*id);
    if (!done) return;  // a late reply: the request already timed out or failed
    if (no_responders) {
      (*done)(unreachable("no node serves the subject (NATS: no responders)"));
    } else {
      (*done)(std::move(data));
    }
  }

  static void on_request(natsConnection*, natsSubscription*, natsMsg* msg, void* closure) {
    auto* slot = static_cast<ServeSlot*>(closure);
    const char* reply = natsMsg_GetReply(msg);
    std::string reply_to = reply == nullptr ? std::string() : std::string(reply);
    Bytes data = message_bytes(msg);
    natsMsg_Destroy(msg);
    std::shared_ptr<const Handler> handler;
    {
      std::lock_guard lock(slot->impl->serve_mu);
      handler = slot->impl->handlers[slot->index];
    }
    if (handler) (*handler)(std::move(data), slot->impl->make_respond(std::move(reply_to)));
  }

  // --- setup and teardown ---

  // A subscription whose completion is awaited by shutdown().
  Result<natsSubscription*> subscribe(const std::string& subject, natsMsgHandler handler,
                                      void* closure) {
    natsSubscription* sub = nullptr;
    if (const natsStatus s =
            natsConnection_Subscribe(&sub, conn, subject.c_str(), handler, closure);
        s != NATS_OK) {
      return setup_error("cannot subscribe to " + subject, s);
    }
    if (const natsStatus s = natsSubscription_SetOnCompleteCB(sub, on_subscription_complete, this);
        s != NATS_OK) {
      natsSubscription_Destroy(sub);
      return setup_error("cannot watch the subscription to " + subject, s);
    }
    std::lock_guard lock(state_mu);
    ++open_subs;
    return sub;
  }

  Status configure(const NatsOptions& o) {
    if (const natsStatus s = natsOptions_Create(&options); s != NATS_OK) {
      return setup_error("cannot create NATS options", s);
    }
    std::vector<const char*> urls;
    for (const std::string& url : o.urls) urls.push_back(url.c_str());
    if (const natsStatus s =
            natsOptions_SetServers(options, urls.data(), static_cast<int>(urls.size()));
        s != NATS_OK) {
      return make_error("federation.nats_bad_url",
                        std::string("nats.c refused the server list: ") + natsStatus_GetText(s));
    }
    const std::string name = o.name.empty() ? "weiquan " + o.node_id : o.name;
    const std::pair<const char*, natsStatus> steps[] = {
        {"name", natsOptions_SetName(options, name.c_str())},
        {"no randomize", natsOptions_SetNoRandomize(options, true)},
        {"timeout", natsOptions_SetTimeout(options, o.connect_timeout.count())},
        {"allow reconnect", natsOptions_SetAllowReconnect(options, true)},
        {"max reconnect", natsOptions_SetMaxReconnect(options, -1)},
        {"reconnect wait", natsOptions_SetReconnectWait(options, o.reconnect_wait.count())},
        {"retry on failed connect",
         natsOptions_SetRetryOnFailedConnect(options, true, on_connected, this)},
        {"send asap", natsOptions_SetSendAsap(options, true)},
        {"fail requests on disconnect", natsOptions_SetFailRequestsOnDisconnect(options, true)},
        {"ping interval", natsOptions_SetPingInterval(options, kPingIntervalMs)},
        {"max pings out", natsOptions_SetMaxPingsOut(options, kMaxPingsOut)},
        {"disconnected callback", natsOptions_SetDisconnectedCB(options, on_disconnected, this)},
        {"reconnected callback", natsOptions_SetReconnectedCB(options, on_reconnected, this)},
        {"closed callback", natsOptions_SetClosedCB(options, on_closed, this)},
    };
    for (const auto& [what, status] : steps) {
      if (status != NATS_OK)
        return setup_error(std::string("cannot set NATS option ") + what, status);
    }
    return {};
  }

  Status start() {
    worker = std::thread([this] { run_worker(); });
    const natsStatus connected = natsConnection_Connect(&conn, options);
    if (connected == NATS_OK) {
      set_up_unless_reported();
    } else if (connected != NATS_NOT_YET_CONNECTED) {
      return setup_error("cannot create the NATS connection", connected);
    }
    natsInbox* new_inbox = nullptr;
    if (const natsStatus s = natsInbox_Create(&new_inbox); s != NATS_OK) {
      return setup_error("cannot create an inbox", s);
    }
    inbox = new_inbox;
    natsInbox_Destroy(new_inbox);
    auto sub = subscribe(inbox + ".*", on_reply, this);
    if (!sub) return sub.error();
    inbox_sub = *sub;
    return {};
  }

  // Idempotent; see the header's contract for the destructor.
  void shutdown() {
    {
      std::unique_lock life(life_mu);
      if (closing) return;
      closing = true;
    }
    if (conn != nullptr) {
      const bool drained = natsConnection_Status(conn) == NATS_CONN_STATUS_CONNECTED &&
                           natsConnection_DrainTimeout(conn, kDrainTimeoutMs) == NATS_OK;
      if (!drained) natsConnection_Close(conn);
      std::unique_lock lock(state_mu);
      const auto all_done = [this] { return closed && open_subs == 0; };
      if (!state_cv.wait_for(lock, std::chrono::milliseconds(2 * kDrainTimeoutMs), all_done)) {
        lock.unlock();
        natsConnection_Close(conn);  // a drain that did not finish; closing again is harmless
        lock.lock();
        state_cv.wait(lock, all_done);
      }
    }
    {
      std::lock_guard lock(pending_mu);
      stopping = true;
      pending_cv.notify_one();
    }
    if (worker.joinable()) worker.join();
    natsSubscription_Destroy(inbox_sub);
    for (natsSubscription* sub : serve_subs) natsSubscription_Destroy(sub);
    natsConnection* gone = nullptr;
    {
      std::unique_lock life(life_mu);
      std::swap(gone, conn);
    }
    natsConnection_Destroy(gone);
    natsOptions_Destroy(options);
    options = nullptr;
  }
};

std::string node_subject(std::string_view node_id, Channel channel) {
  std::string subject = "wq.v1.n.";
  subject += node_id;
  subject += '.';
  subject += sync::channel_name(channel);
  return subject;
}

Result<std::unique_ptr<NatsTransport>> NatsTransport::connect(NatsOptions options) {
  if (!sync::valid_node_id(options.node_id)) {
    return make_error("federation.nats_bad_node_id", "not a node id: " + options.node_id);
  }
  if (options.urls.empty()) return make_error("federation.nats_bad_url", "no NATS server URL");
  for (const std::string& url : options.urls) {
    if (!valid_url(url)) {
      return make_error("federation.nats_bad_url",
                        "not nats://HOST:PORT or tls://HOST:PORT: " + url);
    }
  }
  auto impl = std::make_shared<Impl>();
  impl->node_id = options.node_id;
  Status ready = impl->configure(options);
  if (ready) ready = impl->start();
  if (!ready) {
    impl->shutdown();
    return ready.error();
  }
  return std::unique_ptr<NatsTransport>(new NatsTransport(std::move(impl)));
}

NatsTransport::NatsTransport(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}

NatsTransport::~NatsTransport() {
  impl_->shutdown();
}

const std::string& NatsTransport::self() const {
  return impl_->node_id;
}

sync::LinkState NatsTransport::state() const {
  return impl_->current_link();
}

Status NatsTransport::serve(Channel channel, Handler handler) {
  Impl& impl = *impl_;
  std::shared_lock life(impl.life_mu);
  if (impl.closing) return unreachable("the NATS transport is closing");
  const std::size_t index = channel_index(channel);
  {
    std::lock_guard lock(impl.serve_mu);
    impl.handlers[index] = std::make_shared<const Handler>(std::move(handler));
    if (impl.serve_subs[index] != nullptr) return {};
    auto sub =
        impl.subscribe(node_subject(impl.node_id, channel), Impl::on_request, &impl.slots[index]);
    if (!sub) {
      impl.handlers[index].reset();
      return unreachable(sub.error().message);
    }
    impl.serve_subs[index] = *sub;
  }
  // When the link is up, make sure the server has the subscription before serve() returns.
  if (natsConnection_Status(impl.conn) == NATS_CONN_STATUS_CONNECTED) {
    (void)natsConnection_FlushTimeout(impl.conn, 1000);
  }
  return {};
}

void NatsTransport::request(const std::string& to, Channel channel, Bytes request,
                            std::chrono::milliseconds timeout, Done done) {
  Impl& impl = *impl_;
  if (request.size() > sync::kMaxTransportPayload) {
    return impl.deliver_later(
        std::move(done),
        make_error("sync.too_large", "request of " + std::to_string(request.size()) +
                                         " bytes exceeds the transport limit"));
  }
  if (!sync::valid_node_id(to)) {
    return impl.deliver_later(std::move(done), unreachable("not a node id: " + to));
  }
  std::shared_lock life(impl.life_mu);
  if (impl.closing) {
    return impl.deliver_later(std::move(done), unreachable("the NATS transport is closing"));
  }
  if (const LinkState link = impl.current_link(); link != LinkState::up) {
    return impl.deliver_later(
        std::move(done),
        unreachable("the link to NATS is " + std::string(sync::link_state_name(link))));
  }
  const std::uint64_t id = impl.add_pending(Clock::now() + timeout, std::move(done));
  const std::string reply = impl.inbox + "." + std::to_string(id);
  // Published while the link went down, the request may sit in nats.c's reconnect buffer, to be
  // sent much later: fail it now (the disconnected callback may already have run).
  const bool sent =
      natsConnection_PublishRequest(impl.conn, node_subject(to, channel).c_str(), reply.c_str(),
                                    request.data(), static_cast<int>(request.size())) == NATS_OK &&
      natsConnection_Status(impl.conn) == NATS_CONN_STATUS_CONNECTED;
  if (!sent) {
    if (auto pending = impl.take(id)) {
      impl.deliver_later(std::move(*pending), unreachable("NATS did not take the request"));
    }
  }
}

}  // namespace wq::federation
