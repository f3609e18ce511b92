// NatsTransport against real nats-server processes: request and reply, many requests at once, no
// responder, oversize, timeouts, a server that goes away and comes back on the same port, a node
// that starts before its server, shutdown with requests pending, and a hub and leaf server pair.

#include "weiquan/federation/nats_transport.h"

#include <catch2/catch.hpp>
#include <condition_variable>
#include <map>
#include <mutex>
#include <thread>

#include "child_process.h"
#include "nats_server.h"
#include "temp_dir.h"

using namespace std::chrono_literals;
using wq::federation::NatsOptions;
using wq::federation::NatsTransport;
using wq::sync::Channel;
using wq::sync::LinkState;
using wq::testing::Deadline;
using wq::testing::deadline_in;
using wq::testing::NatsServer;
using wq::testing::NatsServerConfig;
using wq::testing::TempDir;
using Bytes = wq::sync::Transport::Bytes;

namespace {

Bytes bytes(const std::string& text) {
  return Bytes(text.begin(), text.end());
}
std::string text(const Bytes& data) {
  return std::string(data.begin(), data.end());
}

std::unique_ptr<NatsTransport> connect(const std::string& node,
                                       const std::vector<std::string>& urls) {
  auto transport = NatsTransport::connect(NatsOptions{urls, node, "", 100ms, 1000ms});
  INFO((transport ? "" : transport.error().code + ": " + transport.error().message));
  REQUIRE(transport);
  return std::move(transport).value();
}

// Polls `condition` (state changes have no notification) until it holds or the deadline passes.
template <class Condition>
bool eventually(Condition condition, Deadline deadline) {
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(10ms);
  }
  return true;
}

// Records every `done` call by request key, and on which thread it ran.
class Outcomes {
 public:
  using Outcome = wq::Result<Bytes>;

  wq::sync::Transport::Done done(int key) {
    return [this, key](Outcome outcome) {
      std::lock_guard lock(mu_);
      calls_[key].push_back(std::move(outcome));
      threads_[key] = std::this_thread::get_id();
      ++total_;
      cv_.notify_all();
    };
  }

  // True once `n` calls in all have arrived before the deadline.
  bool wait_for(std::size_t n, Deadline deadline) {
    std::unique_lock lock(mu_);
    return cv_.wait_until(lock, deadline, [&] { return total_ >= n; });
  }

  std::size_t total() const {
    std::lock_guard lock(mu_);
    return total_;
  }
  std::size_t calls(int key) const {
    std::lock_guard lock(mu_);
    const auto it = calls_.find(key);
    return it == calls_.end() ? 0 : it->second.size();
  }
  Outcome first(int key) const {
    std::lock_guard lock(mu_);
    return calls_.at(key).front();
  }
  std::thread::id thread(int key) const {
    std::lock_guard lock(mu_);
    return threads_.at(key);
  }

 private:
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::map<int, std::vector<Outcome>> calls_;
  std::map<int, std::thread::id> threads_;
  std::size_t total_ = 0;
};

// One request, waited for; its outcome.
wq::Result<Bytes> call(NatsTransport& from, const std::string& to, Channel channel,
                       const std::string& payload, std::chrono::milliseconds timeout = 5s) {
  Outcomes outcomes;
  from.request(to, channel, bytes(payload), timeout, outcomes.done(0));
  REQUIRE(outcomes.wait_for(1, deadline_in(timeout + 5s)));
  return outcomes.first(0);
}

std::string code_of(const wq::Result<Bytes>& outcome) {
  return outcome ? "ok:" + text(*outcome) : outcome.error().code;
}

// Serves `channel` at `transport` by answering "<prefix><request>".
void serve_echo(NatsTransport& transport, Channel channel, const std::string& prefix) {
  REQUIRE(transport.serve(channel, [prefix](Bytes request, NatsTransport::Respond respond) {
    respond(bytes(prefix + text(request)));
  }));
}

}  // namespace

TEST_CASE("NATS transport: request and reply between two nodes, by channel", "[nats]") {
  TempDir tmp;
  NatsServer server(tmp.path());
  auto city = connect("1101", {server.url()});
  auto county = connect("110101", {server.url()});
  CHECK(county->self() == "110101");
  CHECK(city->state() == LinkState::up);
  serve_echo(*county, Channel::sync, "sync:");
  serve_echo(*county, Channel::rpc, "rpc:");

  CHECK(code_of(call(*city, "110101", Channel::sync, "batch")) == "ok:sync:batch");
  CHECK(code_of(call(*city, "110101", Channel::rpc, "backfill")) == "ok:rpc:backfill");
  // A node may address itself, and an empty payload is a payload.
  serve_echo(*city, Channel::sync, "self:");
  CHECK(code_of(call(*city, "1101", Channel::sync, "")) == "ok:self:");

  SECTION("serve again replaces the handler") {
    serve_echo(*county, Channel::sync, "v2:");
    CHECK(code_of(call(*city, "110101", Channel::sync, "x")) == "ok:v2:x");
  }
  SECTION("respond later from another thread, once") {
    std::mutex mu;
    std::vector<NatsTransport::Respond> held;
    REQUIRE(county->serve(Channel::rpc, [&](Bytes, NatsTransport::Respond respond) {
      std::lock_guard lock(mu);
      held.push_back(std::move(respond));
    }));
    Outcomes outcomes;
    city->request("110101", Channel::rpc, bytes("q"), 5s, outcomes.done(0));
    REQUIRE(eventually(
        [&] {
          std::lock_guard lock(mu);
          return !held.empty();
        },
        deadline_in(5s)));
    std::thread([&] {
      held.front()(bytes("late"));
      held.front()(bytes("again"));  // ignored
    }).join();
    REQUIRE(outcomes.wait_for(1, deadline_in(5s)));
    CHECK(code_of(outcomes.first(0)) == "ok:late");
  }
}

TEST_CASE("NATS transport: many concurrent requests are each answered exactly once", "[nats]") {
  TempDir tmp;
  NatsServer server(tmp.path());
  auto province = connect("44", {server.url()});
  auto city = connect("4403", {server.url()});
  serve_echo(*city, Channel::sync, "");

  constexpr int kRequests = 2000;
  Outcomes outcomes;
  std::vector<std::thread> senders;
  for (int t = 0; t < 4; ++t) {
    senders.emplace_back([&, t] {
      for (int i = t; i < kRequests; i += 4) {
        province->request("4403", Channel::sync, bytes(std::to_string(i)), 20s, outcomes.done(i));
      }
    });
  }
  for (auto& sender : senders) sender.join();
  REQUIRE(outcomes.wait_for(kRequests, deadline_in(30s)));
  int wrong = 0;
  std::string first_wrong;
  for (int i = 0; i < kRequests; ++i) {
    if (outcomes.calls(i) != 1 || code_of(outcomes.first(i)) != "ok:" + std::to_string(i)) {
      if (wrong++ == 0) first_wrong = std::to_string(i) + " -> " + code_of(outcomes.first(i));
    }
  }
  INFO("first wrong: " << first_wrong);
  CHECK(wrong == 0);
  std::this_thread::sleep_for(200ms);  // a duplicate `done` would show up in the total
  CHECK(outcomes.total() == kRequests);
}

TEST_CASE("NATS transport: no responder, bad address, oversize and silence", "[nats]") {
  TempDir tmp;
  NatsServer server(tmp.path());
  auto national = connect("cn", {server.url()});

  SECTION("nobody serves the node: sync.unreachable at once, not after the timeout") {
    const auto start = std::chrono::steady_clock::now();
    CHECK(code_of(call(*national, "440305", Channel::sync, "x", 10s)) == "sync.unreachable");
    CHECK(std::chrono::steady_clock::now() - start < 2s);
  }
  SECTION("not a node id: sync.unreachable, and no subject is built from it") {
    CHECK(code_of(call(*national, "44.>", Channel::sync, "x")) == "sync.unreachable");
    CHECK(code_of(call(*national, "", Channel::rpc, "x")) == "sync.unreachable");
  }
  SECTION("oversize: sync.too_large, delivered off the caller's thread") {
    Outcomes outcomes;
    national->request("cn", Channel::sync, Bytes(wq::sync::kMaxTransportPayload + 1), 5s,
                      outcomes.done(0));
    REQUIRE(outcomes.wait_for(1, deadline_in(5s)));
    CHECK(code_of(outcomes.first(0)) == "sync.too_large");
    CHECK(outcomes.thread(0) != std::this_thread::get_id());
    // The limit itself passes.
    serve_echo(*national, Channel::rpc, "");
    const auto at_limit =
        call(*national, "cn", Channel::rpc, std::string(wq::sync::kMaxTransportPayload, 'x'));
    REQUIRE(at_limit);
    CHECK(at_limit->size() == wq::sync::kMaxTransportPayload);
  }
  SECTION("a handler that never answers: sync.timeout after the deadline") {
    REQUIRE(national->serve(Channel::sync, [](Bytes, NatsTransport::Respond) {}));
    const auto start = std::chrono::steady_clock::now();
    CHECK(code_of(call(*national, "cn", Channel::sync, "x", 300ms)) == "sync.timeout");
    CHECK(std::chrono::steady_clock::now() - start >= 300ms);
  }
}

TEST_CASE("NATS transport: a server that stops and comes back on the same port", "[nats]") {
  TempDir tmp;
  NatsServer server(tmp.path());
  auto province = connect("11", {server.url()});
  auto city = connect("1101", {server.url()});
  serve_echo(*city, Channel::sync, "");
  // A request held by a handler that has not answered yet when the server goes.
  std::vector<NatsTransport::Respond> held;
  std::mutex mu;
  REQUIRE(city->serve(Channel::rpc, [&](Bytes, NatsTransport::Respond respond) {
    std::lock_guard lock(mu);
    held.push_back(std::move(respond));
  }));
  REQUIRE(code_of(call(*province, "1101", Channel::sync, "before")) == "ok:before");
  Outcomes in_flight;
  province->request("1101", Channel::rpc, bytes("held"), 60s, in_flight.done(0));
  REQUIRE(eventually(
      [&] {
        std::lock_guard lock(mu);
        return !held.empty();
      },
      deadline_in(5s)));

  server.stop();
  CHECK(eventually([&] { return province->state() == LinkState::reconnecting; }, deadline_in(5s)));
  CHECK(eventually([&] { return city->state() == LinkState::reconnecting; }, deadline_in(5s)));
  // The pending request fails when the link drops, not after its 60 s.
  REQUIRE(in_flight.wait_for(1, deadline_in(5s)));
  CHECK(code_of(in_flight.first(0)) == "sync.unreachable");
  const auto down = call(*province, "1101", Channel::sync, "during", 1s);
  CHECK((code_of(down) == "sync.unreachable" || code_of(down) == "sync.timeout"));

  server.start();
  CHECK(eventually([&] { return province->state() == LinkState::up; }, deadline_in(10s)));
  CHECK(eventually([&] { return city->state() == LinkState::up; }, deadline_in(10s)));
  // The responder's subscription is restored by the reconnect; the first requests may still race
  // it, so poll.
  CHECK(eventually(
      [&] { return code_of(call(*province, "1101", Channel::sync, "after", 1s)) == "ok:after"; },
      deadline_in(10s)));
  std::lock_guard lock(mu);
  held.front()(bytes("too late"));  // a reply after reconnect to a failed request is harmless
}

TEST_CASE("NATS transport: a node may start before its server", "[nats]") {
  TempDir tmp;
  NatsServer server(tmp.path());
  server.stop();
  auto county = connect("440305", {server.url()});
  CHECK(county->state() == LinkState::reconnecting);
  CHECK(code_of(call(*county, "440305", Channel::sync, "x")) == "sync.unreachable");
  REQUIRE(county->serve(Channel::sync, [](Bytes request, NatsTransport::Respond respond) {
    respond(std::move(request));
  }));

  server.start();
  REQUIRE(eventually([&] { return county->state() == LinkState::up; }, deadline_in(10s)));
  CHECK(eventually([&] { return code_of(call(*county, "440305", Channel::sync, "x")) == "ok:x"; },
                   deadline_in(10s)));
}

TEST_CASE("NATS transport: destruction fails pending requests and ends all callbacks", "[nats]") {
  TempDir tmp;
  NatsServer server(tmp.path());
  auto station = connect("110101001", {server.url()});
  auto county = connect("110101", {server.url()});
  std::atomic<int> handled{0};
  REQUIRE(county->serve(Channel::sync, [&](Bytes, NatsTransport::Respond) { ++handled; }));
  Outcomes outcomes;
  for (int i = 0; i < 10; ++i) {
    station->request("110101", Channel::sync, bytes("x"), 60s, outcomes.done(i));
  }
  REQUIRE(eventually([&] { return handled == 10; }, deadline_in(5s)));
  station.reset();
  CHECK(outcomes.total() == 10);  // before the destructor returned
  for (int i = 0; i < 10; ++i) CHECK(code_of(outcomes.first(i)) == "sync.unreachable");
}

TEST_CASE("NATS transport: destruction of a transport that never reached its server", "[nats]") {
  TempDir tmp;
  NatsServer server(tmp.path());
  server.stop();
  auto orphan = connect("4403", {server.url()});
  REQUIRE(orphan->serve(Channel::rpc, [](Bytes, NatsTransport::Respond) {}));
  Outcomes outcomes;
  orphan->request("44", Channel::rpc, bytes("x"), 60s, outcomes.done(0));
  const auto start = std::chrono::steady_clock::now();
  orphan.reset();
  CHECK(std::chrono::steady_clock::now() - start < 5s);
  REQUIRE(outcomes.total() == 1);
  CHECK(code_of(outcomes.first(0)) == "sync.unreachable");
}

TEST_CASE("NATS transport: connect refuses bad settings", "[nats]") {
  const auto code = [](const NatsOptions& options) {
    auto transport = NatsTransport::connect(options);
    return transport ? std::string("ok") : transport.error().code;
  };
  CHECK(code(NatsOptions{{}, "cn"}) == "federation.nats_bad_url");
  CHECK(code(NatsOptions{{"http://127.0.0.1:4222"}, "cn"}) == "federation.nats_bad_url");
  CHECK(code(NatsOptions{{"nats://127.0.0.1:65536"}, "cn"}) == "federation.nats_bad_url");
  CHECK(code(NatsOptions{{"nats://:4222"}, "cn"}) == "federation.nats_bad_url");
  CHECK(code(NatsOptions{{"nats://127.0.0.1:4222"}, "cn.>"}) == "federation.nats_bad_node_id");
  CHECK(code(NatsOptions{{"nats://127.0.0.1:4222"}, "1234567"}) == "federation.nats_bad_node_id");
}

TEST_CASE("NATS transport: a leaf server carries requests to a responder on its hub", "[nats]") {
  TempDir tmp;
  NatsServer hub(tmp.path(), NatsServerConfig{"cn", true, {}});
  NatsServer leaf(tmp.path(), NatsServerConfig{"11", false, {hub.leaf_url()}});
  auto national = connect("cn", {hub.url()});
  auto province = connect("11", {leaf.url()});
  serve_echo(*national, Channel::sync, "hub:");
  serve_echo(*province, Channel::sync, "leaf:");
  INFO("hub log: " << hub.log() << "\nleaf log: " << leaf.log());
  // Interest crosses the leaf connection once it is up: poll until it has.
  CHECK(eventually(
      [&] { return code_of(call(*province, "cn", Channel::sync, "up", 1s)) == "ok:hub:up"; },
      deadline_in(15s)));
  CHECK(eventually(
      [&] { return code_of(call(*national, "11", Channel::sync, "down", 1s)) == "ok:leaf:down"; },
      deadline_in(15s)));
}
