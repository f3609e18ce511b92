// StoreReader::stats: sums of a subtree's cells per group, the live due counts, the hot spots, and
// the bounds of a query.
#include <catch2/catch.hpp>
#include <string>

#include "stats_workload.h"
#include "sync_fixture.h"
#include "weiquan/sync/sqlite.h"
#include "weiquan/sync/stats.h"
#include "weiquan/sync/store.h"

using namespace wq;
using namespace wq::sync;
using namespace wq::sync::test;

TEST_CASE("a query sums a subtree's cells per group with its hot spots", "[stats]") {
  Scenario s;
  mixed_workload(s);
  const auto& reader = s.store.reader();

  auto city = reader.stats(day_query("4403", StatsGrouping::child_region)).value();
  CHECK(city.totals[Measure::tickets] == 6);  // the province's inquiry is not the city's
  REQUIRE(city.groups.size() == 2);
  CHECK(city.groups[0].key == "440305");
  CHECK(city.groups[0].measures[Measure::tickets] == 5);
  CHECK(city.groups[1].key == "440306");
  CHECK(city.groups[1].measures[Measure::converted_to_case] == 1);
  // 30 days on, the station's report is overdue (its reporter was to be told within 5 working
  // days of the decision) while the open complaint's 45 working days of mediation run.
  CHECK(city.due.overdue == 1);
  CHECK(city.due.due_soon == 0);
  CHECK(city.groups[0].due.overdue == 1);

  auto province = reader.stats(day_query("44", StatsGrouping::type)).value();
  CHECK(province.totals[Measure::tickets] == 7);
  REQUIRE(province.groups.size() == 4);
  CHECK(province.groups[0].key == "complaint");
  CHECK(province.groups[0].measures[Measure::tickets] == 4);
  REQUIRE(province.hot_businesses.size() == 1);
  CHECK(province.hot_businesses[0].uscc == kUscc);
  CHECK(province.hot_businesses[0].measures[0] == 7);
  REQUIRE(province.hot_categories.size() == 1);
  CHECK(province.hot_categories[0].tickets == 7);

  StatsQuery next_day = day_query("44");
  next_day.from_day = next_day.to_day = kDay0 + 1;
  CHECK(reader.stats(next_day).value().totals[Measure::tickets] == 0);

  auto station = reader.stats(day_query("440305001")).value();
  CHECK(station.totals[Measure::tickets] == 1);
}

// The same query over the whole of March 2025 (read from the monthly rollup when the region and
// grouping allow) and over 2 to 31 March (read by day): every ticket was received on 3 March.
void check_whole_month_reads_as_days(const StoreReader& reader, const std::string& region,
                                     StatsGrouping by) {
  INFO(region << " grouped " << static_cast<int>(by));
  StatsQuery month = day_query(region, by);
  month.from_day = 20250301;
  month.to_day = 20250331;
  StatsQuery days = month;
  days.from_day = 20250302;
  const StatsTable by_month = reader.stats(month).value();
  const StatsTable by_day = reader.stats(days).value();
  CHECK(by_month.totals[Measure::tickets] > 0);
  CHECK(by_month.totals == by_day.totals);
  REQUIRE(by_month.groups.size() == by_day.groups.size());
  for (std::size_t i = 0; i < by_month.groups.size(); ++i) {
    CHECK(by_month.groups[i].key == by_day.groups[i].key);
    CHECK(by_month.groups[i].measures == by_day.groups[i].measures);
  }
  REQUIRE(by_month.hot_categories.size() == by_day.hot_categories.size());
  CHECK(by_month.hot_categories[0].tickets == by_day.hot_categories[0].tickets);
  CHECK(by_month.hot_businesses.size() == by_day.hot_businesses.size());
}

TEST_CASE("whole months give what their days give", "[stats]") {
  Scenario s;
  mixed_workload(s);
  const auto& reader = s.store.reader();
  for (const auto by : {StatsGrouping::none, StatsGrouping::child_region, StatsGrouping::category,
                        StatsGrouping::channel, StatsGrouping::type}) {
    check_whole_month_reads_as_days(reader, "cn", by);
    check_whole_month_reads_as_days(reader, "44", by);
    check_whole_month_reads_as_days(reader, "4403", by);  // by child region: read by day
    check_whole_month_reads_as_days(reader, "440305", by);
  }
  // Province 44 by city over the first quarter: February and March whole, January from the 2nd.
  StatsQuery quarter = day_query("44", StatsGrouping::child_region);
  quarter.from_day = 20250102;
  quarter.to_day = 20250331;
  const StatsTable table = reader.stats(quarter).value();
  CHECK(table.totals[Measure::tickets] == 7);
  REQUIRE(table.groups.size() == 2);
  CHECK(table.groups[0].key == "44");  // the inquiry the province answered itself
  CHECK(table.groups[1].key == "4403");
  CHECK(table.groups[1].measures[Measure::tickets] == 6);

  // That the whole months came from the rollup: what is written there shows, by day it does not.
  {
    auto db = sql::Db::open(s.dir.file("node.db"), sql::Db::Mode::read_write_create, 1000).value();
    REQUIRE(db.exec("UPDATE stats_months SET tickets = tickets + 100 WHERE region = '44'"));
  }
  StatsQuery march = day_query("cn");
  march.from_day = 20250301;
  march.to_day = 20250331;
  CHECK(reader.stats(march).value().totals[Measure::tickets] == 107);
  march.from_day = 20250302;
  CHECK(reader.stats(march).value().totals[Measure::tickets] == 7);
}

TEST_CASE("overdue and due-soon count the open tickets of the subtree now", "[stats]") {
  Scenario s;
  s.file_and_route();  // the acceptance decision is due Wed 2025-03-12 23:59:59.999 CST
  StatsQuery query = day_query("440305");
  query.now_ms = kT0 + 9 * test::kDay;  // Wed 2025-03-12 09:00
  auto soon = s.store.reader().stats(query).value();
  CHECK(soon.due.overdue == 0);
  CHECK(soon.due.due_soon == 1);
  query.now_ms = kT0 + 10 * test::kDay;
  auto late = s.store.reader().stats(query).value();
  CHECK(late.due.overdue == 1);
  CHECK(late.due.due_soon == 0);
  query.region = "440306";
  CHECK(s.store.reader().stats(query).value().due.overdue == 0);
}

TEST_CASE("a query outside its bounds is refused", "[stats]") {
  Scenario s;
  StatsQuery query = day_query("44");
  query.to_day = kDay0 - 1;
  CHECK(s.store.reader().stats(query).error().code == "sync.bad_stats_query");
  query.to_day = 20250230;
  CHECK(s.store.reader().stats(query).error().code == "sync.bad_stats_query");
  query.from_day = 20240101;
  query.to_day = 20250101;  // 367 days
  CHECK(s.store.reader().stats(query).error().code == "sync.bad_stats_query");
  query.to_day = 20241231;  // 366 days
  CHECK(s.store.reader().stats(query));
}
