// The ticket lifecycle: which event kind may follow in which state, for each ticket type, who (role)
// at which node level may write it, and the state it leads to. The rules are data: a JSON document
// (policies/data/lifecycle.json, embedded in the binary) loaded into a Lifecycle.
//
// Event kinds are the field names of the `kind` oneof in sync/proto (submitted, routed, received,
// accepted, refused, assigned, transferred, message, evidence_added, extension_requested,
// extension_decided, initial_feedback, mediation_result, converted_to_case, closed, reopened,
// visited, urged, supervised, merged, type_changed, clock_paused, clock_resumed). A new ticket is in
// state "new" before its first event.
//
// Thread safety: a loaded Lifecycle is immutable and may be shared.
// Failure codes: policies.forbidden_transition (kind not allowed in this state for this type),
// policies.forbidden_role, policies.forbidden_level, policies.unknown_kind,
// policies.bad_document (while loading).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "weiquan/policies/types.h"

namespace wq::policies {

inline constexpr std::string_view kInitialState = "new";

class Lifecycle {
 public:
  static Result<Lifecycle> load(std::string_view json);
  // The rules shipped with this build.
  static const Lifecycle& builtin();

  // Checks that an event of `kind` may be written now and returns the state after it. An event that
  // does not change the state (a message, say) returns `state` unchanged.
  Result<std::string> apply(TicketType type, std::string_view state, std::string_view kind,
                            Role role, Level level) const;

  // True for states in which the ticket's handling is finished (closed, refused, merged, ...).
  bool is_terminal(TicketType type, std::string_view state) const;

  std::vector<std::string> kinds() const;

  struct Rules;  // defined in the implementation

 private:
  explicit Lifecycle(std::shared_ptr<const Rules> rules);
  std::shared_ptr<const Rules> rules_;
};

}  // namespace wq::policies
