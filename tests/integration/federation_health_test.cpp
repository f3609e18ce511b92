// Heartbeats between real offices over real NATS servers in a leaf-node tree: the national node
// sees every descendant live, and when a city's server goes down the city and its county turn
// stale there ("as of" a time before the cut) while the other province stays live, until the
// server returns.

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <map>

#include "federation_fixture.h"
#include "federation_trees.h"
#include "scoped_env.h"

using namespace wq::testing;

namespace {

using namespace std::chrono_literals;

// cn ─ 11 ─ 1101 ─ 110101, and cn ─ 44.
const std::vector<NodeSpec> kTree = extended(kBeijingChain, {{"44", "province", "cn"}});

// Every node of the fixture beats every 2 s (`weiquan run --heartbeat-s` reads the variable), so a
// descendant is live when heard within 6 s.
ScopedEnv short_heartbeats() {
  return ScopedEnv("WEIQUAN_HEARTBEAT_S", "2");
}

// The descendants node `at` shows in GET /api/v1/federation, by node id (empty while it does not
// answer).
std::map<std::string, json> descendants_at(FederationFixture& federation, const std::string& at) {
  const ApiAnswer status = federation.get(at, "/api/v1/federation", federation.officer(at));
  std::map<std::string, json> out;
  if (status.status != 200) return out;
  for (const json& descendant : status.body.at("descendants")) {
    out.emplace(descendant.at("node").get<std::string>(), descendant);
  }
  return out;
}

// Whether every one of `nodes` is live (or every one not live) at `at`.
bool all_live(FederationFixture& federation, const std::string& at,
              const std::vector<std::string>& nodes, bool live = true) {
  const auto seen = descendants_at(federation, at);
  for (const std::string& node : nodes) {
    const auto found = seen.find(node);
    if (found == seen.end() || found->second.at("live").get<bool>() != live) return false;
  }
  return true;
}

std::int64_t wall_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

}  // namespace

TEST_CASE(
    "federation health: the national node sees every descendant live, a cut-off city and "
    "its county as of the cut, and both again once the link returns",
    "[federation][health]") {
  const ScopedEnv heartbeats = short_heartbeats();
  FederationFixture federation(kTree);
  const std::vector<std::string> all = {"11", "1101", "110101", "44"};
  REQUIRE(eventually([&] { return all_live(federation, "cn", all); }, 60s));

  const auto seen = descendants_at(federation, "cn");
  CHECK(seen.size() == 4);
  const json& county = seen.at("110101");
  CHECK(county.at("level") == "county");
  CHECK(county.at("name") == "东城区");
  CHECK(county.at("link") == "up");
  CHECK(county.at("backlog").is_number_unsigned());
  CHECK(county.at("software_version").is_string());
  CHECK(county.at("policy_version").is_string());
  // The city hears its county directly; the province hears both.
  CHECK(eventually([&] { return all_live(federation, "1101", {"110101"}); }));
  CHECK(eventually([&] { return all_live(federation, "11", {"1101", "110101"}); }));
  CHECK(descendants_at(federation, "1101").size() == 1);

  // The city's server goes down: the city and its county are cut off from the tree.
  federation.nats("1101").stop();
  const std::int64_t stopped_ms = wall_ms();
  REQUIRE(eventually([&] { return all_live(federation, "cn", {"1101", "110101"}, false); }, 30s));
  const auto stale = descendants_at(federation, "cn");
  for (const std::string node : {"1101", "110101"}) {
    INFO(node);
    REQUIRE(stale.at(node).at("as_of").is_number_integer());
    CHECK(stale.at(node).at("as_of").get<std::int64_t>() <= stopped_ms);
    CHECK_FALSE(stale.at(node).at("live").get<bool>());
  }
  // The provinces beat on (polled: one beat late under load is not a failure of the cut).
  CHECK(eventually([&] { return all_live(federation, "cn", {"11", "44"}); }));

  federation.nats("1101").start();
  CHECK(eventually([&] { return all_live(federation, "cn", all); }, 60s));
  const auto back = descendants_at(federation, "cn");
  CHECK(back.at("110101").at("as_of").get<std::int64_t>() > stopped_ms);
}

TEST_CASE(
    "federation health: the national statistics mark a cut-off province's figures stale, as of "
    "its last heartbeat, and live again once the link returns",
    "[federation][health][stats]") {
  const ScopedEnv heartbeats = short_heartbeats();
  FederationFixture federation(kTree);
  const std::vector<std::string> all = {"11", "1101", "110101", "44"};
  REQUIRE(eventually([&] { return all_live(federation, "cn", all); }, 60s));

  const std::string consumer = federation.consumer("110101", "马丽", 21);
  const ApiAnswer filed =
      federation.post("110101", "/api/v1/tickets",
                      {{"type", "complaint"},
                       {"business", {{"name", "东城区某家具城"}, {"region", "110101"}}},
                       {"category", "家具"},
                       {"description", "沙发送货后发现破损，商家拒绝更换。"},
                       {"demands", "更换"}},
                      consumer);
  REQUIRE(filed.status == 201);
  const auto stats_at_cn = [&] {
    return federation.get("cn", "/api/v1/stats?by=region", federation.officer("cn"));
  };
  // Group "11" by key.
  const auto province_11 = [](const json& stats) -> json {
    for (const json& group : stats.at("groups")) {
      if (group.at("key") == "11") return group;
    }
    return nullptr;
  };
  // The ticket counted at cn, and every office heard lately.
  ApiAnswer live;
  REQUIRE(eventually([&] {
    live = stats_at_cn();
    const json group = live.status == 200 ? province_11(live.body) : json(nullptr);
    return !group.is_null() && group.at("received") == 1 &&
           live.body.at("freshness").at("live") == true;
  }));
  CHECK(live.body.at("freshness").at("known") == true);
  CHECK(province_11(live.body).at("stale") == false);
  CHECK(province_11(live.body).at("as_of").is_null());

  federation.nats("1101").stop();
  const auto stale_nodes = [](const json& stats) {
    std::vector<std::string> nodes;
    for (const json& office : stats.at("freshness").at("stale")) nodes.push_back(office.at("node"));
    std::sort(nodes.begin(), nodes.end());
    return nodes;
  };
  // Exactly the cut-off city and county (polled: the other offices may beat a little late).
  ApiAnswer cut;
  REQUIRE(eventually(
      [&] {
        cut = stats_at_cn();
        return cut.status == 200 &&
               stale_nodes(cut.body) == std::vector<std::string>{"1101", "110101"};
      },
      30s));
  INFO(cut.raw);
  CHECK(cut.body.at("freshness").at("live") == false);
  for (const json& office : cut.body.at("freshness").at("stale")) {
    CHECK(office.at("as_of").is_string());
  }
  // The province's figures are the ones that may be behind; they say as of when.
  const json group = province_11(cut.body);
  CHECK(group.at("stale") == true);
  CHECK(group.at("as_of").is_string());
  CHECK(group.at("received") == 1);

  federation.nats("1101").start();
  CHECK(eventually(
      [&] {
        const ApiAnswer again = stats_at_cn();
        return again.status == 200 && again.body.at("freshness").at("live") == true &&
               province_11(again.body).at("stale") == false;
      },
      60s));
}
