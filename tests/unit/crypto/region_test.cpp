#include <catch2/catch.hpp>

#include "weiquan/crypto/certificate.h"

namespace wq::crypto {
namespace {

TEST_CASE("cn contains every region", "[crypto][region]") {
  for (const char* region : {"cn", "11", "1101", "110101", "110101001", "65", "110101-2"}) {
    INFO(region);
    CHECK(region_contains("cn", region));
  }
}

TEST_CASE("GB/T 2260 codes nest by prefix", "[crypto][region]") {
  CHECK(region_contains("11", "1101"));
  CHECK(region_contains("11", "110101"));
  CHECK(region_contains("11", "110101001"));
  CHECK(region_contains("1101", "110101"));
  CHECK(region_contains("110101", "110101001"));
  CHECK(region_contains("110101", "110101"));

  CHECK_FALSE(region_contains("1101", "11"));
  CHECK_FALSE(region_contains("11", "1201"));
  CHECK_FALSE(region_contains("1101", "110201"));
  CHECK_FALSE(region_contains("110101", "110102001"));
  CHECK_FALSE(region_contains("11", "cn"));
}

TEST_CASE("a replica suffix is not part of the region", "[crypto][region]") {
  CHECK(region_contains("11", "1101-2"));
  CHECK(region_contains("1101-2", "110101"));
  CHECK(region_contains("1101-2", "1101-3"));
  CHECK(region_contains("cn-2", "11"));
  CHECK_FALSE(region_contains("1101-2", "1102"));
}

TEST_CASE("malformed codes are contained in nothing and contain nothing", "[crypto][region]") {
  for (const char* bad :
       {"", "1", "111", "11011", "1101010011", "11a1", "CN", "1101-", "1101-x", "-2", "1101-2-3"}) {
    INFO(bad);
    CHECK_FALSE(region_contains("cn", bad));
    CHECK_FALSE(region_contains(bad, "110101"));
  }
}

TEST_CASE("level names round-trip", "[crypto][region]") {
  for (const Level level :
       {Level::national, Level::province, Level::city, Level::county, Level::station}) {
    const Result<Level> parsed = parse_level(level_name(level));
    REQUIRE(parsed.ok());
    CHECK(*parsed == level);
  }
  CHECK(level_name(Level::county) == "county");
  const Result<Level> bad = parse_level("township");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.error().code == "crypto.bad_level");
}

}  // namespace
}  // namespace wq::crypto
