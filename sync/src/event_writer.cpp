#include "weiquan/sync/event_writer.h"

#include <cassert>
#include <iterator>
#include <string>

#include "rules.h"
#include "store_impl.h"
#include "weiquan/sync/node_id.h"
#include "weiquan/sync/ticket_id.h"
#include "work_ahead.h"

namespace wq::sync {
namespace {

using weiquan::v1::EventBody;

Error bad_draft(std::string_view why) {
  return make_error("sync.bad_draft", std::string(why));
}

// The caller sets actor and kind only; the writer owns every other field.
Status check_draft(const EventBody& body, bool submission) {
  if (body.version() != 0 || !body.ticket_id().empty() || body.seq() != 0 ||
      !body.prev_hash().empty() || !body.author().empty() || body.time_ms() != 0) {
    return bad_draft("version, ticket id, seq, prev_hash, author and time are the writer's");
  }
  if (!body.has_actor()) return bad_draft("no actor");
  if (body.kind_case() == EventBody::KIND_NOT_SET) return bad_draft("no kind");
  if (submission != body.has_submitted()) {
    return bad_draft(submission ? "a submission carries `submitted`"
                                : "`submitted` opens a ticket: use submit");
  }
  return {};
}

// How far a receipt time may lie ahead of this node's clock (the clocks of the computers filing
// and registering tickets differ a little from the node's).
constexpr std::int64_t kReceiptTimeSkewMs = 5 * 60'000;

Status check_receipt_time(std::int64_t received_at_ms, std::int64_t now_ms) {
  if (received_at_ms <= 0) {
    return make_error("sync.bad_receipt_time", "the ticket's receipt time is not set");
  }
  if (received_at_ms > now_ms + kReceiptTimeSkewMs) {
    return make_error("sync.bad_receipt_time",
                      "the ticket's receipt time lies " +
                          std::to_string((received_at_ms - now_ms) / 60'000) +
                          " minutes in the future");
  }
  return {};
}

// Sets the fields the writer owns: `body` becomes event `seq` of `ticket_id` by `author`, written
// now, after the event `prev` (none for seq 1).
void chain(EventBody& body, const std::string& ticket_id, std::uint64_t seq, const EventId* prev,
           const std::string& author, std::int64_t now_ms) {
  body.set_version(1);
  body.set_ticket_id(ticket_id);
  body.set_seq(seq);
  if (prev != nullptr) body.set_prev_hash(prev->data(), prev->size());
  body.set_author(author);
  body.set_time_ms(now_ms);
}

// Owes `event`, just applied within the open transaction, to every node `interest` names but its
// author.
Status enqueue_interest(Store::Impl& store, const EventWriter::Interest& interest,
                        const SignedEvent& event, std::int64_t now_ms) {
  if (!interest) return {};
  auto after = store.projection(event.ticket_id());
  if (!after) return after.error();
  for (std::string& peer : interest((*after)->ticket, event)) {
    if (peer == event.author()) continue;
    if (Status ok = store.enqueue({std::move(peer), event.ticket_id(), event.seq(), now_ms}); !ok) {
      return ok;
    }
  }
  return {};
}

// Signs the next event of `ticket_id`, applies it and enqueues its deliveries within the open
// transaction.
Result<SignedEvent> write(Store::Impl& store, const crypto::SigningKeyPair& key,
                          const EventWriter::Interest& interest, const std::string& author,
                          const std::string& ticket_id, EventBody body, std::int64_t now_ms) {
  auto projection = store.projection(ticket_id);
  if (!projection) return projection.error();
  const Ticket& ticket = (*projection)->ticket;
  if (ticket.last_seq == 0) return make_error("sync.unknown_ticket", "no ticket " + ticket_id);
  chain(body, ticket_id, ticket.last_seq + 1, &ticket.head, author, now_ms);
  auto event = author_event(std::move(body), key);
  if (!event) return event.error();
  auto outcome = store.apply_in_transaction(*event, true);
  if (!outcome) return outcome.error();
  assert(*outcome == ApplyOutcome::applied);
  if (Status ok = enqueue_interest(store, interest, *event, now_ms); !ok) return ok.error();
  return std::move(*event);
}

// The next free ticket id of `author` for a receipt time, within the open transaction.
Result<std::string> draw_ticket_id(Store::Impl& store, const std::string& author,
                                   std::int64_t received_at_ms) {
  TicketId id{author, china_date(received_at_ms), 0};
  while (true) {  // skips serials already taken, e.g. after the store was restored from a backup
    auto serial = store.next_ticket_serial(author, id.date);
    if (!serial) return serial.error();
    id.serial = *serial;
    std::string ticket_id = format_ticket_id(id);
    auto existing = store.projection(ticket_id);
    if (!existing) return existing.error();
    if ((*existing)->ticket.last_seq == 0) return ticket_id;
  }
}

// A new ticket between drafting and applying: its events chained, not yet signed.
struct DraftedTicket {
  std::vector<SignedEvent> events;  // `submitted`, then the events that follow
  SignedReceipt receipt;
};

// Checks a new ticket's drafts, completes its `submitted` (rule version), draws its id and chains
// its events, within the open transaction.
Result<DraftedTicket> draft_ticket(Store::Impl& store, const std::string& author,
                                   const NewTicket& ticket, std::int64_t now_ms) {
  if (Status ok = check_draft(ticket.submitted, true); !ok) return ok.error();
  if (!valid_node_id(ticket.competent_office)) {
    return bad_draft("competent office is not a node id");
  }
  for (const EventBody& body : ticket.then) {
    if (Status ok = check_draft(body, false); !ok) return ok.error();
  }
  EventBody first = ticket.submitted;
  auto& submitted = *first.mutable_submitted();
  if (Status ok = check_receipt_time(submitted.received_at_ms(), now_ms); !ok) return ok.error();
  if (submitted.rule_version().empty()) {
    const std::string& region = submitted.jurisdiction_region();
    auto rule_version = rule_version_in_force(submitted.received_at_ms(),
                                              region.empty() ? std::string_view("cn") : region);
    if (!rule_version) return rule_version.error();
    submitted.set_rule_version(std::move(*rule_version));
  }
  auto ticket_id = draw_ticket_id(store, author, submitted.received_at_ms());
  if (!ticket_id) return ticket_id.error();
  DraftedTicket drafted;
  drafted.events.reserve(1 + ticket.then.size());
  for (std::size_t i = 0; i <= ticket.then.size(); ++i) {
    EventBody body = i == 0 ? std::move(first) : ticket.then[i - 1];
    chain(body, *ticket_id, i + 1, i == 0 ? nullptr : &drafted.events.back().id, author, now_ms);
    auto event = encode_event(std::move(body));
    if (!event) return event.error();
    drafted.events.push_back(std::move(*event));
  }
  auto receipt = encode_receipt(drafted.events.front(), ticket.competent_office);
  if (!receipt) return receipt.error();
  drafted.receipt = std::move(*receipt);
  return drafted;
}

// Signs a drafted ticket's events and receipt.
void sign_ticket(DraftedTicket& drafted, const crypto::SigningKeyPair& key) {
  for (SignedEvent& event : drafted.events) sign_event(event, key);
  sign_receipt(drafted.receipt, key);
}

// Applies a drafted and signed ticket and enqueues its deliveries, all or nothing, within the open
// transaction.
Result<Intake> apply_ticket(Store::Impl& store, const EventWriter::Interest& interest,
                            DraftedTicket drafted, std::int64_t now_ms) {
  return store.in_savepoint([&]() -> Result<Intake> {
    for (const SignedEvent& event : drafted.events) {
      auto outcome = store.apply_in_transaction(event, true);
      if (!outcome) return outcome.error();
      assert(*outcome == ApplyOutcome::applied);
      if (Status ok = enqueue_interest(store, interest, event, now_ms); !ok) return ok.error();
    }
    Intake intake;
    intake.submission.receipt = std::move(drafted.receipt);
    intake.submission.event = std::move(drafted.events.front());
    intake.then.assign(std::make_move_iterator(drafted.events.begin() + 1),
                       std::make_move_iterator(drafted.events.end()));
    return intake;
  });
}

}  // namespace

EventWriter::EventWriter(Store& store, const crypto::SigningKeyPair& key, std::string node_id)
    : store_(&store), key_(&key), node_id_(std::move(node_id)) {}

Result<EventWriter> EventWriter::create(Store& store, const crypto::SigningKeyPair& key,
                                        std::string node_id, std::int64_t now_ms) {
  auto cert = store.trust().verify_chain(node_id, now_ms);
  if (!cert) return cert.error();
  if ((*cert)->cert.sign_key != key.public_key) {
    return make_error("sync.key_mismatch",
                      "the signing key is not the one in " + node_id + "'s certificate");
  }
  return EventWriter(store, key, std::move(node_id));
}

Result<SignedEvent> EventWriter::append(std::string_view ticket_id, EventBody body,
                                        std::int64_t now_ms) {
  Draft draft{std::string(ticket_id), std::move(body)};
  auto batch = append_batch(std::span<const Draft>(&draft, 1), now_ms);
  if (!batch) return batch.error();
  return std::move(batch->front());
}

Result<std::vector<Result<SignedEvent>>> EventWriter::append_batch(std::span<const Draft> drafts,
                                                                   std::int64_t now_ms) {
  Store::Impl& store = *store_->impl_;
  using Events = std::vector<Result<SignedEvent>>;
  return store.in_transaction([&]() -> Result<Events> {
    Events events;
    events.reserve(drafts.size());
    for (const Draft& draft : drafts) {
      Result<SignedEvent> event = bad_draft("unchecked");
      if (Status ok = check_draft(draft.body, false); !ok) {
        event = ok.error();
      } else if (auto id = parse_ticket_id(draft.ticket_id); !id) {
        event = id.error();
      } else {
        event = write(store, *key_, interest_, node_id_, draft.ticket_id, draft.body, now_ms);
      }
      if (!event && is_db_failure(event.error())) return event.error();
      events.push_back(std::move(event));
    }
    return events;
  });
}

Result<Submission> EventWriter::submit(EventBody body, std::string_view competent_office,
                                       std::int64_t now_ms) {
  auto batch = submit_batch(std::span<const EventBody>(&body, 1), competent_office, now_ms);
  if (!batch) return batch.error();
  return std::move(batch->front());
}

Result<std::vector<Result<Submission>>> EventWriter::submit_batch(std::span<const EventBody> bodies,
                                                                  std::string_view competent_office,
                                                                  std::int64_t now_ms) {
  std::vector<NewTicket> tickets;
  tickets.reserve(bodies.size());
  for (const EventBody& body : bodies) {
    tickets.push_back({body, std::string(competent_office), {}});
  }
  auto intakes = intake_batch(tickets, now_ms);
  if (!intakes) return intakes.error();
  std::vector<Result<Submission>> submissions;
  submissions.reserve(intakes->size());
  for (auto& intake : *intakes) {
    if (intake) {
      submissions.emplace_back(std::move(intake->submission));
    } else {
      submissions.emplace_back(intake.error());
    }
  }
  return submissions;
}

Result<std::vector<Result<Intake>>> EventWriter::intake_batch(std::span<const NewTicket> tickets,
                                                              std::int64_t now_ms) {
  Store::Impl& store = *store_->impl_;
  using Intakes = std::vector<Result<Intake>>;
  return store.in_transaction([&]() -> Result<Intakes> {
    // Every ticket's events are chained first, so that a helper thread can sign them, the bulk of
    // the work, while this one checks and applies them ticket by ticket.
    std::vector<Result<DraftedTicket>> drafted;
    drafted.reserve(tickets.size());
    for (const NewTicket& ticket : tickets) {
      auto one = draft_ticket(store, node_id_, ticket, now_ms);
      if (!one && is_db_failure(one.error())) return one.error();
      drafted.push_back(std::move(one));
    }
    WorkAhead signing(drafted.size(), [&](std::size_t i) {
      if (drafted[i]) sign_ticket(*drafted[i], *key_);
    });
    Intakes intakes;
    intakes.reserve(tickets.size());
    for (std::size_t i = 0; i < drafted.size(); ++i) {
      signing.ready(i);
      auto intake = drafted[i] ? apply_ticket(store, interest_, std::move(*drafted[i]), now_ms)
                               : Result<Intake>(drafted[i].error());
      if (!intake && is_db_failure(intake.error())) return intake.error();
      intakes.push_back(std::move(intake));
    }
    return intakes;
  });
}

}  // namespace wq::sync
