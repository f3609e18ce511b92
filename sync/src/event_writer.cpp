#include "weiquan/sync/event_writer.h"

#include <cassert>
#include <string>

#include "rules.h"
#include "store_impl.h"
#include "weiquan/sync/node_id.h"
#include "weiquan/sync/ticket_id.h"

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

// Signs the next event of `ticket_id` and applies it within the open transaction.
Result<SignedEvent> write(Store::Impl& store, const crypto::SigningKeyPair& key,
                          const std::string& author, const std::string& ticket_id, EventBody body,
                          std::int64_t now_ms) {
  auto projection = store.projection(ticket_id);
  if (!projection) return projection.error();
  const Ticket& ticket = (*projection)->ticket;
  if (ticket.last_seq == 0 && !body.has_submitted()) {
    return make_error("sync.unknown_ticket", "no ticket " + ticket_id);
  }
  body.set_version(1);
  body.set_ticket_id(ticket_id);
  body.set_seq(ticket.last_seq + 1);
  if (ticket.last_seq > 0) body.set_prev_hash(ticket.head.data(), ticket.head.size());
  body.set_author(author);
  body.set_time_ms(now_ms);
  auto event = author_event(std::move(body), key);
  if (!event) return event.error();
  auto outcome = store.apply_in_transaction(*event, true);
  if (!outcome) return outcome.error();
  assert(*outcome == ApplyOutcome::applied);
  return std::move(*event);
}

// Opens a ticket with a fresh id within the open transaction and issues its receipt.
Result<Submission> submit_one(Store::Impl& store, const crypto::SigningKeyPair& key,
                              const std::string& author, EventBody body,
                              std::string_view competent_office, std::int64_t now_ms) {
  if (Status ok = check_draft(body, true); !ok) return ok.error();
  if (!valid_node_id(competent_office)) return bad_draft("competent office is not a node id");
  auto& submitted = *body.mutable_submitted();
  if (Status ok = check_receipt_time(submitted.received_at_ms(), now_ms); !ok) return ok.error();
  if (submitted.rule_version().empty()) {
    const std::string& region = submitted.jurisdiction_region();
    auto rule_version = rule_version_in_force(submitted.received_at_ms(),
                                              region.empty() ? std::string_view("cn") : region);
    if (!rule_version) return rule_version.error();
    submitted.set_rule_version(std::move(*rule_version));
  }
  TicketId id{author, china_date(submitted.received_at_ms()), 0};
  std::string ticket_id;
  do {  // skips serials already taken, e.g. after the store was restored from a backup
    auto serial = store.next_ticket_serial(author, id.date);
    if (!serial) return serial.error();
    id.serial = *serial;
    ticket_id = format_ticket_id(id);
    auto existing = store.projection(ticket_id);
    if (!existing) return existing.error();
    if ((*existing)->ticket.last_seq == 0) break;
  } while (true);
  auto event = write(store, key, author, ticket_id, std::move(body), now_ms);
  if (!event) return event.error();
  auto receipt = issue_receipt(*event, competent_office, key);
  if (!receipt) return receipt.error();
  return Submission{std::move(*event), std::move(*receipt)};
}

// Opens a ticket and appends the events that follow, all or nothing, within the open transaction.
Result<Intake> intake_one(Store::Impl& store, const crypto::SigningKeyPair& key,
                          const std::string& author, const NewTicket& ticket, std::int64_t now_ms) {
  return store.in_savepoint([&]() -> Result<Intake> {
    auto submission =
        submit_one(store, key, author, ticket.submitted, ticket.competent_office, now_ms);
    if (!submission) return submission.error();
    Intake intake{std::move(*submission), {}};
    intake.then.reserve(ticket.then.size());
    for (const EventBody& draft : ticket.then) {
      if (Status ok = check_draft(draft, false); !ok) return ok.error();
      auto event = write(store, key, author, intake.submission.event.ticket_id(), draft, now_ms);
      if (!event) return event.error();
      intake.then.push_back(std::move(*event));
    }
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
        event = write(store, *key_, node_id_, draft.ticket_id, draft.body, now_ms);
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
    Intakes intakes;
    intakes.reserve(tickets.size());
    for (const NewTicket& ticket : tickets) {
      auto intake = intake_one(store, *key_, node_id_, ticket, now_ms);
      if (!intake && is_db_failure(intake.error())) return intake.error();
      intakes.push_back(std::move(intake));
    }
    return intakes;
  });
}

}  // namespace wq::sync
