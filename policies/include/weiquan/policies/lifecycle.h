// The ticket lifecycle: which event kind may follow in which state, for each ticket type, who
// (role) at which node level may write it, and the state it leads to. The rules are data: a JSON
// document (policies/data/lifecycle.json, embedded in the binary) loaded into a Lifecycle, one
// state machine per ticket type. A new ticket is in state "new" before its first event.
//
// Event kinds are the field names of the `kind` oneof in sync/proto (submitted, routed, received,
// accepted, refused, assigned, transferred, message, evidence_added, extension_requested,
// extension_decided, initial_feedback, mediation_result, converted_to_case, closed, reopened,
// visited, urged, supervised, merged, type_changed, clock_paused, clock_resumed). The level is the
// level of the node that writes the event (the ticket's holder, or the intake node for submitted).
//
// Variants: three kinds lead to different states depending on one field of their body, which the
// caller passes as `variant` (any other kind takes none):
//   assigned      station | officer | enterprise | association      (Assigned.kind)
//   transferred   parallel | up | down                              (Transferred.direction)
//   type_changed  complaint | report | inquiry | suggestion         (TypeChanged.to)
//
// Type changes: type_changed moves the ticket into the machine of the type it becomes, and the
// state apply returns is a state of that machine. The shipped rules allow complaint <-> report, by
// staff, only before the acceptance decision; the ticket keeps its state name ("submitted" or
// "received"), so the competent office decides afresh under the new type.
//
// Terminal states are those in which handling is finished and counts as done (refused, closed,
// visited, merged). Some still allow events: a closed ticket may be visited or reopened.
//
// Loading validates the whole document and reports every problem with its JSON path, e.g.
//   machines.complaint.transitions[3].roles[0]: unknown role or role group 'clerk'
// for unknown kinds, variants, roles, levels or states, a kind of the wire schema that no
// transition allows, a state unreachable from "new", a state that is not terminal but has no way
// out, and two rules for the same state, kind and variant.
//
// Thread safety: a loaded Lifecycle is immutable and may be shared; builtin() is initialised once,
// thread-safely, on first use.
// Failure codes: policies.unknown_kind, policies.unknown_variant (missing, unknown or not
// expected), policies.unknown_state, policies.forbidden_transition (kind not allowed in this state
// for this type), policies.forbidden_role, policies.forbidden_level, policies.bad_document (while
// loading).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "weiquan/policies/types.h"

namespace wq::policies {

inline constexpr std::string_view kInitialState = "new";

// One event a given person may write now (see Lifecycle::actions).
struct Action {
  std::string kind;
  std::string variant;  // empty for kinds without variants
  std::string to;       // the state after the event; for type_changed, in the new type's machine
};

class Lifecycle {
 public:
  static Result<Lifecycle> load(std::string_view json);
  // The rules shipped with this build.
  static const Lifecycle& builtin();

  // Checks that an event of `kind` may be written now and returns the state after it. An event that
  // does not change the state (a message, say) returns `state` unchanged.
  Result<std::string> apply(TicketType type, std::string_view state, std::string_view kind,
                            Role role, Level level, std::string_view variant = {}) const;

  // Every event `role` at a node of `level` may write on a ticket of `type` in `state`, in the
  // order of the wire schema's kinds; empty for an unknown state.
  std::vector<Action> actions(TicketType type, std::string_view state, Role role,
                              Level level) const;

  // True for states in which the ticket's handling is finished (closed, refused, merged, ...).
  bool is_terminal(TicketType type, std::string_view state) const;

  // The states of one type's machine, "new" first.
  std::vector<std::string> states(TicketType type) const;

  // Every event kind, in the order of the wire schema.
  std::vector<std::string> kinds() const;

  // The document's version, as heartbeats and audit records report it.
  const std::string& version() const;

  struct Rules;  // defined in the implementation

 private:
  explicit Lifecycle(std::shared_ptr<const Rules> rules);
  std::shared_ptr<const Rules> rules_;
};

}  // namespace wq::policies
