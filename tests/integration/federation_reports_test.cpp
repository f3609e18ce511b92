// Period reports and public disclosure (protocol.md §16, docs/kpi.md): a county's signed report of
// a day is checked by its city against the events the city holds (match), both sides list it, and
// the public endpoint shows the county's business without personal data, without a token, and
// refuses bad parameters.

#include <catch2/catch.hpp>
#include <chrono>

#include "federation_fixture.h"
#include "federation_trees.h"

using namespace wq::testing;
using namespace std::chrono_literals;

namespace {

const std::string kConsumerName = "陈静";

std::string today() {
  return api_time(now_ms()).substr(0, 10);
}

void act_ok(FederationFixture& federation, const std::string& ticket, const json& action) {
  const ApiAnswer done = federation.post("110101", "/api/v1/tickets/" + ticket + "/actions", action,
                                         federation.officer("110101"));
  INFO(done.raw);
  REQUIRE(done.status / 100 == 2);
}

// A complaint about `uscc` filed at the county, mediated (to an agreement or not) and closed; its
// id once the city holds it closed.
std::string closed_complaint(FederationFixture& federation, const std::string& consumer,
                             const std::string& uscc, bool consent, bool agreed) {
  const ApiAnswer filed =
      federation.post("110101", "/api/v1/tickets",
                      {{"type", "complaint"},
                       {"business", {{"uscc", uscc}, {"name", "东城区好运家电行"}}},
                       {"category", "家用电器"},
                       {"description", "新买的冰箱不制冷，商家拒绝退货。"},
                       {"demands", "退货退款"},
                       {"consent_disclosure", consent}},
                      consumer);
  INFO(filed.raw);
  REQUIRE(filed.status == 201);
  const std::string id = filed.body.at("id");
  act_ok(federation, id, {{"action", "accept"}});
  act_ok(federation, id,
         {{"action", "mediation_result"},
          {"agreement", agreed},
          {"text", agreed ? "商家同意退货。" : "商家拒绝退货。"}});
  act_ok(federation, id,
         {{"action", "close"},
          {"result", agreed ? "agreement" : "no_agreement"},
          {"text", agreed ? "调解成功，已退款。" : "调解不成，告知消费者可依法起诉。"},
          {"amount_recovered", agreed ? "2999.00" : "0"}});
  REQUIRE(eventually([&] {
    const auto seen = federation.ticket_at("1101", id);
    return seen && seen->at("state") == "closed";
  }));
  return id;
}

const json* entry_of(const json& list, const std::string& key, const std::string& value) {
  for (const json& entry : list) {
    if (entry.at(key) == value) return &entry;
  }
  return nullptr;
}

}  // namespace

TEST_CASE(
    "reports: a county's signed day report matches at the city, and the public sees its business "
    "without personal data",
    "[federation][reports]") {
  FederationFixture federation(kBeijingChain);
  const std::string consumer = federation.consumer("110101", kConsumerName, 21);
  const std::string uscc = make_uscc("110101", "MA05XY7C");
  const std::string consented = closed_complaint(federation, consumer, uscc, true, true);
  // Its consumer did not consent: its failed mediation is not the public's to see.
  const std::string withheld = closed_complaint(federation, consumer, uscc, false, false);
  const std::string period = today();

  // The county's admin sends the report of today now; once every event reached the city, it
  // matches there.
  const std::string admin = staff_token(federation, "110101", "admin", "系统管理员");
  json answer;
  REQUIRE(eventually([&] {
    const ApiAnswer sent =
        federation.post("110101", "/api/v1/reports/send?period=" + period, json::object(), admin);
    INFO(sent.raw);
    if (sent.status != 200) return false;
    answer = sent.body;
    return answer.at("outcome") == "match";
  }));
  CHECK(answer.at("parent_tickets_counted") == 2);

  const ApiAnswer at_city =
      federation.get("1101", "/api/v1/reports?period=" + period, federation.officer("1101"));
  INFO(at_city.raw);
  REQUIRE(at_city.status == 200);
  const json* county = entry_of(at_city.body.at("children"), "node", "110101");
  REQUIRE(county != nullptr);
  CHECK(county->at("status") == "match");
  CHECK(county->at("child_tickets_counted") == 2);
  CHECK(county->at("figures").at("measures").at("closed") == 2);
  // The city's own report of today was never sent: its province has nothing to show yet.
  CHECK(at_city.body.at("own").is_null());
  const ApiAnswer links = federation.get("1101", "/api/v1/federation", federation.officer("1101"));
  REQUIRE(links.status == 200);
  CHECK(links.body.at("reports").at("match").get<int>() >= 1);
  CHECK(federation.get("1101", "/metrics")
            .raw.find("weiquan_reports_checked_total{outcome=\"match\"}") != std::string::npos);

  const ApiAnswer at_county =
      federation.get("110101", "/api/v1/reports?period=" + period, federation.officer("110101"));
  INFO(at_county.raw);
  REQUIRE(at_county.status == 200);
  CHECK(at_county.body.at("own").at("answer").at("outcome") == "match");
  CHECK(at_county.body.at("children").empty());
  CHECK(federation.get("1101", "/api/v1/reports?period=" + period).status == 401);
  CHECK(federation.get("1101", "/api/v1/reports?period=2025-13", federation.officer("1101"))
            .error_code() == "node.bad_query");

  // Public disclosure: no token, only the consented ticket counts, nothing personal.
  for (const std::string node : {"110101", "1101"}) {
    INFO("at " << node);
    const ApiAnswer shown = federation.get(
        node, "/api/v1/public/businesses?region=110101&from=" + period + "&to=" + period);
    INFO(shown.raw);
    REQUIRE(shown.status == 200);
    const json* business = entry_of(shown.body.at("businesses"), "uscc", uscc);
    REQUIRE(business != nullptr);
    CHECK(business->at("name") == "东城区好运家电行");
    CHECK(business->at("closed_disclosed") == 1);
    CHECK(business->at("mediation_success_rate") == 1.0);  // 1 of 1 consented, not 1 of 2
    CHECK(business->at("settlement_rate").is_null());      // none handed to an ODR enterprise
    CHECK(shown.raw.find(kConsumerName) == std::string::npos);
    CHECK(shown.raw.find(consented) == std::string::npos);
    CHECK(shown.raw.find(withheld) == std::string::npos);
  }
  const auto refused = [&](const std::string& query) {
    const ApiAnswer answered = federation.get("110101", "/api/v1/public/businesses?" + query);
    INFO(query << ": " << answered.raw);
    CHECK(answered.status == 400);
    return answered.error_code();
  };
  CHECK(refused("limit=0") == "node.bad_query");
  CHECK(refused("limit=101") == "node.bad_query");
  CHECK(refused("offset=-1") == "node.bad_query");
  CHECK(refused("from=2025-02-30") == "node.bad_query");
  CHECK(refused("from=2024-01-01&to=2025-06-01") == "node.bad_query");
  CHECK(refused("by=business") == "node.bad_query");
  std::string long_q = "q=";
  long_q.append(51, 'x');
  CHECK(refused(long_q) == "node.bad_query");
  CHECK(refused("region=12") == "node.outside_subtree");
  CHECK(refused("region=xyz") == "node.bad_query");
}
