#include "weiquan/sync/ticket_id.h"

#include <catch2/catch.hpp>

#include "weiquan/sync/node_id.h"

using namespace wq::sync;

TEST_CASE("ticket ids format and parse back", "[ticket_id]") {
  const TicketId id{"440305", 20261122, 123};
  REQUIRE(format_ticket_id(id) == "440305-20261122-000123");
  auto parsed = parse_ticket_id("440305-20261122-000123");
  REQUIRE(parsed);
  CHECK(parsed->intake_node == "440305");
  CHECK(parsed->date == 20261122);
  CHECK(parsed->serial == 123);

  CHECK(format_ticket_id({"cn", 20250303, 1}) == "cn-20250303-000001");
  CHECK(format_ticket_id({"440305-2", 20250303, 1234567}) == "440305-2-20250303-1234567");
  auto replica = parse_ticket_id("440305-2-20250303-1234567");
  REQUIRE(replica);
  CHECK(replica->intake_node == "440305-2");
  CHECK(replica->serial == 1234567);
  CHECK(format_ticket_id({"110101001-99", 20991231, kMaxTicketSerial}).size() ==
        kMaxTicketIdLength);
}

TEST_CASE("malformed ticket ids are refused", "[ticket_id]") {
  for (const char* bad :
       {"", "440305", "440305-20261122", "440305-20261122-123", "440305-20261122-0001234",
        "440305-20261122-000000", "440305-20261322-000001", "440305-20260230-000001",
        "44030-20261122-000001", "440305-1-20261122-000001", "440305-20261122-00012a",
        "CN-20261122-000001", "440305-20261122-1000000000", "440305--20261122-000001"}) {
    INFO(bad);
    auto parsed = parse_ticket_id(bad);
    REQUIRE_FALSE(parsed);
    CHECK(parsed.error().code == "sync.bad_ticket_id");
  }
}

TEST_CASE("the ticket date is the China Standard Time date", "[ticket_id]") {
  const std::int64_t midnight_cst = 1'740'931'200'000;  // 2025-03-03 00:00 CST
  CHECK(china_date(midnight_cst) == 20250303);
  CHECK(china_date(midnight_cst - 1) == 20250302);
}

TEST_CASE("node ids name a region and an optional replica", "[node_id]") {
  for (const char* good : {"cn", "cn-2", "44", "4403", "440305", "440305001", "440305-99"}) {
    INFO(good);
    CHECK(valid_node_id(good));
  }
  for (const char* bad : {"", "c", "CN", "4", "440", "4403051", "440305-1", "440305-01",
                          "440305-100", "440305-", "-2", "440305-2-3"}) {
    INFO(bad);
    CHECK_FALSE(valid_node_id(bad));
  }
  CHECK(node_region("440305-2") == "440305");
  CHECK(region_level("440305001") == wq::crypto::Level::station);
  CHECK(region_level("cn") == wq::crypto::Level::national);
  CHECK_FALSE(region_level("123"));
}
