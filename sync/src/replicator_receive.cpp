// Replicator, receiving side: envelopes in, checked, applied in one transaction, then acked.
#include <algorithm>
#include <map>
#include <tuple>

#include "proto_util.h"
#include "replicator_core.h"
#include "trust_bundle.h"

namespace wq::sync {
namespace {

using Counter = std::uint64_t ReplicationCounters::*;

weiquan::v1::EventResult result_of(const SignedEvent& event, const Result<ApplyOutcome>& outcome) {
  weiquan::v1::EventResult result;
  result.set_ticket_id(event.ticket_id());
  result.set_seq(event.seq());
  if (!outcome) {
    const bool gap = outcome.error().code == "sync.seq_gap";
    result.set_outcome(gap ? weiquan::v1::OUTCOME_GAP : weiquan::v1::OUTCOME_REJECTED);
    result.set_code(outcome.error().code);
    return result;
  }
  switch (*outcome) {
    case ApplyOutcome::applied:
      result.set_outcome(weiquan::v1::OUTCOME_APPLIED);
      break;
    case ApplyOutcome::duplicate:
      result.set_outcome(weiquan::v1::OUTCOME_DUPLICATE);
      break;
    case ApplyOutcome::quarantined:
      result.set_outcome(weiquan::v1::OUTCOME_QUARANTINED);
      break;
  }
  return result;
}

Counter counter_of(const weiquan::v1::EventResult& result) {
  switch (result.outcome()) {
    case weiquan::v1::OUTCOME_APPLIED:
      return &ReplicationCounters::applied;
    case weiquan::v1::OUTCOME_DUPLICATE:
      return &ReplicationCounters::duplicates;
    case weiquan::v1::OUTCOME_QUARANTINED:
      return &ReplicationCounters::quarantined;
    case weiquan::v1::OUTCOME_GAP:
      return &ReplicationCounters::gaps;
    default:
      return &ReplicationCounters::rejected;
  }
}

}  // namespace

void Replicator::Core::on_request(const Transport::Bytes& request,
                                  const Transport::Respond& respond) {
  const auto count = [&](Counter counter) { update([&] { ++(counters.*counter); }); };
  auto envelope = decode_envelope(request);
  if (!envelope) return count(&ReplicationCounters::dropped_malformed);
  const weiquan::v1::EnvelopeBody& body = envelope->body;
  if (body.destination() != options.self) {
    return count(&ReplicationCounters::dropped_wrong_destination);
  }
  std::vector<SignedEvent> events;
  events.reserve(static_cast<std::size_t>(body.events_size()));
  for (const weiquan::v1::Signed& wire : body.events()) {
    auto event = decode_event(wire);
    if (!event) return count(&ReplicationCounters::dropped_malformed);
    events.push_back(std::move(*event));
  }
  if (Status ok = add_received(store, body.certificates(), body.revocations(), known); !ok) {
    return count(&ReplicationCounters::dropped_malformed);
  }
  if (Status ok = verify_envelope(*envelope, store.trust()); !ok) {
    return count(ok.error().code == "sync.bad_signature"
                     ? &ReplicationCounters::dropped_bad_signature
                     : &ReplicationCounters::dropped_unknown_signer);
  }
  std::uint64_t& last_nonce_of_origin = accepted_nonces[body.origin()];
  if (body.nonce() <= last_nonce_of_origin) return count(&ReplicationCounters::dropped_replayed);
  last_nonce_of_origin = body.nonce();

  // Each ticket's events in chain order: a gap then stays a gap for the rest of the ticket.
  std::stable_sort(events.begin(), events.end(), [](const SignedEvent& a, const SignedEvent& b) {
    return std::forward_as_tuple(a.ticket_id(), a.seq()) <
           std::forward_as_tuple(b.ticket_id(), b.seq());
  });
  auto outcomes = store.apply_batch(events);
  if (!outcomes) return count(&ReplicationCounters::store_errors);

  weiquan::v1::AckBody ack;
  ack.set_version(kWireVersion);
  ack.set_origin(options.self);
  ack.set_destination(body.origin());
  ack.set_nonce(body.nonce());
  std::map<std::string, std::uint64_t> held;  // last seq of each ticket with a gap
  for (std::size_t i = 0; i < events.size(); ++i) {
    weiquan::v1::EventResult& result = *ack.add_results();
    result = result_of(events[i], (*outcomes)[i]);
    if (result.outcome() != weiquan::v1::OUTCOME_GAP) continue;
    auto [it, fresh] = held.try_emplace(result.ticket_id(), 0);
    if (fresh) {
      auto ticket = store.reader().ticket(result.ticket_id());
      if (!ticket) return count(&ReplicationCounters::store_errors);
      if (*ticket) it->second = (*ticket)->last_seq;
    }
    result.set_have_seq(it->second);
  }
  add_to(trust_bundle(store.trust(), {options.self}), ack.mutable_certificates(), nullptr);
  update([&] {
    ++counters.batches_received;
    for (const weiquan::v1::EventResult& result : ack.results()) ++(counters.*counter_of(result));
  });
  if (options.before_ack) options.before_ack();
  respond(encode_ack(ack, *options.key));
}

}  // namespace wq::sync
