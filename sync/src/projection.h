// The ticket projection and how one event advances it: holder (single writer) and past holders,
// lifecycle state, type, assignee, clocks. Pure: reads nothing but its arguments, so the store and
// any replay get the same answer from the same chain.
//
// Clocks run from the real receipt time. A call, letter or visit is registered by an officer after
// it arrived, with Submitted.received_at_ms saying when; so the intake of a ticket — `submitted`,
// then, as seq 2 and 3, the intake node's `routed` to itself and its `received` — feeds the clock
// book that receipt time. Every other event feeds its own time_ms (and the clock book takes a time
// earlier than the previous event's as the previous event's).
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
