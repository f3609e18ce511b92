#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "sync_fixture.h"
#include "weiquan/sync/event_writer.h"
#include "weiquan/sync/store.h"

using namespace wq;
using namespace wq::sync;
using test::federation;
using test::kMinute;
using test::kT0;
using test::Scenario;

namespace {

// Every past holder of the ticket and the province watching it, with repeats and the author.
EventWriter::Interest holders_and_province() {
  return [](const Ticket& after, const SignedEvent&) {
    std::vector<std::string> peers = after.holders;
    peers.push_back("44");
    peers.push_back("44");
    return peers;
  };
}

// (peer, ticket, seq) of every outbox row of `peer`, in send order.
std::vector<std::pair<std::string, std::uint64_t>> owed(const Store& store,
                                                        const std::string& peer) {
  std::vector<std::pair<std::string, std::uint64_t>> out;
  const std::vector<OutboxItem> items = store.reader().outbox(peer, 1000).value();
  for (const OutboxItem& item : items) {
    CHECK(item.entry.peer == peer);
    out.emplace_back(item.entry.ticket_id, item.entry.seq);
  }
  return out;
}

// The in-memory backlog agrees with a count of the table.
void check_backlog(const Store& store) {
  const std::vector<OutboxBacklog> counted = store.reader().outbox_backlog().value();
  const std::vector<OutboxBacklog> kept = store.outbox_backlog();
  REQUIRE(kept.size() == counted.size());
  for (std::size_t i = 0; i < kept.size(); ++i) {
    CHECK(kept[i].peer == counted[i].peer);
    CHECK(kept[i].rows == counted[i].rows);
  }
}

NewTicket at_county() {
  return {test::complaint(), "440305", {test::routed("440305"), test::received()}};
}

}  // namespace

TEST_CASE("without an interest function the writer enqueues nothing", "[store][outbox]") {
  Scenario s;
  s.file_and_route();
  CHECK(s.store.reader().outbox_backlog().value().empty());
}

TEST_CASE("authored events are owed to every interested node but their author", "[store][outbox]") {
  Scenario s;
  s.province.set_interest(holders_and_province());
  s.county.set_interest(holders_and_province());
  s.file_and_route();
  // seq 1 (holders 44): nobody else; seq 2 (routed, holders 44 440305): the county; seq 3 by the
  // county: the province.
  CHECK(owed(s.store, "440305") ==
        std::vector<std::pair<std::string, std::uint64_t>>{{s.ticket, 2}});
  CHECK(owed(s.store, "44") == std::vector<std::pair<std::string, std::uint64_t>>{{s.ticket, 3}});
  const auto backlog = s.store.reader().outbox_backlog().value();
  REQUIRE(backlog.size() == 2);
  CHECK(backlog[0].peer == "44");
  CHECK(backlog[0].rows == 1);
  CHECK(backlog[1].peer == "440305");
  CHECK(backlog[1].rows == 1);
  check_backlog(s.store);
  const auto items = s.store.reader().outbox("44", 10).value();
  CHECK(items.front().entry.enqueued_at_ms == kT0 + 2 * kMinute);
  // The row comes with the event's stored bytes.
  REQUIRE(items.front().event);
  const SignedEvent stored = s.store.reader().event(s.ticket, 3).value().value();
  CHECK(items.front().event->signer == "440305");
  CHECK(items.front().event->body == stored.body_bytes);
  CHECK(items.front().event->signature ==
        crypto::Bytes(stored.signature.begin(), stored.signature.end()));

  // Events applied from elsewhere are not this node's to send.
  test::TempDir other_dir;
  Store other = federation().open_store(other_dir.file("other.db"));
  REQUIRE(other.apply_batch(s.store.reader().events(s.ticket).value()));
  CHECK(other.reader().outbox_backlog().value().empty());
}

TEST_CASE("an intake enqueues all its events, a refused ticket none", "[store][outbox]") {
  Scenario s;
  s.county.set_interest([](const Ticket&, const SignedEvent&) {
    return std::vector<std::string>{"4403", "44"};
  });
  NewTicket refused = at_county();
  refused.then.push_back(test::closed(0));  // not before the acceptance decision
  const std::vector<NewTicket> tickets = {at_county(), refused};
  const auto intakes = s.county.intake_batch(tickets, kT0);
  REQUIRE(intakes);
  REQUIRE(intakes->at(0));
  REQUIRE_FALSE(intakes->at(1));
  const std::string ticket = intakes->at(0)->submission.event.ticket_id();
  const std::vector<std::pair<std::string, std::uint64_t>> chain = {
      {ticket, 1}, {ticket, 2}, {ticket, 3}};
  CHECK(owed(s.store, "4403") == chain);
  CHECK(owed(s.store, "44") == chain);
  // The refused ticket's rows were rolled back with it, in the kept counts too.
  check_backlog(s.store);
}

TEST_CASE("the outbox is read in send order and rows leave when dequeued", "[store][outbox]") {
  Scenario s;
  const std::vector<OutboxEntry> rows = {
      {"44", "b", 2, kT0}, {"44", "b", 1, kT0}, {"44", "a", 5, kT0 + 1}, {"4403", "a", 1, kT0}};
  REQUIRE(s.store.enqueue(rows));
  // A row already there keeps its time.
  const std::vector<OutboxEntry> again = {{"44", "b", 1, kT0 + 99}};
  REQUIRE(s.store.enqueue(again));
  check_backlog(s.store);
  auto first = s.store.reader().outbox("44", 2).value();
  REQUIRE(first.size() == 2);
  CHECK(first[0].entry.ticket_id == "b");
  CHECK(first[0].entry.seq == 1);
  CHECK(first[0].entry.enqueued_at_ms == kT0);
  CHECK(first[1].entry.seq == 2);
  CHECK_FALSE(first[0].event);  // the store holds no such event
  CHECK(owed(s.store, "44").back() == std::pair<std::string, std::uint64_t>{"a", 5});

  const std::vector<OutboxEntry> sent = {first[0].entry, first[1].entry};
  REQUIRE(s.store.dequeue(sent));
  REQUIRE(s.store.dequeue(sent));  // rows already gone count for nothing
  check_backlog(s.store);
  CHECK(owed(s.store, "44") == std::vector<std::pair<std::string, std::uint64_t>>{{"a", 5}});
  CHECK(owed(s.store, "4403").size() == 1);

  const std::vector<OutboxEntry> rest = {{"44", "a", 5, 0}, {"4403", "a", 1, 0}};
  REQUIRE(s.store.dequeue(rest));
  CHECK(s.store.outbox_backlog().empty());
}

TEST_CASE("the backlog kept in memory is counted again when the store opens", "[store][outbox]") {
  test::TempDir dir;
  {
    Store store = federation().open_store(dir.file("store.db"));
    const std::vector<OutboxEntry> rows = {{"44", "b", 1, kT0}, {"44", "b", 2, kT0}};
    REQUIRE(store.enqueue(rows));
  }
  Store reopened = federation().open_store(dir.file("store.db"));
  const std::vector<OutboxBacklog> backlog = reopened.outbox_backlog();
  REQUIRE(backlog.size() == 1);
  CHECK(backlog[0].peer == "44");
  CHECK(backlog[0].rows == 2);
}
