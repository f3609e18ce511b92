#include "weiquan/sync/anti_entropy.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "replication_fixture.h"
#include "sync_fixture.h"
#include "weiquan/sync/event_writer.h"
#include "weiquan/sync/memory_transport.h"
#include "weiquan/sync/replicator.h"
#include "weiquan/sync/rpc_server.h"

using namespace wq;
using namespace wq::sync;
using namespace std::chrono_literals;
using test::federation;
using test::kMinute;
using test::kT0;
using test::require_same_chains;

namespace {

constexpr std::uint64_t kEventsPerTicket = 5;  // submitted, routed, received, accepted, message

// One node: its store (opened from a copy of `restore_from` when given), transport, replicator,
// rpc server and anti-entropy with `parent`; everything posts inline.
struct Node {
  std::string id;
  test::TempDir dir;
  Store store;
  std::unique_ptr<Transport> transport;
  Replicator replicator;
  RpcServer rpc;
  AntiEntropy anti_entropy;

  Node(MemoryNetwork& network, const std::string& node_id, const std::string& parent,
       std::size_t page_size = 1000, const std::filesystem::path& restore_from = {})
      : id(node_id),
        store(federation().open_store(restored(dir, restore_from))),
        transport(network.attach(node_id)),
        replicator(store, *transport, test::replicator_options(network, node_id), inline_post),
        rpc(*transport),
        anti_entropy(store, *transport, anti_entropy_options(network, node_id, parent, page_size),
                     inline_post) {
    REQUIRE(replicator.start());
    rpc.route(weiquan::v1::RpcRequest::kAntiEntropy, anti_entropy.handler());
    REQUIRE(rpc.start());
  }

  static void inline_post(std::function<void()> work) { work(); }

  // The database path of `dir`, holding a copy of the database at `from` (and its WAL) if given.
  static std::filesystem::path restored(const test::TempDir& dir,
                                        const std::filesystem::path& from) {
    const std::filesystem::path path = dir.file("node.db");
    if (from.empty()) return path;
    std::filesystem::copy_file(from, path);
    std::filesystem::path wal = from;
    wal += "-wal";
    std::filesystem::path wal_copy = path;
    wal_copy += "-wal";
    if (std::filesystem::exists(wal)) std::filesystem::copy_file(wal, wal_copy);
    return path;
  }

  static AntiEntropyOptions anti_entropy_options(MemoryNetwork& network, const std::string& node_id,
                                                 const std::string& parent, std::size_t page_size) {
    AntiEntropyOptions options;
    options.self = node_id;
    options.parent = parent;
    options.page_size = page_size;
    options.request_timeout = 200ms;
    options.now_ms = [&network] { return network.now_ms(); };
    return options;
  }

  EventWriter writer(std::vector<std::string> interested) {
    return test::interested_writer(store, id, std::move(interested));
  }

  std::vector<OutboxEntry> owed(const std::string& peer) const {
    const std::vector<OutboxItem> items = store.reader().outbox(peer, 1'000'000).value();
    std::vector<OutboxEntry> out;
    out.reserve(items.size());
    for (const OutboxItem& item : items) out.push_back(item.entry);
    return out;
  }

  std::uint64_t events() const {
    std::uint64_t count = 0;
    REQUIRE(store.reader().scan([&count](const Record& record) -> Status {
      if (record.type == RecordType::event) ++count;
      return {};
    }));
    return count;
  }
};

// Ticks both nodes and runs the network until neither owes anything (true), or a minute passed.
bool drain(MemoryNetwork& network, Node& a, Node& b) {
  const std::int64_t end = network.now_ms() + 60'000;
  while (network.now_ms() < end) {
    a.replicator.tick();
    b.replicator.tick();
    network.run_until(network.now_ms() + 10);
    if (a.owed(b.id).empty() && b.owed(a.id).empty()) {
      return network.run_until_idle(network.now_ms() + 10'000);
    }
  }
  return false;
}

// Runs a pass of `child` with its parent to its end.
AntiEntropyStatus pass(MemoryNetwork& network, Node& child) {
  child.anti_entropy.start_pass();
  REQUIRE(network.run_until_idle(network.now_ms() + 60'000));
  const AntiEntropyStatus status = child.anti_entropy.status();
  CHECK_FALSE(status.running);
  CHECK(status.last_error.empty());
  return status;
}

// Opens `count` tickets at `county`, each received and accepted there: 4 events per ticket.
std::vector<std::string> open_tickets(EventWriter& county, int count, std::int64_t at_ms = kT0) {
  const std::string& office = county.node_id();
  const NewTicket ticket{test::complaint(at_ms), office, {test::routed(office), test::received()}};
  std::vector<std::string> ids;
  const auto intakes =
      county.intake_batch(std::vector<NewTicket>(static_cast<std::size_t>(count), ticket), at_ms);
  for (const auto& intake : intakes.value())
    ids.push_back(intake.value().submission.event.ticket_id());
  std::vector<Draft> drafts;
  for (const std::string& id : ids) drafts.push_back({id, test::accepted()});
  const auto events = county.append_batch(drafts, at_ms + kMinute).value();
  for (const auto& event : events) REQUIRE(event);
  return ids;
}

// One more event on each ticket.
void add_messages(EventWriter& county, const std::vector<std::string>& tickets,
                  std::int64_t at_ms) {
  std::vector<Draft> drafts;
  for (const std::string& id : tickets) drafts.push_back({id, test::message("商家同意退货")});
  const auto events = county.append_batch(drafts, at_ms).value();
  for (const auto& event : events) REQUIRE(event);
}

}  // namespace

TEST_CASE("a child restored from an old copy of its store gets back every event it lost",
          "[anti_entropy]") {
  MemoryNetwork network(1, kT0);
  const std::size_t page = GENERATE(1000, 3);
  INFO("page size " << page);
  Node city(network, "4403", "44", page);
  test::TempDir backup;
  std::vector<std::string> tickets;
  {
    Node county(network, "440305", "4403", page);
    EventWriter writer = county.writer({"4403"});
    tickets = open_tickets(writer, 4);
    REQUIRE(drain(network, county, city));
    std::filesystem::copy(county.dir.file("node.db"), backup.file("node.db"));
    if (std::filesystem::exists(county.dir.file("node.db-wal"))) {
      std::filesystem::copy(county.dir.file("node.db-wal"), backup.file("node.db-wal"));
    }
    add_messages(writer, tickets, kT0 + 2 * kMinute);
    for (const std::string& ticket : open_tickets(writer, 3, kT0 + 3 * kMinute)) {
      tickets.push_back(ticket);
    }
    REQUIRE(drain(network, county, city));
    CHECK(city.events() == 4 * kEventsPerTicket + 3 * 4);
  }
  Node county(network, "440305", "4403", page, backup.file("node.db"));
  CHECK(county.events() == 4 * 4);  // the backup predates the messages and the last 3 tickets

  const AntiEntropyStatus status = pass(network, county);
  CHECK(status.passes == 1);
  CHECK(status.rows_for_parent == 0);
  CHECK(status.equivocations == 0);
  CHECK(status.pages == (page == 3 ? 3u : 1u));  // 7 tickets at the city, pages of 3
  const AntiEntropyStatus served = city.anti_entropy.status();
  CHECK(served.rows_for_askers == 4 + 3 * 4);
  CHECK(served.tickets_served == 7);
  CHECK(city.owed("440305").size() == 4 + 3 * 4);

  REQUIRE(drain(network, county, city));
  require_same_chains(city.store, county.store, tickets);
  CHECK(county.replicator.counters().applied == 4 + 3 * 4);
  CHECK(county.replicator.counters().quarantined == 0);
}

TEST_CASE("a parent that missed events gets them back from its child", "[anti_entropy]") {
  MemoryNetwork network(2, kT0);
  const std::size_t child_page = GENERATE(1000, 4);
  const std::size_t parent_page = GENERATE(1000, 3);
  INFO("pages " << child_page << " and " << parent_page);
  Node city(network, "4403", "44", parent_page);
  Node county(network, "440305", "4403", child_page);
  EventWriter writer = county.writer({"4403"});
  std::vector<std::string> tickets = open_tickets(writer, 6);
  REQUIRE(drain(network, county, city));
  // Events whose rows were lost: messages on the first 6 tickets, and 4 whole tickets.
  add_messages(writer, tickets, kT0 + 2 * kMinute);
  for (const std::string& ticket : open_tickets(writer, 4, kT0 + 3 * kMinute)) {
    tickets.push_back(ticket);
  }
  const std::vector<OutboxEntry> lost = county.owed("4403");
  CHECK(lost.size() == 6 + 4 * 4);
  REQUIRE(county.store.dequeue(lost));

  const AntiEntropyStatus status = pass(network, county);
  CHECK(status.passes == 1);
  CHECK(status.rows_for_parent == 6 + 4 * 4);
  CHECK(status.tickets_compared == 10);
  CHECK(status.pages >= (child_page == 4 || parent_page == 3 ? 3u : 1u));
  CHECK(city.anti_entropy.status().rows_for_askers == 0);

  REQUIRE(drain(network, county, city));
  require_same_chains(county.store, city.store, tickets);
  CHECK(city.replicator.counters().applied == 6 * kEventsPerTicket + 4 * 4);
}

TEST_CASE("tickets already equal cause no rows", "[anti_entropy]") {
  MemoryNetwork network(3, kT0);
  Node city(network, "4403", "44", 2);
  Node county(network, "440305", "4403", 2);
  EventWriter writer = county.writer({"4403"});
  const std::vector<std::string> tickets = open_tickets(writer, 5);
  REQUIRE(drain(network, county, city));

  const AntiEntropyStatus status = pass(network, county);
  CHECK(status.passes == 1);
  CHECK(status.pages == 3);
  CHECK(status.tickets_compared == 5);
  CHECK(status.rows_for_parent == 0);
  CHECK(status.last_complete_ms > kT0);
  CHECK(city.anti_entropy.status().rows_for_askers == 0);
  CHECK(city.anti_entropy.status().tickets_served == 5);
  CHECK(county.owed("4403").empty());
  CHECK(city.owed("440305").empty());

  // A second pass runs the same way; a pass already under way is not started twice.
  county.anti_entropy.start_pass();
  county.anti_entropy.start_pass();
  REQUIRE(network.run_until_idle(network.now_ms() + 60'000));
  CHECK(county.anti_entropy.status().passes == 2);
  CHECK(county.anti_entropy.status().pages == 6);
}

TEST_CASE("the parent sends nothing of tickets that name no node of the child's subtree",
          "[anti_entropy]") {
  MemoryNetwork network(4, kT0);
  Node city(network, "4403", "44");
  Node county(network, "440305", "4403");
  Node other(network, "440306", "4403");
  EventWriter writer = other.writer({"4403"});
  const std::vector<std::string> tickets = open_tickets(writer, 2);
  REQUIRE(drain(network, other, city));

  const AntiEntropyStatus status = pass(network, county);
  CHECK(status.passes == 1);
  CHECK(city.anti_entropy.status().tickets_served == 2);
  CHECK(city.anti_entropy.status().rows_for_askers == 0);
  CHECK(city.owed("440305").empty());
}

TEST_CASE("different heads at the same seq are reported on both sides and not repaired",
          "[anti_entropy]") {
  MemoryNetwork network(5, kT0);
  Node city(network, "4403", "44");
  test::TempDir backup;
  std::vector<std::string> tickets;
  {
    Node county(network, "440305", "4403");
    EventWriter writer = county.writer({"4403"});
    tickets = open_tickets(writer, 1);
    REQUIRE(drain(network, county, city));
    std::filesystem::copy(county.dir.file("node.db"), backup.file("node.db"));
    if (std::filesystem::exists(county.dir.file("node.db-wal"))) {
      std::filesystem::copy(county.dir.file("node.db-wal"), backup.file("node.db-wal"));
    }
    add_messages(writer, tickets, kT0 + 2 * kMinute);
    REQUIRE(drain(network, county, city));
  }
  // Restored, the county writes another event at the seq the city already holds.
  Node county(network, "440305", "4403", 1000, backup.file("node.db"));
  EventWriter writer = county.writer({});
  REQUIRE(writer.append(tickets[0], test::message("另一条"), kT0 + 4 * kMinute));

  const AntiEntropyStatus status = pass(network, county);
  CHECK(status.equivocations == 1);
  CHECK(status.last_diverged_ticket == tickets[0]);
  CHECK(status.rows_for_parent == 0);
  CHECK(city.anti_entropy.status().equivocations == 1);
  CHECK(city.anti_entropy.status().rows_for_askers == 0);
  CHECK(city.owed("440305").empty());
}

TEST_CASE("a malformed anti-entropy request is dropped without an answer", "[anti_entropy]") {
  MemoryNetwork network(6, kT0);
  Node city(network, "4403", "44");
  const std::unique_ptr<Transport> asker = network.attach("440305");
  const auto ask = [&](const Transport::Bytes& bytes) {
    std::optional<Result<Transport::Bytes>> reply;
    asker->request("4403", Channel::rpc, bytes, 200ms,
                   [&reply](Result<Transport::Bytes> answer) { reply = std::move(answer); });
    REQUIRE(network.run_until_idle(network.now_ms() + 10'000));
    REQUIRE(reply);
    return *reply;
  };
  const auto serialized = [](const weiquan::v1::RpcRequest& request) {
    Transport::Bytes bytes(request.ByteSizeLong());
    request.SerializeToArray(bytes.data(), static_cast<int>(bytes.size()));
    return bytes;
  };
  weiquan::v1::RpcRequest request;
  request.set_version(1);
  request.set_origin("440305");
  weiquan::v1::TicketHead& head = *request.mutable_anti_entropy()->add_heads();
  head.set_ticket_id("440305-20250303-000001");
  head.set_last_seq(1);
  head.set_head(std::string(32, 'x'));
  const auto answered = ask(serialized(request));
  REQUIRE(answered);  // well formed: the city knows nothing, so it wants the ticket
  weiquan::v1::AntiEntropyReply reply;
  REQUIRE(reply.ParseFromArray(answered->data(), static_cast<int>(answered->size())));
  REQUIRE(reply.wanted_size() == 1);
  CHECK(reply.wanted(0).last_seq() == 0);

  SECTION("bytes that are no RpcRequest") {
    const auto answer = ask(Transport::Bytes{0xff, 0xff, 0xff});
    REQUIRE_FALSE(answer);
    CHECK(answer.error().code == "sync.timeout");
    CHECK(city.rpc.dropped() == 1);
  }
  SECTION(
      "heads out of order, a short head, a seq of 0, a bad ticket id, a head beyond the range") {
    weiquan::v1::RpcRequest bad = request;
    auto& asked = *bad.mutable_anti_entropy();
    const int variant = GENERATE(0, 1, 2, 3, 4);
    if (variant == 0) *asked.add_heads() = head;
    if (variant == 1) asked.mutable_heads(0)->set_head("short");
    if (variant == 2) asked.mutable_heads(0)->set_last_seq(0);
    if (variant == 3) asked.mutable_heads(0)->set_ticket_id("not a ticket");
    if (variant == 4) asked.set_until_id("440305-20250101-000001");
    const auto answer = ask(serialized(bad));
    REQUIRE_FALSE(answer);
    CHECK(answer.error().code == "sync.timeout");
    CHECK(city.anti_entropy.status().requests_dropped == 1);
    CHECK(city.anti_entropy.status().requests_served == 1);
  }
}

TEST_CASE("a pass with an unreachable parent ends with the error", "[anti_entropy]") {
  MemoryNetwork network(7, kT0);
  Node county(network, "440305", "4403");
  county.anti_entropy.start_pass();
  REQUIRE(network.run_until_idle(network.now_ms() + 10'000));
  const AntiEntropyStatus status = county.anti_entropy.status();
  CHECK_FALSE(status.running);
  CHECK(status.passes == 0);
  CHECK(status.passes_failed == 1);
  CHECK(status.last_error == "sync.unreachable");
}
