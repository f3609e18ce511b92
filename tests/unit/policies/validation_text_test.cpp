#include <catch2/catch.hpp>
#include <string>

#include "weiquan/policies/validation.h"

using namespace wq::policies;

namespace {

std::string text_code(std::string_view text, std::size_t max = 100,
                      TextLines lines = TextLines::multiple) {
  const auto checked = check_text(text, max, lines);
  return checked.ok() ? "ok" : checked.error().code;
}

}  // namespace

TEST_CASE("characters are counted, not bytes", "[validation]") {
  CHECK(count_characters("").value() == 0);
  CHECK(count_characters("abc").value() == 3);
  CHECK(count_characters("投诉举报").value() == 4);
  CHECK(count_characters("\xF0\x9F\x98\x80").value() == 1);  // U+1F600
  CHECK(count_characters("\xC2\xA5"
                         "100")
            .value() == 4);                                  // ¥100
  CHECK(count_characters("\xF4\x8F\xBF\xBF").value() == 1);  // U+10FFFF
  CHECK(text_code("投诉举报", 4) == "ok");
  CHECK(text_code("投诉举报", 3) == "policies.text_too_long");
  CHECK_THAT(check_text("投诉举报", 3).error().message, Catch::Contains("4 characters"));
  CHECK(text_code(std::string(5000, 'a'), 5000) == "ok");
  CHECK(text_code(std::string(5001, 'a'), 5000) == "policies.text_too_long");
}

TEST_CASE("invalid UTF-8 is refused with its byte offset", "[validation]") {
  const std::pair<const char*, const char*> cases[] = {
      {"\xC0\xAF", "overlong"},  // '/' in two bytes
      {"\xC1\xBF", "overlong"},
      {"\xE0\x80\xAF", "overlong"},      // '/' in three bytes
      {"\xE0\x9F\xBF", "overlong"},      // U+07FF in three bytes
      {"\xF0\x80\x80\xAF", "overlong"},  // '/' in four bytes
      {"\xF0\x8F\xBF\xBF", "overlong"},  // U+FFFF in four bytes
      {"\xED\xA0\x80", "surrogate"},     // U+D800
      {"\xED\xBF\xBF", "surrogate"},     // U+DFFF
      {"\xF4\x90\x80\x80", "above U+10FFFF"},
      {"\xF5\x80\x80\x80", "never occurs"},
      {"\xFF", "never occurs"},
      {"\xFE", "never occurs"},
      {"\x80", "continuation byte"},
      {"\xBF", "continuation byte"},
      {"\xE6\x8A", "cut short"},
      {"\xE6\x41\x41", "cut short"},
      {"\xF0\x9F\x98", "cut short"},
  };
  for (const auto& [bytes, why] : cases) {
    const std::string text = std::string("ok ") + bytes + " end";
    INFO(why);
    const auto counted = count_characters(text);
    REQUIRE_FALSE(counted.ok());
    CHECK(counted.error().code == "policies.invalid_utf8");
    CHECK_THAT(counted.error().message, Catch::Contains("byte 3") && Catch::Contains(why));
    CHECK(text_code(text) == "policies.invalid_utf8");
  }
}

TEST_CASE("control characters are refused but line feeds and tabs", "[validation]") {
  CHECK(text_code("第一行\n第二行\t完") == "ok");
  CHECK(text_code("第一行\n第二行", 100, TextLines::single) == "policies.invalid_text");
  CHECK(text_code("a\tb", 100, TextLines::single) == "policies.invalid_text");
  CHECK(text_code("windows\r\nline") == "policies.invalid_text");
  CHECK(text_code(std::string("nul\0byte", 8)) == "policies.invalid_text");
  CHECK(text_code("bell\x07") == "policies.invalid_text");
  CHECK(text_code("escape\x1b[0m") == "policies.invalid_text");
  CHECK(text_code("delete\x7f") == "policies.invalid_text");
  CHECK(text_code("next line \xC2\x85") == "policies.invalid_text");  // U+0085
  CHECK(text_code("no-break\xC2\xA0space") == "ok");                  // U+00A0
  CHECK_THAT(check_text("ab\x07", 10).error().message,
             Catch::Contains("U+0007") && Catch::Contains("character 3"));
}
