#include "weiquan/federation/interest.h"

#include <catch2/catch.hpp>
#include <map>
#include <string>
#include <vector>

#include "federation_tree.h"
#include "weiquan/federation/directory.h"
#include "weiquan/sync/certificate_codec.h"

namespace wq::federation {
namespace {

using namespace test;

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
