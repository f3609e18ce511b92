// Private to policies/: the compiled form of a lifecycle document. Each ticket type has a machine
// whose states are numbered; every rule of the document is expanded into edges, one per
// (from-state, kind, variant), so that checking an event is a short scan of its state's edges.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "event_kinds.h"
#include "json_reader.h"
#include "weiquan/policies/lifecycle.h"

namespace wq::policies {
namespace detail {

constexpr std::uint32_t bit(Role role) {
  return 1u << static_cast<unsigned>(role);
}
constexpr std::uint32_t bit(Level level) {
  return 1u << static_cast<unsigned>(level);
}

struct Edge {
  std::string name() const { return event_name(kind, variant); }

  std::size_t kind = 0;                       // index into kEventKinds
  std::size_t variant = kNoVariant;           // index into the kind's variants
  TicketType target = TicketType::complaint;  // the machine `to` belongs to
  std::size_t to = 0;                         // state index in the target machine
  std::uint32_t roles = 0;                    // bit(Role) set
  std::uint32_t levels = 0;                   // bit(Level) set
};

struct State {
  std::string name;
  bool terminal = false;
  std::vector<Edge> edges;  // events allowed in this state
};

struct Machine {
  std::vector<State> states;  // states[0] is "new"

  std::optional<std::size_t> find(std::string_view name) const;
};

}  // namespace detail

struct Lifecycle::Rules {
  std::string version;
  std::array<detail::Machine, 4> machines;  // indexed by TicketType

  const detail::Machine& machine(TicketType type) const {
    return machines[static_cast<std::size_t>(type)];
  }
};

namespace detail {

// Reads and validates a lifecycle document (policies.bad_document).
Result<Lifecycle::Rules> compile_lifecycle(std::string_view json);

// The whole-document checks on compiled rules: every kind allowed somewhere, every state
// reachable from "new", no non-terminal state without a way out. Problems go to `reader`.
void check_lifecycle(const Lifecycle::Rules& rules, JsonReader& reader);

}  // namespace detail
}  // namespace wq::policies
