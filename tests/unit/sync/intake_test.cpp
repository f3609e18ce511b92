#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "sync_fixture.h"
#include "weiquan/sync/event_writer.h"
#include "weiquan/sync/store.h"

using namespace wq;
using namespace wq::sync;
using test::kDay;
using test::kMinute;
using test::kT0;
using test::Scenario;

namespace {

// A complaint filed online at the county, which has jurisdiction: it routes it to itself and
// receives it at once.
NewTicket at_county(std::int64_t received_at_ms = kT0) {
  return {test::complaint(received_at_ms), "440305", {test::routed("440305"), test::received()}};
}

}  // namespace

TEST_CASE("intake opens tickets routed to and received by the office itself", "[store][intake]") {
  Scenario s;
  const std::vector<NewTicket> tickets = {at_county(), at_county(kT0 - kDay), at_county()};
  const auto intakes = s.county.intake_batch(tickets, kT0 + kMinute);
  REQUIRE(intakes);
  REQUIRE(intakes->size() == 3);
  for (std::size_t i = 0; i < intakes->size(); ++i) {
    const auto& intake = intakes->at(i);
    REQUIRE(intake);
    const std::string& id = intake->submission.event.ticket_id();
    CHECK(intake->submission.receipt.body.ticket_id() == id);
    REQUIRE(intake->then.size() == 2);
    CHECK(intake->then[0].seq() == 2);
    CHECK(intake->then[0].kind() == "routed");
    CHECK(intake->then[1].seq() == 3);
    CHECK(intake->then[1].body.prev_hash() ==
          std::string(intake->then[0].id.begin(), intake->then[0].id.end()));
    const Ticket t = s.store.reader().ticket(id).value().value();
    CHECK(t.state == "received");
    CHECK(t.holder == "440305");
    CHECK(t.last_seq == 3);
    CHECK(t.head == intake->then[1].id);
    REQUIRE(t.clocks.size() == 1);
    CHECK(t.clocks[0].started_ms == t.received_at_ms);
  }
  CHECK(intakes->at(0)->submission.event.ticket_id() == "440305-20250303-000001");
  CHECK(intakes->at(1)->submission.event.ticket_id() == "440305-20250302-000001");
  CHECK(intakes->at(2)->submission.event.ticket_id() == "440305-20250303-000002");
}

TEST_CASE("a ticket whose intake is refused leaves nothing behind", "[store][intake]") {
  Scenario s;
  NewTicket refused_late = at_county();
  refused_late.then.push_back(test::closed(0));  // not before the acceptance decision
  NewTicket refused_early = at_county();
  refused_early.then.front() = test::routed("440306");  // the holder moves: 440306 must receive
  NewTicket bad_receipt = at_county(kT0 + kDay);
  NewTicket bad_draft = at_county();
  bad_draft.then.back().set_seq(3);
  const std::vector<NewTicket> tickets = {at_county(), refused_late, refused_early,
                                          bad_receipt, bad_draft,    at_county()};
  const auto intakes = s.county.intake_batch(tickets, kT0);
  REQUIRE(intakes);
  REQUIRE(intakes->size() == 6);
  CHECK(intakes->at(1).error().code == "policies.forbidden_transition");
  CHECK(intakes->at(2).error().code == "sync.not_holder");
  CHECK(intakes->at(3).error().code == "sync.bad_receipt_time");
  CHECK(intakes->at(4).error().code == "sync.bad_draft");
  // Tickets refused by the lifecycle or the holder rule had their ids drawn: 000002 and 000003
  // are gaps. Tickets refused for their drafts had not.
  const std::string first = intakes->at(0).value().submission.event.ticket_id();
  const std::string last = intakes->at(5).value().submission.event.ticket_id();
  CHECK(first == "440305-20250303-000001");
  CHECK(last == "440305-20250303-000004");

  const StoreReader& reader = s.store.reader();
  CHECK(reader.count(TicketQuery{}).value() == 2);
  CHECK(reader.events(last).value().size() == 3);
  CHECK(!reader.ticket("440305-20250303-000002").value());
  CHECK(!reader.ticket("440305-20250303-000003").value());
  std::size_t events = 0;
  REQUIRE(reader.scan([&](const Record& record) {
    if (record.type == RecordType::event) ++events;
    return Status{};
  }));
  CHECK(events == 6);

  // Both tickets go on from where their intake left them.
  REQUIRE(s.county.append(first, test::accepted(), kT0 + kMinute));
  REQUIRE(s.county.append(last, test::accepted(), kT0 + kMinute));
  CHECK(reader.ticket(last).value()->last_seq == 4);
  auto next = s.county.intake_batch(std::vector<NewTicket>{at_county()}, kT0 + kMinute);
  REQUIRE(next);
  CHECK(next->front().value().submission.event.ticket_id() == "440305-20250303-000005");
}

TEST_CASE("submit_batch opens tickets without further events", "[store][intake]") {
  Scenario s;
  auto unset = test::complaint();
  unset.mutable_submitted()->clear_received_at_ms();
  const std::vector<weiquan::v1::EventBody> bodies = {test::complaint(), unset, test::complaint()};
  const auto submissions = s.province.submit_batch(bodies, "440305", kT0);
  REQUIRE(submissions);
  REQUIRE(submissions->size() == 3);
  CHECK(submissions->at(0).value().event.ticket_id() == "44-20250303-000001");
  CHECK(submissions->at(1).error().code == "sync.bad_receipt_time");
  CHECK(submissions->at(2).value().event.ticket_id() == "44-20250303-000002");
  CHECK(s.store.reader().ticket("44-20250303-000002").value()->state == "submitted");
}

TEST_CASE("a large intake, signed on two threads, with refusals among its tickets",
          "[store][intake]") {
  Scenario s;
  std::vector<NewTicket> tickets;
  for (int i = 0; i < 60; ++i) {
    tickets.push_back(at_county());
    if (i % 7 == 3) tickets.back().then.push_back(test::closed(0));
  }
  const auto intakes = s.county.intake_batch(tickets, kT0);
  REQUIRE(intakes);
  std::size_t opened = 0;
  for (std::size_t i = 0; i < tickets.size(); ++i) {
    const auto& intake = intakes->at(i);
    if (i % 7 == 3) {
      CHECK(intake.error().code == "policies.forbidden_transition");
      continue;
    }
    REQUIRE(intake);
    ++opened;
    const auto& receipt = intake->submission.receipt;
    CHECK(verify_signature(receipt, test::federation().node("440305").keys.sign.public_key));
    const auto stored = s.store.reader().events(intake->submission.event.ticket_id()).value();
    REQUIRE(stored.size() == 3);
    for (const SignedEvent& event : stored) {
      CHECK(verify_signature(event, test::federation().node("440305").keys.sign.public_key));
    }
    CHECK(stored[2].signature == intake->then[1].signature);
  }
  CHECK(s.store.reader().count(TicketQuery{}).value() == opened);
}

TEST_CASE("a projection cache smaller than a batch loses no ticket row", "[store][intake]") {
  test::TempDir dir;
  StoreOptions options;
  options.path = dir.file("node.db");
  options.anchor_key = test::federation().anchor();
  options.clock_cache_tickets = 2;
  Store store = Store::open(options).value();
  for (const auto& cert : test::federation().certificates()) REQUIRE(store.add_certificate(cert));
  auto county =
      EventWriter::create(store, test::federation().node("440305").keys.sign, "440305", kT0)
          .value();
  std::vector<NewTicket> tickets(9, at_county());
  tickets[4].then.push_back(test::closed(0));
  const auto intakes = county.intake_batch(tickets, kT0);
  REQUIRE(intakes);
  std::vector<Draft> drafts;
  for (const auto& intake : *intakes) {
    if (intake) drafts.push_back({intake->submission.event.ticket_id(), test::accepted()});
  }
  REQUIRE(drafts.size() == 8);
  drafts.push_back(
      {drafts.front().ticket_id, test::assigned(weiquan::v1::ASSIGNEE_KIND_OFFICER, "officer-9")});
  const auto appended = county.append_batch(drafts, kT0 + kMinute);
  REQUIRE(appended);
  for (const auto& event : *appended) REQUIRE(event);

  auto reader = StoreReader::open(options.path).value();
  TicketQuery accepted;
  accepted.state = "accepted";
  const auto found = reader.tickets(accepted).value();
  REQUIRE(found.size() == 8);
  for (const Ticket& t : found) {
    CHECK(t.last_seq == (t.id == drafts.front().ticket_id ? 5u : 4u));
    REQUIRE(t.clocks.size() == 2);
    CHECK_FALSE(t.clocks[0].running());
    CHECK(t.clocks[1].running());
    CHECK(t.next_due_ms == t.clocks[1].due_ms);
  }
  CHECK(reader.ticket(drafts.front().ticket_id).value()->assignee == "officer-9");
}
