// The statistics counters: each ticket moves between cells as its events apply, in the same
// transaction, and the counters kept incrementally equal those rebuilt from the event log.
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

TEST_CASE("a ticket's one contribution moves between cells as its events apply", "[stats]") {
  Scenario s;
  auto submission = s.province.submit(test::complaint(), "440305", kT0);
  REQUIRE(submission);
  s.ticket = submission->event.ticket_id();
  CHECK(measure(s, "44|complaint|submitted", Measure::tickets) == 1);

  REQUIRE(s.province.append(s.ticket, test::routed("440305"), kT0 + kMinute));
  CHECK(cells(s).count("44|complaint|submitted") == 0);  // emptied cells are deleted
  CHECK(measure(s, "440305|complaint|in_transit", Measure::tickets) == 1);
  CHECK(measure(s, "440305|complaint|in_transit", Measure::dispatched) == 1);

  REQUIRE(s.county.append(s.ticket, test::received(), kT0 + 2 * kMinute));
  REQUIRE(s.county.append(s.ticket, test::accepted(), kT0 + 3 * kMinute));
  const std::string accepted = "440305|complaint|accepted";
  CHECK(cells(s).size() == 1);
  CHECK(measure(s, accepted, Measure::accepted) == 1);
  CHECK(measure(s, accepted, Measure::first_reply) == 1);
  CHECK(measure(s, accepted, Measure::first_reply_on_time) == 1);

  REQUIRE(s.county.append(s.ticket, test::mediation_result(true), kT0 + 4 * kMinute));
  REQUIRE(s.county.append(s.ticket, test::closed(129'900), kT0 + 5 * kMinute));
  const std::string closed = "440305|complaint|closed";
  CHECK(measure(s, closed, Measure::closed) == 1);
  CHECK(measure(s, closed, Measure::closed_on_time) == 1);
  CHECK(measure(s, closed, Measure::amount_recovered_fen) == 129'900);
  CHECK(measure(s, closed, Measure::mediation_agreed) == 1);
  CHECK(measure(s, closed, Measure::self_settled) == 0);

  REQUIRE(s.county.append(s.ticket, test::visited(), kT0 + 6 * kMinute));
  CHECK(cells(s).size() == 1);
  CHECK(measure(s, "440305|complaint|visited", Measure::satisfied) == 1);
  CHECK(measure(s, "440305|complaint|visited", Measure::closed) == 1);
}

TEST_CASE("a complaint decided after its 7 working days closes late", "[stats]") {
  Scenario s;
  s.file_and_route();
  REQUIRE(s.county.append(s.ticket, test::accepted(), kT0 + 10 * test::kDay));
  REQUIRE(s.county.append(s.ticket, test::closed(0), kT0 + 11 * test::kDay));
  const std::string key = "440305|complaint|closed";
  CHECK(measure(s, key, Measure::first_reply) == 1);
  CHECK(measure(s, key, Measure::first_reply_on_time) == 0);
  CHECK(measure(s, key, Measure::closed) == 1);
  CHECK(measure(s, key, Measure::closed_on_time) == 0);
}

TEST_CASE("incremental counters equal the counters rebuilt from the events, cell by cell",
          "[stats]") {
  Scenario s;
  mixed_workload(s);
  const auto incremental = cells(s);
  CHECK(incremental.at("440306|complaint|closed")[Measure::converted_to_case] == 1);
  CHECK(incremental.at("440306|complaint|closed")[Measure::dispatched_repeatedly] == 1);
  CHECK(incremental.at("440305|complaint|visited")[Measure::self_settled] == 1);
  CHECK(incremental.at("440305001|report|closed")[Measure::closed] == 1);
  CHECK(incremental.at("44|inquiry|closed")[Measure::dispatched] == 0);
  CHECK(incremental.at("440305|complaint|accepted")[Measure::tickets] == 1);

  auto differences = s.store.reader().check_stats();
  REQUIRE(differences);
  CHECK(differences->empty());

  std::size_t reported = 0;
  auto rebuilt = s.store.rebuild_stats([&](std::size_t done, std::size_t) { reported = done; });
  REQUIRE(rebuilt);
  CHECK(*rebuilt == 7);
  CHECK(reported == 7);
  CHECK(cells(s) == incremental);
}

TEST_CASE("the monthly rollup holds the daily cells summed by month and city", "[stats]") {
  Scenario s;
  mixed_workload(s);
  auto db = sql::Db::open(s.dir.file("node.db"), sql::Db::Mode::read_only, 1000).value();
  std::string sums;
  std::string columns;
  for (auto name : kMeasureNames) {
    sums += ", sum(" + std::string(name) + ")";
    columns += ", " + std::string(name);
  }
  const std::string by_day = "SELECT day / 100, substr(region, 1, 4), type, category, channel" +
                             sums + " FROM stats_cells GROUP BY 1, 2, 3, 4, 5";
  const std::string by_month =
      "SELECT month, region, type, category, channel" + columns + " FROM stats_months";
  const auto count = [&](const std::string& sql) {
    auto stmt = db.prepare("SELECT count(*) FROM (" + sql + ")").value();
    REQUIRE(stmt.step().value());
    return stmt.int64(0);
  };
  // The seven tickets: the province's inquiry, and six in the city's counties and station.
  CHECK(count(by_month) ==
        count("SELECT DISTINCT region, type, category, channel FROM (" + by_month + ")"));
  CHECK(count("SELECT * FROM stats_months WHERE region = '4403'") > 0);
  CHECK(count("SELECT * FROM stats_months WHERE region = '44'") == 1);
  CHECK(count("SELECT * FROM stats_months WHERE length(region) > 4") == 0);
  CHECK(count(by_day + " EXCEPT " + by_month) == 0);
  CHECK(count(by_month + " EXCEPT " + by_day) == 0);
}

TEST_CASE("a check reports a cell the counters got wrong", "[stats]") {
  Scenario s;
  mixed_workload(s);
  {
    auto db = sql::Db::open(s.dir.file("node.db"), sql::Db::Mode::read_write_create, 1000).value();
    REQUIRE(db.exec("UPDATE stats_cells SET closed = closed + 1 WHERE region = '440306'"));
    REQUIRE(db.exec("DELETE FROM stats_businesses WHERE region = '440305001'"));
    REQUIRE(db.exec("UPDATE stats_months SET visited = 5 WHERE region = '44'"));
  }
  auto differences = s.store.reader().check_stats().value();
  REQUIRE(differences.size() == 3);
  CHECK(differences[0].table == "stats_cells");
  CHECK(differences[0].key == "20250303|440306|complaint|家用电器|1|closed");
  CHECK(differences[0].stored[static_cast<std::size_t>(Measure::closed)] == 2);
  CHECK(differences[0].rebuilt[static_cast<std::size_t>(Measure::closed)] == 1);
  CHECK(differences[1].table == "stats_businesses");
  CHECK(differences[1].stored[0] == 0);
  CHECK(differences[1].rebuilt[0] == 1);
  CHECK(differences[2].table == "stats_months");
  CHECK(differences[2].key == "202503|44|inquiry|家用电器|1");
  CHECK(differences[2].stored[static_cast<std::size_t>(Measure::visited)] == 5);
  CHECK(differences[2].rebuilt[static_cast<std::size_t>(Measure::visited)] == 0);

  REQUIRE(s.store.rebuild_stats());
  CHECK(s.store.reader().check_stats().value().empty());
}

TEST_CASE("a rate with nothing to divide by is null, never 0", "[stats]") {
  StatsMeasures m;
  Kpis none = kpis_of(m, {});
  CHECK_FALSE(none.completion_rate);
  CHECK_FALSE(none.satisfaction_rate);
  CHECK_FALSE(none.self_settlement_rate);
  m[Measure::tickets] = 4;
  m[Measure::merged] = 1;
  m[Measure::closed] = 3;
  m[Measure::closed_on_time] = 2;
  m[Measure::amount_recovered_fen] = 12'345;
  Kpis some = kpis_of(m, {2, 1});
  CHECK(some.completion_rate == Approx(1.0));
  CHECK(some.on_time_completion_rate == Approx(2.0 / 3.0));
  CHECK(some.amount_recovered_yuan == Approx(123.45));
  CHECK(some.overdue == 2);
  CHECK(some.due_soon == 1);
  CHECK_FALSE(some.repeat_dispatch_rate);
}
