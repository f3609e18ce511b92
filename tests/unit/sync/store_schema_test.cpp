#include <sqlite3.h>

#include <catch2/catch.hpp>

#include "sync_fixture.h"
#include "weiquan/sync/event_writer.h"
#include "weiquan/sync/store.h"

using namespace wq;
using namespace wq::sync;
using test::federation;
using test::kMinute;
using test::kT0;

namespace {

std::int64_t query_int(const std::filesystem::path& path, const char* sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) == SQLITE_OK);
  REQUIRE(sqlite3_step(stmt) == SQLITE_ROW);
  const std::int64_t value = sqlite3_column_int64(stmt, 0);
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return value;
}

std::string query_text(const std::filesystem::path& path, const char* sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, sql, -1, &stmt, nullptr) == SQLITE_OK);
  REQUIRE(sqlite3_step(stmt) == SQLITE_ROW);
  std::string value(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)));
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return value;
}

void execute(const std::filesystem::path& path, const char* sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
  REQUIRE(sqlite3_exec(db, sql, nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(db);
}

}  // namespace

TEST_CASE("an empty database is migrated to the latest schema in WAL mode", "[store][schema]") {
  test::TempDir dir;
  const auto path = dir.file("node.db");
  {
    StoreOptions options;
    options.path = path;
    options.anchor_key = federation().anchor();
    REQUIRE(Store::open(options));
  }
  CHECK(query_int(path, "PRAGMA user_version") == latest_schema_version());
  CHECK(query_text(path, "PRAGMA journal_mode") == "wal");
  CHECK(query_int(path, "SELECT count(*) FROM sqlite_schema WHERE name = 'events'") == 1);
}

TEST_CASE("a reopened store keeps its certificates, tickets and clocks", "[store][schema]") {
  test::TempDir dir;
  const auto path = dir.file("node.db");
  std::string ticket;
  Ticket before;
  {
    Store store = federation().open_store(path);
    auto province = EventWriter::create(store, federation().node("44").keys.sign, "44", kT0);
    auto county = EventWriter::create(store, federation().node("440305").keys.sign, "440305", kT0);
    ticket = province->submit(test::complaint(), "440305", kT0)->event.ticket_id();
    REQUIRE(province->append(ticket, test::routed("440305"), kT0 + kMinute));
    REQUIRE(county->append(ticket, test::received(), kT0 + 2 * kMinute));
    REQUIRE(county->append(ticket, test::accepted(), kT0 + 3 * kMinute));
    before = store.reader().ticket(ticket).value().value();
  }
  StoreOptions options;
  options.path = path;
  options.anchor_key = federation().anchor();
  Store store = Store::open(options).value();
  CHECK(store.trust().certificates().size() == federation().certificates().size());
  const Ticket reopened = store.reader().ticket(ticket).value().value();
  CHECK(reopened.state == before.state);
  CHECK(reopened.head == before.head);
  REQUIRE(reopened.clocks.size() == before.clocks.size());
  for (std::size_t i = 0; i < before.clocks.size(); ++i) {
    CHECK(reopened.clocks[i].name == before.clocks[i].name);
    CHECK(reopened.clocks[i].due_ms == before.clocks[i].due_ms);
    CHECK(reopened.clocks[i].stopped_ms == before.clocks[i].stopped_ms);
  }

  // The clocks are rebuilt from the chain when the next event arrives.
  auto county = EventWriter::create(store, federation().node("440305").keys.sign, "440305", kT0);
  auto pause = test::draft(weiquan::v1::ROLE_OFFICER);
  pause.mutable_clock_paused()->set_reason("送检");
  REQUIRE(county->append(ticket, pause, kT0 + test::kDay));
  const Ticket paused = store.reader().ticket(ticket).value().value();
  CHECK(paused.last_seq == 5);
  CHECK(paused.next_due_ms == 0);
  auto resume = test::draft(weiquan::v1::ROLE_OFFICER);
  resume.mutable_clock_resumed();
  REQUIRE(county->append(ticket, resume, kT0 + 3 * test::kDay));
  CHECK(store.reader().ticket(ticket).value()->next_due_ms > before.next_due_ms);

  // Another serial on the same day continues from the stored counter.
  auto province = EventWriter::create(store, federation().node("44").keys.sign, "44", kT0);
  CHECK(province->submit(test::complaint(), "440305", kT0)->event.ticket_id() ==
        "44-20250303-000002");
}

TEST_CASE("readers need a migrated database and refuse a newer one", "[store][schema]") {
  test::TempDir dir;
  const auto path = dir.file("node.db");
  execute(path, "CREATE TABLE unrelated (x INTEGER)");
  CHECK(StoreReader::open(path).error().code == "sync.schema_version");
  { Store store = federation().open_store(path); }
  REQUIRE(StoreReader::open(path));
  execute(path, "PRAGMA user_version = 99");
  StoreOptions options;
  options.path = path;
  options.anchor_key = federation().anchor();
  CHECK(Store::open(options).error().code == "sync.schema_version");
  CHECK(StoreReader::open(path).error().code == "sync.schema_version");
}

TEST_CASE("a reader sees what the writer committed", "[store]") {
  test::TempDir dir;
  const auto path = dir.file("node.db");
  Store store = federation().open_store(path);
  auto reader = StoreReader::open(path);
  REQUIRE(reader);
  auto province = EventWriter::create(store, federation().node("44").keys.sign, "44", kT0);
  const auto ticket = province->submit(test::complaint(), "440305", kT0)->event.ticket_id();
  const auto seen = reader->ticket(ticket).value();
  REQUIRE(seen);
  CHECK(seen->holder == "44");
  CHECK(reader->events(ticket).value().size() == 1);
  CHECK(reader->certificates().value().size() == federation().certificates().size());
  CHECK(reader->revocations().value().empty());
}

TEST_CASE("a version-1 database is migrated, and its tickets get empty new fields",
          "[store][schema]") {
  test::TempDir dir;
  const auto path = dir.file("node.db");
  std::string old_ticket;
  {
    Store store = federation().open_store(path);
    auto province = EventWriter::create(store, federation().node("44").keys.sign, "44", kT0);
    auto county = EventWriter::create(store, federation().node("440305").keys.sign, "440305", kT0);
    old_ticket = province->submit(test::complaint(), "440305", kT0)->event.ticket_id();
    REQUIRE(province->append(old_ticket, test::routed("440305"), kT0 + kMinute));
    REQUIRE(county->append(old_ticket, test::received(), kT0 + 2 * kMinute));
  }
  // What schema version 1 wrote: the tickets table without the columns of migrations 2 to 5,
  // no outbox, no statistics.
  std::string statistics_columns;
  for (const char* column :
       {"accepted_at_ms", "closed_at_ms", "closed_on_time", "late", "close_result",
        "amount_recovered_fen", "dispatch_count", "first_reply_ms", "first_reply_on_time",
        "converted_to_case", "enterprise_handled", "self_settled", "mediation", "satisfaction"}) {
    statistics_columns += "ALTER TABLE tickets DROP COLUMN " + std::string(column) + "; ";
  }
  const std::string to_version_1 =
      "DROP TABLE stats_cells; DROP TABLE stats_businesses; DROP TABLE stats_pending; "
      "DROP TABLE stats_months; "
      "DROP INDEX tickets_due_by_holder; " +
      statistics_columns +
      "DROP TABLE outbox; ALTER TABLE tickets DROP COLUMN holders; "
      "DROP INDEX tickets_by_submitter; DROP INDEX tickets_by_assignee; "
      "ALTER TABLE tickets DROP COLUMN submitter; "
      "ALTER TABLE tickets DROP COLUMN business_uscc; "
      "ALTER TABLE tickets DROP COLUMN business_name; "
      "ALTER TABLE tickets DROP COLUMN category; "
      "ALTER TABLE tickets DROP COLUMN assignee_kind; "
      "ALTER TABLE tickets DROP COLUMN assignee; PRAGMA user_version = 1";
  execute(path, to_version_1.c_str());
  CHECK(StoreReader::open(path).error().code == "sync.schema_version");

  StoreOptions options;
  options.path = path;
  options.anchor_key = federation().anchor();
  Store store = Store::open(options).value();
  CHECK(query_int(path, "PRAGMA user_version") == latest_schema_version());
  CHECK(query_int(path, "SELECT count(*) FROM sqlite_schema WHERE name = 'tickets_by_assignee'") ==
        1);
  Ticket old = store.reader().ticket(old_ticket).value().value();
  CHECK(old.state == "received");
  CHECK(old.submitter.empty());
  CHECK(old.business_uscc.empty());
  CHECK(old.category.empty());
  CHECK(old.assignee_kind.empty());
  CHECK(old.holders == std::vector<std::string>{"44", "440305"});
  // Its statistics are derived from its events when the store is opened.
  CHECK(old.dispatch_count == 1);
  CHECK(query_int(path, "SELECT sum(tickets) FROM stats_cells WHERE state = 'received'") == 1);

  // Its next events fill what they set; new tickets have every field.
  auto county = EventWriter::create(store, federation().node("440305").keys.sign, "440305", kT0);
  REQUIRE(county->append(old_ticket,
                         test::assigned(weiquan::v1::ASSIGNEE_KIND_OFFICER, "officer-2"),
                         kT0 + 3 * kMinute));
  old = store.reader().ticket(old_ticket).value().value();
  CHECK(old.assignee_kind == "officer");
  CHECK(old.assignee == "officer-2");
  REQUIRE(county->append(old_ticket, test::assigned_station("440305001"), kT0 + 4 * kMinute));
  CHECK(store.reader().ticket(old_ticket).value()->holders ==
        std::vector<std::string>{"44", "440305", "440305001"});
  CHECK(old.submitter.empty());
  auto province = EventWriter::create(store, federation().node("44").keys.sign, "44", kT0);
  const auto fresh = province->submit(test::complaint(), "440305", kT0)->event.ticket_id();
  CHECK(store.reader().ticket(fresh).value()->submitter == "consumer-1");
}

TEST_CASE(
    "a version-4 database is migrated, and its monthly rollup and consent figures are rebuilt",
    "[store][schema]") {
  test::TempDir dir;
  const auto path = dir.file("node.db");
  {
    Store store = federation().open_store(path);
    auto province = EventWriter::create(store, federation().node("44").keys.sign, "44", kT0);
    auto county = EventWriter::create(store, federation().node("440305").keys.sign, "440305", kT0);
    // The fixture's complaint names a business and consents to disclosure.
    const auto ticket = province->submit(test::complaint(), "440305", kT0)->event.ticket_id();
    REQUIRE(province->append(ticket, test::routed("440305"), kT0 + kMinute));
    REQUIRE(county->append(ticket, test::received(), kT0 + 2 * kMinute));
    REQUIRE(county->append(ticket, test::accepted(), kT0 + 3 * kMinute));
    REQUIRE(county->append(ticket, test::mediation_result(true), kT0 + 4 * kMinute));
    REQUIRE(county->append(ticket, test::closed(0), kT0 + 5 * kMinute));
  }
  std::string business_columns;
  for (const char* column :
       {"enterprise_handled", "disclosable_mediated", "disclosable_mediation_agreed",
        "disclosable_enterprise_handled", "disclosable_self_settled"}) {
    business_columns += "ALTER TABLE stats_businesses DROP COLUMN " + std::string(column) + "; ";
  }
  execute(path,
          ("DROP TABLE stats_months; " + business_columns + "PRAGMA user_version = 4").c_str());

  StoreOptions options;
  options.path = path;
  options.anchor_key = federation().anchor();
  Store store = Store::open(options).value();
  CHECK(query_int(path, "PRAGMA user_version") == latest_schema_version());
  CHECK(query_int(path,
                  "SELECT sum(tickets) FROM stats_months WHERE month = 202503 AND region = "
                  "'4403'") == 1);
  CHECK(query_int(path, "SELECT disclosable_mediation_agreed FROM stats_businesses") == 1);
  CHECK(query_int(path, "SELECT count(*) FROM stats_pending") == 0);
  CHECK(store.reader().check_stats().value().empty());
}
