// Whole lives of tickets at a real county office over HTTP: a complaint from filing to the return
// visit, an anonymous report turned into a case, complaints settled by the business online (ODR)
// and taken back, a hotline registration dated back, duplicates merged, evidence uploaded.

#include <catch2/catch.hpp>
#include <sstream>

#include "office_fixture.h"
#include "process.h"
#include "weiquan/crypto/bytes.h"
#include "weiquan/crypto/hash.h"
#include "weiquan/crypto/signing.h"
#include "weiquan/node/node_dir.h"
#include "weiquan/policies/calendar.h"
#include "weiquan/v1/weiquan.pb.h"

using namespace wq::testing;

namespace {

constexpr std::int64_t kMinuteMs = 60'000;

// A step that must succeed: 200 and the ticket summary in the state expected.
json step(const Office& office, const std::string& id, const std::string& token, const json& action,
          const std::string& kind, const std::string& state) {
  const ApiAnswer answer = office.act(id, token, action);
  INFO(action.dump() << " -> " << answer.status << " " << answer.raw);
  REQUIRE(answer.status == 200);
  CHECK(answer.body.at("kind") == kind);
  CHECK(answer.body.at("ticket").at("state") == state);
  return answer.body.at("ticket");
}

json shown(const Office& office, const std::string& id, const std::string& token) {
  const ApiAnswer answer = office.ticket(id, token);
  INFO(answer.raw);
  REQUIRE(answer.status == 200);
  return answer.body;
}

wq::crypto::Bytes decoded(const json& base64) {
  auto bytes = wq::crypto::from_base64(base64.get<std::string>());
  REQUIRE(bytes.ok());
  return bytes.value();
}

// The exact signed body of a ticket's event in `weiquan export` of the node directory.
wq::crypto::Bytes exported_event(const Office& office, const std::string& id, int seq) {
  const ProcessResult result = run_weiquan({"export", "--dir", office.county_dir()});
  INFO(result.err);
  REQUIRE(result.exit_code == 0);
  std::istringstream lines(result.out);
  for (std::string line; std::getline(lines, line);) {
    const json record = json::parse(line);
    if (record.at("type") == "event" && record.at("ticket") == id && record.at("seq") == seq) {
      return decoded(record.at("body"));
    }
  }
  FAIL("no event " << id << " #" << seq << " in the export");
  return {};
}

// The receipt of a filing: its fields, and its Ed25519 signature by the county's key over
// "weiquan/v1/receipt" || 0x00 || body (docs/protocol.md §2, §5).
void check_receipt(const Office& office, const json& filed) {
  const std::string id = filed.at("id");
  const json& receipt = filed.at("receipt");
  CHECK(receipt.at("ticket_id") == id);
  CHECK(receipt.at("competent_office") == office.county());
  CHECK(std::llabs(api_ms(receipt.at("received_at")) - now_ms()) < kMinuteMs);
  CHECK(receipt.at("rule_version").get<std::string>().rfind("samr-order-", 0) == 0);
  const std::string filing_hash = receipt.at("filing_hash");
  CHECK(filing_hash.size() == 64);

  const json& signed_part = receipt.at("signed");
  CHECK(signed_part.at("signer") == office.county());
  const auto body = decoded(signed_part.at("body"));
  const auto signature = wq::crypto::to_array<64>(decoded(signed_part.at("signature")));
  REQUIRE(signature.ok());
  const auto request = wq::node::load_request(wq::node::NodeDir{office.county_dir()});
  REQUIRE(request.ok());
  CHECK(wq::crypto::verify(request->sign_key, wq::crypto::Domain::receipt, body, *signature));
  auto tampered = body;
  tampered.back() ^= 1;
  CHECK_FALSE(
      wq::crypto::verify(request->sign_key, wq::crypto::Domain::receipt, tampered, *signature));

  weiquan::v1::ReceiptBody decoded_body;
  REQUIRE(decoded_body.ParseFromArray(body.data(), static_cast<int>(body.size())));
  CHECK(decoded_body.version() == 1);
  CHECK(decoded_body.ticket_id() == id);
  CHECK(decoded_body.received_at_ms() == api_ms(receipt.at("received_at")));
  CHECK(decoded_body.competent_office() == office.county());
  CHECK(decoded_body.rule_version() == receipt.at("rule_version"));
  CHECK(wq::crypto::to_hex(wq::crypto::as_bytes(decoded_body.filing_hash())) == filing_hash);
  // The filing hash is the event id of the ticket's first event: BLAKE2b-256 of its signed bytes.
  CHECK(wq::crypto::to_hex(wq::crypto::blake2b_256(exported_event(office, id, 1))) == filing_hash);
}

bool contains(const std::vector<std::string>& ids, const std::string& id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

// The one timeline entry of `kind`.
json only_event(const json& ticket, const std::string& kind) {
  const auto found = events_of(ticket, kind);
  INFO(kind);
  REQUIRE(found.size() == 1);
  return found.front();
}

}  // namespace

TEST_CASE("office: a complaint from filing to the return visit", "[office]") {
  Office office;
  const Consumer consumer = office.register_consumer("张伟", 1);
  const std::string officer = office.login(office.officer());

  const json filed = office.file(complaint_about(office.shop(), "家用电器"), consumer.token);
  const std::string id = filed.at("id");
  CHECK(id.rfind(office.county() + "-", 0) == 0);
  CHECK(filed.at("state") == "received");
  CHECK(filed.at("possible_duplicates") == json::array());
  check_receipt(office, filed);

  // The consumer tracks it: routed to and received by the county, with their own data.
  json seen = shown(office, id, consumer.token);
  CHECK(timeline_kinds(seen) == std::vector<std::string>{"submitted", "routed", "received"});
  CHECK(seen.at("state") == "received");
  CHECK(seen.at("channel") == "web");
  CHECK(seen.at("holder") == office.county());
  CHECK(seen.at("business").at("uscc") == office.shop().uscc);
  CHECK(seen.at("business").at("name") == office.shop().name);
  CHECK(seen.at("consumer").at("name") == consumer.name);
  CHECK(seen.at("consumer").at("id_number") == consumer.id_number);
  CHECK(only_event(seen, "routed").at("details").at("to_node") == office.county());

  // The officer's queue holds it with the acceptance decision running.
  const ApiAnswer queue = office.queue(officer);
  REQUIRE(contains(queue_ids(queue), id));
  const json row = queue.body.at("tickets").at(0);
  CHECK(row.at("id") == id);
  const json accept_clock = deadline_named(row, "complaint.accept_decision");
  REQUIRE(accept_clock.is_object());
  CHECK(accept_clock.at("running") == true);
  CHECK(accept_clock.at("overdue") == false);
  CHECK(api_ms(accept_clock.at("due_at")) > now_ms());
  CHECK(api_ms(row.at("next_due_at")) == api_ms(accept_clock.at("due_at")));
  // Filtered by a deadline bound ahead of now: in before the due time, out after it.
  const std::int64_t due = api_ms(accept_clock.at("due_at"));
  const auto due_before = [](std::int64_t ms) {  // '+' of the offset percent-encoded
    std::string time = api_time(ms);
    return "due_before=" + time.replace(time.find('+'), 1, "%2B");
  };
  CHECK(contains(queue_ids(office.queue(officer, due_before(due + 1000))), id));
  CHECK_FALSE(contains(queue_ids(office.queue(officer, due_before(due - 1000))), id));

  json after = step(office, id, officer, {{"action", "accept"}, {"note", "符合受理条件"}},
                    "accepted", "accepted");
  CHECK(deadline_named(after, "complaint.accept_decision").at("running") == false);
  CHECK(deadline_named(after, "complaint.mediation").at("running") == true);

  step(office, id, officer, {{"action", "message"}, {"text", "请提供购买凭证。"}}, "message",
       "accepted");
  step(office, id, consumer.token, {{"action", "message"}, {"text", "已上传发票照片。"}}, "message",
       "accepted");
  step(office, id, officer, {{"action", "initial_feedback"}, {"text", "已联系商家，安排调解。"}},
       "initial_feedback", "accepted");
  step(office, id, officer,
       {{"action", "mediation_result"}, {"agreement", true}, {"text", "商家同意退货退款。"}},
       "mediation_result", "mediated");
  after = step(office, id, officer,
               {{"action", "close"},
                {"result", "agreement"},
                {"text", "调解成功，已退款。"},
                {"amount_recovered", "1299.00"}},
               "closed", "closed");
  CHECK(after.at("closed") == true);
  CHECK_FALSE(contains(queue_ids(office.queue(officer)), id));
  CHECK(contains(queue_ids(office.queue(officer, "closed=true")), id));

  step(office, id, consumer.token, {{"action", "visit"}, {"satisfaction", "satisfied"}}, "visited",
       "visited");

  seen = shown(office, id, consumer.token);
  CHECK(timeline_kinds(seen) == std::vector<std::string>{"submitted", "routed", "received",
                                                         "accepted", "message", "message",
                                                         "initial_feedback", "mediation_result",
                                                         "closed", "visited"});
  CHECK(seen.at("events") == 10);
  // Every step names who took it (签字负责制): the officer by account and name, the consumer by
  // account only.
  const json accepted = only_event(seen, "accepted");
  CHECK(accepted.at("author") == office.county());
  CHECK(accepted.at("actor").at("role") == "officer");
  CHECK(accepted.at("actor").at("id") == office.officer().account);
  CHECK(accepted.at("actor").at("name") == office.officer().name);
  CHECK(only_event(seen, "closed").at("actor").at("name") == office.officer().name);
  const auto messages = events_of(seen, "message");
  REQUIRE(messages.size() == 2);
  CHECK(messages[0].at("actor").at("name") == office.officer().name);
  CHECK(messages[1].at("actor").at("id") == consumer.account);
  CHECK(messages[1].at("details").at("text") == "已上传发票照片。");
  const json closed = only_event(seen, "closed").at("details");
  CHECK(closed.at("result") == "agreement");
  CHECK(closed.dump().find("129900") != std::string::npos);  // amount_recovered_fen
  CHECK(only_event(seen, "visited").at("actor").at("id") == consumer.account);
  CHECK(only_event(seen, "visited").at("details").dump().find("SATISFIED") != std::string::npos);
  CHECK(office.stop() == 0);
}

TEST_CASE("office: a ticket about another office's region is routed there, point to point",
          "[office]") {
  Office office;
  const Consumer consumer = office.register_consumer("陈静", 7);
  const std::string city = office.county().substr(0, 4);

  // The county knows the offices of its own chain only: the deepest that contains the neighbour
  // county is the city, and the national node for a region in another province.
  const json to_city = office.file(complaint_about(office.neighbour(), "家用电器"), consumer.token);
  CHECK(to_city.at("state") == "in_transit");
  CHECK(to_city.at("receipt").at("competent_office") == city);
  json seen = shown(office, to_city.at("id"), consumer.token);
  CHECK(timeline_kinds(seen) == std::vector<std::string>{"submitted", "routed"});
  CHECK(seen.at("holder") == city);
  CHECK(seen.at("intake_node") == office.county());

  json elsewhere = complaint_about(office.shop(), "家用电器");
  elsewhere["business"] = {{"name", "不在名录里的小店"}};
  elsewhere["region"] = "440305";
  const json to_national = office.file(elsewhere, consumer.token);
  CHECK(to_national.at("receipt").at("competent_office") == "cn");

  // The routed tickets are no longer the county's to handle.
  const std::string officer = office.login(office.officer());
  const ApiAnswer accept = office.act(to_city.at("id"), officer, {{"action", "accept"}});
  CHECK(accept.status == 409);
}

TEST_CASE("office: an anonymous report becomes a case and never shows who reported it",
          "[office]") {
  Office office;
  const std::string officer = office.login(office.officer());
  const std::string enterprise = office.login(office.shop_enterprise());

  const json filed = office.file(report_about(office.shop()));  // no token
  const std::string id = filed.at("id");
  CHECK(filed.at("state") == "received");

  json seen = shown(office, id, officer);
  CHECK(seen.at("type") == "report");
  CHECK(seen.at("anonymous") == true);
  CHECK(seen.at("consumer").is_null());
  CHECK(deadline_named(seen, "report.verify").at("running") == true);

  step(office, id, officer,
       {{"action", "convert_to_case"}, {"case_number", "东市监立〔2026〕101号"}},
       "converted_to_case", "case_opened");
  step(office, id, officer,
       {{"action", "close"}, {"result", "penalized"}, {"text", "已立案查处，责令改正并罚款。"}},
       "closed", "closed");

  seen = shown(office, id, officer);
  CHECK(timeline_kinds(seen) ==
        std::vector<std::string>{"submitted", "routed", "received", "converted_to_case", "closed"});
  CHECK(seen.at("consumer").is_null());
  for (const auto& event : seen.at("timeline")) {
    INFO(event.dump());
    const json& actor = event.at("actor");
    if (actor.at("role") == "consumer") {
      CHECK_FALSE(actor.contains("id"));
      CHECK_FALSE(actor.contains("name"));
    }
  }
  // The business it is about never sees it.
  require_error(office.ticket(id, enterprise), 404, "node.unknown_ticket");
  CHECK_FALSE(contains(queue_ids(office.queue(enterprise, "closed=true")), id));

  // A registered consumer who reports anonymously is not named anywhere either.
  const Consumer reporter = office.register_consumer("赵敏", 2);
  json anonymous = report_about(office.restaurant());
  anonymous["anonymous"] = true;
  const std::string second = office.file(anonymous, reporter.token).at("id");
  const std::string text = office.ticket(second, officer).raw;
  INFO(text);
  CHECK(json::parse(text).at("consumer").is_null());
  CHECK(text.find(reporter.account) == std::string::npos);
  CHECK(text.find(reporter.phone) == std::string::npos);
  CHECK(text.find(reporter.name) == std::string::npos);
  CHECK(text.find(reporter.id_number) == std::string::npos);
  CHECK(office.stop() == 0);
}

TEST_CASE("office: a complaint settled by the business online (ODR) and one taken back",
          "[office]") {
  Office office;
  const Consumer consumer = office.register_consumer("王磊", 3);
  const std::string officer = office.login(office.officer());
  const std::string enterprise = office.login(office.shop_enterprise());

  const std::string id =
      office.file(complaint_about(office.shop(), "家用电器"), consumer.token).at("id");
  step(office, id, officer, {{"action", "accept"}}, "accepted", "accepted");
  json after = step(office, id, officer, {{"action", "assign"}, {"to", "enterprise"}}, "assigned",
                    "with_enterprise");
  CHECK(after.at("assignee") == json({{"kind", "enterprise"}, {"id", office.shop().uscc}}));

  // The business sees it in its queue, with the ODR negotiation running, and the consumer's name
  // and phone to contact them — not their ID number.
  const ApiAnswer queue = office.queue(enterprise);
  REQUIRE(queue_ids(queue) == std::vector<std::string>{id});
  const json odr = deadline_named(queue.body.at("tickets").at(0), "complaint.odr_negotiation");
  REQUIRE(odr.is_object());
  CHECK(odr.at("running") == true);
  CHECK(api_ms(odr.at("due_at")) > now_ms());
  const json seen = shown(office, id, enterprise);
  CHECK(seen.at("consumer").at("name") == consumer.name);
  CHECK(seen.at("consumer").at("phone") == consumer.phone);
  CHECK_FALSE(seen.at("consumer").contains("id_number"));
  CHECK_FALSE(seen.at("consumer").contains("address"));
  CHECK(seen.dump().find(consumer.id_number) == std::string::npos);

  step(office, id, enterprise, {{"action", "message"}, {"text", "您好，我们同意为您退货。"}},
       "message", "with_enterprise");
  step(
      office, id, enterprise,
      {{"action", "mediation_result"}, {"agreement", true}, {"text", "已与消费者和解：退货退款。"}},
      "mediation_result", "mediated");
  step(office, id, officer,
       {{"action", "close"},
        {"result", "agreement"},
        {"text", "企业自行和解。"},
        {"amount_recovered", "1299"}},
       "closed", "closed");
  const json closed = shown(office, id, consumer.token);
  const json from_business = events_of(closed, "message").at(0);
  CHECK(from_business.at("actor").at("role") == "enterprise");
  CHECK(from_business.at("actor").at("id") == office.shop_enterprise().account);
  CHECK(only_event(closed, "mediation_result").at("actor").at("role") == "enterprise");

  // The second: the office takes the dispute back from the business and mediates itself.
  const std::string second =
      office.file(complaint_about(office.shop(), "售后服务"), consumer.token).at("id");
  step(office, second, officer, {{"action", "accept"}}, "accepted", "accepted");
  step(office, second, officer, {{"action", "assign"}, {"to", "enterprise"}}, "assigned",
       "with_enterprise");
  CHECK(queue_ids(office.queue(enterprise)) == std::vector<std::string>{second});
  after = step(office, second, officer, {{"action", "take_back"}, {"note", "企业逾期未处理"}},
               "assigned", "accepted");
  CHECK(after.at("assignee") == json({{"kind", "officer"}, {"id", office.officer().account}}));
  CHECK(queue_ids(office.queue(enterprise)).empty());
  require_error(office.ticket(second, enterprise), 404, "node.unknown_ticket");
  CHECK(office.stop() == 0);
}

TEST_CASE("office: a hotline complaint's deadlines run from the real receipt time", "[office]") {
  Office office;
  const std::string officer = office.login(office.officer());
  const Consumer caller{"", "刘洋", "13987654321", "", "", "", ""};
  const std::int64_t received = now_ms() - 3 * 24 * 60 * kMinuteMs;

  const json filed =
      office.file(hotline_complaint(office.shop(), "家用电器", caller, received), officer);
  const std::string id = filed.at("id");
  CHECK(api_ms(filed.at("receipt").at("received_at")) == received);
  // The ticket id carries the China date of receipt (docs/protocol.md §3).
  const auto date = wq::policies::cst_date(received);
  const std::string ymd = std::to_string(date.year) + (date.month < 10 ? "0" : "") +
                          std::to_string(date.month) + (date.day < 10 ? "0" : "") +
                          std::to_string(date.day);
  CHECK(id.find("-" + ymd + "-") != std::string::npos);

  const json seen = shown(office, id, officer);
  CHECK(seen.at("channel") == "hotline");
  CHECK(api_ms(seen.at("received_at")) == received);
  CHECK(seen.at("consumer").at("name") == caller.name);
  CHECK(seen.at("consumer").at("phone") == caller.phone);
  CHECK(only_event(seen, "submitted").at("actor").at("name") == office.officer().name);

  const json clock = deadline_named(seen, "complaint.accept_decision");
  REQUIRE(clock.is_object());
  INFO(clock.dump());
  CHECK(clock.at("running") == true);
  const std::int64_t due = api_ms(clock.at("due_at"));
  CHECK(due > received);
  // 7 working days from the day of receipt, not from the day it was registered.
  CHECK(due == working_days_after(received, 7));
  const auto& calendar = wq::policies::Calendar::builtin();
  bool working_day_since = false;
  for (auto day = wq::policies::cst_day(received) + 1; day <= wq::policies::cst_day(now_ms());
       ++day) {
    working_day_since = working_day_since || calendar.is_working_day(day);
  }
  if (working_day_since) {
    CHECK(due < working_days_after(now_ms(), 7));
  } else {
    CHECK(due <= working_days_after(now_ms(), 7));
  }
  CHECK(office.stop() == 0);
}

TEST_CASE("office: repeated complaints are flagged as duplicates and merged", "[office]") {
  Office office("440305");  // 南山区, Shenzhen
  const Consumer consumer = office.register_consumer("陈静", 4);
  const std::string officer = office.login(office.officer());

  const std::string first =
      office.file(complaint_about(office.shop(), "家用电器"), consumer.token).at("id");
  const json again = office.file(complaint_about(office.shop(), "家用电器"), consumer.token);
  const std::string second = again.at("id");
  CHECK(again.at("possible_duplicates") == json::array({first}));

  // Another matter, or another business, is not a duplicate.
  CHECK(office.file(complaint_about(office.shop(), "售后服务"), consumer.token)
            .at("possible_duplicates") == json::array());
  CHECK(office.file(complaint_about(office.restaurant(), "家用电器"), consumer.token)
            .at("possible_duplicates") == json::array());

  // The same person calls the hotline about the same matter: whatever the channel, a duplicate.
  const json called = office.file(
      hotline_complaint(office.shop(), "家用电器", consumer, now_ms() - kMinuteMs), officer);
  const std::string third = called.at("id");
  const auto twins = called.at("possible_duplicates").get<std::vector<std::string>>();
  CHECK(contains(twins, first));
  CHECK(contains(twins, second));
  CHECK(twins.size() == 2);
  const auto of_first =
      shown(office, first, officer).at("possible_duplicates").get<std::vector<std::string>>();
  CHECK(contains(of_first, second));
  CHECK(contains(of_first, third));

  step(office, third, officer, {{"action", "merge"}, {"into", first}}, "merged", "merged");
  const json seen = shown(office, third, officer);
  CHECK(only_event(seen, "merged").at("details").at("into_ticket") == first);
  CHECK(shown(office, first, officer).at("state") == "received");
  CHECK(office.stop() == 0);
}

TEST_CASE("office: evidence is stored as uploaded and only of the declared type", "[office]") {
  Office office;
  const Consumer consumer = office.register_consumer("孙丽", 5);
  const std::string officer = office.login(office.officer());
  const std::string id =
      office.file(complaint_about(office.shop(), "家用电器"), consumer.token).at("id");
  const std::string target = "/api/v1/tickets/" + id + "/evidence";

  // A 1x1 PNG: signature, IHDR, IDAT, IEND.
  static const char kPng[] =
      "\x89\x50\x4E\x47\x0D\x0A\x1A\x0A\x00\x00\x00\x0D\x49\x48\x44\x52\x00\x00\x00\x01\x00\x00"
      "\x00\x01\x08\x02\x00\x00\x00\x90\x77\x53\xDE\x00\x00\x00\x0C\x49\x44\x41\x54\x78\x9C\x63"
      "\xF8\xCF\xC0\x00\x00\x03\x01\x01\x00\xC9\xFE\x92\xEF\x00\x00\x00\x00\x49\x45\x4E\x44\xAE"
      "\x42\x60\x82";
  const std::string png(kPng, sizeof kPng - 1);
  REQUIRE(png.size() == 69);

  const ApiAnswer uploaded = office.request("POST", target, consumer.token, png, "image/png");
  INFO(uploaded.raw);
  REQUIRE(uploaded.status == 200);
  CHECK(uploaded.body.at("kind") == "evidence_added");
  CHECK(uploaded.body.at("ticket").at("events") == 4);

  const std::string hash = wq::crypto::to_hex(wq::crypto::blake2b_256(wq::crypto::as_bytes(png)));
  const json added = only_event(shown(office, id, officer), "evidence_added");
  CHECK(added.at("actor").at("id") == consumer.account);
  CHECK(added.at("details").at("media_type") == "image/png");
  const auto recorded =
      wq::crypto::from_base64(added.at("details").at("content_hash").get<std::string>());
  REQUIRE(recorded.ok());
  CHECK(wq::crypto::to_hex(*recorded) == hash);

  for (const std::string& token : {consumer.token, officer}) {
    const ApiAnswer download = office.get(target + "/" + hash, token);
    REQUIRE(download.status == 200);
    CHECK(download.content_type == "image/png");
    CHECK(download.raw == png);
  }
  require_error(office.get(target + "/" + std::string(64, '0'), officer), 404,
                "node.unknown_evidence");

  require_error(office.request("POST", target, consumer.token, "just some text", "text/plain"), 415,
                "node.unsupported_media_type");
  require_error(
      office.request("POST", target, consumer.token, "GIF89a, declared a PNG", "image/png"), 415,
      "node.unsupported_media_type");
  CHECK(shown(office, id, officer).at("events") == 4);
  CHECK(office.stop() == 0);
}
