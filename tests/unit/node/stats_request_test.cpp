// GET /api/v1/stats: its query string read into a statistics query, and the answer rendered as JSON
// and CSV.
#include "stats_request.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "stats_render.h"

using namespace wq;
using namespace wq::node;
using namespace wq::node::http;

namespace {

// 2025-03-03 09:00 China Standard Time.
constexpr std::int64_t kNow = 1'740'963'600'000;

NodeConfig city() {
  NodeConfig config;
  config.node_id = "4403";
  config.level = crypto::Level::city;
  config.region = "4403";
  return config;
}

Result<StatsRequest> parse(const std::string& query, const NodeConfig& config = city()) {
  auto params = parse_query(query);
  REQUIRE(params);
  return parse_stats_request(*params, config, policies::RegionTable::builtin(), kNow);
}

std::string code_of(const Result<StatsRequest>& result) {
  return result ? "ok" : result.error().code;
}

}  // namespace

TEST_CASE("a stats query defaults to the node's region and the last 30 days", "[stats]") {
  auto request = parse("");
  REQUIRE(request);
  CHECK(request->query.region == "4403");
  CHECK(request->query.from_day == 20250202);
  CHECK(request->query.to_day == 20250303);
  CHECK(request->query.by == sync::StatsGrouping::none);
  CHECK_FALSE(request->csv);
  CHECK(request->query.now_ms == kNow);
}

TEST_CASE("a stats query names a region of the subtree, dates and a grouping", "[stats]") {
  auto request = parse("region=440305&from=2025-01-01&to=2025-12-31&by=region&format=csv");
  REQUIRE(request);
  CHECK(request->query.region == "440305");
  CHECK(request->query.from_day == 20250101);
  CHECK(request->query.to_day == 20251231);
  CHECK(request->query.by == sync::StatsGrouping::child_region);
  CHECK(request->by == "region");
  CHECK(request->csv);
  CHECK(code_of(parse("from=2024-01-01&to=2024-12-31")) == "ok");  // 366 days
}

TEST_CASE("bad stats parameters are refused with a reason", "[stats]") {
  CHECK(code_of(parse("region=11")) == "node.outside_subtree");
  CHECK(code_of(parse("region=cn")) == "node.outside_subtree");
  CHECK(code_of(parse("region=4499")) == "node.bad_query");
  CHECK(code_of(parse("region=x")) == "node.bad_query");
  CHECK(code_of(parse("from=2025-02-30")) == "node.bad_query");
  CHECK(code_of(parse("from=2025-3-1")) == "node.bad_query");
  CHECK(code_of(parse("from=2025-03-02&to=2025-03-01")) == "node.bad_query");
  CHECK(code_of(parse("from=2024-01-01&to=2025-01-01")) == "node.bad_query");
  CHECK(code_of(parse("by=state")) == "node.bad_query");
  CHECK(code_of(parse("format=xml")) == "node.bad_query");
  CHECK(code_of(parse("limit=5")) == "node.bad_query");
  NodeConfig national;
  national.node_id = "cn";
  national.level = crypto::Level::national;
  national.region = "cn";
  CHECK(code_of(parse("region=11", national)) == "ok");
  CHECK(code_of(parse("", national)) == "ok");
}

TEST_CASE("stats render with region names, null rates and a CSV Excel opens", "[stats]") {
  auto request = parse("by=region&format=csv");
  REQUIRE(request);
  sync::StatsTable table;
  table.totals[sync::Measure::tickets] = 3;
  table.totals[sync::Measure::closed] = 2;
  table.totals[sync::Measure::amount_recovered_fen] = 12'345;
  table.due = {1, 0};
  sync::StatsGroup nanshan;
  nanshan.key = "440305";
  nanshan.measures = table.totals;
  nanshan.due = table.due;
  table.groups.push_back(nanshan);
  table.hot_categories.push_back({"家用电器", 3});
  const StatsView view{*request, table, policies::RegionTable::builtin(), kNow};

  const auto json = stats_json(view);
  CHECK(json["region"] == "4403");
  CHECK(json["region_name"] == "深圳市");
  CHECK(json["from"] == "2025-02-02");
  CHECK(json["by"] == "region");
  CHECK(json["totals"]["received"] == 3);
  CHECK(json["totals"]["completion_rate"].get<double>() == Approx(0.6667));
  CHECK(json["totals"]["satisfaction_rate"].is_null());
  CHECK(json["totals"]["amount_recovered_yuan"].get<double>() == Approx(123.45));
  CHECK(json["totals"]["overdue"] == 1);
  CHECK(json["groups"][0]["name"] == "南山区");
  CHECK(json["hot_spots"]["categories"][0]["category"] == "家用电器");

  const std::string csv = stats_csv(view);
  CHECK(csv.rfind("\xEF\xBB\xBF"
                  "key,name,received,accepted,closed,completion_rate,",
                  0) == 0);
  CHECK(csv.find("\r\n440305,南山区,3,0,2,0.6667,") != std::string::npos);
  CHECK(csv.find("\r\ntotal,深圳市,3,0,2,0.6667,0.0000,,,,,123.4500,,1,0\r\n") !=
        std::string::npos);
}
