// Test fixture for federation/: a small administrative tree of node certificates with their keys,
// in a TrustStore, and revocations on demand.
#pragma once

#include <catch2/catch.hpp>
#include <map>
#include <string>

#include "node_certificates.h"
#include "weiquan/crypto/certificate.h"
#include "weiquan/crypto/keys.h"
#include "weiquan/sync/certificate_codec.h"

namespace wq::federation::test {

inline constexpr std::int64_t kNow = 1'740'963'600'000;  // 2025-03-03

// cn ─ 11 ─ 1101 ─ 110101 ─ 110101001
//              └─ 110102
//    └ 44 ─ 4403 ─ 440305
struct Tree {
  std::map<std::string, crypto::NodeKeys> keys;
  crypto::TrustStore trust{crypto::PublicKey{}};

  Tree() {
    keys.emplace("cn", crypto::NodeKeys::generate());
    trust = crypto::TrustStore(keys.at("cn").sign.public_key);
    REQUIRE(trust.add(testing::anchor_certificate(keys.at("cn")).value()));
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
    REQUIRE(trust.add(
        testing::node_certificate(id, level, keys.at(id), issuer, keys.at(issuer).sign).value()));
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

// One tree shared by the tests of a binary (key generation is the slow part).
inline Tree& tree() {
  static Tree shared;
  return shared;
}

}  // namespace wq::federation::test
