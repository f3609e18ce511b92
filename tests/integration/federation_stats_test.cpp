// National statistics after a partition heals: the figures `cn` answers equal those computed here,
// independently of the counters, from the events every node exports (`weiquan export`).

#include <catch2/catch.hpp>
#include <chrono>
#include <map>
#include <set>
#include <sstream>

#include "federation_fixture.h"
#include "federation_trees.h"
#include "weiquan/sync/export.h"
#include "weiquan/v1/weiquan.pb.h"

using namespace wq::testing;

namespace {

using namespace std::chrono_literals;

json complaint_at(const std::string& region) {
  return {{"type", "complaint"},
          {"business", {{"name", "某连锁眼镜店"}, {"region", region}}},
          {"category", "眼镜"},
          {"description", "配镜度数与验光单不符，商家拒绝重配。"},
          {"demands", "重新配镜"}};
}

// What the figures count, per ticket, read from its events alone.
struct TicketFacts {
  std::string holder;
  bool accepted = false;
  bool closed = false;
};

// Every node's export, merged by (ticket, seq), then each ticket's facts.
std::map<std::string, TicketFacts> facts_from_exports(FederationFixture& federation,
                                                      const std::vector<std::string>& nodes) {
  std::map<std::pair<std::string, std::uint64_t>, std::string> bodies;
  for (const std::string& node : nodes) {
    std::istringstream lines(weiquan_ok({"export", "--dir", federation.dir(node)}));
    for (std::string line; std::getline(lines, line);) {
      auto record = wq::sync::parse_export_line(line);
      REQUIRE(record);
      if (record->type != wq::sync::RecordType::event) continue;
      const std::string body(record->body.begin(), record->body.end());
      const auto [it, fresh] = bodies.try_emplace({record->ticket_id, record->seq}, body);
      CHECK(it->second == body);  // the same event has the same bytes everywhere
    }
  }
  std::map<std::string, TicketFacts> facts;
  for (const auto& [key, bytes] : bodies) {  // by ticket, then seq
    weiquan::v1::EventBody body;
    REQUIRE(body.ParseFromString(bytes));
    TicketFacts& ticket = facts[key.first];
    if (body.has_submitted()) ticket.holder = body.author();
    if (body.has_routed()) ticket.holder = body.routed().to_node();
    if (body.has_transferred()) ticket.holder = body.transferred().to_node();
    if (body.has_accepted()) ticket.accepted = true;
    if (body.has_closed()) ticket.closed = true;
  }
  return facts;
}

// The national answer's group `key` (by=region), or null.
json group_of(const json& stats, const std::string& key) {
  for (const json& group : stats.at("groups")) {
    if (group.at("key") == key) return group;
  }
  return nullptr;
}

}  // namespace

TEST_CASE(
    "federation stats: after a partition heals, the national figures equal those computed from "
    "every node's exported events",
    "[federation][stats]") {
  FederationFixture federation(kTwoProvinces);
  const std::map<std::string, std::string> consumers = {
      {"110101", federation.consumer("110101", "白雪", 31)},
      {"440305", federation.consumer("440305", "陈晨", 32)}};
  // Files a complaint at `county`; with `handle`, the county accepts and closes it.
  const auto file = [&](const std::string& county, bool handle) {
    const ApiAnswer filed =
        federation.post(county, "/api/v1/tickets", complaint_at(county), consumers.at(county));
    REQUIRE(filed.status == 201);
    const std::string id = filed.body.at("id");
    if (!handle) return;
    const std::string officer = federation.officer(county);
    for (const json& step :
         {json{{"action", "accept"}},
          json{{"action", "mediation_result"}, {"agreement", true}, {"text", "同意重配。"}},
          json{{"action", "close"}, {"result", "agreement"}, {"text", "已重配。"}}}) {
      const ApiAnswer done =
          federation.post(county, "/api/v1/tickets/" + id + "/actions", step, officer);
      INFO(done.raw);
      REQUIRE(done.status == 200);
    }
  };
  file("110101", true);
  file("440305", false);

  // The Beijing city's server goes down: what its county does meanwhile stays below.
  federation.nats("1101").stop();
  file("110101", true);
  file("110101", false);
  file("440305", true);

  federation.nats("1101").start();
  const auto stats_at_cn = [&] {
    return federation.get("cn", "/api/v1/stats?by=region", federation.officer("cn"));
  };
  REQUIRE(eventually(
      [&] {
        const ApiAnswer stats = stats_at_cn();
        return stats.status == 200 && stats.body.at("totals").at("received") == 5 &&
               stats.body.at("totals").at("closed") == 3;
      },
      90s));

  std::vector<std::string> nodes;
  for (const NodeSpec& spec : kTwoProvinces) nodes.push_back(spec.id);
  const auto facts = facts_from_exports(federation, nodes);
  std::map<std::string, std::map<std::string, int>> expected;  // province -> figure -> count
  for (const auto& [ticket, fact] : facts) {
    for (const std::string& scope : {std::string("cn"), fact.holder.substr(0, 2)}) {
      ++expected[scope]["received"];
      expected[scope]["accepted"] += fact.accepted ? 1 : 0;
      expected[scope]["closed"] += fact.closed ? 1 : 0;
    }
  }
  REQUIRE(facts.size() == 5);
  const ApiAnswer stats = stats_at_cn();
  INFO(stats.raw);
  for (const std::string figure : {"received", "accepted", "closed"}) {
    INFO(figure);
    CHECK(stats.body.at("totals").at(figure) == expected["cn"][figure]);
    for (const std::string province : {"11", "44"}) {
      INFO(province);
      const json group = group_of(stats.body, province);
      REQUIRE(!group.is_null());
      CHECK(group.at(figure) == expected[province][figure]);
    }
  }
  CHECK(stats.body.at("freshness").at("known") == true);
}
