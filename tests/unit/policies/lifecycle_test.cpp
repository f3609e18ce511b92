#include "weiquan/policies/lifecycle.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <set>
#include <string>
#include <vector>

using namespace wq::policies;

namespace {

const Lifecycle& rules() {
  return Lifecycle::builtin();
}

struct Step {
  std::string kind;
  Role role;
  Level level;
  std::string expected;  // state after the step
  std::string variant = {};
};

// Applies the steps in order from `state`, checking each resulting state; returns the last state.
std::string walk(TicketType type, std::string state, const std::vector<Step>& steps) {
  for (const auto& step : steps) {
    INFO(std::string(type_name(type))
         << " in " << state << " takes " << step.kind << " " << step.variant);
    const auto next = rules().apply(type, state, step.kind, step.role, step.level, step.variant);
    REQUIRE(next.ok());
    CHECK(next.value() == step.expected);
    state = next.value();
  }
  return state;
}

std::string error_code(TicketType type, std::string_view state, std::string_view kind, Role role,
                       Level level, std::string_view variant = {}) {
  const auto next = rules().apply(type, state, kind, role, level, variant);
  return next.ok() ? "ok: " + next.value() : next.error().code;
}

// Reaching a complaint under mediation at a county office.
const std::vector<Step> kComplaintIntake = {
    {"submitted", Role::consumer, Level::national, "submitted"},
    {"routed", Role::system, Level::national, "in_transit"},
    {"received", Role::system, Level::county, "received"},
};

constexpr auto C = Level::county;

}  // namespace

TEST_CASE("the built-in lifecycle loads and lists every event kind", "[lifecycle]") {
  CHECK_FALSE(rules().version().empty());
  const std::vector<std::string> expected = {"submitted",
                                             "routed",
                                             "received",
                                             "accepted",
                                             "refused",
                                             "assigned",
                                             "transferred",
                                             "message",
                                             "evidence_added",
                                             "extension_requested",
                                             "extension_decided",
                                             "initial_feedback",
                                             "mediation_result",
                                             "converted_to_case",
                                             "closed",
                                             "reopened",
                                             "visited",
                                             "urged",
                                             "supervised",
                                             "merged",
                                             "type_changed",
                                             "clock_paused",
                                             "clock_resumed"};
  CHECK(rules().kinds() == expected);
  for (TicketType type :
       {TicketType::complaint, TicketType::report, TicketType::inquiry, TicketType::suggestion}) {
    REQUIRE_FALSE(rules().states(type).empty());
    CHECK(rules().states(type).front() == kInitialState);
  }
}

TEST_CASE("a complaint mediated by the office, closed and visited", "[lifecycle]") {
  std::string state = walk(TicketType::complaint, "new", kComplaintIntake);
  state = walk(TicketType::complaint, state,
               {
                   {"initial_feedback", Role::officer, C, "received"},
                   {"accepted", Role::officer, C, "accepted"},
                   {"message", Role::consumer, C, "accepted"},
                   {"message", Role::enterprise, C, "accepted"},
                   {"evidence_added", Role::consumer, C, "accepted"},
                   {"clock_paused", Role::officer, C, "accepted"},
                   {"clock_resumed", Role::officer, C, "accepted"},
                   {"urged", Role::supervisor, C, "accepted"},
                   {"supervised", Role::supervisor, C, "accepted"},
                   {"extension_requested", Role::officer, C, "accepted"},
                   {"extension_decided", Role::supervisor, C, "accepted"},
                   {"assigned", Role::officer, C, "accepted", "officer"},
                   {"mediation_result", Role::officer, C, "mediated"},
                   {"closed", Role::officer, C, "closed"},
               });
  CHECK(rules().is_terminal(TicketType::complaint, state));
  state = walk(TicketType::complaint, state, {{"visited", Role::consumer, C, "visited"}});
  CHECK(rules().is_terminal(TicketType::complaint, state));
}

TEST_CASE("a complaint negotiated by an ODR enterprise", "[lifecycle]") {
  std::string state = walk(TicketType::complaint, "new", kComplaintIntake);
  walk(TicketType::complaint, state,
       {
           {"accepted", Role::officer, C, "accepted"},
           {"assigned", Role::officer, C, "with_enterprise", "enterprise"},
           {"message", Role::enterprise, C, "with_enterprise"},
           {"evidence_added", Role::enterprise, C, "with_enterprise"},
           {"message", Role::officer, C, "with_enterprise"},
           {"mediation_result", Role::enterprise, C, "mediated"},
           {"closed", Role::supervisor, C, "closed"},
           {"visited", Role::officer, C, "visited"},
       });
}

TEST_CASE("the office takes a dispute back from the enterprise and opens a case", "[lifecycle]") {
  std::string state = walk(TicketType::complaint, "new", kComplaintIntake);
  walk(TicketType::complaint, state,
       {
           {"accepted", Role::officer, C, "accepted"},
           {"assigned", Role::officer, C, "with_enterprise", "enterprise"},
           {"assigned", Role::officer, C, "accepted", "officer"},
           {"converted_to_case", Role::officer, C, "converted"},
           {"mediation_result", Role::officer, C, "converted"},
           {"closed", Role::officer, C, "closed"},
           {"reopened", Role::supervisor, C, "accepted"},
           {"closed", Role::officer, C, "closed"},
       });
}

TEST_CASE("a complaint mediated by a consumer association", "[lifecycle]") {
  std::string state = walk(TicketType::complaint, "new", kComplaintIntake);
  walk(TicketType::complaint, state,
       {
           {"accepted", Role::officer, C, "accepted"},
           {"assigned", Role::officer, C, "with_association", "association"},
           {"message", Role::association, C, "with_association"},
           {"mediation_result", Role::association, C, "mediated"},
           {"closed", Role::officer, C, "closed"},
       });
}

TEST_CASE("a complaint dispatched to a station, refused there, and the refusal set aside",
          "[lifecycle]") {
  std::string state = walk(TicketType::complaint, "new", kComplaintIntake);
  state = walk(TicketType::complaint, state,
               {
                   {"assigned", Role::officer, Level::county, "in_transit", "station"},
                   {"received", Role::system, Level::station, "received"},
                   {"refused", Role::officer, Level::station, "refused"},
               });
  CHECK(rules().is_terminal(TicketType::complaint, state));
  walk(TicketType::complaint, state,
       {
           {"reopened", Role::supervisor, Level::station, "received"},
           {"accepted", Role::officer, Level::station, "accepted"},
       });
}

TEST_CASE("transfers move a ticket to another office, which must receive it", "[lifecycle]") {
  std::string state = walk(TicketType::complaint, "new", kComplaintIntake);
  state = walk(TicketType::complaint, state,
               {
                   {"transferred", Role::officer, C, "in_transit", "parallel"},
                   {"received", Role::system, C, "received"},
                   {"transferred", Role::officer, C, "in_transit", "up"},
                   {"received", Role::system, Level::city, "received"},
                   {"transferred", Role::officer, Level::city, "in_transit", "down"},
               });
  CHECK(error_code(TicketType::complaint, state, "accepted", Role::officer, C) ==
        "policies.forbidden_transition");
  walk(TicketType::complaint, state, {{"received", Role::system, C, "received"}});
}

TEST_CASE("a report is verified, becomes a case, and the reporter is told", "[lifecycle]") {
  const std::string state = walk(TicketType::report, "new",
                                 {
                                     {"submitted", Role::consumer, Level::province, "submitted"},
                                     {"routed", Role::system, Level::province, "in_transit"},
                                     {"received", Role::system, C, "received"},
                                     {"message", Role::officer, C, "received"},
                                     {"clock_paused", Role::officer, C, "received"},
                                     {"clock_resumed", Role::officer, C, "received"},
                                     {"extension_requested", Role::officer, C, "received"},
                                     {"extension_decided", Role::supervisor, C, "received"},
                                     {"converted_to_case", Role::officer, C, "case_opened"},
                                     {"initial_feedback", Role::officer, C, "case_opened"},
                                     {"closed", Role::officer, C, "closed"},
                                     {"visited", Role::consumer, C, "visited"},
                                 });
  CHECK(rules().is_terminal(TicketType::report, state));
}

TEST_CASE("a report closed without a case still tells the reporter", "[lifecycle]") {
  walk(TicketType::report, "received",
       {
           {"closed", Role::officer, C, "closed"},
           {"initial_feedback", Role::officer, C, "closed"},
           {"reopened", Role::supervisor, C, "received"},
       });
}

TEST_CASE("a report never goes to the business", "[lifecycle]") {
  CHECK(error_code(TicketType::report, "received", "assigned", Role::officer, C, "enterprise") ==
        "policies.forbidden_transition");
  CHECK(error_code(TicketType::report, "received", "assigned", Role::officer, C, "association") ==
        "policies.forbidden_transition");
  CHECK(error_code(TicketType::report, "received", "message", Role::enterprise, C) ==
        "policies.forbidden_role");
  CHECK(error_code(TicketType::report, "received", "mediation_result", Role::officer, C) ==
        "policies.forbidden_transition");
  CHECK(error_code(TicketType::report, "received", "accepted", Role::officer, C) ==
        "policies.forbidden_transition");
}

TEST_CASE("an inquiry is answered on the spot or by the office", "[lifecycle]") {
  walk(TicketType::inquiry, "new",
       {
           {"submitted", Role::officer, Level::city, "submitted"},
           {"closed", Role::officer, Level::city, "closed"},
           {"visited", Role::officer, Level::city, "visited"},
       });
  walk(TicketType::inquiry, "new",
       {
           {"submitted", Role::consumer, Level::national, "submitted"},
           {"routed", Role::system, Level::national, "in_transit"},
           {"received", Role::system, C, "received"},
           {"message", Role::consumer, C, "received"},
           {"closed", Role::officer, C, "closed"},
       });
}

TEST_CASE("a suggestion is answered by the office it concerns", "[lifecycle]") {
  walk(TicketType::suggestion, "new",
       {
           {"submitted", Role::consumer, Level::national, "submitted"},
           {"routed", Role::system, Level::national, "in_transit"},
           {"received", Role::system, Level::province, "received"},
           {"urged", Role::supervisor, Level::province, "received"},
           {"closed", Role::officer, Level::province, "closed"},
       });
  CHECK(error_code(TicketType::suggestion, "submitted", "closed", Role::officer, C) ==
        "policies.forbidden_transition");
}

TEST_CASE("type changes carry the state into the other type's machine", "[lifecycle]") {
  CHECK(error_code(TicketType::complaint, "received", "type_changed", Role::officer, C, "report") ==
        "ok: received");
  CHECK(error_code(TicketType::report, "received", "converted_to_case", Role::officer, C) ==
        "ok: case_opened");
  CHECK(error_code(TicketType::report, "submitted", "type_changed", Role::supervisor, C,
                   "complaint") == "ok: submitted");
  CHECK(error_code(TicketType::complaint, "accepted", "type_changed", Role::officer, C, "report") ==
        "policies.forbidden_transition");
  CHECK(error_code(TicketType::complaint, "received", "type_changed", Role::consumer, C,
                   "report") == "policies.forbidden_role");
  CHECK(error_code(TicketType::complaint, "received", "type_changed", Role::officer, C,
                   "inquiry") == "policies.forbidden_transition");
  CHECK(error_code(TicketType::inquiry, "received", "type_changed", Role::officer, C,
                   "complaint") == "policies.forbidden_transition");
}

TEST_CASE("transitions not in the rules are refused with what is allowed", "[lifecycle]") {
  CHECK(error_code(TicketType::complaint, "new", "accepted", Role::officer, C) ==
        "policies.forbidden_transition");
  CHECK(error_code(TicketType::complaint, "received", "closed", Role::officer, C) ==
        "policies.forbidden_transition");
  CHECK(error_code(TicketType::complaint, "submitted", "message", Role::consumer, C) ==
        "policies.forbidden_transition");
  CHECK(error_code(TicketType::complaint, "accepted", "transferred", Role::officer, C,
                   "parallel") == "policies.forbidden_transition");
  CHECK(error_code(TicketType::complaint, "closed", "accepted", Role::officer, C) ==
        "policies.forbidden_transition");
  const auto refused =
      rules().apply(TicketType::complaint, "received", "closed", Role::officer, Level::county);
  REQUIRE_FALSE(refused.ok());
  CHECK_THAT(refused.error().message, Catch::Contains("accepted") && Catch::Contains("refused"));
}

TEST_CASE("roles may write only their own events", "[lifecycle]") {
  CHECK(error_code(TicketType::complaint, "received", "accepted", Role::consumer, C) ==
        "policies.forbidden_role");
  CHECK(error_code(TicketType::complaint, "in_transit", "received", Role::officer, C) ==
        "policies.forbidden_role");
  CHECK(error_code(TicketType::complaint, "accepted", "closed", Role::enterprise, C) ==
        "policies.forbidden_role");
  CHECK(error_code(TicketType::complaint, "accepted", "extension_decided", Role::officer, C) ==
        "policies.forbidden_role");
  CHECK(error_code(TicketType::complaint, "closed", "reopened", Role::officer, C) ==
        "policies.forbidden_role");
  CHECK(error_code(TicketType::complaint, "with_enterprise", "message", Role::association, C) ==
        "policies.forbidden_role");
  CHECK(error_code(TicketType::complaint, "received", "message", Role::enterprise, C) ==
        "policies.forbidden_role");
  CHECK(error_code(TicketType::complaint, "accepted", "mediation_result", Role::enterprise, C) ==
        "policies.forbidden_role");
  CHECK(error_code(TicketType::complaint, "accepted", "message", Role::admin, C) ==
        "policies.forbidden_role");
  const auto refused =
      rules().apply(TicketType::complaint, "received", "accepted", Role::consumer, C);
  REQUIRE_FALSE(refused.ok());
  CHECK_THAT(refused.error().message, Catch::Contains("officer or supervisor"));
}

TEST_CASE("some events are written only at some levels", "[lifecycle]") {
  CHECK(error_code(TicketType::complaint, "received", "assigned", Role::officer, Level::city,
                   "station") == "policies.forbidden_level");
  CHECK(error_code(TicketType::complaint, "received", "transferred", Role::officer, Level::station,
                   "down") == "policies.forbidden_level");
  CHECK(error_code(TicketType::complaint, "received", "transferred", Role::officer, Level::national,
                   "up") == "policies.forbidden_level");
  CHECK(error_code(TicketType::complaint, "received", "transferred", Role::officer, Level::station,
                   "up") == "ok: in_transit");
}

TEST_CASE("unknown kinds, variants and states are named as such", "[lifecycle]") {
  CHECK(error_code(TicketType::complaint, "received", "escalated", Role::officer, C) ==
        "policies.unknown_kind");
  CHECK(error_code(TicketType::complaint, "received", "assigned", Role::officer, C) ==
        "policies.unknown_variant");
  CHECK(error_code(TicketType::complaint, "received", "assigned", Role::officer, C, "court") ==
        "policies.unknown_variant");
  CHECK(error_code(TicketType::complaint, "received", "message", Role::officer, C, "up") ==
        "policies.unknown_variant");
  CHECK(error_code(TicketType::complaint, "limbo", "message", Role::officer, C) ==
        "policies.unknown_state");
  CHECK(error_code(TicketType::inquiry, "accepted", "closed", Role::officer, C) ==
        "policies.unknown_state");
}

TEST_CASE("requests, messages and evidence leave the state unchanged", "[lifecycle]") {
  for (const char* state : {"received", "accepted", "with_enterprise", "mediated", "converted"}) {
    for (const char* kind : {"urged", "message", "evidence_added"}) {
      CHECK(error_code(TicketType::complaint, state, kind, Role::officer, C) ==
            std::string("ok: ") + state);
    }
  }
}

TEST_CASE("terminal states", "[lifecycle]") {
  for (const char* state : {"refused", "closed", "visited", "merged"}) {
    CHECK(rules().is_terminal(TicketType::complaint, state));
  }
  for (const char* state : {"new", "submitted", "in_transit", "received", "accepted", "mediated",
                            "converted", "with_enterprise", "limbo"}) {
    CHECK_FALSE(rules().is_terminal(TicketType::complaint, state));
  }
  CHECK(rules().is_terminal(TicketType::report, "closed"));
  CHECK_FALSE(rules().is_terminal(TicketType::report, "case_opened"));
  CHECK(rules().is_terminal(TicketType::inquiry, "merged"));
  CHECK(error_code(TicketType::complaint, "received", "merged", Role::officer, C) == "ok: merged");
  for (Role role : {Role::officer, Role::supervisor, Role::system}) {
    CHECK(rules().actions(TicketType::complaint, "merged", role, Level::county).empty());
  }
  for (const auto& kind : rules().kinds()) {
    CHECK_FALSE(rules()
                    .apply(TicketType::complaint, "merged", kind, Role::supervisor, Level::county,
                           kind == "assigned" ? "officer" : "")
                    .ok());
  }
}

TEST_CASE("every event kind is allowed somewhere and every state can be reached", "[lifecycle]") {
  const std::vector<Role> roles = {Role::consumer,   Role::officer,     Role::supervisor,
                                   Role::enterprise, Role::association, Role::admin,
                                   Role::system};
  const std::vector<Level> levels = {Level::national, Level::province, Level::city, Level::county,
                                     Level::station};
  const std::vector<TicketType> types = {TicketType::complaint, TicketType::report,
                                         TicketType::inquiry, TicketType::suggestion};
  std::set<std::string> kinds_seen;
  std::set<std::pair<int, std::string>> reached;
  std::vector<std::pair<TicketType, std::string>> queue;
  for (TicketType type : types) queue.emplace_back(type, std::string(kInitialState));
  while (!queue.empty()) {
    const auto [type, state] = queue.back();
    queue.pop_back();
    if (!reached.emplace(static_cast<int>(type), state).second) continue;
    for (Role role : roles) {
      for (Level level : levels) {
        for (const auto& action : rules().actions(type, state, role, level)) {
          kinds_seen.insert(action.kind);
          const auto next = rules().apply(type, state, action.kind, role, level, action.variant);
          REQUIRE(next.ok());
          CHECK(next.value() == action.to);
          const TicketType next_type =
              action.kind == "type_changed" ? parse_type(action.variant).value() : type;
          queue.emplace_back(next_type, action.to);
        }
      }
    }
  }
  const auto kinds = rules().kinds();
  CHECK(kinds_seen == std::set<std::string>(kinds.begin(), kinds.end()));
  for (TicketType type : types) {
    for (const auto& state : rules().states(type)) {
      INFO(type_name(type) << " " << state);
      CHECK(reached.contains({static_cast<int>(type), state}));
    }
  }
}

TEST_CASE("actions list what a person may do now", "[lifecycle]") {
  auto names = [](const std::vector<Action>& actions) {
    std::vector<std::string> out;
    for (const auto& action : actions) {
      out.push_back(action.variant.empty() ? action.kind : action.kind + ":" + action.variant);
    }
    return out;
  };
  CHECK(names(rules().actions(TicketType::complaint, "received", Role::consumer, C)) ==
        std::vector<std::string>{"message", "evidence_added"});
  const auto officer = names(rules().actions(TicketType::complaint, "received", Role::officer, C));
  for (const char* expected : {"accepted", "refused", "assigned:station", "assigned:officer",
                               "transferred:parallel", "type_changed:report", "merged"}) {
    CHECK(std::find(officer.begin(), officer.end(), expected) != officer.end());
  }
  const auto at_station =
      names(rules().actions(TicketType::complaint, "received", Role::officer, Level::station));
  CHECK(std::find(at_station.begin(), at_station.end(), "assigned:station") == at_station.end());
  CHECK(rules().actions(TicketType::complaint, "limbo", Role::officer, C).empty());
}
