// Whole-document checks on compiled lifecycle rules (see lifecycle_rules.h).
#include <algorithm>
#include <array>
#include <deque>

#include "event_kinds.h"
#include "lifecycle_rules.h"

namespace wq::policies::detail {
namespace {

std::string state_path(TicketType type, const State& state) {
  return "machines." + std::string(type_name(type)) + ".states." + state.name;
}

void check_coverage(const Lifecycle::Rules& rules, JsonReader& reader) {
  for (std::size_t kind = 0; kind < kEventKinds.size(); ++kind) {
    const bool allowed =
        std::any_of(rules.machines.begin(), rules.machines.end(), [&](const Machine& machine) {
          return std::any_of(machine.states.begin(), machine.states.end(), [&](const State& state) {
            return std::any_of(state.edges.begin(), state.edges.end(),
                               [&](const Edge& edge) { return edge.kind == kind; });
          });
        });
    if (!allowed) {
      reader.fail(member_path("kinds", kEventKinds[kind].name), "no transition allows it");
    }
  }
}

// Breadth-first from every machine's "new", following type changes into other machines.
void check_reachable(const Lifecycle::Rules& rules, JsonReader& reader) {
  std::array<std::vector<bool>, 4> seen;
  std::deque<std::pair<TicketType, std::size_t>> queue;
  for (std::size_t t = 0; t < rules.machines.size(); ++t) {
    seen[t].assign(rules.machines[t].states.size(), false);
    if (seen[t].empty()) continue;
    seen[t][0] = true;
    queue.emplace_back(static_cast<TicketType>(t), 0);
  }
  while (!queue.empty()) {
    const auto [type, state] = queue.front();
    queue.pop_front();
    for (const Edge& edge : rules.machine(type).states[state].edges) {
      auto& reached = seen[static_cast<std::size_t>(edge.target)];
      if (reached[edge.to]) continue;
      reached[edge.to] = true;
      queue.emplace_back(edge.target, edge.to);
    }
  }
  for (std::size_t t = 0; t < rules.machines.size(); ++t) {
    const auto& states = rules.machines[t].states;
    for (std::size_t s = 0; s < states.size(); ++s) {
      if (!seen[t][s]) {
        reader.fail(state_path(static_cast<TicketType>(t), states[s]),
                    "unreachable from '" + std::string(kInitialState) + "'");
      }
    }
  }
}

// A ticket must never be stuck: a state that is not terminal needs an event that leaves it.
void check_exits(const Lifecycle::Rules& rules, JsonReader& reader) {
  for (std::size_t t = 0; t < rules.machines.size(); ++t) {
    const auto type = static_cast<TicketType>(t);
    const auto& states = rules.machines[t].states;
    for (std::size_t s = 0; s < states.size(); ++s) {
      if (states[s].terminal) continue;
      const bool leaves =
          std::any_of(states[s].edges.begin(), states[s].edges.end(),
                      [&](const Edge& edge) { return edge.target != type || edge.to != s; });
      if (!leaves) {
        reader.fail(state_path(type, states[s]), "not terminal, but no event leads out of it");
      }
    }
  }
}

}  // namespace

void check_lifecycle(const Lifecycle::Rules& rules, JsonReader& reader) {
  check_coverage(rules, reader);
  check_reachable(rules, reader);
  check_exits(rules, reader);
}

}  // namespace wq::policies::detail
