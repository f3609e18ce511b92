#include <catch2/catch.hpp>
#include <string>

#include "weiquan/policies/validation.h"

using namespace wq::policies;

namespace {

constexpr std::int64_t kNow = 1'795'348'800'000;  // 2026-11-22T12:00:00Z

std::string error_code(std::string_view number, std::int64_t now = kNow) {
  const auto checked = check_id_number(number, now);
  return checked.ok() ? "ok" : checked.error().code;
}

std::string message(std::string_view number) {
  const auto checked = check_id_number(number, kNow);
  REQUIRE_FALSE(checked.ok());
  return checked.error().message;
}

std::string complete(std::string first17) {
  const auto check = id_check_character(first17);
  REQUIRE(check.ok());
  return first17 + check.value();
}

}  // namespace

TEST_CASE("real identity numbers are valid", "[validation]") {
  CHECK(error_code("11010519491231002X") == "ok");
  CHECK(id_check_character("11010519491231002").value() == 'X');
  CHECK(id_check_character("44030419900307123").value() == 'X');
  CHECK(id_check_character("41280119700101123").value() == '9');
  // A county code that no longer exists (驻马店地区, 4128) is still valid.
  CHECK(error_code("412801197001011239") == "ok");
  // Residence permits of Hong Kong, Macao and Taiwan residents; foreigner's permanent residence
  // card.
  CHECK(error_code("810000199001011230") == "ok");
  CHECK(error_code(complete("83000019900101123")) == "ok");
  CHECK(error_code("911156198506151236") == "ok");
}

TEST_CASE("every wrong check character of an identity number is caught", "[validation]") {
  for (char c : std::string_view("0123456789X")) {
    if (c == 'X') continue;
    std::string number = "11010519491231002X";
    number.back() = c;
    INFO(number);
    CHECK(error_code(number) == "policies.invalid_id_number");
    CHECK_THAT(message(number), Catch::Contains("should be 'X'"));
  }
  CHECK_THAT(message("11010519491231002x"), Catch::Contains("capital X"));
  CHECK_THAT(message("11010519491231002A"), Catch::Contains("digit or X"));
}

TEST_CASE("birth dates must exist and not lie in the future", "[validation]") {
  CHECK_THAT(message(complete("11010519490230002")), Catch::Contains("not a birth date"));
  CHECK_THAT(message(complete("11010518991231002")), Catch::Contains("not a birth date"));
  CHECK_THAT(message(complete("11010120300101123")), Catch::Contains("future"));
  // Born today in China (2026-11-22): valid; tomorrow: not.
  CHECK(error_code(complete("11010120261122123")) == "ok");
  CHECK(error_code(complete("11010120261123123")) == "policies.invalid_id_number");
  // 2026-11-22T17:00Z is already 2026-11-23 in China.
  CHECK(error_code(complete("11010120261123123"), kNow + 5 * 3'600'000) == "ok");
}

TEST_CASE("malformed identity numbers", "[validation]") {
  CHECK_THAT(message("110105491231002"), Catch::Contains("15-digit"));
  CHECK_THAT(message("1101051949123100"), Catch::Contains("18 characters"));
  CHECK_THAT(message("1101051949123A002X"), Catch::Contains("position 14"));
  CHECK_THAT(message(complete("99010519491231002")), Catch::Contains("province"));
  CHECK_THAT(message(complete("84000019491231002")), Catch::Contains("province"));
  CHECK_FALSE(id_check_character("1101").ok());
}
