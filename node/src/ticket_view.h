// The JSON a person sees of a ticket (docs/api.md, "Ticket"): its projection (state, holder,
// business, assignee), its deadlines per stage with overdue and due-soon flags, the consumer's
// personal data as far as the viewer may see it (ticket_access.h), and its timeline — every
// event with its acting person and its details. Sealed personal data never appears in the
// timeline.
//
// Thread safety: pure functions.
// Failure codes: crypto.* and node.bad_personal_data when this node's sealed copy cannot be
// opened.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <span>

#include "ticket_access.h"
#include "weiquan/crypto/keys.h"
#include "weiquan/sync/event_codec.h"

namespace wq::node::http {

// A deadline is "due soon" when it falls within this time from now.
inline constexpr std::int64_t kDueSoonMs = 48LL * 60 * 60 * 1000;

// One row of a queue: the projection and its deadlines, without timeline or personal data.
nlohmann::json ticket_summary(const sync::Ticket& ticket, std::int64_t now_ms);

struct DetailInputs {
  Access access = Access::none;
  std::string_view node_id;         // this node: whose sealed copy to open
  const crypto::BoxKeyPair* box{};  // this node's box keys
  std::int64_t now_ms = 0;
};

// The whole ticket: summary, timeline (`events` in seq order) and personal data.
Result<nlohmann::json> ticket_detail(const sync::Ticket& ticket,
                                     std::span<const sync::SignedEvent> events,
                                     const DetailInputs& inputs);

}  // namespace wq::node::http
