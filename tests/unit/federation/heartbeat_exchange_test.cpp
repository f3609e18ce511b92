#include "weiquan/federation/heartbeat_exchange.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <map>
#include <memory>

#include "federation_tree.h"
#include "weiquan/sync/memory_transport.h"
#include "weiquan/sync/rpc_server.h"

namespace wq::federation {
namespace {

using namespace test;

constexpr std::int64_t kInterval = 15'000;

// One office of the test: its transport, HealthBook, exchange and rpc server, all on the test's
// thread, trusting the shared tree (or `trust`).
struct Office {
  std::unique_ptr<sync::Transport> transport;
  HealthBook book;
  std::unique_ptr<HeartbeatExchange> exchange;
  std::unique_ptr<sync::RpcServer> rpc;
  std::uint64_t backlog = 0;

  Office(sync::MemoryNetwork& network, const std::string& id, const std::string& parent,
         const crypto::TrustStore& trust = tree().trust)
      : transport(network.attach(id)), book(HealthBookOptions{.self = id}) {
    HeartbeatOptions options;
    options.self = id;
    options.parent = parent;
    options.now_ms = [&network] { return network.now_ms(); };
    exchange = std::make_unique<HeartbeatExchange>(
        *transport, tree().keys.at(id).sign, book, std::move(options),
        [&trust](std::function<void(const crypto::TrustStore&)> work) { work(trust); },
        [this] {
          weiquan::v1::HeartbeatBody body;
          body.set_link(weiquan::v1::LINK_STATE_UP);
          body.set_backlog(backlog);
          return body;
        });
    rpc = std::make_unique<sync::RpcServer>(*transport);
    rpc->route(weiquan::v1::RpcRequest::kHeartbeats, exchange->handler());
    REQUIRE(rpc->start());
  }
};

// cn ─ 11 ─ 1101 ─ 110101, and 44 beside 11.
struct Federation {
  sync::MemoryNetwork network{5, kNow};
  std::map<std::string, std::unique_ptr<Office>> offices;

  Federation() {
    for (const auto& [id, parent] : std::vector<std::pair<std::string, std::string>>{
             {"cn", ""}, {"11", "cn"}, {"1101", "11"}, {"110101", "1101"}, {"44", "cn"}}) {
      offices.emplace(id, std::make_unique<Office>(network, id, parent));
    }
  }
  Office& at(const std::string& id) { return *offices.at(id); }

  // Every office beats once, the county first, and everything is delivered.
  void beat_all() {
    for (const char* id : {"110101", "1101", "11", "44", "cn"}) at(id).exchange->beat();
    REQUIRE(network.run_until_idle(network.now_ms() + 60'000));
  }
  std::int64_t now() const { return network.now_ms(); }
};

TEST_CASE("heartbeat exchange: a county's heartbeat reaches the national node within one beat") {
  Federation federation;
  federation.at("110101").backlog = 12;
  federation.at("110101").exchange->beat();
  REQUIRE(federation.network.run_until_idle(kNow + 60'000));
  // Forwarded at once by every level on the way up.
  for (const char* id : {"1101", "11", "cn"}) {
    INFO("at " << id);
    CHECK(federation.at(id).book.as_of("110101") == kNow);
  }
  const auto listed = federation.at("cn").book.descendants(tree().trust, federation.now());
  const auto county = std::find_if(listed.begin(), listed.end(),
                                   [](const DescendantHealth& d) { return d.node == "110101"; });
  REQUIRE(county != listed.end());
  CHECK(county->live);
  CHECK(county->latest->backlog() == 12);
  CHECK(federation.at("110101").exchange->status().delivered == 1);
  CHECK(federation.at("110101").exchange->status().last_error.empty());
  CHECK(federation.at("1101").exchange->status().requests_served == 1);

  // The national node has no parent and sends nothing.
  federation.at("cn").exchange->beat();
  REQUIRE(federation.network.run_until_idle(federation.now() + 60'000));
  CHECK(federation.at("cn").exchange->status().requests_answered == 0);
}

TEST_CASE(
    "heartbeat exchange: a cut-off city and its county go stale at the national node, "
    "the other province stays live, and both return after the cut") {
  Federation federation;
  federation.beat_all();
  const std::int64_t before_cut = federation.now();
  for (const char* id : {"11", "1101", "110101", "44"}) {
    INFO(id);
    CHECK(federation.at("cn").book.live(id, federation.now()));
  }

  federation.network.partition("1101", "11");
  for (int i = 0; i < 4; ++i) {
    federation.network.run_until(federation.now() + kInterval);
    federation.beat_all();
  }
  const std::int64_t now = federation.now();
  for (const char* id : {"1101", "110101"}) {
    INFO(id);
    CHECK_FALSE(federation.at("cn").book.live(id, now));
    CHECK(federation.at("cn").book.as_of(id) <= before_cut);
  }
  CHECK(federation.at("cn").book.live("11", now));
  CHECK(federation.at("cn").book.live("44", now));
  // The city heard its county all along; what it failed to deliver is waiting.
  CHECK(federation.at("1101").book.live("110101", now));
  CHECK(federation.at("1101").exchange->status().requests_failed >= 4);
  CHECK(federation.at("1101").exchange->status().last_error == "sync.timeout");

  federation.network.heal("1101", "11");
  federation.network.run_until(federation.now() + kInterval);
  federation.at("1101").exchange->beat();  // the city's next beat carries the county's too
  REQUIRE(federation.network.run_until_idle(federation.now() + 60'000));
  for (const char* id : {"1101", "110101"}) {
    INFO(id);
    CHECK(federation.at("cn").book.live(id, federation.now()));
    CHECK(federation.at("cn").book.as_of(id) > before_cut);
  }
  CHECK(federation.at("1101").exchange->status().last_error.empty());
}

TEST_CASE("heartbeat exchange: a page the parent answered is not sent again") {
  Federation federation;
  federation.beat_all();
  const auto served_before = federation.at("cn").exchange->status().requests_served;
  const auto kept_before = federation.at("cn").book.counters().accepted;
  // The province beats again with nothing new from below: only its own heartbeat goes.
  federation.network.run_until(federation.now() + kInterval);
  federation.at("11").exchange->beat();
  REQUIRE(federation.network.run_until_idle(federation.now() + 60'000));
  CHECK(federation.at("cn").exchange->status().requests_served == served_before + 1);
  CHECK(federation.at("cn").book.counters().accepted == kept_before + 1);
  CHECK(federation.at("cn").book.counters().duplicates == 0);
  CHECK(federation.at("cn").book.counters().stale == 0);
}

TEST_CASE("heartbeat exchange: what does not fit in one request follows in the next") {
  // Sixteen stations below the county, each with a heartbeat of about 60 KB: more than one
  // request holds.
  crypto::TrustStore trust = tree().trust;
  std::vector<weiquan::v1::Signed> heartbeats;
  for (int i = 2; i < 18; ++i) {
    const std::string id = "1101010" + std::to_string(i / 10) + std::to_string(i % 10);
    const crypto::NodeKeys keys = crypto::NodeKeys::generate();
    REQUIRE(trust.add(testing::node_certificate(id, crypto::Level::station, keys, "110101",
                                                tree().keys.at("110101").sign)
                          .value()));
    weiquan::v1::HeartbeatBody body;
    body.set_version(1);
    body.set_node_id(id);
    body.set_sent_at_ms(kNow);
    body.set_software_version(std::string(60'000, 'v'));
    heartbeats.push_back(encode_heartbeat(body, keys.sign));
  }
  sync::MemoryNetwork network(9, kNow);
  Office province(network, "11", "cn", trust);
  Office city(network, "1101", "11", trust);
  for (const weiquan::v1::Signed& heartbeat : heartbeats) {
    REQUIRE(city.book.accept(heartbeat, trust, kNow).value());
  }

  city.exchange->beat();
  REQUIRE(network.run_until_idle(kNow + 60'000));
  CHECK(province.exchange->status().requests_served == 2);
  CHECK(city.exchange->status().requests_answered == 2);
  CHECK(city.exchange->status().delivered == 17);
  CHECK(province.book.counters().accepted == 17);
  CHECK(province.book.as_of("110101017") == kNow);

  // Delivered: the next beat carries the city's own heartbeat only.
  network.run_until(network.now_ms() + kInterval);
  city.exchange->beat();
  REQUIRE(network.run_until_idle(network.now_ms() + 60'000));
  CHECK(province.exchange->status().requests_served == 3);
  CHECK(province.book.counters().accepted == 18);
  CHECK(province.book.counters().duplicates == 0);
}

TEST_CASE("heartbeat exchange: a request without heartbeats is dropped unanswered") {
  Federation federation;
  weiquan::v1::RpcRequest request;
  request.set_version(1);
  request.set_origin("11");
  request.mutable_directory();
  HeartbeatExchange& exchange = *federation.at("cn").exchange;
  bool answered = false;
  exchange.handler()(request, [&answered](sync::Transport::Bytes) { answered = true; });
  CHECK_FALSE(answered);
  CHECK(exchange.status().requests_dropped == 1);
}

}  // namespace
}  // namespace wq::federation
