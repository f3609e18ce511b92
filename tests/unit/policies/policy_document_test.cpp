#include "weiquan/policies/policy_document.h"

#include <catch2/catch.hpp>
#include <functional>
#include <nlohmann/json.hpp>

#include "cst_time.h"
#include "weiquan/crypto/signing.h"

using namespace wq::policies;
using nlohmann::json;
using wq::policies::testing::cst;

namespace {

constexpr const char* kOrder20 = "samr-order-20@2022-09-29";
constexpr const char* kOrder121 = "samr-order-121@2025-12-30";

const PolicyDocument& builtin(const char* ref) {
  const auto document = PolicySet::builtin().find(ref);
  REQUIRE(document);
  return **document;
}

std::string in_force(std::int64_t received_ms, std::string_view region = "cn") {
  const auto document = PolicySet::builtin().in_force_on(received_ms, region);
  REQUIRE(document);
  return (*document)->ref();
}

// A small valid national document.
json small_document() {
  return json::parse(R"json({
    "id": "test-rules", "version": "1", "title": "Test rules", "source": "none", "issuer": "cn",
    "scope": "cn", "in_force_from": "2030-01-01", "in_force_until": null,
    "limits": {"complaint": [
      {"name": "complaint.accept_decision", "amount": 7, "unit": "working_days",
       "starts_on": ["received"], "stops_on": ["accepted", "refused"], "extension_max": 0,
       "article": "Art. 1", "confirmed": true}]},
    "refusal_grounds": [{"id": "test.art1.1", "article": "Art. 1 (1)", "text": "t", "confirmed": true}],
    "switches": {"return_visit_required": false, "merge_repeated_reports": false,
                 "parallel_transfer": false, "complaint_max_age_years": 3}
  })json");
}

// Loads {"documents": [small_document() after `edit`]} and returns the error message.
std::string load_error(const std::function<void(json&)>& edit) {
  json document = small_document();
  edit(document);
  const auto set = PolicySet::load(json{{"documents", json::array({document})}}.dump());
  REQUIRE_FALSE(set);
  CHECK(set.error().code == "policies.bad_document");
  return set.error().message;
}

// Shandong's rapid-response rules (2020) on top of Order 20: dispatch within 2 hours, respond
// within 24, mediation within 30 working days.
PolicyDocument shandong() {
  PolicyDocument document = builtin(kOrder20);
  document.id = "sd-rapid-response";
  document.version = "2020-04-01";
  document.title = "山东省投诉举报快速回应机制";
  document.issuer = "37";
  document.scope = "37";
  document.parent = kOrder20;
  document.in_force_from = {2020, 4, 1};
  const auto tighten = [&document](const char* name, std::int64_t amount) {
    for (Limit& limit : document.limits) {
      if (limit.name == name) limit.period.amount = amount;
    }
  };
  tighten("complaint.mediation", 30);
  Limit dispatch;
  dispatch.name = "complaint.dispatch";
  dispatch.period = {2, PeriodUnit::hours};
  dispatch.starts_on = {"received"};
  dispatch.stops_on = {"assigned", "transferred", "accepted", "refused", "merged", "closed"};
  dispatch.article = "山东省市场监督管理局《关于建立投诉举报快速回应机制的意见》";
  Limit respond = dispatch;
  respond.name = "complaint.respond";
  respond.period = {24, PeriodUnit::hours};
  respond.stops_on = {"initial_feedback", "accepted", "refused", "merged", "closed"};
  document.limits.push_back(dispatch);
  document.limits.push_back(respond);
  document.switches.parallel_transfer = true;
  return document;
}

Limit& limit_of(PolicyDocument& document, std::string_view name) {
  for (Limit& limit : document.limits) {
    if (limit.name == name) return limit;
  }
  FAIL("no limit " << name);
  throw std::logic_error("unreachable");
}

std::string loosening(const std::function<void(PolicyDocument&)>& edit,
                      const char* parent = kOrder20) {
  PolicyDocument child = parent == std::string_view(kOrder20) ? shandong() : builtin(parent);
  if (parent != std::string_view(kOrder20)) {
    child.id = "child";
    child.scope = "37";
    child.parent = parent;
  }
  edit(child);
  const auto checked = check_only_tightens(builtin(parent), child);
  REQUIRE_FALSE(checked);
  CHECK(checked.error().code == "policies.loosens_parent");
  return checked.error().message;
}

}  // namespace

TEST_CASE("the built-in set holds Order 20 and Order 121", "[policy]") {
  const auto& documents = PolicySet::builtin().documents();
  REQUIRE(documents.size() == 2);
  CHECK(documents[0].ref() == kOrder20);
  CHECK(documents[1].ref() == kOrder121);
  CHECK(documents[0].title == "市场监督管理投诉举报处理暂行办法");
  CHECK(documents[1].title == "市场监督管理投诉举报处理办法");
  for (const PolicyDocument& document : documents) {
    for (const Limit& limit : document.limits) CHECK_FALSE(limit.article.empty());
  }
}

TEST_CASE("the rule in force is chosen by the CST receipt date", "[policy]") {
  CHECK(in_force(cst(2020, 1, 1)) == kOrder20);
  CHECK(in_force(cst(2026, 4, 14, 23, 30)) == kOrder20);
  CHECK(in_force(cst(2026, 4, 14, 23, 59) + 59'999) == kOrder20);
  CHECK(in_force(cst(2026, 4, 15)) == kOrder121);
  CHECK(in_force(cst(2030, 6, 1)) == kOrder121);
  // 2026-04-14T16:00Z is already Apr 15 in China.
  CHECK(in_force(day_number({2026, 4, 14}) * kMsPerDay + 16 * kMsPerHour) == kOrder121);
  CHECK(in_force(cst(2025, 6, 1), "370102") == kOrder20);

  const auto before = PolicySet::builtin().in_force_on(cst(2019, 12, 31, 23, 59));
  REQUIRE_FALSE(before);
  CHECK(before.error().code == "policies.no_policy_in_force");
  CHECK_THAT(before.error().message, Catch::Contains("2019-12-31"));
  const auto absurd = PolicySet::builtin().in_force_on(-5);
  REQUIRE_FALSE(absurd);
  CHECK(absurd.error().code == "policies.bad_time");
}

TEST_CASE("Order 20 limits", "[policy]") {
  const PolicyDocument& order20 = builtin(kOrder20);
  const Limit* accept = order20.limit("complaint.accept_decision");
  REQUIRE(accept);
  CHECK(accept->type == TicketType::complaint);
  CHECK(accept->period.amount == 7);
  CHECK(accept->period.unit == PeriodUnit::working_days);
  CHECK(accept->starts_on == std::vector<std::string>{"received", "type_changed"});
  CHECK(accept->confirmed);
  CHECK_THAT(accept->article, Catch::Contains("第十四条"));

  const Limit* mediation = order20.limit("complaint.mediation");
  REQUIRE(mediation);
  CHECK(mediation->period.amount == 45);
  CHECK(mediation->period.unit == PeriodUnit::working_days);
  CHECK(mediation->starts_on == std::vector<std::string>{"accepted"});
  CHECK_THAT(mediation->article, Catch::Contains("第二十一条"));

  const Limit* verify = order20.limit("report.verify");
  REQUIRE(verify);
  CHECK(verify->type == TicketType::report);
  CHECK(verify->period.amount == 15);
  CHECK(verify->extension_max == 15);
  CHECK_THAT(verify->article, Catch::Contains("行政处罚程序规定》第十八条"));

  const Limit* notify = order20.limit("report.notify_reporter");
  REQUIRE(notify);
  CHECK(notify->period.amount == 5);
  CHECK(notify->real_name_only);

  const Limit* odr = order20.limit("complaint.odr_negotiation");
  REQUIRE(odr);
  CHECK(odr->period.amount == 10);
  CHECK(odr->starts_on == std::vector<std::string>{"assigned:enterprise"});
  CHECK_FALSE(odr->confirmed);

  CHECK(order20.limit("complaint.jurisdiction_dispute")->period.amount == 7);
  CHECK(order20.limit("report.unknown") == nullptr);
  CHECK(order20.limits_for(TicketType::complaint).size() == 4);
  CHECK(order20.limits_for(TicketType::report).size() == 3);
  CHECK(order20.limits_for(TicketType::inquiry).empty());
}

TEST_CASE("Order 121 differs in mediation, refusal grounds, return visits and merging",
          "[policy]") {
  const PolicyDocument& order20 = builtin(kOrder20);
  const PolicyDocument& order121 = builtin(kOrder121);
  const Limit* mediation = order121.limit("complaint.mediation");
  REQUIRE(mediation);
  CHECK(mediation->period.amount == 60);
  CHECK(mediation->period.unit == PeriodUnit::days);
  CHECK_FALSE(mediation->confirmed);

  CHECK(order20.refusal_grounds.size() == 6);
  CHECK(order121.refusal_grounds.size() == 7);
  for (int item = 1; item <= 6; ++item) {
    CHECK(order20.refusal_ground("order20.art15." + std::to_string(item)) != nullptr);
  }
  for (int item = 1; item <= 7; ++item) {
    CHECK(order121.refusal_ground("order121.art16." + std::to_string(item)) != nullptr);
  }
  CHECK(order20.refusal_ground("order121.art16.6") == nullptr);
  CHECK_THAT(order121.refusal_ground("order121.art16.6")->text, Catch::Contains("虚假材料"));
  CHECK_THAT(order121.refusal_ground("order121.art16.6")->text, Catch::Contains("核验"));
  CHECK_THAT(order20.refusal_ground("order20.art15.4")->text, Catch::Contains("三年"));

  CHECK_FALSE(order20.switches.return_visit_required);
  CHECK_FALSE(order20.switches.merge_repeated_reports);
  CHECK_FALSE(order20.switches.parallel_transfer);
  CHECK(order121.switches.return_visit_required);
  CHECK(order121.switches.merge_repeated_reports);
  CHECK_FALSE(order121.switches.parallel_transfer);
  CHECK(order20.switches.complaint_max_age_years == 3);
  CHECK(order121.switches.complaint_max_age_years == 3);
}

TEST_CASE("documents are found by the reference a ticket records", "[policy]") {
  CHECK(PolicySet::builtin().find(kOrder121));
  const auto missing = PolicySet::builtin().find("samr-order-20@2019-11-30");
  REQUIRE_FALSE(missing);
  CHECK(missing.error().code == "policies.unknown_policy");
}

TEST_CASE("a complaint older than three years is past the maximum age", "[policy]") {
  const PolicyDocument& order20 = builtin(kOrder20);
  const Calendar& calendar = Calendar::builtin();
  // Known on 2022-05-01: three years end on 2025-05-01, Labour Day, so on Tue 2025-05-06.
  const auto in_time =
      past_complaint_max_age(order20, calendar, cst(2022, 5, 1, 10), cst(2025, 5, 6, 20));
  REQUIRE(in_time);
  CHECK_FALSE(*in_time);
  const auto late = past_complaint_max_age(order20, calendar, cst(2022, 5, 1, 10), cst(2025, 5, 7));
  REQUIRE(late);
  CHECK(*late);
  const auto absurd = past_complaint_max_age(order20, calendar, cst(2022, 5, 1), 0);
  REQUIRE_FALSE(absurd);
  CHECK(absurd.error().code == "policies.bad_time");
}

TEST_CASE("a small document loads", "[policy]") {
  const auto document = PolicyDocument::parse(small_document().dump());
  REQUIRE(document);
  CHECK(document->ref() == "test-rules@1");
  CHECK_FALSE(document->in_force_until);
  CHECK(document->in_force_on(day_number({2100, 1, 1})));
  CHECK_FALSE(document->in_force_on(day_number({2029, 12, 31})));
  CHECK(document->governs("110101"));
}

TEST_CASE("document load errors name the JSON path", "[policy]") {
  CHECK_THAT(load_error([](json& d) { d["limits"]["complaint"][0]["unit"] = "weeks"; }),
             Catch::StartsWith("documents[0].limits.complaint[0].unit:"));
  CHECK_THAT(load_error([](json& d) { d["limits"]["complaint"][0]["amount"] = 0; }),
             Catch::StartsWith("documents[0].limits.complaint[0].amount:"));
  CHECK_THAT(load_error([](json& d) { d["limits"]["complaint"][0]["amount"] = "7"; }),
             Catch::StartsWith("documents[0].limits.complaint[0].amount:"));
  CHECK_THAT(load_error([](json& d) { d["limits"]["complaint"][0]["name"] = "accept"; }),
             Catch::StartsWith("documents[0].limits.complaint[0].name:"));
  CHECK_THAT(load_error([](json& d) { d["limits"]["complaint"][0]["starts_on"][0] = "Received"; }),
             Catch::StartsWith("documents[0].limits.complaint[0].starts_on[0]:"));
  CHECK_THAT(load_error([](json& d) { d["limits"]["complaint"][0]["stops_on"] = json::array(); }),
             Catch::StartsWith("documents[0].limits.complaint[0].stops_on:"));
  CHECK_THAT(load_error([](json& d) { d["limits"]["complaint"][0].erase("confirmed"); }),
             Catch::StartsWith("documents[0].limits.complaint[0].confirmed:"));
  CHECK_THAT(load_error([](json& d) { d["limits"]["complaint"][0]["deadline"] = 1; }),
             Catch::StartsWith("documents[0].limits.complaint[0].deadline: unknown key"));
  CHECK_THAT(load_error([](json& d) {
               auto& limit = d["limits"]["complaint"][0];
               limit["unit"] = "hours";
               limit["extension_max"] = 2;
             }),
             Catch::StartsWith("documents[0].limits.complaint[0].extension_max:"));
  CHECK_THAT(
      load_error([](json& d) { d["limits"]["complaint"].push_back(d["limits"]["complaint"][0]); }),
      Catch::Contains("duplicate limit complaint.accept_decision"));
  CHECK_THAT(load_error([](json& d) { d["limits"]["complaints"] = json::array(); }),
             Catch::StartsWith("documents[0].limits.complaints: not a ticket type"));
  CHECK_THAT(load_error([](json& d) { d["in_force_from"] = "2030-02-30"; }),
             Catch::StartsWith("documents[0].in_force_from:"));
  CHECK_THAT(load_error([](json& d) { d["in_force_until"] = "2029-12-31"; }),
             Catch::StartsWith("documents[0].in_force_until: before in_force_from"));
  CHECK_THAT(load_error([](json& d) { d["scope"] = "shandong"; }),
             Catch::StartsWith("documents[0].scope:"));
  CHECK_THAT(load_error([](json& d) { d["switches"].erase("parallel_transfer"); }),
             Catch::StartsWith("documents[0].switches.parallel_transfer:"));
  CHECK_THAT(load_error([](json& d) { d["refusal_grounds"][0]["id"] = 4; }),
             Catch::StartsWith("documents[0].refusal_grounds[0].id:"));
  CHECK_THAT(load_error([](json& d) { d["parent"] = "samr-order-20@2022-09-29"; }),
             Catch::StartsWith("documents[0]: test-rules@1: a national document has no parent"));
  CHECK_THAT(load_error([](json& d) {
               d["scope"] = "37";
               d["parent"] = "nowhere@1";
             }),
             Catch::Contains("parent \"nowhere@1\" is not in the set"));
}

TEST_CASE("a set refuses malformed JSON and overlapping documents", "[policy]") {
  const auto garbage = PolicySet::load("{\"documents\": [");
  REQUIRE_FALSE(garbage);
  CHECK(garbage.error().code == "policies.bad_document");
  CHECK(garbage.error().message == "(root): not valid JSON");

  const auto no_list = PolicySet::load("{\"docs\": []}");
  REQUIRE_FALSE(no_list);
  CHECK_THAT(no_list.error().message, Catch::StartsWith("docs: unknown key"));

  json later = small_document();
  later["version"] = "2";
  later["in_force_from"] = "2031-01-01";
  const auto overlapping =
      PolicySet::load(json{{"documents", json::array({small_document(), later})}}.dump());
  REQUIRE_FALSE(overlapping);
  CHECK(overlapping.error().code == "policies.bad_document");
  CHECK_THAT(overlapping.error().message, Catch::Contains("test-rules@1 also is"));

  json earlier = small_document();
  earlier["in_force_until"] = "2030-12-31";
  const auto consecutive =
      PolicySet::load(json{{"documents", json::array({earlier, later})}}.dump());
  CHECK(consecutive);
}

TEST_CASE("a province may tighten its parent", "[policy]") {
  const PolicyDocument province = shandong();
  CHECK(check_only_tightens(builtin(kOrder20), province));

  PolicySet set = PolicySet::builtin();
  REQUIRE(set.add(province));
  const auto in_shandong = set.in_force_on(cst(2025, 6, 1, 9), "370102");
  REQUIRE(in_shandong);
  CHECK((*in_shandong)->ref() == "sd-rapid-response@2020-04-01");
  CHECK((*in_shandong)->limit("complaint.dispatch")->period.amount == 2);
  CHECK((*in_shandong)->limit("complaint.mediation")->period.amount == 30);
  CHECK((*set.in_force_on(cst(2025, 6, 1, 9), "110101"))->ref() == kOrder20);
  CHECK((*set.in_force_on(cst(2020, 3, 31, 9), "370102"))->ref() == kOrder20);
  CHECK((*set.in_force_on(cst(2026, 5, 1, 9), "370102"))->ref() == kOrder121);

  const auto again = set.add(province);
  REQUIRE_FALSE(again);
  CHECK(again.error().code == "policies.bad_document");
}

TEST_CASE("periods in other units are compared only where the order is certain", "[policy]") {
  const auto mediation_as = [](std::int64_t amount, PeriodUnit unit) {
    PolicyDocument child = shandong();
    limit_of(child, "complaint.mediation").period = {amount, unit};
    return static_cast<bool>(check_only_tightens(builtin(kOrder20), child));
  };
  CHECK(mediation_as(45, PeriodUnit::working_days));
  CHECK(mediation_as(45, PeriodUnit::days));
  CHECK(mediation_as(45 * 24, PeriodUnit::hours));
  CHECK_FALSE(mediation_as(46, PeriodUnit::working_days));
  CHECK_FALSE(mediation_as(46, PeriodUnit::days));
  CHECK_FALSE(mediation_as(45 * 24 + 1, PeriodUnit::hours));
  CHECK_FALSE(mediation_as(1, PeriodUnit::years));
}

TEST_CASE("a province may not loosen its parent", "[policy]") {
  CHECK_THAT(
      loosening([](PolicyDocument& d) { limit_of(d, "complaint.mediation").period.amount = 46; }),
      Catch::Contains("complaint.mediation is longer"));
  CHECK_THAT(loosening([](PolicyDocument& d) { limit_of(d, "report.verify").extension_max = 16; }),
             Catch::Contains("report.verify may be extended"));
  CHECK_THAT(loosening([](PolicyDocument& d) {
               Limit& verify = limit_of(d, "report.verify");
               verify.period.amount = 10;
               verify.extension_max = 21;
             }),
             Catch::Contains("report.verify may be extended"));
  CHECK_THAT(loosening([](PolicyDocument& d) {
               std::erase_if(d.limits, [](const Limit& l) { return l.name == "report.verify"; });
             }),
             Catch::Contains("report.verify is missing"));
  CHECK_THAT(loosening([](PolicyDocument& d) {
               limit_of(d, "complaint.accept_decision").stops_on.push_back("message");
             }),
             Catch::Contains("stops on an event"));
  CHECK_THAT(loosening([](PolicyDocument& d) {
               limit_of(d, "complaint.accept_decision").starts_on = {"accepted"};
             }),
             Catch::Contains("starts on other events"));
  CHECK_THAT(loosening([](PolicyDocument& d) {
               limit_of(d, "complaint.accept_decision").real_name_only = true;
             }),
             Catch::Contains("real-name"));
  CHECK_THAT(loosening([](PolicyDocument& d) {
               d.refusal_grounds.push_back({"sd.art1.1", "none", "no reason", false});
             }),
             Catch::Contains("refusal ground sd.art1.1"));
  CHECK_THAT(loosening([](PolicyDocument& d) { d.switches.complaint_max_age_years = 2; }),
             Catch::Contains("complaint_max_age_years"));
  CHECK_THAT(loosening([](PolicyDocument& d) {
               d.in_force_until = CivilDate{2027, 1, 1};
             }),
             Catch::Contains("in force outside"));
  CHECK_THAT(
      loosening([](PolicyDocument& d) { d.switches.return_visit_required = false; }, kOrder121),
      Catch::Contains("return visits"));

  PolicyDocument looser = shandong();
  limit_of(looser, "complaint.accept_decision").period.amount = 8;
  PolicySet set = PolicySet::builtin();
  const auto added = set.add(looser);
  REQUIRE_FALSE(added);
  CHECK(added.error().code == "policies.loosens_parent");
  CHECK_THAT(added.error().message, Catch::StartsWith("sd-rapid-response@2020-04-01: limit"));
}

TEST_CASE("signed documents are verified over their exact bytes", "[policy]") {
  const auto key = wq::crypto::SigningKeyPair::generate();
  const std::string text = small_document().dump();
  const auto signature =
      wq::crypto::sign(key, wq::crypto::Domain::policy, wq::crypto::as_bytes(text));

  const auto document = verify_signed_document(text, signature, key.public_key);
  REQUIRE(document);
  CHECK(document->ref() == "test-rules@1");

  std::string tampered = text;
  tampered[tampered.find("\"amount\":7") + 9] = '9';
  const auto changed = verify_signed_document(tampered, signature, key.public_key);
  REQUIRE_FALSE(changed);
  CHECK(changed.error().code == "policies.bad_signature");

  const auto as_event =
      wq::crypto::sign(key, wq::crypto::Domain::event, wq::crypto::as_bytes(text));
  CHECK(verify_signed_document(text, as_event, key.public_key).error().code ==
        "policies.bad_signature");
  const auto other = wq::crypto::SigningKeyPair::generate();
  CHECK(verify_signed_document(text, signature, other.public_key).error().code ==
        "policies.bad_signature");

  const std::string not_a_document = "{\"hello\": 1}";
  const auto signed_garbage =
      wq::crypto::sign(key, wq::crypto::Domain::policy, wq::crypto::as_bytes(not_a_document));
  CHECK(verify_signed_document(not_a_document, signed_garbage, key.public_key).error().code ==
        "policies.bad_document");
}
