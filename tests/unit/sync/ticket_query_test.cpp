#include <sqlite3.h>

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "sync_fixture.h"
#include "weiquan/sync/event_writer.h"
#include "weiquan/sync/store.h"

using namespace wq;
using namespace wq::sync;
using test::kMinute;
using test::kT0;
using test::Scenario;

namespace {

constexpr auto kOfficer = weiquan::v1::ASSIGNEE_KIND_OFFICER;
constexpr auto kEnterprise = weiquan::v1::ASSIGNEE_KIND_ENTERPRISE;
constexpr auto kAssociation = weiquan::v1::ASSIGNEE_KIND_ASSOCIATION;
const std::string kUscc = "91440300MA5XXXXXX1";

std::vector<std::string> ids(const std::vector<Ticket>& tickets) {
  std::vector<std::string> out;
  for (const Ticket& ticket : tickets) out.push_back(ticket.id);
  return out;
}

std::string submit(Scenario& s, weiquan::v1::EventBody body) {
  auto submission = s.province.submit(std::move(body), "440305", kT0);
  REQUIRE(submission);
  return submission->event.ticket_id();
}

// The query plan SQLite chooses for `sql` on the database at `path`, one detail per line.
std::string query_plan(const std::filesystem::path& path, const std::string& sql) {
  sqlite3* db = nullptr;
  REQUIRE(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
  sqlite3_stmt* stmt = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, ("EXPLAIN QUERY PLAN " + sql).c_str(), -1, &stmt, nullptr) ==
          SQLITE_OK);
  std::string plan;
  while (sqlite3_step(stmt) == SQLITE_ROW) {
    plan += reinterpret_cast<const char*>(sqlite3_column_text(stmt, 3));
    plan += '\n';
  }
  sqlite3_finalize(stmt);
  sqlite3_close(db);
  return plan;
}

}  // namespace

TEST_CASE("the projection keeps who filed, against which business, in which category",
          "[store][query]") {
  Scenario s;
  s.ticket = submit(s, test::complaint());
  Ticket t = s.projection();
  CHECK(t.submitter == "consumer-1");
  CHECK(t.business_uscc == kUscc);
  CHECK(t.business_name == "深圳市某某电器有限公司");
  CHECK(t.category == "家用电器");
  CHECK(t.assignee_kind.empty());
  CHECK(t.assignee.empty());

  // A hotline call registered by an officer has no consumer account behind it.
  auto by_phone = test::complaint();
  *by_phone.mutable_actor() = test::draft(weiquan::v1::ROLE_OFFICER).actor();
  by_phone.mutable_submitted()->set_channel(weiquan::v1::CHANNEL_HOTLINE);
  s.ticket = submit(s, by_phone);
  CHECK(s.projection().submitter.empty());
  CHECK(s.projection().business_uscc == kUscc);
}

TEST_CASE("`assigned` names who handles the ticket until it moves between offices",
          "[store][query]") {
  Scenario s;
  s.file_and_route();
  REQUIRE(s.county.append(s.ticket, test::assigned(kOfficer, "officer-9"), kT0 + 3 * kMinute));
  Ticket t = s.projection();
  CHECK(t.assignee_kind == "officer");
  CHECK(t.assignee == "officer-9");
  CHECK(t.holder == "440305");

  REQUIRE(s.county.append(s.ticket, test::assigned_station("440305001"), kT0 + 4 * kMinute));
  REQUIRE(s.station.append(s.ticket, test::received(), kT0 + 5 * kMinute));
  t = s.projection();
  CHECK(t.assignee_kind == "station");
  CHECK(t.assignee == "440305001");

  REQUIRE(s.station.append(s.ticket, test::accepted(), kT0 + 6 * kMinute));
  REQUIRE(s.station.append(s.ticket, test::assigned(kEnterprise, kUscc), kT0 + 7 * kMinute));
  t = s.projection();
  CHECK(t.state == "with_enterprise");
  CHECK(t.assignee_kind == "enterprise");
  CHECK(t.assignee == kUscc);

  // The office takes the ticket back from the enterprise.
  REQUIRE(s.station.append(s.ticket, test::assigned(kOfficer, "officer-3"), kT0 + 8 * kMinute));
  t = s.projection();
  CHECK(t.state == "accepted");
  CHECK(t.assignee_kind == "officer");
  CHECK(t.assignee == "officer-3");

  REQUIRE(s.station.append(s.ticket, test::assigned(kAssociation, "assoc-1"), kT0 + 9 * kMinute));
  CHECK(s.projection().assignee_kind == "association");

  // A transfer to another office clears the assignee; so does the first routing.
  s.file_and_route();
  REQUIRE(s.county.append(s.ticket, test::assigned(kOfficer, "officer-9"), kT0 + 3 * kMinute));
  REQUIRE(s.county.append(s.ticket,
                          test::transferred(weiquan::v1::TRANSFER_DIRECTION_PARALLEL, "440306"),
                          kT0 + 4 * kMinute));
  t = s.projection();
  CHECK(t.holder == "440306");
  CHECK(t.assignee_kind.empty());
  CHECK(t.assignee.empty());

  // The same projection is rebuilt by a store that replicates the chain.
  test::TempDir other_dir;
  Store other = test::federation().open_store(other_dir.file("other.db"));
  REQUIRE(other.apply_batch(s.store.reader().events(s.ticket).value()));
  const Ticket copy = other.reader().ticket(s.ticket).value().value();
  CHECK(copy.submitter == t.submitter);
  CHECK(copy.business_uscc == t.business_uscc);
  CHECK(copy.assignee_kind.empty());
  CHECK(copy.holder == "440306");
}

TEST_CASE("tickets are found by submitter, assignee and type", "[store][query]") {
  Scenario s;
  s.file_and_route();
  const std::string assigned = s.ticket;
  REQUIRE(s.county.append(assigned, test::assigned(kOfficer, "officer-9"), kT0 + 3 * kMinute));
  auto other_consumer = test::complaint();
  other_consumer.mutable_actor()->set_id("consumer-2");
  const std::string second = submit(s, other_consumer);
  auto report = test::complaint();
  report.mutable_submitted()->set_type(weiquan::v1::TICKET_TYPE_REPORT);
  const std::string third = submit(s, report);
  const StoreReader& reader = s.store.reader();

  TicketQuery mine;
  mine.submitter = "consumer-1";
  CHECK(ids(reader.tickets(mine).value()) == std::vector<std::string>{assigned, third});
  CHECK(reader.count(mine).value() == 2);

  TicketQuery officer;
  officer.assignee_kind = "officer";
  officer.assignee = "officer-9";
  CHECK(ids(reader.tickets(officer).value()) == std::vector<std::string>{assigned});
  officer.assignee = "officer-1";
  CHECK(reader.tickets(officer).value().empty());
  CHECK(reader.count(officer).value() == 0);
  TicketQuery any_officer;
  any_officer.assignee_kind = "officer";
  CHECK(reader.count(any_officer).value() == 1);

  TicketQuery reports;
  reports.type = policies::TicketType::report;
  CHECK(ids(reader.tickets(reports).value()) == std::vector<std::string>{third});
  reports.type = policies::TicketType::complaint;
  reports.submitter = "consumer-2";
  CHECK(ids(reader.tickets(reports).value()) == std::vector<std::string>{second});

  CHECK(reader.count(TicketQuery{}).value() == 3);
  TicketQuery at_county;
  at_county.holder = "440305";
  at_county.closed = false;
  CHECK(reader.count(at_county).value() == 1);
}

TEST_CASE("by_due lists running clocks first, earliest due first, then the rest by id",
          "[store][query]") {
  Scenario s;
  const std::string waiting = submit(s, test::complaint());
  const std::string later = submit(s, test::complaint());
  const std::string sooner = submit(s, test::complaint());
  const auto route = [&](const std::string& ticket, std::int64_t received_at) {
    REQUIRE(s.province.append(ticket, test::routed("440305"), received_at - kMinute));
    REQUIRE(s.county.append(ticket, test::received(), received_at));
  };
  route(later, kT0 + test::kDay);
  route(sooner, kT0 + 2 * kMinute);
  const std::string also_waiting = submit(s, test::complaint());
  const StoreReader& reader = s.store.reader();

  TicketQuery query;
  query.order = TicketOrder::by_due;
  CHECK(ids(reader.tickets(query).value()) ==
        std::vector<std::string>{sooner, later, waiting, also_waiting});
  query.offset = 1;
  query.limit = 2;
  CHECK(ids(reader.tickets(query).value()) == std::vector<std::string>{later, waiting});
  query.offset = 4;
  CHECK(reader.tickets(query).value().empty());

  TicketQuery by_id;
  by_id.limit = 2;
  CHECK(ids(reader.tickets(by_id).value()) == std::vector<std::string>{waiting, later});
  by_id.after_id = later;
  CHECK(ids(reader.tickets(by_id).value()) == std::vector<std::string>{sooner, also_waiting});

  query.offset = 0;
  const auto found = reader.tickets(query).value();
  REQUIRE(found.size() == 2);
  CHECK(found.front().id == sooner);
  CHECK(found.front().clocks.size() == 1);
  CHECK(found.front().next_due_ms == found.front().clocks.front().due_ms);
}

TEST_CASE("a query returns at most 1000 tickets", "[store][query]") {
  Scenario s;
  const std::vector<weiquan::v1::EventBody> bodies(1001, test::complaint());
  const auto submissions = s.province.submit_batch(bodies, "440305", kT0);
  REQUIRE(submissions);
  for (const auto& result : *submissions) REQUIRE(result);
  TicketQuery all;
  all.limit = 1'000'000;
  CHECK(s.store.reader().tickets(all).value().size() == kMaxTicketQueryLimit);
  CHECK(s.store.reader().count(all).value() == 1001);
  all.order = TicketOrder::by_due;
  all.offset = 1000;
  CHECK(s.store.reader().tickets(all).value().size() == 1);
}

TEST_CASE("the submitter and assignee queries are index lookups", "[store][query][schema]") {
  Scenario s;
  s.file_and_route();
  const auto path = s.dir.file("node.db");
  CHECK_THAT(query_plan(path,
                        "SELECT ticket_id FROM tickets t WHERE t.submitter = 'c' AND "
                        "t.ticket_id > '' ORDER BY t.ticket_id LIMIT 10"),
             Catch::Contains("tickets_by_submitter"));
  CHECK_THAT(query_plan(path,
                        "SELECT ticket_id FROM tickets t WHERE t.assignee_kind = 'officer' AND "
                        "t.assignee = 'o' AND t.ticket_id > '' ORDER BY t.ticket_id LIMIT 10"),
             Catch::Contains("tickets_by_assignee"));
}
