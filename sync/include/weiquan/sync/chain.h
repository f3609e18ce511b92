// Hash chain of one ticket: event n (n >= 2) carries prev_hash = BLAKE2b-256(body bytes of event
// n-1) and seq = n; event 1 carries an empty prev_hash. These checks are structural and do not look
// at signatures or lifecycle rules.
//
// Thread safety: pure functions.
// Failure codes: sync.wrong_ticket (the events belong to different tickets), sync.seq_gap (seq is
// not previous + 1), sync.chain_broken (prev_hash differs from the previous event's id),
// sync.bad_prev_hash (first event with a prev_hash).
#pragma once

#include <cstdint>
#include <span>

#include "weiquan/result.h"
#include "weiquan/sync/event_codec.h"

namespace wq::sync {

// `next` extends a chain whose last event has seq `last_seq` and id `head` (last_seq 0: an empty
// chain, `head` ignored).
Status check_next(std::uint64_t last_seq, const EventId& head, const SignedEvent& next);

// The event that may start a chain: seq 1 with an empty prev_hash.
Status check_first(const SignedEvent& first);

// `next` directly follows `prev` in the same ticket.
Status check_link(const SignedEvent& prev, const SignedEvent& next);

// A whole chain from seq 1, in order. On failure the message names the seq of the first bad link.
Status check_chain(std::span<const SignedEvent> events);

}  // namespace wq::sync
