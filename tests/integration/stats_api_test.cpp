// GET /api/v1/stats at a real county office: the figures of tickets filed and handled over HTTP,
// by category and as CSV; bad parameters and the wrong account are refused; the counters the
// node kept equal those `weiquan stats check` rebuilds from its event log, and a tampered one is
// named.

#include <catch2/catch.hpp>
#include <filesystem>

#include "office_fixture.h"
#include "process.h"
#include "weiquan/sync/sqlite.h"

using namespace wq::testing;

namespace {

void act_ok(const Office& office, const std::string& id, const std::string& token,
            const json& action) {
  const ApiAnswer answer = office.act(id, token, action);
  INFO(action.dump() << " -> " << answer.status << " " << answer.raw);
  REQUIRE(answer.status == 200);
}

// Today's China date, YYYY-MM-DD.
std::string today() {
  return api_time(now_ms()).substr(0, 10);
}

const json& group(const json& stats, const std::string& key) {
  for (const json& g : stats.at("groups")) {
    if (g.at("key") == key) return g;
  }
  FAIL("no group " << key << " in " << stats.dump());
  return stats;
}

}  // namespace

TEST_CASE("stats: a county's figures by category, as JSON and CSV", "[stats]") {
  Office office;
  const Consumer consumer = office.register_consumer("张伟", 1);
  const std::string officer = office.login(office.officer());

  // Settled and rated; refused; still waiting for the decision; a report.
  const std::string settled =
      office.file(complaint_about(office.shop(), "家用电器"), consumer.token).at("id");
  act_ok(office, settled, officer, {{"action", "accept"}});
  act_ok(office, settled, officer,
         {{"action", "mediation_result"}, {"agreement", true}, {"text", "商家同意退款。"}});
  act_ok(office, settled, officer,
         {{"action", "close"},
          {"result", "agreement"},
          {"text", "调解成功，已退款。"},
          {"amount_recovered", "1299.00"}});
  act_ok(office, settled, consumer.token, {{"action", "visit"}, {"satisfaction", "satisfied"}});
  const std::string refused =
      office.file(complaint_about(office.restaurant(), "家用电器"), consumer.token).at("id");
  act_ok(
      office, refused, officer,
      {{"action", "refuse"}, {"ground", "order121.art16.1"}, {"explanation", "不属于本局职责。"}});
  office.file(complaint_about(office.restaurant(), "餐饮服务"), consumer.token);
  office.file(report_about(office.shop()), consumer.token);

  const std::string days = "from=" + today() + "&to=" + today();
  const ApiAnswer answer = office.get("/api/v1/stats?by=category&" + days, officer);
  INFO(answer.raw);
  REQUIRE(answer.status == 200);
  const json& stats = answer.body;
  CHECK(stats.at("region") == office.county());
  CHECK(stats.at("region_name") == "东城区");
  CHECK(stats.at("by") == "category");
  const json& totals = stats.at("totals");
  CHECK(totals.at("received") == 4);
  CHECK(totals.at("accepted") == 1);
  CHECK(totals.at("closed") == 2);
  CHECK(totals.at("completion_rate") == 0.5);
  CHECK(totals.at("on_time_completion_rate") == 1.0);
  CHECK(totals.at("on_time_first_reply_rate") == 1.0);
  CHECK(totals.at("complaint_to_case_rate") == 0.0);
  CHECK(totals.at("repeat_dispatch_rate") == 0.0);
  CHECK(totals.at("satisfaction_rate") == 1.0);
  CHECK(totals.at("amount_recovered_yuan") == 1299.0);
  CHECK(totals.at("self_settlement_rate").is_null());
  CHECK(totals.at("overdue") == 0);
  CHECK(totals.at("due_soon") == 0);
  REQUIRE(stats.at("groups").size() == 3);
  CHECK(group(stats, "家用电器").at("received") == 2);
  CHECK(group(stats, "家用电器").at("closed") == 2);
  CHECK(group(stats, "餐饮服务").at("received") == 1);
  CHECK(group(stats, "餐饮服务").at("completion_rate") == 0.0);
  CHECK(group(stats, "").at("received") == 1);  // the report names no category
  const json& businesses = stats.at("hot_spots").at("businesses");
  REQUIRE(businesses.size() == 2);
  CHECK(businesses[0].at("tickets") == 2);
  CHECK(stats.at("hot_spots").at("categories")[0].at("category") == "家用电器");

  const ApiAnswer csv = office.get("/api/v1/stats?by=category&format=csv&" + days, officer);
  REQUIRE(csv.status == 200);
  CHECK(csv.content_type == "text/csv; charset=utf-8");
  CHECK(csv.raw.rfind("\xEF\xBB\xBF"
                      "key,name,received,accepted,closed,",
                      0) == 0);
  CHECK(csv.raw.find("\r\n家用电器,家用电器,2,1,2,1.0000,1.0000,") != std::string::npos);
  CHECK(csv.raw.find("\r\ntotal,东城区,4,1,2,0.5000,") != std::string::npos);
  std::size_t lines = 0;
  for (char c : csv.raw) lines += c == '\n';
  CHECK(lines == 5);  // header, three groups, total

  // Bad parameters: 400 and the figures unchanged; a region outside the county, a consumer: 403.
  require_error(office.get("/api/v1/stats?from=2025-13-01", officer), 400, "node.bad_query");
  require_error(office.get("/api/v1/stats?from=2025-03-02&to=2025-03-01", officer), 400,
                "node.bad_query");
  require_error(office.get("/api/v1/stats?from=2024-01-01&to=2025-01-01", officer), 400,
                "node.bad_query");
  require_error(office.get("/api/v1/stats?by=state", officer), 400, "node.bad_query");
  require_error(office.get("/api/v1/stats?region=110102", officer), 403, "node.outside_subtree");
  require_error(office.get("/api/v1/stats", consumer.token), 403, "node.forbidden");
  require_error(office.get("/api/v1/stats"), 401, "node.unauthenticated");
  const ApiAnswer again = office.get("/api/v1/stats?by=category&" + days, officer);
  REQUIRE(again.status == 200);
  CHECK(again.body.at("totals") == totals);

  // The counters the node kept are those its event log gives.
  REQUIRE(office.stop() == 0);
  const ProcessResult check = run_weiquan({"stats", "check", "--dir", office.county_dir()});
  INFO(check.out << check.err);
  CHECK(check.exit_code == 0);
  CHECK(check.out.find("the statistics match the event log") != std::string::npos);

  // A monthly cell that no longer matches is named, with its measure, and a rebuild mends it.
  {
    auto db = wq::sync::sql::Db::open(std::filesystem::path(office.county_dir()) / "store.db",
                                      wq::sync::sql::Db::Mode::read_write_create, 1000);
    REQUIRE(db);
    REQUIRE(db->exec("UPDATE stats_months SET visited = visited + 5"));
  }
  const ProcessResult wrong = run_weiquan({"stats", "check", "--dir", office.county_dir()});
  INFO(wrong.out << wrong.err);
  CHECK(wrong.exit_code == 1);
  CHECK(wrong.out.find("stats_months ") != std::string::npos);
  CHECK(wrong.out.find(": visited is ") != std::string::npos);
  CHECK(wrong.out.find("run weiquan stats rebuild") != std::string::npos);

  const ProcessResult rebuild = run_weiquan({"stats", "rebuild", "--dir", office.county_dir()});
  INFO(rebuild.err);
  CHECK(rebuild.exit_code == 0);
  CHECK(rebuild.out.find("rebuilt the statistics of 4 tickets") != std::string::npos);
  CHECK(run_weiquan({"stats", "check", "--dir", office.county_dir()}).exit_code == 0);
}
