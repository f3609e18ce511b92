#include "weiquan/sync/memory_transport.h"

#include <catch2/catch.hpp>
#include <optional>
#include <string>
#include <vector>

using namespace wq;
using namespace wq::sync;
using namespace std::chrono_literals;

namespace {

using Bytes = Transport::Bytes;

Bytes bytes(const std::string& text) {
  return Bytes(text.begin(), text.end());
}

std::string text(const Bytes& data) {
  return std::string(data.begin(), data.end());
}

// Answers every request with "re:" and the request, and counts them.
struct Echo {
  std::unique_ptr<Transport> transport;
  int served = 0;

  Echo(MemoryNetwork& network, const std::string& id) : transport(network.attach(id)) {
    REQUIRE(transport->serve(Channel::sync, [this](Bytes request, Transport::Respond respond) {
      ++served;
      respond(bytes("re:" + text(request)));
    }));
  }
};

// The outcome of one request and when it arrived.
struct Outcome {
  std::optional<Result<Bytes>> reply;
  std::int64_t at_ms = 0;
  int calls = 0;
};

Transport::Done record(Outcome& outcome, const MemoryNetwork& network) {
  return [&outcome, &network](Result<Bytes> reply) {
    outcome.reply = std::move(reply);
    outcome.at_ms = network.now_ms();
    ++outcome.calls;
  };
}

std::string code(const Outcome& outcome) {
  REQUIRE(outcome.reply);
  return *outcome.reply ? "ok" : outcome.reply->error().code;
}

}  // namespace

TEST_CASE("a request is answered after the delays of both ways, never inside request()",
          "[memory_transport]") {
  MemoryNetwork network(1, 1000);
  network.set_default_faults({0, 0, 10, 10});
  Echo b(network, "b");
  auto a = network.attach("a");
  CHECK(a->self() == "a");
  CHECK(a->state() == LinkState::up);
  Outcome outcome;
  a->request("b", Channel::sync, bytes("hi"), 100ms, record(outcome, network));
  CHECK(outcome.calls == 0);
  network.run_until(1015);
  CHECK(b.served == 1);
  CHECK(outcome.calls == 0);
  CHECK(network.run_until_idle(5000));
  REQUIRE(outcome.calls == 1);
  CHECK(text(outcome.reply->value()) == "re:hi");
  CHECK(outcome.at_ms == 1020);
  // Nothing left: the timeout was cancelled with the reply.
  CHECK(network.now_ms() == 1020);
  CHECK(network.stats().replies == 1);
}

TEST_CASE("no handler is unreachable, a cut link times out, a healed one works",
          "[memory_transport]") {
  MemoryNetwork network(2);
  network.set_default_faults({0, 0, 5, 5});
  auto a = network.attach("a");
  Outcome nobody;
  a->request("b", Channel::sync, bytes("x"), 100ms, record(nobody, network));
  network.run_until_idle(10'000);
  CHECK(code(nobody) == "sync.unreachable");
  CHECK(nobody.at_ms == 5);

  Echo b(network, "b");
  Outcome rpc;  // b serves only the sync channel
  a->request("b", Channel::rpc, bytes("x"), 100ms, record(rpc, network));
  network.run_until_idle(network.now_ms() + 1000);
  CHECK(code(rpc) == "sync.unreachable");

  network.partition("b", "a");
  Outcome cut;
  const std::int64_t sent = network.now_ms();
  a->request("b", Channel::sync, bytes("x"), 100ms, record(cut, network));
  network.run_until_idle(sent + 1000);
  CHECK(code(cut) == "sync.timeout");
  CHECK(cut.at_ms == sent + 100);
  CHECK(b.served == 0);

  network.heal("a", "b");
  Outcome healed;
  a->request("b", Channel::sync, bytes("x"), 100ms, record(healed, network));
  network.run_until_idle(network.now_ms() + 1000);
  CHECK(code(healed) == "ok");

  network.isolate("a");
  CHECK(a->state() == LinkState::reconnecting);
  Outcome isolated;
  a->request("b", Channel::sync, bytes("x"), 100ms, record(isolated, network));
  network.run_until_idle(network.now_ms() + 1000);
  CHECK(code(isolated) == "sync.timeout");
  network.rejoin("a");
  CHECK(a->state() == LinkState::up);
}

TEST_CASE("a link cut while a message is on the way loses it", "[memory_transport]") {
  MemoryNetwork network(3);
  network.set_default_faults({0, 0, 50, 50});
  Echo b(network, "b");
  auto a = network.attach("a");
  Outcome outcome;
  a->request("b", Channel::sync, bytes("x"), 500ms, record(outcome, network));
  network.run_until(20);
  network.partition("a", "b");
  network.run_until(100);
  network.heal("a", "b");
  network.run_until_idle(10'000);
  CHECK(b.served == 0);
  CHECK(code(outcome) == "sync.timeout");
  CHECK(network.stats().lost == 1);
}

TEST_CASE("lost replies time out, and duplicated requests are served twice, answered once",
          "[memory_transport]") {
  MemoryNetwork network(4);
  Echo b(network, "b");
  auto a = network.attach("a");
  network.set_faults("b", "a", {1.0, 0, 1, 1});  // every reply is lost
  Outcome lost;
  a->request("b", Channel::sync, bytes("x"), 100ms, record(lost, network));
  network.run_until_idle(10'000);
  CHECK(b.served == 1);
  CHECK(code(lost) == "sync.timeout");

  network.set_faults("b", "a", {});
  network.set_faults("a", "b", {0, 1.0, 1, 30});  // every request twice
  Outcome twice;
  a->request("b", Channel::sync, bytes("y"), 100ms, record(twice, network));
  network.run_until_idle(network.now_ms() + 10'000);
  CHECK(b.served == 3);
  CHECK(twice.calls == 1);
  CHECK(code(twice) == "ok");
  CHECK(network.stats().duplicated == 1);
}

TEST_CASE("a request above the payload limit fails at once with sync.too_large",
          "[memory_transport]") {
  MemoryNetwork network(5);
  Echo b(network, "b");
  auto a = network.attach("a");
  Outcome outcome;
  a->request("b", Channel::sync, Bytes(kMaxTransportPayload + 1), 100ms, record(outcome, network));
  CHECK(outcome.calls == 0);
  network.run_until_idle(10'000);
  CHECK(code(outcome) == "sync.too_large");
  CHECK(outcome.at_ms == 0);
  CHECK(b.served == 0);
}

TEST_CASE("a node whose transport is gone is unreachable, and a new one takes over",
          "[memory_transport]") {
  MemoryNetwork network(6);
  auto a = network.attach("a");
  auto b = std::make_unique<Echo>(network, "b");
  b.reset();
  Outcome gone;
  a->request("b", Channel::sync, bytes("x"), 100ms, record(gone, network));
  network.run_until_idle(10'000);
  CHECK(code(gone) == "sync.unreachable");
  Echo again(network, "b");
  Outcome back;
  a->request("b", Channel::sync, bytes("x"), 100ms, record(back, network));
  network.run_until_idle(network.now_ms() + 10'000);
  CHECK(code(back) == "ok");
}

TEST_CASE("random delays reorder messages, the same way for the same seed", "[memory_transport]") {
  const auto arrivals = [](std::uint64_t seed) {
    MemoryNetwork network(seed);
    network.set_default_faults({0.2, 0, 1, 100});
    std::vector<std::string> order;
    auto b = network.attach("b");
    REQUIRE(b->serve(Channel::sync, [&](Bytes request, Transport::Respond respond) {
      order.push_back(text(request));
      respond({});
    }));
    auto a = network.attach("a");
    for (int i = 0; i < 20; ++i) {
      a->request("b", Channel::sync, bytes(std::to_string(i)), 1000ms, [](Result<Bytes>) {});
    }
    network.run_until_idle(100'000);
    return order;
  };
  const auto first = arrivals(7);
  CHECK(first == arrivals(7));
  CHECK(first != arrivals(8));
  CHECK(first.size() < 20);  // some were lost
  std::vector<std::string> sorted = first;
  std::sort(sorted.begin(), sorted.end(),
            [](const std::string& x, const std::string& y) { return std::stoi(x) < std::stoi(y); });
  CHECK(first != sorted);  // and the rest overtook each other
}
