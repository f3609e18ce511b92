// Interest sets: which nodes must receive an event of a ticket (DESIGN §5). They are the ticket's
// intake node, every node that has held it (the event itself included: the to-node of a `routed`,
// `transferred` or `assigned` to a station is a holder once it is applied), and every ancestor of
// those — the issuers along each one's certificate chain up to the national node, so upward
// monitoring gets full copies wherever the ticket goes. The author sends to each of them directly.
//
// A node whose certificate chain does not verify at the event's time (unknown, expired, revoked)
// is left out with its ancestors: nothing goes to a node this one cannot trust. This node itself is
// never in its own interest set.
//
// Thread safety: pure function over its arguments; `trust` must not change during the call.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "weiquan/crypto/certificate.h"
#include "weiquan/sync/store.h"

namespace wq::federation {

// The nodes other than `self` that must receive an event applied at `at_ms` to a ticket whose
// projection after the event is `after`; sorted, without repeats.
std::vector<std::string> interest_set(const sync::Ticket& after, const crypto::TrustStore& trust,
                                      std::string_view self, std::int64_t at_ms);

// `node_id` and the issuers of its certificate chain at `at_ms`, the node first and the national
// node last; empty when its chain does not verify.
std::vector<std::string> chain_of(const crypto::TrustStore& trust, std::string_view node_id,
                                  std::int64_t at_ms);

}  // namespace wq::federation
