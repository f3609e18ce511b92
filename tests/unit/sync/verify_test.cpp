#include "weiquan/sync/verify.h"

#include <sqlite3.h>

#include <catch2/catch.hpp>
#include <sstream>

#include "sync_fixture.h"
#include "weiquan/crypto/bytes.h"
#include "weiquan/sync/certificate_codec.h"
#include "weiquan/sync/event_writer.h"
#include "weiquan/sync/export.h"

using namespace wq;
using namespace wq::sync;
using test::federation;
using test::kMinute;
using test::kT0;

namespace {

// A store with two tickets (three and two events) and the federation's certificates.
struct Filled {
  test::TempDir dir;
  std::filesystem::path path = dir.file("node.db");
  std::string first;
  std::string second;

  Filled() {
    Store store = federation().open_store(path);
    auto province = EventWriter::create(store, federation().node("44").keys.sign, "44", kT0);
    auto county = EventWriter::create(store, federation().node("440305").keys.sign, "440305", kT0);
    first = province->submit(test::complaint(), "440305", kT0)->event.ticket_id();
    second = province->submit(test::complaint(), "440305", kT0)->event.ticket_id();
    REQUIRE(province->append(first, test::routed("440305"), kT0 + kMinute));
    REQUIRE(county->append(first, test::received(), kT0 + 2 * kMinute));
    REQUIRE(province->append(second, test::routed("440305"), kT0 + kMinute));
  }

  VerifyReport verify() const {
    auto reader = StoreReader::open(path);
    REQUIRE(reader);
    auto report = verify_store(*reader, federation().anchor());
    REQUIRE(report);
    return *report;
  }

  std::string exported() const {
    auto reader = StoreReader::open(path);
    REQUIRE(reader);
    std::ostringstream out;
    REQUIRE(export_store(*reader, out));
    return out.str();
  }

  // XORs one byte of a blob column in the row `where` selects, directly in the database file.
  void flip(const std::string& table, const std::string& column, const std::string& where,
            int offset) const {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
    sqlite3_stmt* select = nullptr;
    REQUIRE(sqlite3_prepare_v2(
                db, ("SELECT rowid, " + column + " FROM " + table + " WHERE " + where).c_str(), -1,
                &select, nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_step(select) == SQLITE_ROW);
    const std::int64_t rowid = sqlite3_column_int64(select, 0);
    const auto* data = static_cast<const std::uint8_t*>(sqlite3_column_blob(select, 1));
    crypto::Bytes bytes(data, data + sqlite3_column_bytes(select, 1));
    sqlite3_finalize(select);
    REQUIRE(offset < static_cast<int>(bytes.size()));
    bytes[offset] ^= 0x01;
    sqlite3_stmt* update = nullptr;
    REQUIRE(sqlite3_prepare_v2(
                db, ("UPDATE " + table + " SET " + column + " = ?1 WHERE rowid = ?2").c_str(), -1,
                &update, nullptr) == SQLITE_OK);
    sqlite3_bind_blob(update, 1, bytes.data(), static_cast<int>(bytes.size()), SQLITE_TRANSIENT);
    sqlite3_bind_int64(update, 2, rowid);
    REQUIRE(sqlite3_step(update) == SQLITE_DONE);
    sqlite3_finalize(update);
    sqlite3_close(db);
  }

  void execute(const std::string& sql) const {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open(path.c_str(), &db) == SQLITE_OK);
    REQUIRE(sqlite3_exec(db, sql.c_str(), nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(db);
  }
};

}  // namespace

TEST_CASE("an intact store verifies, and so does its export", "[verify]") {
  Filled f;
  const auto report = f.verify();
  INFO(report.summary());
  CHECK(report.ok());
  CHECK(report.certificates == federation().certificates().size());
  CHECK(report.tickets == 2);
  CHECK(report.events == 5);

  std::istringstream in(f.exported());
  const auto from_export = verify_export(in, federation().anchor());
  REQUIRE(from_export);
  INFO(from_export->summary());
  CHECK(from_export->ok());
  CHECK(from_export->events == 5);
  CHECK(from_export->summary() == "ok: 6 certificates, 0 revocations, 5 events in 2 tickets");
}

TEST_CASE("the export lists certificates first, then events by ticket and seq", "[export]") {
  Filled f;
  std::istringstream in(f.exported());
  std::vector<Record> records;
  for (std::string line; std::getline(in, line);)
    records.push_back(parse_export_line(line).value());
  REQUIRE(records.size() == 11);
  CHECK(records[0].type == RecordType::certificate);
  CHECK(records[0].node_id == "cn");
  CHECK(records[0].signer == "cn");
  CHECK(records[5].node_id == "440305001");
  CHECK(records[6].type == RecordType::event);
  CHECK(records[6].ticket_id == f.first);
  CHECK(records[6].seq == 1);
  CHECK(records[8].seq == 3);
  CHECK(records[9].ticket_id == f.second);
  CHECK(records[10].signer == "44");
  CHECK(export_line(records[6]).rfind(R"({"type":"event","ticket":")", 0) == 0);
}

TEST_CASE("a flipped byte in a stored event body is found at its ticket and seq", "[verify]") {
  Filled f;
  f.flip("events", "body", "ticket_id = '" + f.first + "' AND seq = 2", 12);
  const auto report = f.verify();
  REQUIRE_FALSE(report.ok());
  CHECK(report.broken->type == RecordType::event);
  CHECK(report.broken->ticket_id == f.first);
  CHECK(report.broken->seq == 2);
  CHECK(report.summary().find("event " + f.first + " seq 2") != std::string::npos);
}

TEST_CASE("a flipped byte in a stored signature is found at its ticket and seq", "[verify]") {
  Filled f;
  f.flip("events", "signature", "ticket_id = '" + f.second + "' AND seq = 1", 40);
  const auto report = f.verify();
  REQUIRE_FALSE(report.ok());
  CHECK(report.broken->ticket_id == f.second);
  CHECK(report.broken->seq == 1);
  CHECK(report.broken->reason.code == "sync.bad_signature");
}

TEST_CASE("a flipped byte in a stored certificate is found by node id", "[verify]") {
  Filled f;
  f.flip("certificates", "body", "node_id = '4403'", 20);
  const auto report = f.verify();
  REQUIRE_FALSE(report.ok());
  CHECK(report.broken->type == RecordType::certificate);
  CHECK(report.broken->node_id == "4403");
  CHECK(report.summary().find("certificate of 4403") != std::string::npos);

  StoreOptions options;
  options.path = f.path;
  options.anchor_key = federation().anchor();
  CHECK(Store::open(options).error().code == "sync.corrupt");
}

TEST_CASE("a missing event breaks the chain at the next one", "[verify]") {
  Filled f;
  f.execute("DELETE FROM events WHERE ticket_id = '" + f.first + "' AND seq = 2");
  const auto report = f.verify();
  REQUIRE_FALSE(report.ok());
  CHECK(report.broken->ticket_id == f.first);
  CHECK(report.broken->seq == 3);
  CHECK(report.broken->reason.code == "sync.seq_gap");
}

TEST_CASE("verify refuses an export under another anchor or with an altered line", "[verify]") {
  Filled f;
  const std::string exported = f.exported();
  {
    std::istringstream in(exported);
    const auto report = verify_export(in, federation().node("44").keys.sign.public_key);
    REQUIRE(report);
    REQUIRE_FALSE(report->ok());
    CHECK(report->broken->node_id == "cn");
    CHECK(report->broken->line == 1);
  }
  {
    std::string altered = exported;
    const auto pos = altered.find(R"("seq":2)");
    REQUIRE(pos != std::string::npos);
    altered.replace(pos, 7, R"("seq":7)");
    std::istringstream in(altered);
    const auto report = verify_export(in, federation().anchor());
    REQUIRE(report);
    REQUIRE_FALSE(report->ok());
    CHECK(report->broken->seq == 7);
    CHECK(report->broken->reason.code == "sync.misfiled");
  }
  {
    std::istringstream in(exported + "{\"type\":\"event\"}\n");
    const auto report = verify_export(in, federation().anchor());
    REQUIRE(report);
    REQUIRE_FALSE(report->ok());
    CHECK(report->broken->line == 12);
    CHECK(report->broken->reason.code == "sync.malformed");
  }
  {
    std::istringstream in(std::string(kMaxExportLineBytes + 10, 'x'));
    const auto report = verify_export(in, federation().anchor());
    REQUIRE(report);
    CHECK(report->broken->reason.code == "sync.too_large");
  }
}

TEST_CASE("revocations are exported and checked at each event's own time", "[verify]") {
  Filled f;
  const auto revoke = [&](std::int64_t at_ms) {
    crypto::Revocation revocation;
    revocation.issuer = "4403";
    revocation.node_id = "440305";
    revocation.serial = 1;
    revocation.revoked_at_ms = at_ms;
    StoreOptions options;
    options.path = f.path;
    options.anchor_key = federation().anchor();
    Store store = Store::open(options).value();
    REQUIRE(store.add_revocation(
        issue_revocation(revocation, federation().node("4403").keys.sign).value()));
  };
  revoke(kT0 + test::kDay);
  auto report = f.verify();
  CHECK(report.ok());
  CHECK(report.revocations == 1);
  std::istringstream in(f.exported());
  CHECK(verify_export(in, federation().anchor())->ok());

  revoke(kT0);  // backdated: the county's event at kT0 + 2 minutes is no longer trusted
  report = f.verify();
  REQUIRE_FALSE(report.ok());
  CHECK(report.broken->ticket_id == f.first);
  CHECK(report.broken->seq == 3);
  CHECK(report.broken->reason.code == "crypto.cert_revoked");
}

namespace {

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const std::string& line : lines) out += line + "\n";
  return out;
}

Result<VerifyReport> verify_text(const std::string& text) {
  std::istringstream in(text);
  return verify_export(in, federation().anchor());
}

}  // namespace

TEST_CASE("an export in which a ticket comes back after another ticket is refused", "[verify]") {
  Filled f;
  std::vector<std::string> lines = lines_of(f.exported());
  REQUIRE(lines.size() == 11);
  // Ticket A (lines 7-9), ticket B (lines 10-11), then a second seq-1 chain of A: equivocation.
  lines.push_back(lines[6]);
  const auto report = verify_text(joined(lines));
  REQUIRE(report);
  REQUIRE_FALSE(report->ok());
  CHECK(report->broken->line == 12);
  CHECK(report->broken->ticket_id == f.first);
  CHECK(report->broken->seq == 1);
  CHECK(report->broken->reason.code == "sync.out_of_order");
  CHECK(report->summary().find("line 12: event " + f.first + " seq 1") != std::string::npos);
}

TEST_CASE("an export with certificates out of level, node id and serial order is refused",
          "[verify]") {
  Filled f;
  std::vector<std::string> lines = lines_of(f.exported());
  REQUIRE(parse_export_line(lines[3])->node_id == "440305");
  REQUIRE(parse_export_line(lines[4])->node_id == "440306");
  std::swap(lines[3], lines[4]);
  const auto report = verify_text(joined(lines));
  REQUIRE(report);
  REQUIRE_FALSE(report->ok());
  CHECK(report->broken->line == 5);
  CHECK(report->broken->node_id == "440305");
  CHECK(report->broken->reason.code == "sync.out_of_order");
}

TEST_CASE("an export line has exactly its members, in order, each once", "[export]") {
  Filled f;
  const std::string line = lines_of(f.exported())[6];
  REQUIRE(parse_export_line(line));
  const auto refused = [](const std::string& text) {
    const auto record = parse_export_line(text);
    return !record && record.error().code == "sync.malformed";
  };
  const auto body_at = line.find(R"(,"body":)");
  REQUIRE(body_at != std::string::npos);
  const std::string body_member = line.substr(body_at, line.find(R"(,"signature":)") - body_at);
  CHECK(refused(line.substr(0, line.size() - 1) + body_member + "}"));  // "body" twice
  CHECK(refused(line.substr(0, line.size() - 1) + R"(,"extra":"x"})"));
  std::string reordered = line;
  reordered.erase(body_at, body_member.size());
  reordered.insert(reordered.size() - 1, body_member);  // "body" after "signature"
  CHECK(refused(reordered));
}

TEST_CASE("an export with an empty line or without its final newline is refused", "[verify]") {
  Filled f;
  const std::string exported = f.exported();
  CHECK(verify_text(exported)->ok());
  CHECK(verify_text("")->ok());  // an empty export verifies vacuously

  auto report = verify_text(exported.substr(0, exported.size() - 1));
  REQUIRE_FALSE(report->ok());
  CHECK(report->broken->line == 11);
  CHECK(report->broken->reason.code == "sync.malformed");

  std::vector<std::string> lines = lines_of(exported);
  lines.insert(lines.begin() + 6, "");
  report = verify_text(joined(lines));
  REQUIRE_FALSE(report->ok());
  CHECK(report->broken->line == 7);
  CHECK(report->broken->reason.code == "sync.malformed");
}
