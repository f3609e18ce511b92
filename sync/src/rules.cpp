#include "rules.h"

#include <cassert>

#include "enums.h"
#include "weiquan/policies/calendar.h"
#include "weiquan/policies/lifecycle.h"
#include "weiquan/policies/policy_document.h"
#include "weiquan/sync/event_codec.h"

namespace wq::sync {
namespace {

using weiquan::v1::EventBody;

std::string_view transfer_variant(weiquan::v1::TransferDirection direction) {
  switch (direction) {
    case weiquan::v1::TRANSFER_DIRECTION_PARALLEL:
      return "parallel";
    case weiquan::v1::TRANSFER_DIRECTION_UP:
      return "up";
    case weiquan::v1::TRANSFER_DIRECTION_DOWN:
      return "down";
    default:
      return {};
  }
}

// The lifecycle variant of an event: the one field of its body its next state depends on.
std::string_view variant(const EventBody& body) {
  switch (body.kind_case()) {
    case EventBody::kAssigned:
      return assignee_kind_name(body.assigned().kind());
    case EventBody::kTransferred:
      return transfer_variant(body.transferred().direction());
    case EventBody::kTypeChanged: {
      const auto type = from_wire(body.type_changed().to());
      return type ? policies::type_name(*type) : std::string_view();
    }
    default:
      return {};
  }
}

}  // namespace

Result<std::string> transition(policies::TicketType type, std::string_view state,
                               const EventBody& body, crypto::Level level) {
  const auto role = from_wire(body.actor().role());
  assert(role);  // decode_event refuses events without a role
  return policies::Lifecycle::builtin().apply(type, state, kind_name(body), *role, level,
                                              variant(body));
}

bool is_terminal(policies::TicketType type, std::string_view state) {
  return policies::Lifecycle::builtin().is_terminal(type, state);
}

Result<const policies::PolicyDocument*> find_policy(std::string_view rule_version) {
  auto policy = policies::PolicySet::builtin().find(rule_version);
  if (!policy) {
    return make_error("sync.unknown_policy", "policy document \"" +
                                                 std::string(rule_version.substr(0, 64)) +
                                                 "\" is unknown to this node");
  }
  return *policy;
}

Status feed_clocks(policies::ClockBook& clocks, const policies::PolicyDocument& policy,
                   const policies::TicketFacts& ticket, const EventBody& body,
                   std::int64_t time_ms) {
  policies::ClockEvent event;
  event.kind = kind_name(body);
  event.time_ms = time_ms;
  event.variant = body.has_closed() ? std::string_view(body.closed().result()) : variant(body);
  if (body.has_extension_decided()) {
    event.clock = body.extension_decided().clock();
    event.approved = body.extension_decided().approved();
    event.days = body.extension_decided().days();
  }
  return clocks.apply(policy, policies::Calendar::builtin(), ticket, event);
}

Result<std::string> rule_version_in_force(std::int64_t received_at_ms, std::string_view region) {
  auto policy = policies::PolicySet::builtin().in_force_on(received_at_ms, region);
  if (!policy) return policy.error();
  return (*policy)->ref();
}

}  // namespace wq::sync
