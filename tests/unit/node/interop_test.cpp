// The export of a real node, checked by tests/interop/verify-export.mjs: a verifier written in
// JavaScript from docs/protocol.md alone, given nothing but the anchor public key. It proves that
// the spec pins the bytes down: certificates, revocations and ticket chains written here verify
// there, and a changed character of any line is found and named.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "node_fixture.h"
#include "process.h"
#include "temp_dir.h"
#include "weiquan/crypto/key_file.h"
#include "weiquan/sync/certificate_codec.h"

using wq::testing::by;
using wq::testing::require_ok;
using wq::testing::run_process;
using wq::testing::run_weiquan;
using wq::testing::TempDir;

namespace {

constexpr const char* kNode = "/usr/bin/node";
const std::string kVerifier = std::string(WEIQUAN_SOURCE_DIR) + "/tests/interop/verify-export.mjs";

bool have_node() {
  if (std::filesystem::exists(kNode)) return true;
  WARN("skipped: " << kNode << " is missing (deploy/setup.sh installs Node.js 20)");
  return false;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void write_file(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  REQUIRE(out.good());
}

struct Tickets {
  std::vector<std::string> ids;
  std::vector<std::int64_t> first_event_ms;  // time of each ticket's seq 1; seq n at + n - 1
  std::size_t events = 0;
};

// cn → 44 → 4403 → 440305; the county takes three complaints in and works on them: 4, 6 and 8
// events.
Tickets county_with_tickets(const TempDir& tmp, std::int64_t now) {
  wq::testing::build_chain(tmp, {"cn", "44", "4403", "440305"});
  wq::testing::EventDesk desk(tmp / "440305", now);
  Tickets t;
  for (int k = 0; k < 3; ++k) {
    const std::int64_t at = now + 1000 * k;
    const std::string id = desk.accepted_complaint(at);
    std::int64_t next = at + 4;
    if (k >= 1) {
      auto message = by(weiquan::v1::ROLE_OFFICER, "officer-7");
      message.mutable_message()->set_from(weiquan::v1::PARTY_OFFICE);
      message.mutable_message()->set_text("请提供购买凭证。");
      desk.append(id, message, next++);
      auto feedback = by(weiquan::v1::ROLE_OFFICER, "officer-7");
      feedback.mutable_initial_feedback()->set_text("已联系商家，正在核实。");
      desk.append(id, feedback, next++);
    }
    if (k >= 2) {
      auto result = by(weiquan::v1::ROLE_OFFICER, "officer-7");
      result.mutable_mediation_result()->set_agreement(true);
      result.mutable_mediation_result()->set_text("商家同意更换。");
      desk.append(id, result, next++);
      auto message = by(weiquan::v1::ROLE_CONSUMER, "c-1001");
      message.mutable_message()->set_from(weiquan::v1::PARTY_CONSUMER);
      message.mutable_message()->set_text("已收到新冰箱，谢谢。");
      desk.append(id, message, next++);
    }
    t.ids.push_back(id);
    t.first_event_ms.push_back(at);
    t.events += static_cast<std::size_t>(next - at);
  }
  return t;
}

// Revokes 440305's certificate in 440305's own store, signed by its issuer 4403, effective at
// `revoked_at_ms`.
void revoke_county(const TempDir& tmp, std::int64_t now, std::int64_t revoked_at_ms) {
  wq::testing::EventDesk desk(tmp / "440305", now);
  auto cert = desk.store().trust().verify_chain("440305", now);
  REQUIRE(cert);
  REQUIRE((*cert)->cert.issuer == "4403");
  auto issuer_keys = wq::crypto::read_key_file(std::filesystem::path(tmp / "4403") / "node.key");
  REQUIRE(issuer_keys);
  wq::crypto::Revocation revocation;
  revocation.issuer = "4403";
  revocation.node_id = "440305";
  revocation.serial = (*cert)->cert.serial;
  revocation.revoked_at_ms = revoked_at_ms;
  revocation.reason = "密钥泄露";
  auto issued = wq::sync::issue_revocation(revocation, issuer_keys->sign);
  REQUIRE(issued);
  const auto added = desk.store().add_revocation(*issued);
  INFO((added ? "" : added.error().code + ": " + added.error().message));
  REQUIRE(added);
}

std::string anchor_of(const TempDir& tmp) {
  const auto anchor = run_weiquan({"anchor", "--dir", tmp / "cn"});
  require_ok(anchor);
  REQUIRE(anchor.out.size() == 65);
  return anchor.out.substr(0, 64);
}

std::string export_of(const TempDir& tmp) {
  const auto exported = run_weiquan({"export", "--dir", tmp / "440305"});
  require_ok(exported);
  const std::string path = tmp / "export.jsonl";
  write_file(path, exported.out);
  return path;
}

wq::testing::ProcessResult verify_export(const std::string& anchor, const std::string& path) {
  return run_process(kNode, {kVerifier, "--anchor", anchor, path});
}

// Replaces the character in the middle of the body of the one line containing `needle` by another
// base64 character.
void flip_body_character(const std::string& path, const std::string& needle) {
  std::string text = read_file(path);
  const std::size_t line = text.find(needle);
  REQUIRE(line != std::string::npos);
  REQUIRE(text.find(needle, line + 1) == std::string::npos);
  const std::size_t body = text.find("\"body\":\"", line) + 8;
  const std::size_t end = text.find('"', body);
  REQUIRE(end - body > 8);
  char& c = text[body + (end - body) / 2];
  c = c == 'A' ? 'B' : 'A';
  write_file(path, text);
}

std::string ok_line(std::size_t certificates, std::size_t tickets, std::size_t events) {
  return "ok: " + std::to_string(certificates) + " certificates, " + std::to_string(tickets) +
         " tickets, " + std::to_string(events) + " events\n";
}

}  // namespace

TEST_CASE("the independent verifier passes its own self-test", "[interop]") {
  if (!have_node()) return;
  const auto r = run_process(kNode, {kVerifier, "--self-test"});
  INFO(r.out << r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.out == "self-test ok\n");
}

TEST_CASE("an export verifies independently with nothing but the anchor key", "[interop]") {
  if (!have_node()) return;
  TempDir tmp;
  const std::int64_t now = wq::testing::now_ms();
  const Tickets tickets = county_with_tickets(tmp, now);
  REQUIRE(tickets.events == 18);
  const std::string anchor = anchor_of(tmp);
  const std::string path = export_of(tmp);

  SECTION("as written") {
    const auto r = verify_export(anchor, path);
    INFO(r.out << r.err);
    CHECK(r.exit_code == 0);
    CHECK(r.out == ok_line(4, 3, tickets.events));
  }
  SECTION("but not under another anchor key") {
    const auto r = verify_export(std::string(64, '7'), path);
    INFO(r.out << r.err);
    CHECK(r.exit_code == 1);
    CHECK(r.out.find("certificate of cn") != std::string::npos);
  }
  SECTION("a changed character of an event body is named by ticket and seq") {
    flip_body_character(path, "\"ticket\":\"" + tickets.ids[1] + "\",\"seq\":3,");
    const auto r = verify_export(anchor, path);
    INFO(r.out << r.err);
    CHECK(r.exit_code == 1);
    CHECK(r.out.rfind("broken: ", 0) == 0);
    CHECK(r.out.find("event " + tickets.ids[1] + " seq 3:") != std::string::npos);
  }
  SECTION("a changed character of a certificate body is named by node id") {
    flip_body_character(path, "\"type\":\"certificate\",\"node\":\"4403\",");
    const auto r = verify_export(anchor, path);
    INFO(r.out << r.err);
    CHECK(r.exit_code == 1);
    CHECK(r.out.rfind("broken: ", 0) == 0);
    CHECK(r.out.find("certificate of 4403:") != std::string::npos);
  }
}

TEST_CASE("the independent verifier applies revocations at each event's time", "[interop]") {
  if (!have_node()) return;
  TempDir tmp;
  const std::int64_t now = wq::testing::now_ms();
  const Tickets tickets = county_with_tickets(tmp, now);
  const std::string anchor = anchor_of(tmp);

  SECTION("revoked after the last event: every event was signed while the key was good") {
    revoke_county(tmp, now, now + 10'000);
    const std::string path = export_of(tmp);
    REQUIRE(
        read_file(path).find("{\"type\":\"revocation\",\"node\":\"440305\",\"issuer\":\"4403\",") !=
        std::string::npos);
    const auto r = verify_export(anchor, path);
    INFO(r.out << r.err);
    CHECK(r.exit_code == 0);
    CHECK(r.out == ok_line(4, 3, tickets.events));
  }
  SECTION("revoked at the time of an event: that event and later ones are refused") {
    // Ticket 2 wrote seq n at first_event_ms + n - 1.
    revoke_county(tmp, now, tickets.first_event_ms[1] + 2);
    const std::string path = export_of(tmp);
    const auto r = verify_export(anchor, path);
    INFO(r.out << r.err);
    CHECK(r.exit_code == 1);
    CHECK(r.out.find("event " + tickets.ids[1] + " seq 3:") != std::string::npos);
    // The node's own verifier agrees on the first broken event.
    const auto own = run_weiquan({"verify", "--dir", tmp / "440305"});
    INFO(own.out << own.err);
    CHECK(own.exit_code == 1);
    CHECK(own.out.find("event " + tickets.ids[1] + " seq 3") != std::string::npos);
  }
}
