// Reading request input: JSON bodies and their fields, query strings, API enum names, and the
// HTTP status each error code maps to.
#include <catch2/catch.hpp>

#include "api_errors.h"
#include "api_names.h"
#include "json_body.h"
#include "query_params.h"

using namespace wq;
using namespace wq::node::http;

namespace {

std::string code_of(const Status& status) {
  return status.ok() ? "ok" : status.error().code;
}

}  // namespace

TEST_CASE("a JSON body must be one object, not nested too deep", "[api]") {
  CHECK(parse_json_object(R"({"a": 1})").ok());
  CHECK(parse_json_object("[1, 2]").error().code == "node.bad_json");
  CHECK(parse_json_object("{\"a\": ").error().code == "node.bad_json");
  CHECK(parse_json_object("").error().code == "node.bad_json");
  const auto nested = [](int depth) {
    std::string text = "{\"a\":";
    for (int i = 0; i < depth; ++i) text.push_back('[');
    for (int i = 0; i < depth; ++i) text.push_back(']');
    text.push_back('}');
    return text;
  };
  CHECK(parse_json_object(nested(100)).error().code == "node.bad_json");
  CHECK(parse_json_object(nested(kMaxJsonDepth - 2)).ok());
}

TEST_CASE("fields are read with their types and limits", "[api]") {
  const auto body = parse_json_object(
      R"({"name": "张伟", "note": "line 1\nline 2", "n": 5, "yes": true, "obj": {"x": "y"}})");
  REQUIRE(body.ok());
  FieldReader in(*body);
  CHECK(in.text("name", 2, true) == "张伟");
  CHECK(in.text("note", 20, false, true) == "line 1\nline 2");
  CHECK(in.integer("n", 1, 10) == 5);
  CHECK(in.flag("yes"));
  CHECK_FALSE(in.flag("absent"));
  CHECK(in.object("obj") != nullptr);
  CHECK(in.text("missing", 10, false).empty());
  CHECK(code_of(in.finish()) == "ok");
}

TEST_CASE("the first bad field is the error, and unread fields are refused", "[api]") {
  const auto body = parse_json_object(R"({"name": "张伟张伟", "n": "5", "extra": 1})");
  REQUIRE(body.ok());
  {
    FieldReader in(*body);
    in.text("name", 3, true);
    in.integer("n", 1, 10);
    const Status done = in.finish();
    CHECK(code_of(done) == "node.bad_field");
    CHECK_THAT(done.error().message, Catch::StartsWith("name:"));
  }
  {
    FieldReader in(*body);
    in.text("name", 10, true);
    in.text("n", 10, true);
    const Status done = in.finish();
    CHECK(code_of(done) == "node.unknown_field");
    CHECK_THAT(done.error().message, Catch::Contains("extra"));
  }
  {
    FieldReader in(*body, "business.");
    in.text("absent", 10, true);
    CHECK_THAT(in.finish().error().message, Catch::StartsWith("business.absent: required"));
  }
}

TEST_CASE("single-line fields refuse line breaks and numbers their range", "[api]") {
  const auto body = parse_json_object(R"({"t": "a\nb", "n": 11, "big": 18446744073709551615})");
  REQUIRE(body.ok());
  FieldReader lines(*body);
  lines.text("t", 10, true);
  CHECK_FALSE(lines.ok());
  FieldReader range(*body);
  CHECK_FALSE(range.integer("n", 1, 10).has_value());
  CHECK_FALSE(range.ok());
  FieldReader huge(*body);
  CHECK_FALSE(huge.integer("big", 0, 100).has_value());
  CHECK_FALSE(huge.ok());
}

TEST_CASE("query strings are decoded and bounded", "[api]") {
  const auto params = parse_query("state=accepted&q=%E5%BC%A0+%E4%BC%9F&empty=&flag");
  REQUIRE(params.ok());
  CHECK(params->at("state") == "accepted");
  CHECK(params->at("q") == "张 伟");
  CHECK(params->at("empty").empty());
  CHECK(params->at("flag").empty());
  CHECK(parse_query("").value().empty());
  CHECK(parse_query("a=%zz").error().code == "node.bad_query");
  CHECK(parse_query("a=%4").error().code == "node.bad_query");
  CHECK(parse_query("a=1&a=2").error().code == "node.bad_query");
  std::string many;
  for (char name = 'a'; name <= 'u'; ++name) {
    many.push_back(name);
    many.append("=1&");
  }
  CHECK(parse_query(many).error().code == "node.bad_query");
}

TEST_CASE("wire enums have lower-case API names without their prefix", "[api]") {
  CHECK(api_name(weiquan::v1::CHANNEL_TRANSFER_12345) == "transfer_12345");
  CHECK(api_name(weiquan::v1::SATISFACTION_VERY_SATISFIED) == "very_satisfied");
  CHECK(api_name(weiquan::v1::CHANNEL_UNSPECIFIED).empty());
  CHECK(parse_api_name<weiquan::v1::Channel>("hotline") == weiquan::v1::CHANNEL_HOTLINE);
  CHECK_FALSE(parse_api_name<weiquan::v1::Channel>("unspecified").has_value());
  CHECK_FALSE(parse_api_name<weiquan::v1::Channel>("HOTLINE").has_value());
  CHECK(api_names<weiquan::v1::TicketType>() ==
        std::vector<std::string>{"complaint", "report", "inquiry", "suggestion"});
  CHECK(wire_role(policies::Role::supervisor) == weiquan::v1::ROLE_SUPERVISOR);
  CHECK(wire_role(policies::Role::consumer) == weiquan::v1::ROLE_CONSUMER);
}

TEST_CASE("error codes map to the status a client acts on", "[api]") {
  CHECK(http_status_for("node.bad_json") == 400);
  CHECK(http_status_for("node.unauthenticated") == 401);
  CHECK(http_status_for("node.forbidden") == 403);
  CHECK(http_status_for("node.unknown_ticket") == 404);
  CHECK(http_status_for("policies.forbidden_transition") == 409);
  CHECK(http_status_for("policies.invalid_uscc") == 422);
  CHECK(http_status_for("node.overloaded") == 503);
  CHECK(http_status_for("sync.db") == 500);
  CHECK(http_status_for("something.new") == 500);
  const Response overloaded = error_reply(make_error("node.overloaded", "busy"));
  CHECK(overloaded.status == 503);
  REQUIRE(overloaded.headers.size() == 1);
  CHECK(overloaded.headers.front().first == "Retry-After");
}
