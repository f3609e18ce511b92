// Deadline alerts (GET /api/v1/alerts): an overdue ticket shows at its holder (own) and at the
// holder's parent (children) and anywhere above (subtree), never at a sibling; the holder's
// Prometheus gauge counts it.

#include <catch2/catch.hpp>
#include <sstream>

#include "federation_fixture.h"
#include "federation_trees.h"
#include "scoped_env.h"

using namespace wq::testing;
using namespace std::chrono_literals;

namespace {

// cn ─ 11 ─ 1101 ─ 110101
//                └ 110102
const std::vector<NodeSpec> kTree = extended(kBeijingChain, {{"110102", "county", "1101"}});

constexpr std::int64_t kDayMs = 24LL * 60 * 60 * 1000;

std::vector<std::string> alert_ids(FederationFixture& federation, const std::string& at,
                                   const std::string& query) {
  const ApiAnswer answer = federation.get(at, "/api/v1/alerts?" + query, federation.officer(at));
  INFO(at << " " << query << ": " << answer.raw);
  REQUIRE(answer.status == 200);
  std::vector<std::string> ids;
  for (const json& alert : answer.body.at("alerts")) ids.push_back(alert.at("ticket_id"));
  return ids;
}

bool lists(FederationFixture& federation, const std::string& at, const std::string& query,
           const std::string& ticket) {
  const auto ids = alert_ids(federation, at, query);
  return std::find(ids.begin(), ids.end(), ticket) != ids.end();
}

// The value of an unlabelled gauge in node `id`'s /metrics, or -1.
double gauge(FederationFixture& federation, const std::string& id, const std::string& name) {
  std::istringstream lines(federation.get(id, "/metrics").raw);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind(name + " ", 0) == 0) return std::stod(line.substr(name.size() + 1));
  }
  return -1;
}

}  // namespace

TEST_CASE("alerts: an overdue ticket shows at its holder and the offices above, not at a sibling",
          "[federation][alerts]") {
  // The gauges refresh every second (`weiquan run --alert-refresh-s` reads the variable).
  const ScopedEnv gauge_refresh("WEIQUAN_ALERT_REFRESH_S", "1");
  FederationFixture federation(kTree);
  // A hotline call registered a month after it came in: the decision whether to accept (7
  // working days from receipt) is overdue.
  const ApiAnswer filed =
      federation.post("110101", "/api/v1/tickets",
                      {{"type", "complaint"},
                       {"channel", "hotline"},
                       {"received_at", api_time(now_ms() - 30 * kDayMs)},
                       {"business", {{"name", "东城区某健身房"}, {"region", "110101"}}},
                       {"category", "健身服务"},
                       {"description", "来电反映：健身房闭店，预付卡余额无法退还。"},
                       {"demands", "退还余额"},
                       {"consumer", {{"name", "孙杰"}, {"phone", "13800138000"}}}},
                      federation.officer("110101"));
  INFO(filed.raw);
  REQUIRE(filed.status == 201);
  const std::string id = filed.body.at("id");
  // Each ancestor has its own outbox row, so the copies arrive in no set order: wait for all.
  for (const std::string ancestor : {"1101", "11", "cn"}) {
    REQUIRE(eventually([&] { return federation.ticket_at(ancestor, id).has_value(); }));
  }

  const ApiAnswer own = federation.get("110101", "/api/v1/alerts?scope=own&kind=overdue",
                                       federation.officer("110101"));
  INFO(own.raw);
  REQUIRE(own.status == 200);
  REQUIRE(own.body.at("alerts").size() == 1);
  const json& alert = own.body.at("alerts").at(0);
  CHECK(alert.at("ticket_id") == id);
  CHECK(alert.at("holder") == "110101");
  CHECK(alert.at("type") == "complaint");
  CHECK(alert.at("state") == "received");
  CHECK(alert.at("clock") == "complaint.accept_decision");
  CHECK(alert.at("overdue_ms").get<std::int64_t>() > 0);
  CHECK_FALSE(alert.contains("consumer"));
  CHECK(own.body.at("due_soon_hours") == 48);

  CHECK_FALSE(lists(federation, "110101", "kind=due_soon", id));
  CHECK(lists(federation, "110101", "scope=subtree", id));
  // The parent: among its children's alerts, not its own.
  CHECK(lists(federation, "1101", "scope=children", id));
  CHECK_FALSE(lists(federation, "1101", "scope=own", id));
  CHECK(lists(federation, "1101", "scope=subtree", id));
  // The province: in its subtree, not among its children's (a city's).
  CHECK(lists(federation, "11", "scope=subtree", id));
  CHECK_FALSE(lists(federation, "11", "scope=children", id));
  CHECK(lists(federation, "cn", "scope=subtree", id));
  // The sibling county sees nothing of it.
  for (const std::string scope : {"own", "children", "subtree"}) {
    CHECK(alert_ids(federation, "110102", "scope=" + scope).empty());
  }

  require_error(
      federation.get("1101", "/api/v1/alerts?scope=everywhere", federation.officer("1101")), 400,
      "node.bad_query");
  require_error(
      federation.get("1101", "/api/v1/alerts?limit=500&offset=600", federation.officer("1101")),
      400, "node.bad_query");
  require_error(federation.get("1101", "/api/v1/alerts"), 401, "node.unauthenticated");

  // The holder's gauge, refreshed every second.
  CHECK(
      eventually([&] { return gauge(federation, "110101", "weiquan_tickets_overdue") == 1; }, 20s));
  CHECK(gauge(federation, "1101", "weiquan_tickets_overdue") == 0);
}
