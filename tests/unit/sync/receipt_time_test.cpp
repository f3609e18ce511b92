#include <catch2/catch.hpp>
#include <string>

#include "sync_fixture.h"
#include "weiquan/sync/event_writer.h"
#include "weiquan/sync/store.h"

using namespace wq;
using namespace wq::sync;
using test::federation;
using test::kDay;
using test::kMinute;
using test::kT0;
using test::Scenario;

namespace {

constexpr std::int64_t kHour = 60 * kMinute;
// 7 working days from Monday 2025-03-03, the day of receipt not counted: Wednesday 2025-03-12,
// 23:59:59.999 China Standard Time.
constexpr std::int64_t kAcceptDueFromT0 = kT0 + 9 * kDay + 15 * kHour - 1;

policies::Clock accept_clock(const Ticket& ticket) {
  for (const auto& clock : ticket.clocks) {
    if (clock.name == "complaint.accept_decision") return clock;
  }
  FAIL_CHECK("no acceptance clock");
  return {};
}

// A hotline call that arrived at kT0, for a county officer to register.
weiquan::v1::EventBody hotline_call() {
  auto body = test::complaint(kT0);
  *body.mutable_actor() = test::draft(weiquan::v1::ROLE_OFFICER).actor();
  body.mutable_submitted()->set_channel(weiquan::v1::CHANNEL_HOTLINE);
  return body;
}

StoreOptions options_for(const std::filesystem::path& path) {
  StoreOptions options;
  options.path = path;
  options.anchor_key = federation().anchor();
  return options;
}

}  // namespace

TEST_CASE("a complaint registered days after it arrived runs its clocks from its arrival",
          "[store][clocks]") {
  Scenario s;
  const std::int64_t registered_at = kT0 + 3 * kDay;
  auto submission = s.county.submit(hotline_call(), "440305", registered_at);
  REQUIRE(submission);
  s.ticket = submission->event.ticket_id();
  CHECK(s.ticket == "440305-20250303-000001");
  CHECK(submission->receipt.body.received_at_ms() == kT0);
  REQUIRE(s.county.append(s.ticket, test::routed("440305"), registered_at));
  REQUIRE(s.county.append(s.ticket, test::received(), registered_at));
  const Ticket t = s.projection();
  CHECK(t.received_at_ms == kT0);
  CHECK(accept_clock(t).started_ms == kT0);
  CHECK(accept_clock(t).due_ms == kAcceptDueFromT0);
  CHECK(t.next_due_ms == kAcceptDueFromT0);

  // Later events count from their own time.
  REQUIRE(s.county.append(s.ticket, test::accepted(), registered_at + kHour));
  CHECK(accept_clock(s.projection()).stopped_ms == registered_at + kHour);

  // A replica derives the same clocks from the chain, also after a restart rebuilt them.
  test::TempDir other_dir;
  const auto replica_path = other_dir.file("replica.db");
  auto events = s.store.reader().events(s.ticket).value();
  {
    Store replica = federation().open_store(replica_path);
    REQUIRE(replica.apply_batch(std::span(events).first(3)));
    CHECK(accept_clock(replica.reader().ticket(s.ticket).value().value()).due_ms ==
          kAcceptDueFromT0);
  }
  Store replica = Store::open(options_for(replica_path)).value();
  REQUIRE(replica.apply(events[3]).value() == ApplyOutcome::applied);
  const Ticket copy = replica.reader().ticket(s.ticket).value().value();
  CHECK(accept_clock(copy).started_ms == kT0);
  CHECK(accept_clock(copy).due_ms == kAcceptDueFromT0);
  CHECK(accept_clock(copy).stopped_ms == registered_at + kHour);
}

TEST_CASE("an office the ticket is routed to runs its clocks from its own receipt",
          "[store][clocks]") {
  Scenario s;
  auto submission = s.province.submit(test::complaint(kT0 - 2 * kDay), "440305", kT0);
  REQUIRE(submission);
  s.ticket = submission->event.ticket_id();
  REQUIRE(s.province.append(s.ticket, test::routed("440305"), kT0));
  REQUIRE(s.county.append(s.ticket, test::received(), kT0 + kMinute));
  CHECK(accept_clock(s.projection()).started_ms == kT0 + kMinute);

  // The intake counts from the receipt time only when `routed` and `received` follow `submitted`:
  // after the type change, every event counts from its own time.
  auto late = s.county.submit(hotline_call(), "440305", kT0 + kDay);
  REQUIRE(late);
  s.ticket = late->event.ticket_id();
  auto reclassify = test::draft(weiquan::v1::ROLE_OFFICER);
  reclassify.mutable_type_changed()->set_to(weiquan::v1::TICKET_TYPE_REPORT);
  REQUIRE(s.county.append(s.ticket, reclassify, kT0 + kDay));
  REQUIRE(s.county.append(s.ticket, test::routed("440305"), kT0 + kDay + kMinute));
  REQUIRE(s.county.append(s.ticket, test::received(), kT0 + kDay + 2 * kMinute));
  const Ticket t = s.projection();
  REQUIRE_FALSE(t.clocks.empty());
  for (const auto& clock : t.clocks) CHECK(clock.started_ms >= kT0 + kDay);
}

TEST_CASE("a receipt time must be set and not lie in the future", "[store][clocks]") {
  Scenario s;
  auto unset = hotline_call();
  unset.mutable_submitted()->clear_received_at_ms();
  CHECK(s.county.submit(unset, "440305", kT0).error().code == "sync.bad_receipt_time");
  CHECK(s.county.submit(test::complaint(kT0 + 6 * kMinute), "440305", kT0).error().code ==
        "sync.bad_receipt_time");
  CHECK(s.county.submit(test::complaint(-1), "440305", kT0).error().code ==
        "sync.bad_receipt_time");
  // A few minutes ahead is clock skew between the filing computer and the node.
  auto skewed = s.county.submit(test::complaint(kT0 + 4 * kMinute), "440305", kT0);
  REQUIRE(skewed);
  CHECK(skewed->receipt.body.received_at_ms() == kT0 + 4 * kMinute);
}
