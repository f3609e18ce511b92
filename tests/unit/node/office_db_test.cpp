#include "weiquan/node/office_db.h"

#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <thread>
#include <vector>

#include "temp_dir.h"

namespace wq::node {
namespace {

using testing::TempDir;

std::int64_t count_rows(OfficeDb& db, std::string_view table) {
  auto lock = db.lock();
  auto stmt = lock.statement("SELECT COUNT(*) FROM " + std::string(table));
  REQUIRE(stmt.ok());
  auto row = (*stmt)->step();
  REQUIRE(row.ok());
  REQUIRE(*row);
  return (*stmt)->int64(0);
}

TEST_CASE("office.db is created private, in WAL mode, synchronous=FULL, migrated", "[office_db]") {
  TempDir tmp;
  auto db = OfficeDb::open(tmp.file("office.db"));
  REQUIRE(db.ok());
  struct stat st {};
  REQUIRE(::stat(tmp.file("office.db").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);

  auto lock = db->lock();
  auto journal = lock.statement("PRAGMA journal_mode");
  REQUIRE(journal.ok());
  REQUIRE((*journal)->step().value());
  CHECK((*journal)->text(0) == "wal");
  CHECK(lock.db().pragma_int("synchronous").value() == 2);  // FULL
  CHECK(lock.db().pragma_int("foreign_keys").value() == 1);
  CHECK(lock.db().pragma_int("user_version").value() == 3);
  for (const char* table : {"accounts", "personal_data", "sessions", "secrets", "businesses",
                            "intake_keys", "reports_sent", "reports_received"}) {
    auto exists = lock.statement("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?1");
    REQUIRE(exists.ok());
    INFO(table);
    CHECK((*exists)->bind(1, std::string_view(table)).step().value());
  }
}

TEST_CASE("office.db opens again, and refuses a newer schema", "[office_db]") {
  TempDir tmp;
  {
    auto db = OfficeDb::open(tmp.file("office.db"));
    REQUIRE(db.ok());
    auto lock = db->lock();
    auto insert = lock.statement("INSERT INTO secrets (name, value) VALUES ('x', x'01')");
    REQUIRE(insert.ok());
    REQUIRE((*insert)->run().ok());
  }
  {
    auto db = OfficeDb::open(tmp.file("office.db"));
    REQUIRE(db.ok());
    CHECK(count_rows(*db, "secrets") == 1);
    auto lock = db->lock();
    REQUIRE(lock.db().exec("PRAGMA user_version = 99").ok());
  }
  auto newer = OfficeDb::open(tmp.file("office.db"));
  REQUIRE_FALSE(newer.ok());
  CHECK(newer.error().code == "sync.schema_version");
}

TEST_CASE("office.db that cannot be created is a sync.db error", "[office_db]") {
  TempDir tmp;
  auto db = OfficeDb::open(tmp.file("missing-dir") / "office.db");
  REQUIRE_FALSE(db.ok());
  CHECK(db.error().code == "sync.db");
}

TEST_CASE("statements are cached and reset when the lock ends", "[office_db]") {
  TempDir tmp;
  auto db = OfficeDb::open(tmp.file("office.db"));
  REQUIRE(db.ok());
  const std::string_view sql = "SELECT name FROM secrets";
  sync::sql::Stmt* first = nullptr;
  {
    auto lock = db->lock();
    auto insert = lock.statement("INSERT INTO secrets (name, value) VALUES (?1, x'00')");
    REQUIRE(insert.ok());
    REQUIRE((*insert)->bind(1, std::string_view("a")).run().ok());
    REQUIRE((*insert)->bind(1, std::string_view("b")).run().ok());
    auto select = lock.statement(sql);
    REQUIRE(select.ok());
    first = *select;
    REQUIRE((*select)->step().value());  // left mid-way: the lock's end resets it
  }
  auto lock = db->lock();
  auto again = lock.statement(sql);
  REQUIRE(again.ok());
  CHECK(*again == first);
  int rows = 0;
  while ((*again)->step().value()) ++rows;
  CHECK(rows == 2);
  auto bad = lock.statement("SELECT nonsense FROM nowhere");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().code == "sync.db");
}

TEST_CASE("threads share one OfficeDb through its lock", "[office_db]") {
  TempDir tmp;
  auto db = OfficeDb::open(tmp.file("office.db"));
  REQUIRE(db.ok());
  constexpr int kThreads = 4;
  constexpr int kEach = 20;
  std::vector<std::thread> threads;
  std::vector<int> failures(kThreads, 0);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        auto lock = db->lock();
        auto insert = lock.statement("INSERT INTO secrets (name, value) VALUES (?1, x'00')");
        const std::string name = std::to_string(t) + "-" + std::to_string(i);
        if (!insert || !(*insert)->bind(1, name).run()) ++failures[t];
      }
    });
  }
  for (auto& thread : threads) thread.join();
  CHECK(failures == std::vector<int>(kThreads, 0));
  CHECK(count_rows(*db, "secrets") == kThreads * kEach);
}

}  // namespace
}  // namespace wq::node
