// EventWriter: the authoring path for events this node writes.
//
// The caller supplies the kind-specific part of an event — an EventBody with `actor` and one `kind`
// set, everything else left empty — and the current time. The writer fills version, ticket id, seq,
// prev_hash (from the store's head of the ticket), author (this node) and time, signs the body once
// and applies it to the store in the same transaction that reads the head, so two events can never
// take the same seq. A `submitted` event opens a new ticket: the caller sets its real receipt time
// (Submitted.received_at_ms: now for an online filing, when the call, letter or visit arrived for
// one an officer registers later; the ticket's clocks run from it), its id is
// <this node>-<China date of received_at>-<next serial>, its rule version defaults to the policy
// document in force on the receipt date, and the consumer's signed receipt is issued with it.
// Local events are checked like remote ones (holder, lifecycle, clocks) except that the signature
// is not re-verified: the writer checks once, when created, that its key is the one in this node's
// certificate.
//
// Replication: with an interest function set, every event the writer authors (append,
// append_batch, submit, submit_batch, intake_batch: `submitted` and the events that follow) is owed
// to each node the function names, one outbox row per node (this node and repeats skipped), written
// in the same transaction that applies the event, so an event is never committed without its
// deliveries. Events applied from other nodes (Store::apply, apply_batch) are never enqueued: only
// the author sends (DESIGN §5). Without an interest function nothing is enqueued.
//
// Ownership: the writer refers to a Store and a key pair owned by the caller; both must outlive it.
// Threads: like the Store, one thread at a time (the writer strand). intake_batch and submit_batch
// also sign on a short-lived helper thread of their own, while the calling thread applies.
// Failure codes: sync.bad_draft (fields the writer owns were set, or no kind),
// sync.bad_receipt_time (a receipt time unset or more than 5 minutes after now), sync.key_mismatch,
// sync.bad_ticket_id, sync.unknown_ticket, sync.ticket_serial_exhausted, plus every code of
// Store::apply.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "weiquan/crypto/keys.h"
#include "weiquan/result.h"
#include "weiquan/sync/event_codec.h"
#include "weiquan/sync/receipt_codec.h"
#include "weiquan/sync/store.h"

namespace wq::sync {

struct Submission {
  SignedEvent event;  // seq 1 of the new ticket
  SignedReceipt receipt;
};

// One event to append to an existing ticket.
struct Draft {
  std::string ticket_id;
  weiquan::v1::EventBody body;  // actor and kind only
};

// A ticket to open together with the events that follow its `submitted` at once: at the office
// with jurisdiction, `routed` to itself and `received` (actor ROLE_SYSTEM both).
struct NewTicket {
  weiquan::v1::EventBody submitted;  // actor and `submitted`
  std::string competent_office;      // node id the receipt names as the office with jurisdiction
  std::vector<weiquan::v1::EventBody> then;  // actor and kind each, appended in this order
};

struct Intake {
  Submission submission;
  std::vector<SignedEvent> then;  // seq 2, 3, ... of the new ticket
};

class EventWriter {
 public:
  // The node ids that must receive `event`, given the ticket as it is after the event (its
  // `clocks` left empty). Runs on the writer's thread, inside the transaction; it must not use the
  // store.
  using Interest =
      std::function<std::vector<std::string>(const Ticket& after, const SignedEvent& event)>;

  // `node_id` must have a certificate in the store, valid now, whose sign key is `key`'s.
  static Result<EventWriter> create(Store& store, const crypto::SigningKeyPair& key,
                                    std::string node_id, std::int64_t now_ms);

  const std::string& node_id() const { return node_id_; }

  // Replaces the interest function (empty: enqueue nothing) for the events written from now on.
  void set_interest(Interest interest) { interest_ = std::move(interest); }

  // Opens a ticket. `body` carries actor and `submitted`; `competent_office` is the node id the
  // receipt names as the office with jurisdiction.
  Result<Submission> submit(weiquan::v1::EventBody body, std::string_view competent_office,
                            std::int64_t now_ms);

  Result<SignedEvent> append(std::string_view ticket_id, weiquan::v1::EventBody body,
                             std::int64_t now_ms);

  // Many appends in ONE transaction. The outer error means the database failed and nothing was
  // committed; otherwise each draft has its own result and a failed draft changes nothing.
  Result<std::vector<Result<SignedEvent>>> append_batch(std::span<const Draft> drafts,
                                                        std::int64_t now_ms);

  // Many submissions in ONE transaction: intake_batch with nothing after `submitted`.
  Result<std::vector<Result<Submission>>> submit_batch(
      std::span<const weiquan::v1::EventBody> bodies, std::string_view competent_office,
      std::int64_t now_ms);

  // Opens many tickets, each with the events that follow at once, in ONE transaction (one fsync:
  // the node's group commit). The outer error means the database failed and nothing was
  // committed; otherwise each ticket has its own result and is all or nothing: when its
  // `submitted` or any event of its `then` is refused, nothing of it stays, and the error is that
  // of the refused event. Every ticket's events are chained before any is applied (so that they
  // can be signed in parallel), so a ticket refused after its id was drawn (sync.malformed, the
  // lifecycle, the holder rule) leaves a gap in the day's serials; one refused by the checks that
  // come first (sync.bad_draft, sync.bad_receipt_time, no policy in force) does not.
  Result<std::vector<Result<Intake>>> intake_batch(std::span<const NewTicket> tickets,
                                                   std::int64_t now_ms);

 private:
  EventWriter(Store& store, const crypto::SigningKeyPair& key, std::string node_id);

  Store* store_;
  const crypto::SigningKeyPair* key_;
  std::string node_id_;
  Interest interest_;
};

}  // namespace wq::sync
