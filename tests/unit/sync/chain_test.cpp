#include "weiquan/sync/chain.h"

#include <catch2/catch.hpp>
#include <vector>

#include "sync_fixture.h"

using namespace wq;
using namespace wq::sync;

namespace {

const std::string kTicket = "440305-20250303-000001";

// seq 1 `submitted`, then messages, each linked to the one before.
std::vector<SignedEvent> chain_of(std::size_t length) {
  const auto& key = test::federation().node("440305").keys.sign;
  std::vector<SignedEvent> events;
  events.push_back(author_event(test::first_event("440305", kTicket), key).value());
  while (events.size() < length) {
    auto body = test::message("event " + std::to_string(events.size() + 1));
    body.set_version(1);
    body.set_ticket_id(kTicket);
    body.set_seq(events.size() + 1);
    body.set_prev_hash(events.back().id.data(), events.back().id.size());
    body.set_author("440305");
    body.set_time_ms(test::kT0 + static_cast<std::int64_t>(events.size()) * test::kMinute);
    events.push_back(author_event(body, key).value());
  }
  return events;
}

}  // namespace

TEST_CASE("each event links to the BLAKE2b-256 of the previous body", "[chain]") {
  const auto events = chain_of(4);
  CHECK(check_chain(events));
  CHECK(check_first(events[0]));
  CHECK(check_link(events[0], events[1]));
  CHECK(check_next(3, events[2].id, events[3]));
}

TEST_CASE("a gap, a wrong link or a foreign event breaks the chain", "[chain]") {
  const auto events = chain_of(4);
  CHECK(check_link(events[0], events[2]).error().code == "sync.seq_gap");
  CHECK(check_next(2, events[0].id, events[2]).error().code == "sync.chain_broken");
  CHECK(check_first(events[1]).error().code == "sync.seq_gap");
  auto reordered = events;
  std::swap(reordered[1], reordered[2]);
  const Status broken = check_chain(reordered);
  REQUIRE_FALSE(broken);
  CHECK(broken.error().code == "sync.seq_gap");
  CHECK(broken.error().message.find("seq 3") != std::string::npos);

  auto other = test::first_event("440306", "440306-20250303-000001");
  const auto foreign = author_event(other, test::federation().node("440306").keys.sign).value();
  CHECK(check_link(foreign, events[1]).error().code == "sync.wrong_ticket");
}
