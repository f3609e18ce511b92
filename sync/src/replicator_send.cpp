// Replicator, sending side: batches out of the outbox, acks back in.
#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <utility>

#include "proto_util.h"
#include "replicator_core.h"
#include "trust_bundle.h"
#include "weiquan/sync/certificate_codec.h"

namespace wq::sync {
namespace {

// Room for the envelope's own fields and its Signed wrapper, and for each repeated field's tag
// and length.
constexpr std::size_t kEnvelopeOverhead = 1024;
constexpr std::size_t kFieldOverhead = 4;

std::size_t wire_size(const TrustBundle& bundle) {
  std::size_t size = 0;
  for (const crypto::SignedCertificate* cert : bundle.certificates) {
    size += to_wire(*cert).ByteSizeLong() + kFieldOverhead;
  }
  for (const crypto::SignedRevocation* revocation : bundle.revocations) {
    size += to_wire(*revocation).ByteSizeLong() + kFieldOverhead;
  }
  return size;
}

// This node and the authors of the events in `body`.
std::set<std::string> signers(const std::string& self, const weiquan::v1::EnvelopeBody& body) {
  std::set<std::string> out{self};
  for (const weiquan::v1::Signed& event : body.events()) out.insert(event.signer());
  return out;
}

// The event as it travels: the stored bytes, not decoded (the receiver checks them).
weiquan::v1::Signed to_wire(Record&& event) {
  weiquan::v1::Signed wire;
  wire.set_body(std::string(event.body.begin(), event.body.end()));
  wire.set_signature(std::string(event.signature.begin(), event.signature.end()));
  wire.set_signer(std::move(event.signer));
  return wire;
}

}  // namespace

void Replicator::Core::send_batch(const std::string& peer) {
  auto items = store.reader().outbox(peer, options.max_batch_events);
  if (!items) return store_failed(peer, items.error());
  std::vector<OutboxEntry> sent;
  std::vector<OutboxEntry> gone;  // rows whose event is not in the store: nothing to deliver
  weiquan::v1::EnvelopeBody all;
  for (OutboxItem& item : *items) {
    if (!item.event) {
      gone.push_back(std::move(item.entry));
      continue;
    }
    *all.add_events() = to_wire(std::move(*item.event));
    sent.push_back(std::move(item.entry));
  }
  if (!gone.empty()) {
    if (Status ok = store.dequeue(gone); !ok) return store_failed(peer, ok.error());
  }
  if (sent.empty()) return;

  // The events that fit, with room for the certificates of all of them (those of a prefix are
  // no more); at least one.
  const crypto::TrustStore& trust = store.trust();
  const std::size_t budget = kMaxTransportPayload - kEnvelopeOverhead -
                             wire_size(trust_bundle(trust, signers(options.self, all)));
  weiquan::v1::EnvelopeBody body;
  std::size_t used = 0;
  for (weiquan::v1::Signed& wire : *all.mutable_events()) {
    const std::size_t size = wire.ByteSizeLong() + kFieldOverhead;
    if (body.events_size() > 0 && used + size > budget) break;
    used += size;
    *body.add_events() = std::move(wire);
  }
  const auto count = static_cast<std::size_t>(body.events_size());
  sent.resize(count);

  last_nonce = std::max(last_nonce + 1, static_cast<std::uint64_t>(now_ms()) * 1000);
  const std::uint64_t nonce = last_nonce;
  body.set_version(kWireVersion);
  body.set_origin(options.self);
  body.set_destination(peer);
  body.set_nonce(nonce);
  body.set_sent_at_ms(now_ms());
  add_to(trust_bundle(trust, signers(options.self, body)), body.mutable_certificates(),
         body.mutable_revocations());
  Transport::Bytes payload = encode_envelope(body, *options.key);

  update([&] {
    Peer& state = peers[peer];
    state.status.peer = peer;
    state.status.in_flight = true;
    state.nonce = nonce;
    state.rows = std::move(sent);
    ++counters.batches_sent;
    counters.events_sent += count;
  });
  transport.request(peer, Channel::sync, std::move(payload), options.request_timeout,
                    [weak = weak_from_this(), peer, nonce](Result<Transport::Bytes> reply) {
                      const auto core = weak.lock();
                      if (!core) return;
                      core->post_to_owner([peer, nonce, reply = std::move(reply)](Core& owner) {
                        owner.on_reply(peer, nonce, reply);
                      });
                    });
}

void Replicator::Core::on_reply(const std::string& peer, std::uint64_t nonce,
                                Result<Transport::Bytes> reply) {
  const auto found = peers.find(peer);
  if (found == peers.end() || !found->second.status.in_flight || found->second.nonce != nonce) {
    return;  // not the batch in flight
  }
  std::vector<OutboxEntry> rows;
  update([&] {
    found->second.status.in_flight = false;
    rows = std::move(found->second.rows);
    found->second.rows.clear();
  });
  if (!reply) return batch_failed(peer, reply.error());
  auto ack = check_ack(peer, nonce, *reply);
  if (!ack) {
    update([&] { ++counters.bad_acks; });
    return batch_failed(peer, ack.error());
  }
  settle(peer, rows, *ack);
}

Result<Ack> Replicator::Core::check_ack(const std::string& peer, std::uint64_t nonce,
                                        const Transport::Bytes& reply) {
  auto ack = decode_ack(reply);
  if (!ack) return ack.error();
  if (ack->body.origin() != peer || ack->body.destination() != options.self ||
      ack->body.nonce() != nonce) {
    return make_error("sync.bad_ack", "the reply of " + peer + " does not answer the batch sent");
  }
  static const SignedList kNoRevocations;
  if (Status ok = add_received(store, ack->body.certificates(), kNoRevocations, known); !ok) {
    return ok.error();
  }
  if (Status ok = verify_ack(*ack, store.trust(), now_ms()); !ok) return ok.error();
  return ack;
}

void Replicator::Core::settle(const std::string& peer, const std::vector<OutboxEntry>& rows,
                              const Ack& ack) {
  std::map<std::pair<std::string, std::uint64_t>, const OutboxEntry*> sent;
  for (const OutboxEntry& row : rows) sent.emplace(std::pair(row.ticket_id, row.seq), &row);
  std::vector<OutboxEntry> delivered;
  std::vector<OutboxEntry> backfill;
  std::optional<std::string> rejected;  // the code of a rejected event
  std::uint64_t alerts = 0;
  for (const weiquan::v1::EventResult& result : ack.body.results()) {
    const auto row = sent.find({result.ticket_id(), result.seq()});
    if (row == sent.end()) continue;  // not an event of this batch
    switch (result.outcome()) {
      case weiquan::v1::OUTCOME_QUARANTINED:
        ++alerts;
        delivered.push_back(*row->second);
        break;
      case weiquan::v1::OUTCOME_APPLIED:
      case weiquan::v1::OUTCOME_DUPLICATE:
        delivered.push_back(*row->second);
        break;
      case weiquan::v1::OUTCOME_GAP:
        // Sent in the same place of the send order as the event that found the gap.
        for (std::uint64_t seq = result.have_seq() + 1; seq < result.seq(); ++seq) {
          backfill.push_back({peer, result.ticket_id(), seq, row->second->enqueued_at_ms});
        }
        break;
      case weiquan::v1::OUTCOME_REJECTED:
        rejected = result.code();
        break;
      default:
        break;  // no outcome: the row stays
    }
  }
  Status stored = store.dequeue(delivered);
  if (stored && !backfill.empty()) stored = store.enqueue(backfill);
  update([&] {
    ++counters.batches_acked;
    counters.equivocation_alerts += alerts;
    Peer& state = peers[peer];
    state.status.last_ack_ms = now_ms();
    state.status.attempts = 0;
    state.status.last_error.clear();
    state.status.next_attempt_ms = 0;
  });
  if (!stored) return store_failed(peer, stored.error());
  if (rejected) back_off(peer, std::move(*rejected));
}

void Replicator::Core::back_off(const std::string& peer, std::string code) {
  update([&] {
    Peer& state = peers[peer];
    state.status.peer = peer;
    state.status.last_error = std::move(code);
    ++state.status.attempts;
    const std::int64_t ceiling = std::min<std::int64_t>(
        options.max_backoff.count(), options.min_backoff.count()
                                         << std::min<std::uint32_t>(state.status.attempts - 1, 30));
    // Full jitter: anywhere between now and the ceiling.
    const auto wait = static_cast<std::int64_t>(jitter() % static_cast<std::uint64_t>(ceiling + 1));
    state.status.next_attempt_ms = now_ms() + wait;
  });
}

void Replicator::Core::batch_failed(const std::string& peer, const Error& error) {
  update([&] { ++counters.batches_failed; });
  back_off(peer, error.code);
}

void Replicator::Core::store_failed(const std::string& peer, const Error& error) {
  update([&] { ++counters.store_errors; });
  back_off(peer, error.code);
}

}  // namespace wq::sync
