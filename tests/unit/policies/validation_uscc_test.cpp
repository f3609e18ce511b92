#include <catch2/catch.hpp>
#include <string>

#include "weiquan/policies/validation.h"

using namespace wq::policies;

namespace {

constexpr std::string_view kAlphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY";

std::string error_code(std::string_view code) {
  const auto parsed = parse_uscc(code);
  return parsed.ok() ? "ok" : parsed.error().code;
}

std::string message(std::string_view code) {
  const auto parsed = parse_uscc(code);
  REQUIRE_FALSE(parsed.ok());
  return parsed.error().message;
}

// The first 17 characters completed with their check character.
std::string complete(std::string first17) {
  const auto check = uscc_check_character(first17);
  REQUIRE(check.ok());
  return first17 + check.value();
}

}  // namespace

TEST_CASE("real unified social credit codes are valid", "[validation]") {
  const auto fuzhou = parse_uscc("91350100M000100Y43");
  REQUIRE(fuzhou.ok());
  CHECK(fuzhou->authority == '9');
  CHECK(fuzhou->institution_type == '1');
  CHECK(fuzhou->region == "350100");
  CHECK(fuzhou->organization == "M000100Y4");
  CHECK(error_code("91110000710925462X") == "ok");
  CHECK(uscc_check_character("91350100M000100Y4").value() == '3');
  CHECK(uscc_check_character("91110000710925462").value() == 'X');
  // Registered by a central authority (region 100000).
  CHECK(error_code(complete("91100000710925462")) == "ok");
}

TEST_CASE("every wrong check character is caught", "[validation]") {
  for (const std::string valid : {"91350100M000100Y43", "91110000710925462X"}) {
    for (char c : kAlphabet) {
      if (c == valid.back()) continue;
      std::string code = valid;
      code.back() = c;
      INFO(code);
      CHECK(error_code(code) == "policies.invalid_uscc");
      CHECK_THAT(message(code), Catch::Contains("position 18"));
    }
  }
}

TEST_CASE("a mistyped character is caught", "[validation]") {
  // Positions 9-17 carry their own check (GB 11714).
  CHECK_THAT(message("91350100M000200Y43"), Catch::Contains("organization code"));
  // Elsewhere the code's check character catches it.
  CHECK_THAT(message("91350200M000100Y43"), Catch::Contains("check character"));
  CHECK_THAT(message("91350100M000100Y53"), Catch::Contains("organization code"));
}

TEST_CASE("malformed unified social credit codes", "[validation]") {
  CHECK_THAT(message("91350100M000100Y4"), Catch::Contains("18 characters, got 17"));
  CHECK_THAT(message("91350100M000100Y433"), Catch::Contains("18 characters, got 19"));
  CHECK_THAT(message("91350100m000100Y43"), Catch::Contains("capital letter"));
  for (char excluded : {'I', 'O', 'Z', 'S', 'V'}) {
    std::string code = "91350100M000100Y43";
    code[8] = excluded;
    CHECK_THAT(message(code), Catch::Contains("except I, O, Z, S, V"));
  }
  CHECK_THAT(message("91350100M000100Y4I"), Catch::Contains("position 18"));
  CHECK_THAT(message(complete("B1350100M000100Y4")), Catch::Contains("position 1"));
  CHECK_THAT(message(complete("94350100M000100Y4")), Catch::Contains("position 2"));
  CHECK_THAT(message(complete("9A350100M000100Y4")), Catch::Contains("position 2"));
  CHECK_THAT(message(complete("913501A0M000100Y4")), Catch::Contains("positions 3-8"));
  CHECK_THAT(message(complete("91990100M000100Y4")), Catch::Contains("province"));
  CHECK(error_code(complete("51350100M000100Y4")) == "ok");
  CHECK(error_code(complete("N2350100M000100Y4")) == "ok");
  CHECK(error_code("") == "policies.invalid_uscc");
  CHECK_FALSE(uscc_check_character("9135").ok());
}
