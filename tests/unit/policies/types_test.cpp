#include "weiquan/policies/types.h"

#include <catch2/catch.hpp>

using namespace wq::policies;

TEST_CASE("ticket types convert to and from their names", "[types]") {
  for (TicketType type :
       {TicketType::complaint, TicketType::report, TicketType::inquiry, TicketType::suggestion}) {
    const auto parsed = parse_type(type_name(type));
    REQUIRE(parsed.ok());
    CHECK(parsed.value() == type);
  }
  CHECK(type_name(TicketType::report) == "report");
  const auto unknown = parse_type("Complaint");
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().code == "policies.unknown_type");
  CHECK_THAT(unknown.error().message,
             Catch::Contains("'Complaint'") &&
                 Catch::Contains("complaint, report, inquiry or suggestion"));
}

TEST_CASE("roles convert to and from their names", "[types]") {
  for (Role role : {Role::consumer, Role::officer, Role::supervisor, Role::enterprise,
                    Role::association, Role::admin, Role::system}) {
    const auto parsed = parse_role(role_name(role));
    REQUIRE(parsed.ok());
    CHECK(parsed.value() == role);
  }
  CHECK(role_name(Role::association) == "association");
  const auto unknown = parse_role("");
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().code == "policies.unknown_role");
}
