#include <catch2/catch.hpp>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "replication_fixture.h"
#include "sync_fixture.h"
#include "weiquan/crypto/signing.h"
#include "weiquan/sync/certificate_codec.h"
#include "weiquan/sync/envelope_codec.h"
#include "weiquan/sync/event_writer.h"
#include "weiquan/sync/memory_transport.h"
#include "weiquan/sync/replicator.h"

using namespace wq;
using namespace wq::sync;
using namespace std::chrono_literals;
using test::federation;
using test::kMinute;
using test::kT0;
using test::require_same_chains;

namespace {

using Bytes = Transport::Bytes;

// One node: its store, its transport on the network and its replicator, which posts inline.
struct Replica {
  std::string id;
  test::TempDir dir;
  Store store;
  std::unique_ptr<Transport> transport;
  Replicator replicator;

  Replica(MemoryNetwork& network, const std::string& node_id, std::uint64_t seed = 1,
          std::size_t max_batch_events = 8)
      : id(node_id),
        store(federation().open_store(dir.file("node.db"))),
        transport(network.attach(node_id)),
        replicator(store, *transport, options_for(network, node_id, seed, max_batch_events),
                   [](std::function<void()> work) { work(); }) {
    REQUIRE(replicator.start());
  }

  static ReplicatorOptions options_for(MemoryNetwork& network, const std::string& node_id,
                                       std::uint64_t seed, std::size_t max_batch_events) {
    ReplicatorOptions options = test::replicator_options(network, node_id);
    options.max_batch_events = max_batch_events;
    options.jitter_seed = seed;
    return options;
  }

  EventWriter writer(std::vector<std::string> interested) {
    return test::interested_writer(store, id, std::move(interested));
  }

  std::uint64_t backlog() const {
    std::uint64_t rows = 0;
    const std::vector<OutboxBacklog> owed = store.reader().outbox_backlog().value();
    for (const OutboxBacklog& peer : owed) rows += peer.rows;
    return rows;
  }

  PeerStatus peer(const std::string& peer_id) const {
    for (const PeerStatus& status : replicator.peers()) {
      if (status.peer == peer_id) return status;
    }
    FAIL("no status of " << peer_id);
    return {};
  }
};

// Ticks every node and advances the network by 10 ms at a time until no node owes anything, or
// `limit_ms` of virtual time passed; then lets the network settle. True when every outbox drained.
bool drain(MemoryNetwork& network, const std::vector<Replica*>& nodes,
           std::int64_t limit_ms = 120'000) {
  const std::int64_t end = network.now_ms() + limit_ms;
  while (network.now_ms() < end) {
    for (Replica* node : nodes) node->replicator.tick();
    network.run_until(network.now_ms() + 10);
    bool owed = false;
    for (Replica* node : nodes) owed |= node->backlog() > 0;
    if (!owed) {
      network.run_until_idle(network.now_ms() + 10'000);
      for (Replica* node : nodes) node->replicator.tick();
      return true;
    }
  }
  return false;
}

// Ticks and runs the network for `ms` of virtual time.
void run_for(MemoryNetwork& network, const std::vector<Replica*>& nodes, std::int64_t ms) {
  const std::int64_t end = network.now_ms() + ms;
  while (network.now_ms() < end) {
    for (Replica* node : nodes) node->replicator.tick();
    network.run_until(network.now_ms() + 10);
  }
}

NewTicket at_county() {
  return {test::complaint(), "440305", {test::routed("440305"), test::received()}};
}

// Opens `count` tickets at the county and takes each through its life: 8 events per ticket.
std::vector<std::string> author(EventWriter& county, int count, std::int64_t at_ms = kT0) {
  const std::vector<NewTicket> tickets(static_cast<std::size_t>(count), at_county());
  std::vector<std::string> ids;
  const auto intakes = county.intake_batch(tickets, at_ms).value();
  for (const auto& intake : intakes) ids.push_back(intake.value().submission.event.ticket_id());
  const std::vector<weiquan::v1::EventBody> life = {
      test::accepted(), test::message("商家同意退货"), test::message("已退货"),
      test::mediation_result(true), test::closed(129900)};
  for (std::size_t step = 0; step < life.size(); ++step) {
    std::vector<Draft> drafts;
    for (const std::string& id : ids) drafts.push_back({id, life[step]});
    const std::int64_t at = at_ms + static_cast<std::int64_t>(step + 1) * kMinute;
    const auto events = county.append_batch(drafts, at).value();
    for (const auto& event : events) REQUIRE(event);
  }
  return ids;
}

constexpr std::uint64_t kEventsPerTicket = 8;

// The next event of `ticket` in `store`'s chain, by `author`.
SignedEvent next_event(const Store& store, const std::string& ticket, const std::string& author,
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

// A ticket opened at the county (seq 1-3, at kT0) and accepted there at kT0 + 6 min, built once.
const std::vector<SignedEvent>& county_chain() {
  static const std::vector<SignedEvent> chain = [] {
    test::Scenario source;
    const auto intakes = source.county.intake_batch(std::vector<NewTicket>{at_county()}, kT0);
    const std::string ticket = intakes.value().front()->submission.event.ticket_id();
    REQUIRE(source.county.append(ticket, test::accepted(), kT0 + 6 * kMinute));
    return source.store.reader().events(ticket).value();
  }();
  return chain;
}

}  // namespace

TEST_CASE("without faults every event reaches every interested node once", "[replication]") {
  MemoryNetwork network(1, kT0);
  network.set_default_faults({0, 0, 1, 20});
  Replica county(network, "440305");
  Replica province(network, "44");
  Replica city(network, "4403");
  EventWriter writer = county.writer({"44", "4403", "440305"});
  const auto tickets = author(writer, 5);
  CHECK(county.backlog() == 2 * 5 * kEventsPerTicket);
  CHECK(county.replicator.peers().empty());  // not ticked yet
  // A row naming an event the store does not have is dropped, not sent.
  const std::vector<OutboxEntry> stray = {{"44", "440305-20250303-999999", 1, kT0 + test::kDay}};
  REQUIRE(county.store.enqueue(stray));

  REQUIRE(drain(network, {&county, &province, &city}));
  require_same_chains(county.store, province.store, tickets);
  require_same_chains(county.store, city.store, tickets);
  for (Replica* receiver : {&province, &city}) {
    const ReplicationCounters counters = receiver->replicator.counters();
    CHECK(counters.applied == 5 * kEventsPerTicket);
    CHECK(counters.duplicates == 0);
    CHECK(counters.gaps == 0);
    CHECK(counters.batches_received == 5);  // 40 events, 8 per batch
    CHECK(receiver->backlog() == 0);        // received events are not sent on
  }
  const ReplicationCounters sent = county.replicator.counters();
  CHECK(sent.batches_sent == 10);
  CHECK(sent.batches_acked == 10);
  CHECK(sent.events_sent == 80);
  CHECK(sent.batches_failed == 0);
  const PeerStatus status = county.peer("44");
  CHECK(status.backlog == 0);
  CHECK_FALSE(status.in_flight);
  CHECK(status.last_ack_ms > kT0);
  CHECK(status.last_error.empty());
  CHECK(status.attempts == 0);
  CHECK(province.store.reader().ticket(tickets[0]).value()->state == "closed");
}

TEST_CASE("under loss, duplicates and reordering every event still arrives exactly once",
          "[replication]") {
  const std::uint64_t seed = GENERATE(1, 2, 3);
  INFO("seed " << seed);
  MemoryNetwork network(seed, kT0);
  network.set_default_faults({0.3, 0.2, 1, 80});
  Replica county(network, "440305", seed, 16);
  Replica province(network, "44", seed, 16);
  Replica city(network, "4403", seed, 16);
  EventWriter writer = county.writer({"44", "4403"});
  std::vector<std::string> tickets = author(writer, 3);
  run_for(network, {&county, &province, &city}, 300);
  for (const std::string& ticket : author(writer, 3, kT0 + kMinute)) tickets.push_back(ticket);

  REQUIRE(drain(network, {&county, &province, &city}));
  for (Replica* receiver : {&province, &city}) {
    require_same_chains(county.store, receiver->store, tickets);
    CHECK(receiver->replicator.counters().applied == tickets.size() * kEventsPerTicket);
  }
  const ReplicationCounters sent = county.replicator.counters();
  CHECK(sent.batches_failed > 0);
  CHECK(sent.events_sent > 2 * tickets.size() * kEventsPerTicket);  // some were sent again
  CHECK(network.stats().lost > 0);
  CHECK(network.stats().duplicated > 0);
}

TEST_CASE("a partition lets the backlog grow, and it drains when the link heals", "[replication]") {
  MemoryNetwork network(5, kT0);
  Replica county(network, "440305");
  Replica province(network, "44");
  EventWriter writer = county.writer({"44"});
  network.partition("440305", "44");
  std::vector<std::string> tickets = author(writer, 2);
  run_for(network, {&county, &province}, 3000);
  {
    const PeerStatus status = county.peer("44");
    CHECK(status.backlog == 2 * kEventsPerTicket);
    CHECK(status.attempts >= 3);
    CHECK(status.last_error == "sync.timeout");
    CHECK(status.last_ack_ms == 0);
    // Full jitter below the exponential ceiling, which max_backoff caps.
    CHECK(status.next_attempt_ms <= network.now_ms() + 1000);
  }
  CHECK(province.store.reader().events(tickets[0]).value().empty());

  for (const std::string& ticket : author(writer, 2, kT0 + kMinute)) tickets.push_back(ticket);
  run_for(network, {&county, &province}, 100);
  CHECK(county.peer("44").backlog == 4 * kEventsPerTicket);
  const std::uint64_t failed = county.replicator.counters().batches_failed;
  CHECK(failed >= 3);

  network.heal("44", "440305");
  REQUIRE(drain(network, {&county, &province}));
  require_same_chains(county.store, province.store, tickets);
  CHECK(province.replicator.counters().applied == 4 * kEventsPerTicket);
  const PeerStatus status = county.peer("44");
  CHECK(status.backlog == 0);
  CHECK(status.attempts == 0);
  CHECK(status.last_error.empty());
  CHECK(status.next_attempt_ms == 0);
}

TEST_CASE("a receiver missing earlier events answers GAP and the sender backfills them",
          "[replication]") {
  MemoryNetwork network(6, kT0);
  Replica county(network, "440305");
  Replica city(network, "4403");

  // The province filed the ticket and routed it to the county, which holds those two events.
  test::Scenario filing;
  auto submission = filing.province.submit(test::complaint(), "440305", kT0);
  REQUIRE(submission);
  const std::string ticket = submission->event.ticket_id();
  REQUIRE(filing.province.append(ticket, test::routed("440305"), kT0 + kMinute));
  REQUIRE(county.store.apply_batch(filing.store.reader().events(ticket).value()));

  // The city's interest starts with the county's first event (seq 3).
  EventWriter writer = county.writer({"4403"});
  REQUIRE(writer.append(ticket, test::received(), kT0 + 2 * kMinute));
  REQUIRE(writer.append(ticket, test::accepted(), kT0 + 3 * kMinute));
  CHECK(county.backlog() == 2);

  REQUIRE(drain(network, {&county, &city}));
  require_same_chains(county.store, city.store, {ticket});
  const ReplicationCounters received = city.replicator.counters();
  CHECK(received.gaps == 2);  // seq 3 and 4 of the first batch
  CHECK(received.applied == 4);
  CHECK(city.store.reader().event(ticket, 1).value()->author() == "44");
  CHECK(county.replicator.counters().batches_acked == 2);
}

TEST_CASE("a reply lost after the receiver committed: the retry is answered DUPLICATE",
          "[replication]") {
  MemoryNetwork network(7, kT0);
  Replica county(network, "440305");
  Replica province(network, "44");
  EventWriter writer = county.writer({"44"});
  const auto tickets = author(writer, 1);
  network.set_faults("44", "440305", {1.0, 0, 1, 1});  // the province's acks are lost
  run_for(network, {&county, &province}, 250);
  CHECK(province.replicator.counters().applied == 8);
  CHECK(province.store.reader().events(tickets[0]).value().size() == 8);
  CHECK(county.backlog() == 8);  // acked by nobody: kept
  CHECK(county.peer("44").last_error == "sync.timeout");

  network.set_faults("44", "440305", {});
  REQUIRE(drain(network, {&county, &province}));
  const ReplicationCounters received = province.replicator.counters();
  CHECK(received.applied == 8);
  CHECK(received.duplicates >= 8);  // one retry or more, each of the whole batch
  require_same_chains(county.store, province.store, tickets);
}

TEST_CASE("different bytes at an existing seq are quarantined and raised on both sides",
          "[replication]") {
  MemoryNetwork network(8, kT0);
  Replica county(network, "440305");
  Replica city(network, "4403");
  EventWriter writer = county.writer({"4403"});
  const std::string ticket = writer.intake_batch(std::vector<NewTicket>{at_county()}, kT0)
                                 .value()
                                 .front()
                                 ->submission.event.ticket_id();
  REQUIRE(drain(network, {&county, &city}));

  // The city got another seq 4 signed by the county (say, from a copy restored from a backup).
  auto other = test::accepted();
  other.mutable_accepted()->set_note("另一份");
  const SignedEvent fork = next_event(city.store, ticket, "440305", other, kT0 + kMinute);
  REQUIRE(city.store.apply(fork).value() == ApplyOutcome::applied);

  REQUIRE(writer.append(ticket, test::accepted(), kT0 + 2 * kMinute));
  REQUIRE(drain(network, {&county, &city}));
  CHECK(city.replicator.counters().quarantined == 1);
  CHECK(county.replicator.counters().equivocation_alerts == 1);
  const auto quarantined = city.store.reader().quarantine().value();
  REQUIRE(quarantined.size() == 1);
  CHECK(quarantined[0].existing_id == fork.id);
  CHECK(city.store.reader().event(ticket, 4).value()->id == fork.id);
}

TEST_CASE("batches stay below the transport's payload limit", "[replication]") {
  MemoryNetwork network(9, kT0);
  Replica county(network, "440305", 9, 256);
  Replica province(network, "44", 9, 256);
  EventWriter writer = county.writer({"44"});
  NewTicket big = at_county();
  big.submitted.mutable_submitted()->set_description(std::string(200 * 1024, 'x'));
  const auto intakes = writer.intake_batch(std::vector<NewTicket>(5, big), kT0).value();
  for (const auto& intake : intakes) REQUIRE(intake);
  REQUIRE(drain(network, {&county, &province}));
  CHECK(province.replicator.counters().applied == 5 * 3);
  const ReplicationCounters sent = county.replicator.counters();
  CHECK(sent.batches_sent >= 2);  // 1 MB of events
  CHECK(sent.batches_failed == 0);
}

TEST_CASE("a reply that is not a good ack of the batch keeps the rows and backs off",
          "[replication]") {
  MemoryNetwork network(10, kT0);
  Replica county(network, "440305");
  EventWriter writer = county.writer({"44"});
  REQUIRE(writer.intake_batch(std::vector<NewTicket>{at_county()}, kT0).value().front());

  // A stand-in for the province that answers as `mode` says.
  std::string mode;
  auto fake = network.attach("44");
  REQUIRE(fake->serve(Channel::sync, [&](Bytes request, Transport::Respond respond) {
    const Envelope envelope = decode_envelope(request).value();
    if (mode == "garbage") return respond(Bytes{1, 2, 3});
    weiquan::v1::AckBody ack;
    ack.set_version(1);
    ack.set_origin("44");
    ack.set_destination(envelope.body.origin());
    ack.set_nonce(envelope.body.nonce() + (mode == "other nonce" ? 1 : 0));
    for (const auto& wire : envelope.body.events()) {
      const SignedEvent event = decode_event(wire).value();
      auto& result = *ack.add_results();
      result.set_ticket_id(event.ticket_id());
      result.set_seq(event.seq());
      result.set_outcome(mode == "rejected" ? weiquan::v1::OUTCOME_REJECTED
                                            : weiquan::v1::OUTCOME_APPLIED);
      if (mode == "rejected") result.set_code("policies.forbidden_transition");
    }
    const auto& key = federation().node(mode == "wrong key" ? "4403" : "44").keys.sign;
    respond(encode_ack(ack, key));
  }));

  const auto attempt = [&](const std::string& answer) {
    mode = answer;
    run_for(network, {&county}, 1100);  // past the longest backoff
  };
  attempt("garbage");
  CHECK(county.peer("44").last_error == "sync.malformed");
  attempt("other nonce");
  CHECK(county.peer("44").last_error == "sync.bad_ack");
  attempt("wrong key");
  CHECK(county.peer("44").last_error == "sync.bad_signature");
  CHECK(county.backlog() == 3);
  ReplicationCounters counters = county.replicator.counters();
  CHECK(counters.bad_acks >= 3);
  CHECK(counters.batches_failed == counters.bad_acks);
  CHECK(counters.batches_acked == 0);

  attempt("rejected");
  CHECK(county.peer("44").last_error == "policies.forbidden_transition");
  CHECK(county.peer("44").attempts >= 1);
  CHECK(county.backlog() == 3);
  CHECK(county.replicator.counters().batches_acked >= 1);

  attempt("applied");
  CHECK(county.backlog() == 0);
  CHECK(county.peer("44").last_error.empty());
  CHECK(county.peer("44").attempts == 0);
  CHECK(county.replicator.counters().equivocation_alerts == 0);
}

TEST_CASE("refused envelopes and events change nothing and are counted", "[replication]") {
  MemoryNetwork network(11, kT0);
  Replica city(network, "4403");
  auto sender = network.attach("440305");
  const auto& county_key = federation().node("440305").keys.sign;

  const std::vector<SignedEvent>& chain = county_chain();
  const std::vector<SignedEvent> events(chain.begin(), chain.begin() + 3);
  const std::string ticket = chain.front().ticket_id();

  const auto envelope = [&](std::uint64_t nonce, const std::vector<SignedEvent>& batch,
                            const std::string& origin = "440305",
                            const std::string& destination = "4403") {
    weiquan::v1::EnvelopeBody body;
    body.set_version(1);
    body.set_origin(origin);
    body.set_destination(destination);
    body.set_nonce(nonce);
    body.set_sent_at_ms(kT0 + 10 * kMinute);
    for (const SignedEvent& event : batch) *body.add_events() = to_wire(event);
    return body;
  };
  // Sends `payload` to the city: its ack, or nothing when it did not answer.
  const auto send = [&](Bytes payload) -> std::optional<Ack> {
    std::optional<Result<Bytes>> reply;
    sender->request("4403", Channel::sync, std::move(payload), 200ms,
                    [&](Result<Bytes> answer) { reply = std::move(answer); });
    network.run_until_idle(network.now_ms() + 10'000);
    REQUIRE(reply);
    if (!*reply) {
      CHECK(reply->error().code == "sync.timeout");
      return std::nullopt;
    }
    return decode_ack(reply->value()).value();
  };
  const auto nothing_applied = [&] {
    CHECK(city.store.reader().events(ticket).value().empty());
    CHECK(city.replicator.counters().applied == 0);
    CHECK(city.replicator.counters().batches_received == 0);
  };
  // The event bytes with the consumer's id changed (still a well-formed event).
  const auto tampered = [](SignedEvent event) {
    std::string body(event.body_bytes.begin(), event.body_bytes.end());
    const std::size_t at = body.find("consumer-1");
    REQUIRE(at != std::string::npos);
    body[at + 9] = '2';
    return decode_event(crypto::as_bytes(body), event.signature, event.author()).value();
  };

  SECTION("an envelope signed by another key than its origin's") {
    CHECK_FALSE(send(encode_envelope(envelope(1, events), federation().node("4403").keys.sign)));
    CHECK(city.replicator.counters().dropped_bad_signature == 1);
    nothing_applied();
  }
  SECTION("event bytes changed on the way") {
    const Bytes payload = encode_envelope(envelope(1, events), county_key);
    weiquan::v1::Signed wire;
    REQUIRE(wire.ParseFromArray(payload.data(), static_cast<int>(payload.size())));
    weiquan::v1::EnvelopeBody body;
    REQUIRE(body.ParseFromString(wire.body()));
    *body.mutable_events(0) = to_wire(tampered(events[0]));
    wire.set_body(body.SerializeAsString());
    const std::string changed = wire.SerializeAsString();
    CHECK_FALSE(send(Bytes(changed.begin(), changed.end())));
    CHECK(city.replicator.counters().dropped_bad_signature == 1);
    nothing_applied();
  }
  SECTION("an event its author did not sign, in an envelope its sender did") {
    const std::vector<SignedEvent> batch = {tampered(events[0]), events[1], events[2]};
    const auto ack = send(encode_envelope(envelope(1, batch), county_key));
    REQUIRE(ack);
    REQUIRE(ack->body.results_size() == 3);
    CHECK(ack->body.results(0).outcome() == weiquan::v1::OUTCOME_REJECTED);
    CHECK(ack->body.results(0).code() == "sync.bad_signature");
    CHECK(ack->body.results(1).outcome() == weiquan::v1::OUTCOME_GAP);
    CHECK(ack->body.results(1).have_seq() == 0);
    CHECK(ack->body.results(2).outcome() == weiquan::v1::OUTCOME_GAP);
    CHECK(city.replicator.counters().rejected == 1);
    CHECK(city.replicator.counters().gaps == 2);
    CHECK(city.store.reader().events(ticket).value().empty());
  }
  SECTION("an envelope addressed to another node") {
    CHECK_FALSE(send(encode_envelope(envelope(1, events, "440305", "44"), county_key)));
    CHECK(city.replicator.counters().dropped_wrong_destination == 1);
    nothing_applied();
  }
  SECTION("a replayed nonce") {
    const Bytes payload = encode_envelope(envelope(10, events), county_key);
    const auto first = send(payload);
    REQUIRE(first);
    CHECK(first->body.origin() == "4403");
    CHECK(first->body.destination() == "440305");
    CHECK(first->body.nonce() == 10);
    CHECK(verify_ack(*first, city.store.trust(), kT0));
    CHECK(first->body.results(2).outcome() == weiquan::v1::OUTCOME_APPLIED);
    CHECK_FALSE(send(payload));
    CHECK_FALSE(send(encode_envelope(envelope(9, events), county_key)));
    CHECK(city.replicator.counters().dropped_replayed == 2);
    CHECK(city.replicator.counters().duplicates == 0);
    const auto later = send(encode_envelope(envelope(11, events), county_key));
    REQUIRE(later);
    CHECK(later->body.results(0).outcome() == weiquan::v1::OUTCOME_DUPLICATE);
    CHECK(city.replicator.counters().applied == 3);
  }
  SECTION("an origin no trusted certificate vouches for") {
    // 440307 carries a certificate "issued by 4403" but signed by a stranger's key.
    const crypto::NodeKeys stranger = crypto::NodeKeys::generate();
    crypto::Certificate cert;
    cert.node_id = "440307";
    cert.level = crypto::Level::county;
    cert.region = "440307";
    cert.sign_key = stranger.sign.public_key;
    cert.box_key = stranger.box.public_key;
    cert.not_before_ms = test::kValidFrom;
    cert.not_after_ms = test::kValidUntil;
    cert.serial = 1;
    cert.issuer = "4403";
    auto body = envelope(1, events, "440307");
    *body.add_certificates() = to_wire(issue_certificate(cert, stranger.sign).value());
    CHECK_FALSE(send(encode_envelope(body, stranger.sign)));
    CHECK(city.replicator.counters().dropped_unknown_signer == 1);
    CHECK_FALSE(city.store.trust().verify_chain("440307", kT0));
    nothing_applied();
  }
  SECTION("a malformed envelope") {
    CHECK_FALSE(send(Bytes{0x0a, 0x05, 'x'}));
    CHECK(city.replicator.counters().dropped_malformed == 1);
    nothing_applied();
  }
  SECTION("an event signed under a revoked certificate") {
    // The county's key was revoked from kT0 + 5 min; its next event is later.
    crypto::Revocation revocation;
    revocation.issuer = "4403";
    revocation.node_id = "440305";
    revocation.serial = 1;
    revocation.revoked_at_ms = kT0 + 5 * kMinute;
    revocation.reason = "key compromised";
    // The province passes the chain on, with the revocation.
    auto body = envelope(1, chain, "44");
    *body.add_revocations() =
        to_wire(issue_revocation(revocation, federation().node("4403").keys.sign).value());
    auto province = network.attach("44");
    std::optional<Result<Bytes>> reply;
    province->request("4403", Channel::sync,
                      encode_envelope(body, federation().node("44").keys.sign), 200ms,
                      [&](Result<Bytes> answer) { reply = std::move(answer); });
    network.run_until_idle(network.now_ms() + 10'000);
    REQUIRE(reply);
    const Ack ack = decode_ack(reply->value()).value();
    REQUIRE(ack.body.results_size() == 4);
    CHECK(ack.body.results(2).outcome() == weiquan::v1::OUTCOME_APPLIED);
    CHECK(ack.body.results(3).outcome() == weiquan::v1::OUTCOME_REJECTED);
    CHECK(ack.body.results(3).code() == "crypto.cert_revoked");
    CHECK(city.replicator.counters().rejected == 1);
    CHECK(city.store.reader().ticket(ticket).value()->last_seq == 3);
    CHECK(city.store.reader().revocations().value().size() == 1);

    // The revoked county itself can no longer send.
    CHECK_FALSE(send(encode_envelope(envelope(2, chain), county_key)));
    CHECK(city.replicator.counters().dropped_unknown_signer == 1);
  }
}
