// Phone numbers, amounts and times.
#include <catch2/catch.hpp>
#include <string>

#include "weiquan/policies/validation.h"

using namespace wq::policies;

namespace {

constexpr std::int64_t kNow = 1'795'348'800'000;  // 2026-11-22T12:00:00Z

std::string phone(std::string_view text) {
  const auto parsed = parse_phone(text);
  return parsed.ok() ? parsed->normalized : parsed.error().code;
}

std::string amount(std::string_view yuan) {
  const auto parsed = parse_amount_yuan(yuan);
  return parsed.ok() ? std::to_string(parsed.value()) : parsed.error().code;
}

std::string time(std::string_view text) {
  const auto parsed = parse_time(text, kNow);
  return parsed.ok() ? std::to_string(parsed.value()) : parsed.error().code;
}

}  // namespace

TEST_CASE("mobile numbers", "[validation]") {
  CHECK(phone("13812345678") == "13812345678");
  CHECK(phone("19912345678") == "19912345678");
  CHECK(phone("+8613812345678") == "13812345678");
  CHECK(phone("+86 13812345678") == "13812345678");
  CHECK(parse_phone("13812345678")->kind == PhoneKind::mobile);
  CHECK(phone("12812345678") == "policies.invalid_phone");
  CHECK(phone("1381234567") == "policies.invalid_phone");
  CHECK(phone("138123456789") == "policies.invalid_phone");
  CHECK(phone("138 1234 5678") == "policies.invalid_phone");
  CHECK(phone("+8601012345678") == "policies.invalid_phone");
  CHECK(phone("") == "policies.invalid_phone");
  CHECK_THAT(parse_phone("1381234567").error().message, Catch::Contains("11 digits"));
}

TEST_CASE("fixed lines and service numbers", "[validation]") {
  CHECK(phone("010-62345678") == "010-62345678");
  CHECK(phone("01062345678") == "010-62345678");
  CHECK(phone("021-87654321") == "021-87654321");
  CHECK(phone("0755-2345678") == "0755-2345678");
  CHECK(phone("075523456789") == "0755-23456789");
  CHECK(parse_phone("0755-2345678")->kind == PhoneKind::fixed_line);
  CHECK(phone("4008123123") == "4008123123");
  CHECK(parse_phone("8008123123")->kind == PhoneKind::service);
  CHECK(phone("021-2345678") == "policies.invalid_phone");
  CHECK(phone("0755-234567") == "policies.invalid_phone");
  CHECK(phone("010-02345678") == "policies.invalid_phone");
  CHECK(phone("010-12345678") == "policies.invalid_phone");
  CHECK(phone("0086-62345678") == "policies.invalid_phone");
  CHECK(phone("10-62345678") == "policies.invalid_phone");
  CHECK(phone("-62345678") == "policies.invalid_phone");
  CHECK(phone("010-") == "policies.invalid_phone");
  CHECK(phone("010-6234567a") == "policies.invalid_phone");
  CHECK(phone("62345678") == "policies.invalid_phone");
  CHECK(phone("400812312") == "policies.invalid_phone");
  CHECK_THAT(parse_phone("62345678").error().message, Catch::Contains("area code"));
}

TEST_CASE("amounts parse from yuan exactly", "[validation]") {
  CHECK(amount("0") == "0");
  CHECK(amount("199") == "19900");
  CHECK(amount("199.5") == "19950");
  CHECK(amount("199.50") == "19950");
  CHECK(amount("0.01") == "1");
  CHECK(amount("0.29") == "29");
  CHECK(amount("100000000000") == std::to_string(kMaxAmountFen));
  for (const char* bad : {"100000000000.01", "1.234", "-1", "", ".", "1.", ".5", "1,000", "1e3",
                          "+5", " 5", "5 ", "99999999999999999999999999", "0x10", "1.2.3"}) {
    INFO(bad);
    CHECK(amount(bad) == "policies.invalid_amount");
  }
  CHECK_THAT(parse_amount_yuan("1.234").error().message, Catch::Contains("2 decimals"));
  CHECK_THAT(parse_amount_yuan("-3").error().message, Catch::Contains("negative"));
}

TEST_CASE("amounts in fen are checked and formatted", "[validation]") {
  CHECK(check_amount_fen(0).ok());
  CHECK(check_amount_fen(kMaxAmountFen).ok());
  CHECK(check_amount_fen(kMaxAmountFen + 1).error().code == "policies.invalid_amount");
  CHECK(check_amount_fen(-1).error().code == "policies.invalid_amount");
  CHECK(format_amount_yuan(123456) == "1234.56");
  CHECK(format_amount_yuan(5) == "0.05");
  CHECK(format_amount_yuan(0) == "0.00");
  CHECK(format_amount_yuan(-250) == "-2.50");
  for (std::int64_t fen : {std::int64_t{0}, std::int64_t{1}, std::int64_t{99}, std::int64_t{100},
                           std::int64_t{19950}, kMaxAmountFen}) {
    CHECK(parse_amount_yuan(format_amount_yuan(fen)).value() == fen);
  }
}

TEST_CASE("times with an offset", "[validation]") {
  const std::string expected = std::to_string(1'710'466'200'000LL);  // 2024-03-15T01:30:00Z
  CHECK(time("2024-03-15T09:30:00+08:00") == expected);
  CHECK(time("2024-03-15T01:30:00Z") == expected);
  CHECK(time("2024-03-14T20:30:00-05:00") == expected);
  CHECK(time("2024-03-15T01:30:00.123456Z") == std::to_string(1'710'466'200'123LL));
  CHECK(time("2024-03-15T01:30:00.5Z") == std::to_string(1'710'466'200'500LL));
  CHECK(time("2024-02-29T00:00:00+08:00") != "policies.invalid_date");
  CHECK(time("2004-01-01T00:00:00+08:00") == std::to_string(kEarliestTimeMs));
}

TEST_CASE("malformed, impossible and out-of-range times", "[validation]") {
  for (const char* bad :
       {"2024-03-15", "2024-03-15 09:30:00+08:00", "2024-03-15T09:30:00", "2024-03-15T09:30+08:00",
        "2024-3-15T09:30:00Z", "2024-03-15T09:30:00+0800", "2024-03-15T09:30:00.Z",
        "2024-03-15T09:30:00Zjunk", "2024-02-30T00:00:00Z", "2023-02-29T00:00:00Z",
        "2024-03-15T24:00:00Z", "2024-03-15T23:60:00Z", "2024-03-15T23:59:60Z",
        "2024-03-15T09:30:00+24:00", "2003-12-31T23:59:59+08:00", "2026-11-24T12:00:01Z", ""}) {
    INFO(bad);
    CHECK(time(bad) == "policies.invalid_date");
  }
  CHECK(time("2026-11-23T11:59:59Z") != "policies.invalid_date");
  CHECK_THAT(parse_time("2030-01-01T00:00:00Z", kNow).error().message, Catch::Contains("future"));
  CHECK_THAT(parse_time("2024-03-15", kNow).error().message,
             Catch::Contains("2024-03-15T09:30:00+08:00"));
  CHECK(check_time_ms(kEarliestTimeMs, kNow).ok());
  CHECK_FALSE(check_time_ms(kEarliestTimeMs - 1, kNow).ok());
  CHECK(check_time_ms(kNow + kFutureToleranceMs, kNow).ok());
  CHECK_FALSE(check_time_ms(kNow + kFutureToleranceMs + 1, kNow).ok());
}

TEST_CASE("times are formatted in China time and read back", "[validation]") {
  CHECK(format_time(0) == "1970-01-01T08:00:00.000+08:00");
  CHECK(format_time(1'710'466'200'123) == "2024-03-15T09:30:00.123+08:00");
  CHECK(format_time(1'710'431'999'999) == "2024-03-14T23:59:59.999+08:00");
  for (const std::int64_t ms : {1'710'466'200'123LL, 1'700'000'000'000LL, 1'072'886'400'000LL}) {
    CHECK(parse_time(format_time(ms), kNow).value() == ms);
  }
}
