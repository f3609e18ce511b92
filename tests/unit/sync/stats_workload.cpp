#include "stats_workload.h"

#include <catch2/catch.hpp>

#include "weiquan/sync/event_writer.h"
#include "weiquan/sync/sqlite.h"

namespace wq::sync::test {
namespace {

weiquan::v1::EventBody of_type(weiquan::v1::TicketType type) {
  auto body = test::complaint();
  body.mutable_submitted()->set_type(type);
  return body;
}

// Files a ticket of `type` at the province, routed to and received by `office`.
std::string file_at(Scenario& s, EventWriter& office, const std::string& office_id,
                    weiquan::v1::TicketType type = weiquan::v1::TICKET_TYPE_COMPLAINT) {
  auto submission = s.province.submit(of_type(type), office_id, kT0);
  REQUIRE(submission);
  const std::string id = submission->event.ticket_id();
  REQUIRE(s.province.append(id, test::routed(office_id), kT0 + kMinute));
  REQUIRE(office.append(id, test::received(), kT0 + 2 * kMinute));
  return id;
}

weiquan::v1::EventBody by_role(weiquan::v1::EventBody body, weiquan::v1::Role role) {
  body.mutable_actor()->set_role(role);
  return body;
}

}  // namespace

std::map<std::string, StatsMeasures> cells(Scenario& s) {
  auto db = sql::Db::open(s.dir.file("node.db"), sql::Db::Mode::read_only, 1000).value();
  std::string columns;
  for (auto name : kMeasureNames) columns += ", " + std::string(name);
  auto stmt =
      db.prepare("SELECT region || '|' || type || '|' || state" + columns + " FROM stats_cells")
          .value();
  std::map<std::string, StatsMeasures> out;
  while (stmt.step().value()) {
    StatsMeasures& m = out[std::string(stmt.text(0))];
    for (std::size_t i = 0; i < kMeasureCount; ++i)
      m.values[i] = stmt.int64(static_cast<int>(i + 1));
  }
  return out;
}

std::int64_t measure(Scenario& s, const std::string& key, Measure which) {
  const auto all = cells(s);
  const auto it = all.find(key);
  return it == all.end() ? 0 : it->second[which];
}

void mixed_workload(Scenario& s) {
  using namespace weiquan::v1;
  // A complaint settled by the business's ODR account, closed with money back and rated.
  const std::string settled = file_at(s, s.county, "440305");
  REQUIRE(s.county.append(settled, test::accepted(), kT0 + 3 * kMinute));
  REQUIRE(
      s.county.append(settled, test::assigned(ASSIGNEE_KIND_ENTERPRISE, kUscc), kT0 + 4 * kMinute));
  REQUIRE(s.county.append(settled, test::mediation_result(true), kT0 + 5 * kMinute));
  REQUIRE(s.county.append(settled, test::closed(50'000), kT0 + 6 * kMinute));
  REQUIRE(s.county.append(settled, test::visited(), kT0 + 7 * kMinute));
  // A complaint refused.
  const std::string refused = file_at(s, s.county, "440305");
  REQUIRE(s.county.append(refused, test::refused(), kT0 + 3 * kMinute));
  // A complaint transferred to the neighbouring county, accepted there, a case opened, closed.
  const std::string moved = file_at(s, s.county, "440305");
  REQUIRE(s.county.append(moved, test::transferred(TRANSFER_DIRECTION_PARALLEL, "440306"),
                          kT0 + 3 * kMinute));
  REQUIRE(s.other_county.append(moved, test::received(), kT0 + 4 * kMinute));
  REQUIRE(s.other_county.append(moved, test::accepted(), kT0 + 5 * kMinute));
  auto convert = test::draft(ROLE_OFFICER);
  convert.mutable_converted_to_case()->set_case_number("深南市监立〔2025〕1号");
  REQUIRE(s.other_county.append(moved, convert, kT0 + 6 * kMinute));
  REQUIRE(s.other_county.append(moved, test::closed(0), kT0 + 20 * test::kDay));
  // A report passed to a station, which closes it.
  const std::string report = file_at(s, s.county, "440305", TICKET_TYPE_REPORT);
  REQUIRE(s.county.append(report, test::assigned_station("440305001"), kT0 + 3 * kMinute));
  REQUIRE(s.station.append(report, test::received(), kT0 + 4 * kMinute));
  auto not_filed = test::closed(0);
  not_filed.mutable_closed()->set_result("not_filed");
  REQUIRE(s.station.append(report, not_filed, kT0 + 5 * kMinute));
  // An inquiry answered on the spot by the province, and a suggestion answered by the county.
  auto inquiry = s.province.submit(of_type(TICKET_TYPE_INQUIRY), "44", kT0);
  REQUIRE(inquiry);
  REQUIRE(s.province.append(inquiry->event.ticket_id(), test::closed(0), kT0 + kMinute));
  const std::string suggestion = file_at(s, s.county, "440305", TICKET_TYPE_SUGGESTION);
  REQUIRE(s.county.append(suggestion, test::closed(0), kT0 + 3 * kMinute));
  // A batch whose second item is refused by the lifecycle: the first stays, the second changes
  // nothing.
  const std::string open = file_at(s, s.county, "440305");
  const Draft drafts[] = {{open, test::accepted()}, {open, test::visited()}};
  auto batch = s.county.append_batch(drafts, kT0 + 3 * kMinute).value();
  REQUIRE(batch[0]);
  REQUIRE_FALSE(batch[1]);
  // An intake item refused after its `submitted` applied: nothing of it stays.
  NewTicket bad;
  bad.submitted = test::complaint();
  bad.competent_office = "44";
  bad.then = {test::routed("44"), test::received(), by_role(test::accepted(), ROLE_CONSUMER)};
  auto intake = s.province.intake_batch(std::span<const NewTicket>(&bad, 1), kT0).value();
  REQUIRE_FALSE(intake[0]);
}

StatsQuery day_query(const std::string& region, StatsGrouping by) {
  StatsQuery query;
  query.region = region;
  query.from_day = kDay0;
  query.to_day = kDay0;
  query.by = by;
  query.now_ms = kT0 + 30 * test::kDay;
  return query;
}

}  // namespace wq::sync::test
