// The store's one contact with policies/ (ADR 0002): the lifecycle transition an event makes, the
// clocks it drives, and the policy document a ticket follows. Maps decoded events onto the plain
// values policies/ works on.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "weiquan/crypto/certificate.h"
#include "weiquan/policies/clocks.h"
#include "weiquan/policies/types.h"
#include "weiquan/result.h"
#include "weiquan/v1/weiquan.pb.h"

namespace wq::sync {

// The state after `body` in `state` when written by its actor's role at a node of `level`;
// policies.* codes.
Result<std::string> transition(policies::TicketType type, std::string_view state,
                               const weiquan::v1::EventBody& body, crypto::Level level);

bool is_terminal(policies::TicketType type, std::string_view state);

// The policy document a ticket's rule version names; sync.unknown_policy when this node has none.
// The document lives as long as the process.
Result<const policies::PolicyDocument*> find_policy(std::string_view rule_version);

// Feeds `body` into the ticket's clocks under `policy` as of `time_ms` (the time it counts from,
// see projection.h); policies.* codes from the clock rules.
Status feed_clocks(policies::ClockBook& clocks, const policies::PolicyDocument& policy,
                   const policies::TicketFacts& ticket, const weiquan::v1::EventBody& body,
                   std::int64_t time_ms);

// The "<id>@<version>" of the policy document governing a ticket received at `received_at_ms` in
// `region` (policies.no_policy_in_force).
Result<std::string> rule_version_in_force(std::int64_t received_at_ms, std::string_view region);

}  // namespace wq::sync
