#include <catch2/catch.hpp>

#include "federation_tree.h"
#include "weiquan/crypto/signing.h"
#include "weiquan/federation/health_book.h"

namespace wq::federation {
namespace {

using namespace test;
using weiquan::v1::Signed;

constexpr std::int64_t kSecond = 1000;

Signed heartbeat(const std::string& node, std::int64_t sent_at_ms, std::uint64_t backlog = 0) {
  weiquan::v1::HeartbeatBody body;
  body.set_version(1);
  body.set_node_id(node);
  body.set_sent_at_ms(sent_at_ms);
  body.set_link(weiquan::v1::LINK_STATE_UP);
  body.set_backlog(backlog);
  return encode_heartbeat(body, tree().keys.at(node).sign);
}

HealthBook book_at(const std::string& self) {
  HealthBookOptions options;
  options.self = self;
  options.live_window_ms = 45 * kSecond;
  return HealthBook(options);
}

TEST_CASE("heartbeat book: a descendant's heartbeat is kept and tells when it was heard") {
  HealthBook book = book_at("11");
  CHECK_FALSE(book.as_of("110101").has_value());
  CHECK_FALSE(book.live("110101", kNow));

  REQUIRE(book.accept(heartbeat("110101", kNow - 2 * kSecond, 5), tree().trust, kNow).value());
  CHECK(book.as_of("110101") == kNow - 2 * kSecond);
  CHECK(book.live("110101", kNow));
  CHECK(book.live("110101", kNow + 40 * kSecond));
  CHECK_FALSE(book.live("110101", kNow + 50 * kSecond));

  // A newer one replaces it; the same bytes again are a duplicate, not a refusal.
  const Signed newer = heartbeat("110101", kNow, 9);
  REQUIRE(book.accept(newer, tree().trust, kNow).value());
  CHECK(book.as_of("110101") == kNow);
  CHECK_FALSE(book.accept(newer, tree().trust, kNow).value());
  // A clock a little behind the sender's is tolerated.
  REQUIRE(book.accept(heartbeat("1101", kNow + 4 * 60 * kSecond), tree().trust, kNow).value());

  const HealthCounters counters = book.counters();
  CHECK(counters.accepted == 3);
  CHECK(counters.duplicates == 1);
}

TEST_CASE(
    "heartbeat book: what does not verify, lies outside the subtree or is not newer is "
    "refused, counted and changes nothing") {
  HealthBook book = book_at("11");
  REQUIRE(book.accept(heartbeat("110101", kNow), tree().trust, kNow));
  const auto refused = [&](const Signed& wire, const crypto::TrustStore& trust) {
    auto kept = book.accept(wire, trust, kNow);
    return kept ? std::string("kept") : kept.error().code;
  };

  SECTION("a forged signature") {
    Signed forged = heartbeat("110101", kNow + kSecond);
    // Signed by the city's key but claiming to be the county's report.
    const Signed by_city = heartbeat("1101", kNow + kSecond);
    forged.set_signature(by_city.signature());
    CHECK(refused(forged, tree().trust) == "federation.heartbeat_bad_signature");
    CHECK(book.counters().bad_signature == 1);
  }
  SECTION("a node without a certificate") {
    crypto::TrustStore bare(tree().keys.at("cn").sign.public_key);
    REQUIRE(bare.add(*tree().trust.verify_chain("cn", kNow).value()));
    CHECK(refused(heartbeat("110102", kNow), bare) == "crypto.unknown_node");
    CHECK(book.counters().untrusted == 1);
  }
  SECTION("a revoked node") {
    crypto::TrustStore revoked = tree().trust;
    crypto::Revocation revocation;
    revocation.issuer = "1101";
    revocation.node_id = "110101";
    revocation.serial = 1;
    revocation.revoked_at_ms = kNow - kSecond;
    revocation.reason = "key lost";
    REQUIRE(revoked.add(sync::issue_revocation(revocation, tree().keys.at("1101").sign).value()));
    CHECK(refused(heartbeat("110101", kNow + kSecond), revoked) == "crypto.cert_revoked");
    // Signed before the revocation, but the node is no longer trusted now.
    CHECK(refused(heartbeat("110101", kNow - 2 * kSecond), revoked) == "crypto.cert_revoked");
    CHECK(book.counters().untrusted == 2);
  }
  SECTION("a node of another province, an ancestor, the node itself") {
    CHECK(refused(heartbeat("440305", kNow), tree().trust) ==
          "federation.heartbeat_outside_subtree");
    CHECK(refused(heartbeat("cn", kNow), tree().trust) == "federation.heartbeat_outside_subtree");
    CHECK(refused(heartbeat("11", kNow), tree().trust) == "federation.heartbeat_outside_subtree");
    CHECK(book.counters().outside_subtree == 3);
    CHECK_FALSE(book.as_of("440305").has_value());
  }
  SECTION("a time beyond the allowed skew") {
    CHECK(refused(heartbeat("110101", kNow + 6 * 60 * kSecond), tree().trust) ==
          "federation.heartbeat_from_future");
    CHECK(book.counters().from_future == 1);
  }
  SECTION("older than, or as old as, the heartbeat held") {
    CHECK(refused(heartbeat("110101", kNow - kSecond), tree().trust) ==
          "federation.heartbeat_stale");
    CHECK(refused(heartbeat("110101", kNow, 3), tree().trust) == "federation.heartbeat_stale");
    CHECK(book.counters().stale == 2);
  }
  SECTION("bytes that are no heartbeat") {
    Signed junk;
    junk.set_body("junk");
    junk.set_signer("110101");
    CHECK(refused(junk, tree().trust) == "federation.bad_heartbeat");
    CHECK(book.counters().malformed == 1);
  }
  CHECK(book.as_of("110101") == kNow);
  CHECK(book.counters().accepted == 1);
  CHECK(book.pending(0, 1 << 20).heartbeats.size() == 1);
}

TEST_CASE("heartbeat book: every descendant the directory knows is listed, heard or not") {
  HealthBook book = book_at("1101");
  REQUIRE(book.accept(heartbeat("110101", kNow - 60 * kSecond, 4), tree().trust, kNow));
  REQUIRE(book.accept(heartbeat("110101001", kNow - kSecond, 2), tree().trust, kNow));

  const auto listed = book.descendants(tree().trust, kNow);
  REQUIRE(listed.size() == 3);
  CHECK(listed[0].node == "110101");
  CHECK(listed[0].level == crypto::Level::county);
  CHECK(listed[0].as_of == kNow - 60 * kSecond);
  CHECK_FALSE(listed[0].live);  // heard, but longer ago than three intervals
  CHECK(listed[0].latest->backlog() == 4);
  CHECK(listed[1].node == "110101001");
  CHECK(listed[1].live);
  CHECK(listed[2].node == "110102");
  CHECK_FALSE(listed[2].as_of.has_value());
  CHECK_FALSE(listed[2].live);

  // The national node's subtree is the whole tree but itself.
  CHECK(book_at("cn").descendants(tree().trust, kNow).size() == 8);
}

TEST_CASE(
    "heartbeat book: pending hands out what arrived after a point, in order, within a "
    "budget") {
  HealthBook book = book_at("11");
  REQUIRE(book.accept(heartbeat("110101", kNow), tree().trust, kNow));
  REQUIRE(book.accept(heartbeat("1101", kNow), tree().trust, kNow));
  REQUIRE(book.accept(heartbeat("110102", kNow), tree().trust, kNow));

  PendingHeartbeats all = book.pending(0, 1 << 20);
  REQUIRE(all.heartbeats.size() == 3);
  CHECK(all.heartbeats[0].signer() == "110101");
  CHECK(all.heartbeats[2].signer() == "110102");
  CHECK(all.through == 3);
  CHECK_FALSE(all.more);

  // A newer heartbeat of the county moves it behind the others.
  REQUIRE(book.accept(heartbeat("110101", kNow + kSecond), tree().trust, kNow));
  PendingHeartbeats delta = book.pending(3, 1 << 20);
  REQUIRE(delta.heartbeats.size() == 1);
  CHECK(delta.heartbeats[0].signer() == "110101");
  CHECK(delta.through == 4);

  PendingHeartbeats page = book.pending(0, all.heartbeats[0].ByteSizeLong() + 8);
  CHECK(page.heartbeats.size() == 1);
  CHECK(page.through == 2);  // arrival 1 was replaced; "1101" arrived second
  CHECK(page.more);
  CHECK(book.pending(4, 1 << 20).heartbeats.empty());
  CHECK(book.pending(4, 1 << 20).through == 4);
}

}  // namespace
}  // namespace wq::federation
