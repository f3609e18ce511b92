// `weiquan verify` and `weiquan export` on a store with real tickets, run as a user would, and
// after bytes of the SQLite file were changed behind the node's back.
#include <sqlite3.h>

#include <catch2/catch.hpp>
#include <chrono>

#include "run_weiquan.h"
#include "weiquan/crypto/key_file.h"
#include "weiquan/node/node_dir.h"
#include "weiquan/sync/event_writer.h"

using wq::testing::run_weiquan;
using wq::testing::TempDir;

namespace {

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void require_ok(const wq::testing::ProcessResult& r) {
  INFO("stdout: " << r.out << "\nstderr: " << r.err);
  REQUIRE(r.exit_code == 0);
}

weiquan::v1::EventBody by(weiquan::v1::Role role, const char* id) {
  weiquan::v1::EventBody body;
  body.mutable_actor()->set_role(role);
  body.mutable_actor()->set_id(id);
  return body;
}

// A county node that took a complaint in by hotline and accepted it: one ticket, four events.
std::string county_with_a_ticket(const TempDir& tmp) {
  require_ok(run_weiquan({"init", "--dir", tmp / "cn", "--level", "national", "--region", "cn"}));
  require_ok(run_weiquan({"init", "--dir", tmp / "44", "--level", "province", "--region", "44"}));
  require_ok(run_weiquan({"enroll", "--parent", tmp / "cn", "--child", tmp / "44"}));
  require_ok(
      run_weiquan({"init", "--dir", tmp / "440305", "--level", "county", "--region", "440305"}));
  require_ok(run_weiquan({"enroll", "--parent", tmp / "44", "--child", tmp / "440305"}));

  const wq::node::NodeDir dir{tmp / "440305"};
  auto config = wq::node::load_config(dir);
  REQUIRE(config);
  auto keys = wq::crypto::read_key_file(dir.key_path());
  REQUIRE(keys);
  auto store = wq::node::open_store(dir, *config);
  REQUIRE(store);
  const std::int64_t now = now_ms();
  auto writer = wq::sync::EventWriter::create(*store, keys->sign, "440305", now);
  REQUIRE(writer);

  auto submitted = by(weiquan::v1::ROLE_OFFICER, "officer-7");
  auto& s = *submitted.mutable_submitted();
  s.set_type(weiquan::v1::TICKET_TYPE_COMPLAINT);
  s.set_channel(weiquan::v1::CHANNEL_HOTLINE);
  s.set_received_at_ms(now - 3'600'000);
  s.set_jurisdiction_region("440305");
  s.mutable_business()->set_name("深圳市南山区某某电器商行");
  s.set_category("家用电器");
  s.set_amount_fen(259900);
  s.set_description("购买的冰箱三天后不制冷，商家拒绝维修。");
  s.set_demands("更换或退货");
  auto ticket = writer->submit(submitted, "440305", now);
  REQUIRE(ticket);
  const std::string id = ticket->event.ticket_id();

  // Filed at the office with jurisdiction itself: it dispatches the ticket to itself.
  auto routed = by(weiquan::v1::ROLE_SYSTEM, "440305");
  routed.mutable_routed()->set_to_node("440305");
  routed.mutable_routed()->set_region("440305");
  auto received = by(weiquan::v1::ROLE_SYSTEM, "440305");
  received.mutable_received();
  auto accepted = by(weiquan::v1::ROLE_OFFICER, "officer-7");
  accepted.mutable_accepted()->set_note("符合受理条件");
  std::int64_t at = now;
  for (const auto& body : {routed, received, accepted}) {
    auto appended = writer->append(id, body, ++at);
    INFO((appended ? "" : appended.error().code + ": " + appended.error().message));
    REQUIRE(appended);
  }
  return id;
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
