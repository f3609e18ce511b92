// Loading lifecycle documents: every mistake a reviewer can make is reported with its path.
#include <catch2/catch.hpp>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <sstream>

#include "weiquan/policies/lifecycle.h"

using namespace wq::policies;
using Json = nlohmann::json;

namespace {

const Json& shipped() {
  static const Json doc = [] {
    std::ifstream in(WEIQUAN_SOURCE_DIR "/policies/data/lifecycle.json");
    std::stringstream text;
    text << in.rdbuf();
    return Json::parse(text.str());
  }();
  return doc;
}

// Loads the shipped document after `edit`; returns the error message (empty if it loaded).
std::string load_edited(const std::function<void(Json&)>& edit) {
  Json doc = shipped();
  edit(doc);
  const auto loaded = Lifecycle::load(doc.dump());
  if (loaded.ok()) return {};
  CHECK(loaded.error().code == "policies.bad_document");
  return loaded.error().message;
}

Json& complaint_rules(Json& doc) {
  return doc["machines"]["complaint"]["transitions"];
}

// Index of the first complaint rule for `kind`.
std::size_t rule_for(const Json& doc, const std::string& kind) {
  const Json& list = doc["machines"]["complaint"]["transitions"];
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (list[i]["kinds"][0] == kind) return i;
  }
  FAIL("no rule for " << kind);
  return 0;
}

}  // namespace

TEST_CASE("the shipped document loads", "[lifecycle]") {
  CHECK(load_edited([](Json&) {}).empty());
}

TEST_CASE("text that is not JSON is a bad document", "[lifecycle]") {
  const auto loaded = Lifecycle::load("{\"version\": ");
  REQUIRE_FALSE(loaded.ok());
  CHECK(loaded.error().code == "policies.bad_document");
  CHECK_THAT(loaded.error().message, Catch::Contains("not valid JSON"));
  CHECK_FALSE(Lifecycle::load("[]").ok());
  CHECK_FALSE(Lifecycle::load("").ok());
}

TEST_CASE("unknown roles, levels, kinds, states and fields are named with their path",
          "[lifecycle]") {
  const std::size_t accepted = rule_for(shipped(), "accepted");
  const std::string at = "machines.complaint.transitions[" + std::to_string(accepted) + "]";
  CHECK_THAT(load_edited([&](Json& doc) { complaint_rules(doc)[accepted]["roles"][0] = "clerk"; }),
             Catch::Contains(at + ".roles[0]: unknown role or role group 'clerk'"));
  CHECK_THAT(
      load_edited([&](Json& doc) { complaint_rules(doc)[accepted]["levels"][0] = "township"; }),
      Catch::Contains(at + ".levels[0]: unknown level or level group 'township'"));
  CHECK_THAT(
      load_edited([&](Json& doc) { complaint_rules(doc)[accepted]["kinds"][0] = "approved"; }),
      Catch::Contains(at + ".kinds[0]: unknown event kind 'approved'"));
  CHECK_THAT(load_edited([&](Json& doc) { complaint_rules(doc)[accepted]["from"][0] = "pending"; }),
             Catch::Contains(at + ".from[0]: unknown state 'pending'"));
  CHECK_THAT(load_edited([&](Json& doc) { complaint_rules(doc)[accepted]["to"] = "approved"; }),
             Catch::Contains(at + ".to: the complaint lifecycle has no state 'approved'"));
  CHECK_THAT(load_edited([&](Json& doc) {
               auto& rule = complaint_rules(doc)[accepted];
               rule["rolse"] = rule["roles"];
             }),
             Catch::Contains(at + ".rolse: unknown field"));
  CHECK_THAT(
      load_edited([&](Json& doc) { complaint_rules(doc)[accepted]["roles"] = Json::array(); }),
      Catch::Contains(at + ".roles: must not be empty"));
  CHECK_THAT(load_edited([&](Json& doc) { complaint_rules(doc)[accepted].erase("to"); }),
             Catch::Contains(at + ".to: missing"));
  CHECK_THAT(load_edited([&](Json& doc) { complaint_rules(doc)[accepted]["to"] = 3; }),
             Catch::Contains(at + ".to: must be a string"));
}

TEST_CASE("several problems are reported together", "[lifecycle]") {
  const std::size_t accepted = rule_for(shipped(), "accepted");
  const std::string message = load_edited([&](Json& doc) {
    complaint_rules(doc)[accepted]["roles"][0] = "clerk";
    doc["machines"]["report"]["states"]["received"]["terminal"] = "yes";
  });
  CHECK_THAT(message, Catch::Contains("'clerk'"));
  CHECK_THAT(message,
             Catch::Contains("machines.report.states.received.terminal: must be true or false"));
}

TEST_CASE("variants must belong to their kind", "[lifecycle]") {
  const std::size_t assigned = rule_for(shipped(), "assigned");
  CHECK_THAT(load_edited([&](Json& doc) { complaint_rules(doc)[assigned]["variants"] = {"up"}; }),
             Catch::Contains("'up' is not a variant of 'assigned'"));
  const std::size_t accepted = rule_for(shipped(), "accepted");
  CHECK_THAT(
      load_edited([&](Json& doc) { complaint_rules(doc)[accepted]["variants"] = {"officer"}; }),
      Catch::Contains("'officer' is not a variant of 'accepted'"));
  const std::size_t type_changed = rule_for(shipped(), "type_changed");
  CHECK_THAT(load_edited([&](Json& doc) { complaint_rules(doc)[type_changed].erase("variants"); }),
             Catch::Contains("type_changed needs \"variants\""));
  CHECK_THAT(load_edited([&](Json& doc) {
               complaint_rules(doc)[type_changed]["variants"] = {"complaint"};
             }),
             Catch::Contains("cannot change into its own type"));
  CHECK_THAT(
      load_edited([&](Json& doc) { complaint_rules(doc)[type_changed]["from"] = {"accepted"}; }),
      Catch::Contains("the report lifecycle has no state 'accepted'"));
}

TEST_CASE("every event kind of the wire schema must be allowed somewhere", "[lifecycle]") {
  const std::string message = load_edited([](Json& doc) {
    for (auto& [type, machine] : doc["machines"].items()) {
      auto& list = machine["transitions"];
      for (std::size_t i = list.size(); i-- > 0;) {
        if (list[i]["kinds"][0] == "urged") list.erase(i);
      }
    }
  });
  CHECK_THAT(message, Catch::Contains("kinds.urged: no transition allows it"));
}

TEST_CASE("the kind glossary lists exactly the kinds and variants of the wire schema",
          "[lifecycle]") {
  CHECK_THAT(load_edited([](Json& doc) { doc["kinds"].erase("visited"); }),
             Catch::Contains("kinds: missing 'visited'"));
  CHECK_THAT(load_edited([](Json& doc) {
               doc["kinds"]["recalled"] = {{"note", "x"}};
             }),
             Catch::Contains("kinds.recalled: not an event kind of the wire schema"));
  CHECK_THAT(load_edited([](Json& doc) { doc["kinds"]["transferred"]["variants"].erase("up"); }),
             Catch::Contains("kinds.transferred.variants: missing 'up'"));
}

TEST_CASE("states must be reachable and never trap a ticket", "[lifecycle]") {
  CHECK_THAT(load_edited([](Json& doc) {
               doc["machines"]["complaint"]["states"]["limbo"] = {{"note", "nowhere"}};
             }),
             Catch::Contains("machines.complaint.states.limbo: unreachable from 'new'"));
  CHECK_THAT(load_edited([](Json& doc) {
               doc["machines"]["inquiry"]["states"]["merged"]["terminal"] = false;
             }),
             Catch::Contains(
                 "machines.inquiry.states.merged: not terminal, but no event leads out of it"));
  CHECK_THAT(
      load_edited([](Json& doc) { doc["machines"]["report"]["states"]["new"]["terminal"] = true; }),
      Catch::Contains("the initial state cannot be terminal"));
  CHECK_THAT(load_edited([](Json& doc) { doc["machines"]["report"]["states"].erase("new"); }),
             Catch::Contains("machines.report.states: missing the initial state 'new'"));
  const std::size_t accepted = rule_for(shipped(), "accepted");
  CHECK_THAT(load_edited([&](Json& doc) { complaint_rules(doc)[accepted]["to"] = "new"; }),
             Catch::Contains("no event leads back to 'new'"));
  CHECK_THAT(load_edited([](Json& doc) {
               doc["machines"]["complaint"]["states"]["unchanged"] = Json::object();
             }),
             Catch::Contains("machines.complaint.states.unchanged: a state name"));
}

TEST_CASE("two rules for the same state, kind and variant are refused", "[lifecycle]") {
  const std::size_t accepted = rule_for(shipped(), "accepted");
  const std::string message = load_edited(
      [&](Json& doc) { complaint_rules(doc).push_back(complaint_rules(doc)[accepted]); });
  CHECK_THAT(message, Catch::Contains("'accepted' in state 'received' is already ruled by "
                                      "machines.complaint.transitions[" +
                                      std::to_string(accepted) + "]"));
}

TEST_CASE("machines, groups and the version are checked", "[lifecycle]") {
  CHECK_THAT(load_edited([](Json& doc) { doc["machines"].erase("suggestion"); }),
             Catch::Contains("machines: missing 'suggestion'"));
  CHECK_THAT(load_edited([](Json& doc) { doc["machines"]["petition"] = Json::object(); }),
             Catch::Contains("machines.petition: unknown ticket type 'petition'"));
  CHECK_THAT(
      load_edited([](Json& doc) { doc["role_groups"]["officer"] = {"supervisor"}; }),
      Catch::Contains("role_groups.officer: a group cannot have the name of a single member"));
  CHECK_THAT(load_edited([](Json& doc) { doc["level_groups"]["low"] = {"village"}; }),
             Catch::Contains("level_groups.low[0]: unknown level 'village'"));
  CHECK_THAT(load_edited([](Json& doc) { doc.erase("version"); }),
             Catch::Contains("version: missing"));
  CHECK_THAT(load_edited([](Json& doc) { doc["authour"] = "x"; }),
             Catch::Contains("authour: unknown field"));
}
