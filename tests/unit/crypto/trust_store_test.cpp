#include <catch2/catch.hpp>
#include <memory>
#include <string>
#include <utility>

#include "weiquan/crypto/certificate.h"
#include "weiquan/crypto/signing.h"

namespace wq::crypto {
namespace {

constexpr std::int64_t kStart = 1'000;
constexpr std::int64_t kEnd = 1'000'000;
constexpr std::int64_t kNow = 500'000;

// The tests' own body encoding: any bytes will do, since TrustStore checks the signature over the
// body and reads the fields from the decoded struct beside it.
Bytes encode(const Certificate& cert) {
  const std::string text =
      "cert|" + std::to_string(cert.version) + "|" + cert.node_id + "|" +
      std::string(level_name(cert.level)) + "|" + cert.region + "|" + to_hex(cert.sign_key) + "|" +
      to_hex(cert.box_key) + "|" + std::to_string(cert.not_before_ms) + "|" +
      std::to_string(cert.not_after_ms) + "|" + std::to_string(cert.serial) + "|" + cert.issuer;
  return Bytes(text.begin(), text.end());
}

Bytes encode(const Revocation& revocation) {
  const std::string text = "revocation|" + std::to_string(revocation.version) + "|" +
                           revocation.issuer + "|" + revocation.node_id + "|" +
                           std::to_string(revocation.serial) + "|" +
                           std::to_string(revocation.revoked_at_ms) + "|" + revocation.reason;
  return Bytes(text.begin(), text.end());
}

SignedCertificate issue(Certificate cert, const SigningKeyPair& issuer_key) {
  Bytes body = encode(cert);
  const Signature signature = sign(issuer_key, Domain::certificate, body);
  return SignedCertificate{std::move(cert), std::move(body), signature};
}

SignedRevocation issue(Revocation revocation, const SigningKeyPair& issuer_key) {
  Bytes body = encode(revocation);
  const Signature signature = sign(issuer_key, Domain::revocation, body);
  return SignedRevocation{std::move(revocation), std::move(body), signature};
}

struct Node {
  std::string id;
  Level level;
  NodeKeys keys = NodeKeys::generate();
};

// Five offices from headquarters down to a station in Dongcheng, Beijing.
struct Tree {
  Node national{"cn", Level::national};
  Node province{"11", Level::province};
  Node city{"1101", Level::city};
  Node county{"110101", Level::county};
  Node station{"110101001", Level::station};

  // A certificate for `node` as `issuer` would write it, valid from kStart to kEnd.
  static Certificate cert_for(const Node& node, const Node& issuer, std::uint64_t serial = 1) {
    Certificate cert;
    cert.node_id = node.id;
    cert.level = node.level;
    cert.region = node.id;
    cert.sign_key = node.keys.sign.public_key;
    cert.box_key = node.keys.box.public_key;
    cert.not_before_ms = kStart;
    cert.not_after_ms = kEnd;
    cert.serial = serial;
    cert.issuer = issuer.id;
    return cert;
  }
  static SignedCertificate issue_for(const Node& node, const Node& issuer) {
    return issue(cert_for(node, issuer), issuer.keys.sign);
  }

  TrustStore store() const { return TrustStore(national.keys.sign.public_key); }

  // national, province, city, county, station (or down to `last`), each signed by the one before.
  void add_chain(TrustStore& trust, const Node* last = nullptr) const {
    const Node* issuer = &national;
    for (const Node* node : {&national, &province, &city, &county, &station}) {
      REQUIRE(trust.add(issue_for(*node, *issuer)).ok());
      if (node == last) return;
      issuer = node;
    }
  }

  Revocation revocation_of(const Node& node, const Node& issuer, std::int64_t at_ms) const {
    Revocation revocation;
    revocation.issuer = issuer.id;
    revocation.node_id = node.id;
    revocation.serial = 1;
    revocation.revoked_at_ms = at_ms;
    revocation.reason = "key compromised";
    return revocation;
  }
};

void check_error(const Status& status, const std::string& code) {
  REQUIRE_FALSE(status.ok());
  CHECK(status.error().code == code);
}

void check_error(const Result<const SignedCertificate*>& result, const std::string& code) {
  REQUIRE_FALSE(result.ok());
  INFO(result.error().message);
  CHECK(result.error().code == code);
}

TEST_CASE("a national to station chain verifies", "[crypto][trust]") {
  const Tree tree;
  TrustStore trust = tree.store();
  tree.add_chain(trust);

  for (const Node* node :
       {&tree.national, &tree.province, &tree.city, &tree.county, &tree.station}) {
    INFO(node->id);
    const Result<const SignedCertificate*> verified = trust.verify_chain(node->id, kNow);
    REQUIRE(verified.ok());
    CHECK((*verified)->cert.node_id == node->id);
    CHECK((*verified)->cert.sign_key == node->keys.sign.public_key);
    CHECK((*verified)->cert.box_key == node->keys.box.public_key);
  }

  SECTION("certificates() replays into an empty store, issuers first") {
    const std::vector<const SignedCertificate*> all = trust.certificates();
    REQUIRE(all.size() == 5);
    CHECK(all.front()->cert.node_id == "cn");
    CHECK(all.back()->cert.node_id == "110101001");
    TrustStore copy = tree.store();
    for (const SignedCertificate* cert : all) REQUIRE(copy.add(*cert).ok());
    CHECK(copy.verify_chain("110101001", kNow).ok());
  }
  SECTION("adding identical bytes again is a no-op") {
    REQUIRE(trust.add(tree.issue_for(tree.county, tree.city)).ok());
    CHECK(trust.certificates().size() == 5);
  }
  SECTION("a replica of an office verifies under the office's parent") {
    Node replica{"1101-2", Level::city};
    Certificate cert = Tree::cert_for(replica, tree.province);
    cert.region = "1101";
    REQUIRE(trust.add(issue(cert, tree.province.keys.sign)).ok());
    CHECK(trust.verify_chain("1101-2", kNow).ok());
  }
}

TEST_CASE("a copied TrustStore outlives the original", "[crypto][trust]") {
  const Tree tree;
  auto original = std::make_unique<TrustStore>(tree.store());
  tree.add_chain(*original);
  const TrustStore copy = *original;
  original.reset();
  const Result<const SignedCertificate*> verified = copy.verify_chain(tree.station.id, kNow);
  REQUIRE(verified.ok());
  CHECK((*verified)->cert.node_id == tree.station.id);
}

TEST_CASE("an unknown node does not verify", "[crypto][trust]") {
  const Tree tree;
  TrustStore trust = tree.store();
  tree.add_chain(trust);
  check_error(trust.verify_chain("110102", kNow), "crypto.unknown_node");
}

TEST_CASE("a tampered certificate is refused", "[crypto][trust]") {
  const Tree tree;
  TrustStore trust = tree.store();
  tree.add_chain(trust);
  const Node other_station{"110101002", Level::station};

  SECTION("a flipped body byte") {
    const std::size_t size = Tree::issue_for(other_station, tree.county).body.size();
    for (const std::size_t i : {std::size_t{0}, size / 2, size - 1}) {
      SignedCertificate altered = Tree::issue_for(other_station, tree.county);
      altered.body[i] ^= 0x01;
      check_error(trust.add(altered), "crypto.bad_signature");
    }
  }
  SECTION("a flipped signature byte") {
    for (const std::size_t i : {std::size_t{0}, std::size_t{31}, std::size_t{63}}) {
      SignedCertificate altered = Tree::issue_for(other_station, tree.county);
      altered.signature[i] ^= 0x01;
      check_error(trust.add(altered), "crypto.bad_signature");
    }
  }
  SECTION("signed by a key other than the issuer's") {
    check_error(trust.add(issue(Tree::cert_for(other_station, tree.county), tree.city.keys.sign)),
                "crypto.bad_signature");
  }
  SECTION("signed for another domain") {
    SignedCertificate cross = Tree::issue_for(other_station, tree.county);
    cross.signature = sign(tree.county.keys.sign, Domain::event, cross.body);
    check_error(trust.add(cross), "crypto.bad_signature");
  }
  CHECK_FALSE(trust.verify_chain("110101002", kNow).ok());
}

TEST_CASE("validity windows are checked at the given time", "[crypto][trust]") {
  const Tree tree;
  TrustStore trust = tree.store();
  tree.add_chain(trust);

  SECTION("the certificate's own window") {
    Node station{"110101002", Level::station};
    Certificate cert = Tree::cert_for(station, tree.county);
    cert.not_before_ms = 2'000;
    cert.not_after_ms = 3'000;
    REQUIRE(trust.add(issue(cert, tree.county.keys.sign)).ok());
    check_error(trust.verify_chain(station.id, 1'999), "crypto.cert_not_yet_valid");
    CHECK(trust.verify_chain(station.id, 2'000).ok());
    CHECK(trust.verify_chain(station.id, 2'999).ok());
    check_error(trust.verify_chain(station.id, 3'000), "crypto.cert_expired");
  }
  SECTION("an issuer's window further up the chain") {
    Node county{"110102", Level::county};
    Certificate cert = Tree::cert_for(county, tree.city);
    cert.not_after_ms = kNow;
    REQUIRE(trust.add(issue(cert, tree.city.keys.sign)).ok());
    Node station{"110102001", Level::station};
    REQUIRE(trust.add(Tree::issue_for(station, county)).ok());
    CHECK(trust.verify_chain(station.id, kNow - 1).ok());
    check_error(trust.verify_chain(station.id, kNow), "crypto.cert_expired");
    check_error(trust.verify_chain(station.id, kStart - 1), "crypto.cert_not_yet_valid");
  }
}

TEST_CASE("a revocation takes effect from its time on", "[crypto][trust]") {
  const Tree tree;
  TrustStore trust = tree.store();
  tree.add_chain(trust);
  constexpr std::int64_t kRevokedAt = 600'000;
  const SignedRevocation revocation =
      issue(tree.revocation_of(tree.county, tree.city, kRevokedAt), tree.city.keys.sign);
  REQUIRE(trust.add(revocation).ok());

  CHECK(trust.verify_chain(tree.county.id, kRevokedAt - 1).ok());
  CHECK(trust.verify_chain(tree.station.id, kRevokedAt - 1).ok());
  check_error(trust.verify_chain(tree.county.id, kRevokedAt), "crypto.cert_revoked");
  check_error(trust.verify_chain(tree.station.id, kRevokedAt), "crypto.cert_revoked");
  CHECK(trust.verify_chain(tree.city.id, kRevokedAt).ok());

  SECTION("identical bytes again are a no-op") {
    REQUIRE(trust.add(revocation).ok());
    CHECK(trust.revocations().size() == 1);
  }
  SECTION("an earlier revocation of the same certificate wins") {
    REQUIRE(trust.add(issue(tree.revocation_of(tree.county, tree.city, kNow), tree.city.keys.sign))
                .ok());
    check_error(trust.verify_chain(tree.county.id, kNow), "crypto.cert_revoked");
  }
}

TEST_CASE("a revocation must come from the certificate's issuer", "[crypto][trust]") {
  const Tree tree;
  TrustStore trust = tree.store();
  tree.add_chain(trust);

  SECTION("signed by another key") {
    check_error(
        trust.add(issue(tree.revocation_of(tree.county, tree.city, kNow), tree.county.keys.sign)),
        "crypto.bad_signature");
  }
  SECTION("signed as another kind of object") {
    SignedRevocation revocation =
        issue(tree.revocation_of(tree.county, tree.city, kNow), tree.city.keys.sign);
    revocation.signature = sign(tree.city.keys.sign, Domain::certificate, revocation.body);
    check_error(trust.add(revocation), "crypto.bad_signature");
  }
  SECTION("naming an unknown issuer") {
    Node stranger{"1201", Level::city};
    check_error(
        trust.add(issue(tree.revocation_of(tree.county, stranger, kNow), stranger.keys.sign)),
        "crypto.unknown_node");
  }
  SECTION("a grandparent's revocation does not cover a certificate it did not issue") {
    REQUIRE(trust
                .add(issue(tree.revocation_of(tree.county, tree.province, kNow),
                           tree.province.keys.sign))
                .ok());
    CHECK(trust.verify_chain(tree.county.id, kNow).ok());
  }
  SECTION("an unsupported version") {
    Revocation revocation = tree.revocation_of(tree.county, tree.city, kNow);
    revocation.version = 2;
    check_error(trust.add(issue(revocation, tree.city.keys.sign)), "crypto.bad_revocation");
  }
  CHECK(trust.verify_chain(tree.county.id, kNow).ok());
}

TEST_CASE("a child's region must lie inside its issuer's", "[crypto][trust]") {
  const Tree tree;
  TrustStore trust = tree.store();
  tree.add_chain(trust);
  check_error(trust.add(Tree::issue_for(Node{"1201", Level::city}, tree.province)),
              "crypto.region_mismatch");
  check_error(trust.add(Tree::issue_for(Node{"110201", Level::county}, tree.city)),
              "crypto.region_mismatch");
}

TEST_CASE("a child must sit at a deeper level than its issuer", "[crypto][trust]") {
  const Tree tree;
  TrustStore trust = tree.store();
  tree.add_chain(trust);

  Node province_replica{"11-2", Level::province};
  Certificate same_level = Tree::cert_for(province_replica, tree.province);
  same_level.region = "11";
  check_error(trust.add(issue(same_level, tree.province.keys.sign)), "crypto.level_mismatch");

  check_error(trust.add(Tree::issue_for(Node{"12", Level::province}, tree.county)),
              "crypto.level_mismatch");
}

TEST_CASE("a certificate's fields must agree with each other", "[crypto][trust]") {
  const Tree tree;
  TrustStore trust = tree.store();
  tree.add_chain(trust);
  const Node station{"110101002", Level::station};

  Certificate wrong_region = Tree::cert_for(station, tree.county);
  wrong_region.region = "110101003";
  Certificate wrong_level = Tree::cert_for(station, tree.county);
  wrong_level.level = Level::county;
  Certificate empty_window = Tree::cert_for(station, tree.county);
  empty_window.not_after_ms = empty_window.not_before_ms;
  Certificate future_version = Tree::cert_for(station, tree.county);
  future_version.version = 2;
  Certificate malformed_id = Tree::cert_for(station, tree.county);
  malformed_id.node_id = "110101002-";

  for (const Certificate& cert :
       {wrong_region, wrong_level, empty_window, future_version, malformed_id}) {
    check_error(trust.add(issue(cert, tree.county.keys.sign)), "crypto.bad_certificate");
  }
}

TEST_CASE("an issuer must be added before what it issued", "[crypto][trust]") {
  const Tree tree;
  TrustStore trust = tree.store();
  REQUIRE(trust.add(Tree::issue_for(tree.national, tree.national)).ok());
  REQUIRE(trust.add(Tree::issue_for(tree.province, tree.national)).ok());

  check_error(trust.add(Tree::issue_for(tree.county, tree.city)), "crypto.unknown_node");
  REQUIRE(trust.add(Tree::issue_for(tree.city, tree.province)).ok());
  REQUIRE(trust.add(Tree::issue_for(tree.county, tree.city)).ok());
  CHECK(trust.verify_chain(tree.county.id, kNow).ok());
}

TEST_CASE("only the deployment's anchor may sign itself", "[crypto][trust]") {
  const Tree tree;
  TrustStore trust = tree.store();
  const Node forger{"cn", Level::national};

  SECTION("an anchor self-signed by another key") {
    check_error(trust.add(Tree::issue_for(forger, forger)), "crypto.untrusted_anchor");
    check_error(trust.add(Tree::issue_for(tree.province, forger)), "crypto.unknown_node");
  }
  SECTION("the anchor key in a certificate signed by another key") {
    check_error(trust.add(issue(Tree::cert_for(tree.national, tree.national), forger.keys.sign)),
                "crypto.bad_signature");
  }
  SECTION("a province signed by a forger once the real anchor is known") {
    REQUIRE(trust.add(Tree::issue_for(tree.national, tree.national)).ok());
    check_error(trust.add(Tree::issue_for(tree.province, forger)), "crypto.bad_signature");
  }
  SECTION("a self-signed certificate for a node other than the anchor") {
    REQUIRE(trust.add(Tree::issue_for(tree.national, tree.national)).ok());
    check_error(trust.add(Tree::issue_for(tree.province, tree.province)), "crypto.bad_issuer");
  }
  SECTION("a store anchored elsewhere trusts none of this tree") {
    TrustStore elsewhere(forger.keys.sign.public_key);
    check_error(elsewhere.add(Tree::issue_for(tree.national, tree.national)),
                "crypto.untrusted_anchor");
  }
}

TEST_CASE("a renewed certificate takes over at its start", "[crypto][trust]") {
  const Tree tree;
  constexpr std::int64_t kRenewal = 400'000;
  const Node renewed{tree.station.id, Level::station};
  Certificate old_cert = Tree::cert_for(tree.station, tree.county);
  old_cert.not_after_ms = kRenewal;
  Certificate new_cert = Tree::cert_for(renewed, tree.county, 2);
  new_cert.not_before_ms = kRenewal;

  TrustStore renewal = tree.store();
  tree.add_chain(renewal, &tree.county);
  REQUIRE(renewal.add(issue(new_cert, tree.county.keys.sign)).ok());
  REQUIRE(renewal.add(issue(old_cert, tree.county.keys.sign)).ok());

  const auto before = renewal.verify_chain(tree.station.id, kRenewal - 1);
  REQUIRE(before.ok());
  CHECK((*before)->cert.serial == 1);
  const auto after = renewal.verify_chain(tree.station.id, kRenewal);
  REQUIRE(after.ok());
  CHECK((*after)->cert.serial == 2);
  CHECK((*after)->cert.sign_key == renewed.keys.sign.public_key);
  check_error(renewal.verify_chain(tree.station.id, kEnd), "crypto.cert_expired");

  SECTION("revoking the current certificate reports the revocation") {
    Revocation revocation = tree.revocation_of(tree.station, tree.county, kNow);
    revocation.serial = 2;
    REQUIRE(renewal.add(issue(revocation, tree.county.keys.sign)).ok());
    check_error(renewal.verify_chain(tree.station.id, kNow), "crypto.cert_revoked");
    CHECK(renewal.verify_chain(tree.station.id, kRenewal - 1).ok());
  }
}

TEST_CASE("an issuer's renewal keeps its children valid only under the same key",
          "[crypto][trust]") {
  const Tree tree;
  constexpr std::int64_t kRenewal = 400'000;
  Certificate first_city = Tree::cert_for(tree.city, tree.province);
  first_city.not_after_ms = kRenewal;
  Certificate second_city = Tree::cert_for(tree.city, tree.province, 2);
  second_city.not_before_ms = kRenewal;

  TrustStore renewed = tree.store();
  tree.add_chain(renewed, &tree.province);
  REQUIRE(renewed.add(issue(first_city, tree.province.keys.sign)).ok());
  REQUIRE(renewed.add(Tree::issue_for(tree.county, tree.city)).ok());

  SECTION("same key") {
    REQUIRE(renewed.add(issue(second_city, tree.province.keys.sign)).ok());
    CHECK(renewed.verify_chain(tree.county.id, kRenewal - 1).ok());
    CHECK(renewed.verify_chain(tree.county.id, kNow).ok());
  }
  SECTION("new key") {
    const Node city_new_key{tree.city.id, Level::city};
    REQUIRE(
        renewed.add(issue(Tree::cert_for(city_new_key, tree.province, 2), tree.province.keys.sign))
            .ok());
    CHECK(renewed.verify_chain(tree.county.id, kRenewal - 1).ok());
    CHECK_FALSE(renewed.verify_chain(tree.county.id, kRenewal).ok());
  }
}

TEST_CASE("pointers from a TrustStore stay valid as it grows", "[crypto][trust]") {
  const Tree tree;
  TrustStore trust = tree.store();
  tree.add_chain(trust);
  const Result<const SignedCertificate*> county = trust.verify_chain(tree.county.id, kNow);
  REQUIRE(county.ok());
  for (int i = 2; i <= 50; ++i) {
    Node station{"1101010" + std::string(i < 10 ? "0" : "") + std::to_string(i), Level::station};
    REQUIRE(trust.add(Tree::issue_for(station, tree.county)).ok());
  }
  CHECK((*county)->cert.node_id == tree.county.id);
  CHECK(trust.verify_chain(tree.county.id, kNow).value() == *county);
}

}  // namespace
}  // namespace wq::crypto
