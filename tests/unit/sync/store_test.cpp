#include "weiquan/sync/store.h"

#include <catch2/catch.hpp>

#include "sync_fixture.h"
#include "weiquan/crypto/signing.h"
#include "weiquan/sync/certificate_codec.h"
#include "weiquan/sync/event_writer.h"

using namespace wq;
using namespace wq::sync;
using test::federation;
using test::kMinute;
using test::kT0;
using test::Scenario;

namespace {

// Copies every event of `ticket` from one store to another in one batch.
std::vector<Result<ApplyOutcome>> replicate(Store& from, Store& to, const std::string& ticket) {
  auto events = from.reader().events(ticket).value();
  return to.apply_batch(events).value();
}

// A valid event for `ticket` that continues its chain, authored by `author`.
SignedEvent next_event(Store& store, const std::string& ticket, const std::string& author,
                       weiquan::v1::EventBody body, std::int64_t time_ms) {
  const Ticket current = store.reader().ticket(ticket).value().value();
  body.set_version(1);
  body.set_ticket_id(ticket);
  body.set_seq(current.last_seq + 1);
  body.set_prev_hash(current.head.data(), current.head.size());
  body.set_author(author);
  body.set_time_ms(time_ms);
  return author_event(body, federation().node(author).keys.sign).value();
}

const policies::Clock* find_clock(const Ticket& ticket, const std::string& name) {
  for (const auto& clock : ticket.clocks) {
    if (clock.name == name) return &clock;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("a complaint's life moves state, holder and clocks", "[store]") {
  Scenario s;
  auto submission = s.province.submit(test::complaint(), "440305", kT0);
  REQUIRE(submission);
  s.ticket = submission->event.ticket_id();
  CHECK(s.ticket == "44-20250303-000001");
  Ticket t = s.projection();
  CHECK(t.state == "submitted");
  CHECK(t.holder == "44");
  CHECK(t.holders == std::vector<std::string>{"44"});
  CHECK(t.intake_node == "44");
  CHECK(t.type == policies::TicketType::complaint);
  CHECK(t.rule_version == "samr-order-20@2022-09-29");
  CHECK(t.received_at_ms == kT0);
  CHECK(t.consent_disclosure);
  CHECK(t.last_seq == 1);
  CHECK(t.head == submission->event.id);
  CHECK(t.next_due_ms == 0);

  REQUIRE(s.province.append(s.ticket, test::routed("440305"), kT0 + kMinute));
  t = s.projection();
  CHECK(t.state == "in_transit");
  CHECK(t.holder == "440305");

  REQUIRE(s.county.append(s.ticket, test::received(), kT0 + 2 * kMinute));
  t = s.projection();
  CHECK(t.state == "received");
  const auto* accept = find_clock(t, "complaint.accept_decision");
  REQUIRE(accept);
  CHECK(accept->running());
  // 7 working days, the day of receipt not counted: Wed 2025-03-12, 23:59:59.999 CST.
  const std::int64_t accept_due = kT0 + 9 * test::kDay + 15 * 60 * kMinute - 1;
  CHECK(accept->due_ms == accept_due);
  CHECK(accept->policy == "samr-order-20@2022-09-29");
  CHECK(t.next_due_ms == accept_due);

  REQUIRE(s.county.append(s.ticket, test::assigned_station("440305001"), kT0 + 3 * kMinute));
  t = s.projection();
  CHECK(t.state == "in_transit");
  CHECK(t.holder == "440305001");
  CHECK(t.holders == std::vector<std::string>{"44", "440305", "440305001"});

  REQUIRE(s.station.append(s.ticket, test::received(), kT0 + 4 * kMinute));
  REQUIRE(s.station.append(s.ticket, test::accepted(), kT0 + test::kDay));
  t = s.projection();
  CHECK(t.state == "accepted");
  CHECK_FALSE(find_clock(t, "complaint.accept_decision")->running());
  const auto* mediation = find_clock(t, "complaint.mediation");
  REQUIRE(mediation);
  CHECK(mediation->running());
  CHECK(t.next_due_ms == mediation->due_ms);
  CHECK(mediation->due_ms > kT0 + 45 * test::kDay);

  REQUIRE(s.station.append(s.ticket, test::message("商家同意退货"), kT0 + 2 * test::kDay));
  REQUIRE(s.station.append(s.ticket, test::mediation_result(true), kT0 + 3 * test::kDay));
  REQUIRE(s.station.append(s.ticket, test::closed(129900), kT0 + 3 * test::kDay + kMinute));
  t = s.projection();
  CHECK(t.state == "closed");
  CHECK(t.closed);
  CHECK(t.next_due_ms == 0);
  REQUIRE(s.station.append(s.ticket, test::visited(), kT0 + 5 * test::kDay));
  t = s.projection();
  CHECK(t.state == "visited");
  CHECK(t.holder == "440305001");
  CHECK(t.last_seq == 10);
  CHECK(t.updated_ms == kT0 + 5 * test::kDay);

  TicketQuery closed_at_station;
  closed_at_station.holder = "440305001";
  closed_at_station.closed = true;
  const auto found = s.store.reader().tickets(closed_at_station).value();
  REQUIRE(found.size() == 1);
  CHECK(found[0].id == s.ticket);
}

TEST_CASE("the receipt proves the filing", "[store]") {
  Scenario s;
  auto submission = s.province.submit(test::complaint(kT0 - 30 * kMinute), "440305", kT0);
  REQUIRE(submission);
  const auto& receipt = submission->receipt;
  CHECK(receipt.signer == "44");
  CHECK(receipt.body.competent_office() == "440305");
  CHECK(receipt.body.received_at_ms() == kT0 - 30 * kMinute);
  CHECK(receipt.body.filing_hash() ==
        std::string(submission->event.id.begin(), submission->event.id.end()));
  CHECK(verify_signature(receipt, federation().node("44").keys.sign.public_key));

  auto second = s.province.submit(test::complaint(), "440305", kT0);
  REQUIRE(second);
  CHECK(second->event.ticket_id() == "44-20250303-000002");
}

TEST_CASE("events replicate to another store and re-applying them is a no-op", "[store]") {
  Scenario s;
  s.file_and_route();
  test::TempDir other_dir;
  Store other = federation().open_store(other_dir.file("county.db"));
  auto outcomes = replicate(s.store, other, s.ticket);
  REQUIRE(outcomes.size() == 3);
  for (const auto& outcome : outcomes) CHECK(outcome.value() == ApplyOutcome::applied);
  const Ticket copy = other.reader().ticket(s.ticket).value().value();
  const Ticket original = s.projection();
  CHECK(copy.state == original.state);
  CHECK(copy.holder == original.holder);
  CHECK(copy.holders == std::vector<std::string>{"44", "440305"});
  CHECK(copy.head == original.head);
  CHECK(copy.next_due_ms == original.next_due_ms);
  CHECK(copy.clocks.size() == original.clocks.size());

  for (const auto& outcome : replicate(s.store, other, s.ticket)) {
    CHECK(outcome.value() == ApplyOutcome::duplicate);
  }
  CHECK(other.apply(s.store.reader().event(s.ticket, 2).value().value()).value() ==
        ApplyOutcome::duplicate);
  CHECK(other.reader().events(s.ticket).value().size() == 3);
  CHECK(other.reader().ticket(s.ticket).value()->head == original.head);
}

TEST_CASE("different bytes at an existing seq are quarantined, not applied", "[store]") {
  Scenario s;
  s.file_and_route();
  const Ticket before = s.projection();
  // The province signs a second seq 2 sending the ticket elsewhere.
  auto body = test::routed("440306");
  body.set_version(1);
  body.set_ticket_id(s.ticket);
  body.set_seq(2);
  const auto first = s.store.reader().event(s.ticket, 1).value().value();
  body.set_prev_hash(first.id.data(), first.id.size());
  body.set_author("44");
  body.set_time_ms(kT0 + kMinute);
  const auto fork = author_event(body, federation().node("44").keys.sign).value();

  CHECK(s.store.apply(fork).value() == ApplyOutcome::quarantined);
  CHECK(s.store.apply(fork).value() == ApplyOutcome::quarantined);
  const Ticket after = s.projection();
  CHECK(after.holder == before.holder);
  CHECK(after.head == before.head);
  CHECK(s.event_count() == 3);
  const auto quarantined = s.store.reader().quarantine().value();
  REQUIRE(quarantined.size() == 1);
  CHECK(quarantined[0].record.ticket_id == s.ticket);
  CHECK(quarantined[0].record.seq == 2);
  CHECK(quarantined[0].record.body == fork.body_bytes);
  CHECK(quarantined[0].existing_id == s.store.reader().event(s.ticket, 2).value()->id);

  // A badly signed fork is dropped, not quarantined.
  auto forged = fork;
  forged.signature[5] ^= 0x10;
  CHECK(s.store.apply(forged).error().code == "sync.bad_signature");
  CHECK(s.store.reader().quarantine().value().size() == 1);
}

TEST_CASE("a transition the lifecycle forbids is rejected and changes nothing", "[store]") {
  Scenario s;
  s.file_and_route();
  const Ticket before = s.projection();
  auto closed = s.county.append(s.ticket, test::closed(0), kT0 + kMinute * 5);
  REQUIRE_FALSE(closed);
  CHECK(closed.error().code == "policies.forbidden_transition");
  auto consumer_accepts = test::accepted();
  consumer_accepts.mutable_actor()->set_role(weiquan::v1::ROLE_CONSUMER);
  CHECK(s.county.append(s.ticket, consumer_accepts, kT0 + kMinute * 5).error().code ==
        "policies.forbidden_role");
  const Ticket after = s.projection();
  CHECK(after.state == before.state);
  CHECK(after.last_seq == before.last_seq);
  CHECK(after.head == before.head);
  CHECK(s.event_count() == 3);
  // The chain goes on from where it was.
  CHECK(s.county.append(s.ticket, test::accepted(), kT0 + kMinute * 6));
  CHECK(s.projection().last_seq == 4);
}

TEST_CASE("a refusal must name a ground of the ticket's policy document", "[store]") {
  Scenario s;
  s.file_and_route();
  auto made_up = test::refused();
  made_up.mutable_refused()->set_ground("order20.art99.9");
  auto refused = s.county.append(s.ticket, made_up, kT0 + kMinute * 5);
  REQUIRE_FALSE(refused);
  CHECK(refused.error().code == "policies.unknown_ground");
  CHECK_THAT(refused.error().message, Catch::Contains("order20.art15.1"));
  CHECK(s.event_count() == 3);
  CHECK(s.county.append(s.ticket, test::refused(), kT0 + kMinute * 6));
  CHECK(s.projection().state == "refused");
}

TEST_CASE("only the holder may append", "[store]") {
  Scenario s;
  s.file_and_route();
  auto by_other = s.other_county.append(s.ticket, test::accepted(), kT0 + kMinute * 5);
  REQUIRE_FALSE(by_other);
  CHECK(by_other.error().code == "sync.not_holder");
  auto remote = next_event(s.store, s.ticket, "44", test::accepted(), kT0 + kMinute * 5);
  CHECK(s.store.apply(remote).error().code == "sync.not_holder");
  CHECK(s.event_count() == 3);
}

TEST_CASE("remote events must continue the chain and be signed by their author", "[store]") {
  Scenario s;
  s.file_and_route();
  test::TempDir other_dir;
  Store other = federation().open_store(other_dir.file("other.db"));
  const auto events = s.store.reader().events(s.ticket).value();

  CHECK(other.apply(events[1]).error().code == "sync.seq_gap");
  REQUIRE(other.apply(events[0]).value() == ApplyOutcome::applied);
  CHECK(other.apply(events[2]).error().code == "sync.seq_gap");

  auto wrong_link = events[1].body;
  wrong_link.set_prev_hash(std::string(32, '\x01'));
  const auto relinked = author_event(wrong_link, federation().node("44").keys.sign).value();
  CHECK(other.apply(relinked).error().code == "sync.chain_broken");

  auto bad_signature = events[1];
  bad_signature.signature[0] ^= 1;
  CHECK(other.apply(bad_signature).error().code == "sync.bad_signature");

  auto late = events[1].body;
  late.set_time_ms(test::kValidUntil + 1);
  CHECK(other.apply(author_event(late, federation().node("44").keys.sign).value()).error().code ==
        "crypto.cert_expired");

  auto outcomes = other.apply_batch(std::vector<SignedEvent>{bad_signature, events[1], events[2]});
  REQUIRE(outcomes);
  CHECK(outcomes->at(0).error().code == "sync.bad_signature");
  CHECK(outcomes->at(1).value() == ApplyOutcome::applied);
  CHECK(outcomes->at(2).value() == ApplyOutcome::applied);
  CHECK(other.reader().ticket(s.ticket).value()->head == s.projection().head);
}

TEST_CASE("events of a node without a certificate are refused", "[store]") {
  test::TempDir dir;
  StoreOptions options;
  options.path = dir.file("bare.db");
  options.anchor_key = federation().anchor();
  Store bare = Store::open(options).value();
  REQUIRE(bare.add_certificate(federation().node("cn").cert));
  const auto event = author_event(test::first_event("440305", "440305-20250303-000001"),
                                  federation().node("440305").keys.sign)
                         .value();
  CHECK(bare.apply(event).error().code == "crypto.unknown_node");
  CHECK(bare.add_certificate(federation().node("440305").cert).error().code ==
        "crypto.unknown_node");
}

TEST_CASE("a revoked key's events are refused from the revocation time on", "[store]") {
  Scenario s;
  s.file_and_route();
  crypto::Revocation revocation;
  revocation.issuer = "4403";
  revocation.node_id = "440305";
  revocation.serial = 1;
  revocation.revoked_at_ms = kT0 + 10 * kMinute;
  revocation.reason = "key compromised";
  const auto signed_revocation =
      issue_revocation(revocation, federation().node("4403").keys.sign).value();
  REQUIRE(s.store.add_revocation(signed_revocation));
  REQUIRE(s.store.add_revocation(signed_revocation));
  CHECK(s.store.reader().revocations().value().size() == 1);

  CHECK(s.county.append(s.ticket, test::accepted(), kT0 + 5 * kMinute));
  CHECK(s.county.append(s.ticket, test::message("还在吗"), kT0 + 10 * kMinute).error().code ==
        "crypto.cert_revoked");
  CHECK(s.projection().last_seq == 4);
}

TEST_CASE("the writer owns the chain fields of a draft", "[store]") {
  Scenario s;
  s.file_and_route();
  auto with_seq = test::accepted();
  with_seq.set_seq(4);
  CHECK(s.county.append(s.ticket, with_seq, kT0 + 5 * kMinute).error().code == "sync.bad_draft");
  CHECK(s.county.append(s.ticket, test::draft(weiquan::v1::ROLE_OFFICER), kT0).error().code ==
        "sync.bad_draft");
  CHECK(s.county.append(s.ticket, test::complaint(), kT0).error().code == "sync.bad_draft");
  CHECK(s.county.append("no-such-ticket", test::accepted(), kT0).error().code ==
        "sync.bad_ticket_id");
  CHECK(s.county.append("440305-20250303-000009", test::accepted(), kT0).error().code ==
        "sync.unknown_ticket");
  CHECK(s.province.submit(test::complaint(kT0 + test::kDay), "440305", kT0).error().code ==
        "sync.bad_receipt_time");
  CHECK(s.province.submit(test::complaint(), "somewhere", kT0).error().code == "sync.bad_draft");
  CHECK(
      EventWriter::create(s.store, federation().node("44").keys.sign, "440305", kT0).error().code ==
      "sync.key_mismatch");
}

TEST_CASE("the queue lists tickets by state, holder and due time", "[store]") {
  Scenario s;
  s.file_and_route();
  const std::string routed_ticket = s.ticket;
  auto waiting = s.province.submit(test::complaint(), "440305", kT0);
  REQUIRE(waiting);

  TicketQuery received;
  received.state = "received";
  auto found = s.store.reader().tickets(received).value();
  REQUIRE(found.size() == 1);
  CHECK(found[0].id == routed_ticket);

  TicketQuery due_soon;
  due_soon.due_before_ms = kT0 + 30 * test::kDay;
  found = s.store.reader().tickets(due_soon).value();
  REQUIRE(found.size() == 1);
  CHECK(found[0].holder == "440305");

  TicketQuery at_province;
  at_province.holder = "44";
  found = s.store.reader().tickets(at_province).value();
  REQUIRE(found.size() == 1);
  CHECK(found[0].id == waiting->event.ticket_id());

  TicketQuery page;
  page.limit = 1;
  found = s.store.reader().tickets(page).value();
  REQUIRE(found.size() == 1);
  page.after_id = found[0].id;
  CHECK(s.store.reader().tickets(page).value().size() == 1);
}

TEST_CASE("after a restart, a read before the first write leaves the write's foreign keys deferred",
          "[store]") {
  test::TempDir dir;
  { Store first = federation().open_store(dir.file("node.db")); }
  StoreOptions options;
  options.path = dir.file("node.db");
  options.anchor_key = federation().anchor();
  Store store = Store::open(std::move(options)).value();
  REQUIRE(store.reader().outbox_backlog().ok());  // a read on the writer connection commits
  auto writer =
      EventWriter::create(store, federation().node("440305").keys.sign, "440305", test::kT0)
          .value();
  const auto filed = writer.submit(test::complaint(), "440305", test::kT0);
  INFO((filed ? std::string() : filed.error().message));
  CHECK(filed.ok());
}
