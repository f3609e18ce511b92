// `weiquan verify` and `weiquan export` on a store with real tickets, run as a user would, and
// after bytes of the SQLite file were changed behind the node's back.
#include <sqlite3.h>

#include <catch2/catch.hpp>

#include "node_fixture.h"
#include "process.h"
#include "temp_dir.h"

using wq::testing::require_ok;
using wq::testing::run_weiquan;
using wq::testing::TempDir;

namespace {

// A county node that took a complaint in by hotline and accepted it: one ticket, four events.
std::string county_with_a_ticket(const TempDir& tmp) {
  wq::testing::build_chain(tmp, {"cn", "44", "440305"});
  const std::int64_t now = wq::testing::now_ms();
  wq::testing::EventDesk desk(tmp / "440305", now);
  return desk.accepted_complaint(now);
}

// Flips one byte of a BLOB column in the node's database file, as disk corruption or an
// intruder with file access would.
void flip_byte(const std::string& db_path, const std::string& sql_select,
               const std::string& sql_update, int offset) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open(db_path.c_str(), &db) == SQLITE_OK);
  sqlite3_stmt* select = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, sql_select.c_str(), -1, &select, nullptr) == SQLITE_OK);
  REQUIRE(sqlite3_step(select) == SQLITE_ROW);
  const auto* bytes = static_cast<const unsigned char*>(sqlite3_column_blob(select, 0));
  std::string blob(reinterpret_cast<const char*>(bytes),
                   static_cast<std::size_t>(sqlite3_column_bytes(select, 0)));
  sqlite3_finalize(select);
  blob[static_cast<std::size_t>(offset)] ^= 0x01;
  sqlite3_stmt* update = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, sql_update.c_str(), -1, &update, nullptr) == SQLITE_OK);
  sqlite3_bind_blob(update, 1, blob.data(), static_cast<int>(blob.size()), SQLITE_TRANSIENT);
  REQUIRE(sqlite3_step(update) == SQLITE_DONE);
  sqlite3_finalize(update);
  sqlite3_close(db);
}

}  // namespace

TEST_CASE("verify passes a sound store and export lists its events", "[cli][verify]") {
  TempDir tmp;
  const std::string id = county_with_a_ticket(tmp);
  const auto verify = run_weiquan({"verify", "--dir", tmp / "440305"});
  require_ok(verify);
  CHECK(verify.out.find("4 events") != std::string::npos);

  const auto exported = run_weiquan({"export", "--dir", tmp / "440305"});
  require_ok(exported);
  CHECK(exported.out.find("\"ticket\":\"" + id + "\",\"seq\":4") != std::string::npos);
}

TEST_CASE("verify names the ticket and seq of a tampered event and exits non-zero",
          "[cli][verify]") {
  TempDir tmp;
  const std::string id = county_with_a_ticket(tmp);
  const std::string where = " WHERE ticket_id = '" + id + "' AND seq = 2";
  SECTION("a flipped byte of the body") {
    flip_byte(tmp / "440305/store.db", "SELECT body FROM events" + where,
              "UPDATE events SET body = ?1" + where, 5);
  }
  SECTION("a flipped byte of the signature") {
    flip_byte(tmp / "440305/store.db", "SELECT signature FROM events" + where,
              "UPDATE events SET signature = ?1" + where, 17);
  }
  const auto verify = run_weiquan({"verify", "--dir", tmp / "440305"});
  INFO(verify.out << verify.err);
  CHECK(verify.exit_code == 1);
  CHECK(verify.out.find(id) != std::string::npos);
  CHECK(verify.out.find("seq 2") != std::string::npos);
}

TEST_CASE("verify names a tampered certificate by node id", "[cli][verify]") {
  TempDir tmp;
  county_with_a_ticket(tmp);
  flip_byte(tmp / "440305/store.db", "SELECT body FROM certificates WHERE node_id = '44'",
            "UPDATE certificates SET body = ?1 WHERE node_id = '44'", 30);
  const auto verify = run_weiquan({"verify", "--dir", tmp / "440305"});
  INFO(verify.out << verify.err);
  CHECK(verify.exit_code == 1);
  CHECK(verify.out.find("certificate of 44") != std::string::npos);
}
