// Heartbeats between real offices over real NATS servers in a leaf-node tree: the national node
// sees every descendant live, and when a city's server goes down the city and its county turn
// stale there ("as of" a time before the cut) while the other province stays live, until the
// server returns.

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <map>

#include "federation_fixture.h"

using namespace wq::testing;

namespace {

using namespace std::chrono_literals;

// cn ─ 11 ─ 1101 ─ 110101, and cn ─ 44.
const std::vector<NodeSpec> kTree = {{"cn", "national", ""},
                                     {"11", "province", "cn"},
                                     {"1101", "city", "11"},
                                     {"110101", "county", "1101"},
                                     {"44", "province", "cn"}};

// Every node of the fixture beats every 2 s (`weiquan run --heartbeat-s` reads the variable), so a
// descendant is live when heard within 6 s; restored when the test ends.
class ShortHeartbeats {
 public:
  ShortHeartbeats() { ::setenv("WEIQUAN_HEARTBEAT_S", "2", 1); }
  ~ShortHeartbeats() { ::unsetenv("WEIQUAN_HEARTBEAT_S"); }
  ShortHeartbeats(const ShortHeartbeats&) = delete;
  ShortHeartbeats& operator=(const ShortHeartbeats&) = delete;
};

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
  ShortHeartbeats short_heartbeats;
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
  CHECK(stale.at("11").at("live").get<bool>());
  CHECK(stale.at("44").at("live").get<bool>());

  federation.nats("1101").start();
  CHECK(eventually([&] { return all_live(federation, "cn", all); }, 60s));
  const auto back = descendants_at(federation, "cn");
  CHECK(back.at("110101").at("as_of").get<std::int64_t>() > stopped_ms);
}
