#include "weiquan/federation/interest.h"

#include <catch2/catch.hpp>
#include <map>
#include <string>
#include <vector>

#include "weiquan/federation/directory.h"
#include "weiquan/sync/certificate_codec.h"

namespace wq::federation {
namespace {

constexpr std::int64_t kValidFrom = 1'577'836'800'000;   // 2020-01-01
constexpr std::int64_t kValidUntil = 2'208'988'800'000;  // 2040-01-01
constexpr std::int64_t kNow = 1'740'963'600'000;         // 2025-03-03

// cn ─ 11 ─ 1101 ─ 110101 ─ 110101001
//              └─ 110102
//    └ 44 ─ 4403 ─ 440305
struct Tree {
  std::map<std::string, crypto::NodeKeys> keys;
  crypto::TrustStore trust{crypto::PublicKey{}};

  Tree() {
    keys.emplace("cn", crypto::NodeKeys::generate());
    trust = crypto::TrustStore(keys.at("cn").sign.public_key);
    REQUIRE(trust.add(
        sync::issue_anchor_certificate(keys.at("cn"), kValidFrom, kValidUntil, 1).value()));
    add("11", crypto::Level::province, "cn");
    add("1101", crypto::Level::city, "11");
    add("110101", crypto::Level::county, "1101");
    add("110102", crypto::Level::county, "1101");
    add("110101001", crypto::Level::station, "110101");
    add("44", crypto::Level::province, "cn");
    add("4403", crypto::Level::city, "44");
    add("440305", crypto::Level::county, "4403");
  }

  void add(const std::string& id, crypto::Level level, const std::string& issuer) {
    keys.emplace(id, crypto::NodeKeys::generate());
    crypto::Certificate cert;
    cert.node_id = id;
    cert.level = level;
    cert.region = id;
    cert.sign_key = keys.at(id).sign.public_key;
    cert.box_key = keys.at(id).box.public_key;
    cert.not_before_ms = kValidFrom;
    cert.not_after_ms = kValidUntil;
    cert.serial = 1;
    cert.issuer = issuer;
    REQUIRE(trust.add(sync::issue_certificate(cert, keys.at(issuer).sign).value()));
  }

  void revoke(const std::string& id, const std::string& issuer, std::int64_t at_ms) {
    crypto::Revocation revocation;
    revocation.issuer = issuer;
    revocation.node_id = id;
    revocation.serial = 1;
    revocation.revoked_at_ms = at_ms;
    revocation.reason = "decommissioned";
    REQUIRE(trust.add(sync::issue_revocation(revocation, keys.at(issuer).sign).value()));
  }
};

Tree& tree() {
  static Tree shared;
  return shared;
}

sync::Ticket ticket(std::string intake, std::vector<std::string> holders) {
  sync::Ticket t;
  t.intake_node = std::move(intake);
  t.holder = holders.back();
  t.holders = std::move(holders);
  return t;
}

using Nodes = std::vector<std::string>;

TEST_CASE("a node's chain runs through its issuers to the national node") {
  CHECK(chain_of(tree().trust, "110101001", kNow) ==
        Nodes{"110101001", "110101", "1101", "11", "cn"});
  CHECK(chain_of(tree().trust, "cn", kNow) == Nodes{"cn"});
  CHECK(chain_of(tree().trust, "999999", kNow).empty());
}

TEST_CASE("a ticket filed and handled at one county goes to the county's ancestors") {
  const auto t = ticket("110101", {"110101"});
  CHECK(interest_set(t, tree().trust, "110101", kNow) == Nodes{"11", "1101", "cn"});
}

TEST_CASE("a ticket filed at the national portal goes to the county and the whole path between") {
  const auto t = ticket("cn", {"cn", "440305"});
  CHECK(interest_set(t, tree().trust, "cn", kNow) == Nodes{"44", "4403", "440305"});
  CHECK(interest_set(t, tree().trust, "440305", kNow) == Nodes{"44", "4403", "cn"});
}

TEST_CASE("a transfer across provinces reaches both subtrees, the station too once assigned") {
  const auto transferred = ticket("110102", {"110102", "440305"});
  CHECK(interest_set(transferred, tree().trust, "110102", kNow) ==
        Nodes{"11", "1101", "44", "4403", "440305", "cn"});
  const auto assigned = ticket("440305", {"440305", "110101", "110101001"});
  CHECK(interest_set(assigned, tree().trust, "110101", kNow) ==
        Nodes{"11", "1101", "110101001", "44", "4403", "440305", "cn"});
}

TEST_CASE("a revoked node and the nodes only it leads to receive nothing") {
  Tree revoked_tree;
  revoked_tree.revoke("110102", "1101", kNow - 1000);
  const auto t = ticket("110101", {"110101", "110102"});
  CHECK(interest_set(t, revoked_tree.trust, "110101", kNow) == Nodes{"11", "1101", "cn"});
  // Before the revocation the node was trusted.
  CHECK(interest_set(t, revoked_tree.trust, "110101", kNow - 2000) ==
        Nodes{"11", "1101", "110102", "cn"});
}

TEST_CASE("jurisdiction goes to the deepest deployed node containing the region") {
  Directory directory(tree().trust);
  CHECK(directory.jurisdiction_for("110101", kNow).value() == "110101");
  CHECK(directory.jurisdiction_for("110101001", kNow).value() == "110101001");
  // No station deployed under 110102: its county has jurisdiction.
  CHECK(directory.jurisdiction_for("110102003", kNow).value() == "110102");
  // No county deployed for 110105: the city has it.
  CHECK(directory.jurisdiction_for("110105", kNow).value() == "1101");
  CHECK(directory.jurisdiction_for("4501", kNow).value() == "cn");
  CHECK(directory.jurisdiction_for("not-a-region", kNow).error().code ==
        "federation.no_jurisdiction");
}

}  // namespace
}  // namespace wq::federation
