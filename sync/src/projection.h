// The ticket projection and how one event advances it: holder (single writer), lifecycle state,
// type, clocks. Pure: reads nothing but its arguments, so the store and any replay get the same
// answer from the same chain.
#pragma once

#include "weiquan/crypto/certificate.h"
#include "weiquan/policies/clocks.h"
#include "weiquan/result.h"
#include "weiquan/sync/event_codec.h"
#include "weiquan/sync/store.h"

namespace wq::sync {

struct Projection {
  Ticket ticket;  // last_seq == 0: no event yet; ticket.clocks stays empty, `clocks` has them
  policies::ClockBook clocks;
  const policies::PolicyDocument* policy = nullptr;  // named by ticket.rule_version
};

// The projection after `event`, the next event of its ticket (seq and prev_hash already checked),
// written by a node at `author_level`. Failure codes: sync.not_holder, sync.unknown_policy,
// policies.*.
Result<Projection> advance(const Projection& projection, const SignedEvent& event,
                           crypto::Level author_level);

// Rebuilds only the clocks of a ticket from its stored events (the rest of the projection is
// stored), under the ticket's policy document. `events` in seq order from 1.
Result<policies::ClockBook> replay_clocks(const Ticket& ticket,
                                          const policies::PolicyDocument& policy,
                                          std::span<const SignedEvent> events);

}  // namespace wq::sync
