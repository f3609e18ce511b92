// Bad input at a real county office over HTTP: each is refused with the documented JSON error, the
// node keeps serving and nothing changes. And SIGTERM while submissions are in flight: every one
// that was answered 201 is there after a restart.

#include <catch2/catch.hpp>
#include <latch>
#include <thread>

#include "http_client.h"
#include "office_fixture.h"

using namespace std::chrono_literals;
using namespace wq::testing;

namespace {

// What a bad request must leave as it was: the officer's queue (ids, states, event counts) and the
// consumer's.
std::string snapshot(const Office& office, const std::string& officer,
                     const std::string& consumer) {
  std::string out;
  for (const std::string& token : {officer, consumer}) {
    for (const char* query : {"", "closed=true"}) {
      const ApiAnswer queue = office.queue(token, query);
      INFO(queue.raw);
      REQUIRE(queue.status == 200);
      for (const auto& row : queue.body.at("tickets")) {
        out += row.at("id").get<std::string>() + " " + row.at("state").get<std::string>() + " " +
               std::to_string(row.at("events").get<int>()) + "\n";
      }
      out += "--\n";
    }
  }
  return out;
}

std::string nested(int depth) {
  std::string out(static_cast<std::size_t>(depth), '[');
  out.push_back('1');
  out.append(static_cast<std::size_t>(depth), ']');
  return out;
}

}  // namespace

TEST_CASE("office: bad input is refused with a JSON error and changes nothing", "[office]") {
  Office office;
  const Consumer consumer = office.register_consumer("张伟", 61);
  const std::string officer = office.login(office.officer());
  const std::string id =
      office.file(complaint_about(office.shop(), "家用电器"), consumer.token).at("id");
  const std::string before = snapshot(office, officer, consumer.token);
  const std::string tickets = "/api/v1/tickets";

  // Each check: the documented error, then the node still serves and nothing changed.
  const auto refused = [&](const ApiAnswer& answer, int status, const std::string& code) {
    INFO("answer " << answer.status << ": " << answer.raw);
    CHECK(answer.status == status);
    CHECK(answer.content_type == "application/json");
    CHECK(answer.error_code() == code);
    CHECK(office.healthy());
    CHECK(snapshot(office, officer, consumer.token) == before);
  };

  {  // malformed JSON
    refused(office.request("POST", tickets, consumer.token, R"({"type": "complaint",)"), 400,
            "node.bad_json");
    refused(office.request("POST", tickets, consumer.token, "[1, 2, 3]"), 400, "node.bad_json");
    refused(office.request("POST", tickets + "/" + id + "/actions", officer, "accept"), 400,
            "node.bad_json");
    refused(office.request("POST", "/api/v1/login", "", "{\"login\": \"officer-1\"\xFF}"), 400,
            "node.bad_json");
  }
  {  // JSON nested 100 deep
    const std::string deep = R"({"type": "complaint", "description": )" + nested(100) + "}";
    refused(office.request("POST", tickets, consumer.token, deep), 400, "node.bad_json");
    refused(office.request("POST", tickets + "/" + id + "/actions", officer,
                           R"({"action": "accept", "note": )" + nested(100) + "}"),
            400, "node.bad_json");
  }
  {  // a body over 1 MiB: 413, decided from Content-Length
    HttpClient client(office.port());
    const std::size_t size = 1024 * 1024 + 1;
    REQUIRE(
        client.send_raw("POST /api/v1/tickets HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: "
                        "Bearer " +
                        consumer.token + "\r\nContent-Type: application/json\r\n" +
                        "Content-Length: " + std::to_string(size) + "\r\n\r\n" +
                        R"({"type": "complaint", "description": ")" + std::string(1000, 'x')));
    const auto reply = client.read_reply(deadline_in(10s));
    REQUIRE(reply);
    ApiAnswer answer;
    answer.status = reply->status;
    answer.raw = reply->body;
    answer.content_type = reply->header("content-type");
    answer.body = json::parse(reply->body, nullptr, false);
    refused(answer, 413, "http.payload_too_large");
    CHECK(client.closed_by_peer(deadline_in(10s)));
  }
  {  // unknown fields
    json body = complaint_about(office.shop(), "家用电器");
    body["colour"] = "red";
    refused(office.post(tickets, body, consumer.token), 400, "node.unknown_field");
    body = complaint_about(office.shop(), "家用电器");
    body["business"]["owner"] = "某人";
    refused(office.post(tickets, body, consumer.token), 400, "node.unknown_field");
    refused(office.act(id, officer, {{"action", "accept"}, {"notes", "typo"}}), 400,
            "node.unknown_field");
  }
  {  // a USCC with a wrong check character
    BusinessRow wrong = office.shop();
    wrong.uscc = with_wrong_check(wrong.uscc);
    refused(office.post(tickets, complaint_about(wrong, "家用电器"), consumer.token), 422,
            "policies.invalid_uscc");
  }
  {  // an ID number with a wrong check character at registration
    const std::string phone = "13700001111";
    const json person = {{"name", "周杰"},
                         {"id_number", with_wrong_check(make_id_number("11010519851111123"))},
                         {"phone", phone},
                         {"address", ""},
                         {"password", "long-enough-password"}};
    refused(office.post("/api/v1/consumers", person), 422, "policies.invalid_id_number");
    // No account was made: the phone is still free.
    require_error(
        office.post("/api/v1/login", {{"login", phone}, {"password", person["password"]}}), 401,
        "node.bad_credentials");
    json fixed = person;
    fixed["id_number"] = make_id_number("11010519851111123");
    CHECK(office.post("/api/v1/consumers", fixed).status == 201);
  }
  {  // an unknown action
    refused(office.act(id, officer, {{"action", "teleport"}}), 400, "node.bad_action");
  }
  {  // a step the ticket's state forbids: closing a complaint still received
    refused(office.act(id, officer,
                       {{"action", "close"}, {"result", "agreement"}, {"text", "直接办结"}}),
            409, "policies.forbidden_transition");
  }
  {  // refusing on a ground the policy does not have
    refused(
        office.act(
            id, officer,
            {{"action", "refuse"}, {"ground", "order121.art99.1"}, {"explanation", "没有这一项"}}),
        422, "policies.unknown_ground");
  }
  {  // bad query parameters
    refused(office.queue(officer, "limit=abc"), 400, "node.bad_query");
    refused(office.queue(officer, "limit=100000"), 400, "node.bad_query");
    refused(office.queue(officer, "colour=red"), 400, "node.bad_query");
    refused(office.queue(officer, "due_before=yesterday"), 400, "node.bad_query");
    refused(office.queue(officer, "closed=maybe"), 400, "node.bad_query");
    refused(office.queue(officer, "state=%zz"), 400, "node.bad_query");
  }
  CHECK(office.stop() == 0);
}

TEST_CASE("office: SIGTERM with submissions in flight loses none that was answered 201",
          "[office]") {
  Office office;
  constexpr int kSubmissions = 24;
  const std::string body = report_about(office.shop()).dump();
  const std::string request =
      "POST /api/v1/tickets HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
      "Content-Length: " +
      std::to_string(body.size()) + "\r\n\r\n" + body;

  // Each client first has a request answered on its keep-alive connection, so the node has
  // accepted every connection; then all submit at once and the node gets SIGTERM as soon as every
  // submission is sent.
  std::vector<int> statuses(kSubmissions, -1);
  std::vector<std::string> replies(kSubmissions);
  std::latch connected(kSubmissions);
  std::latch sent(kSubmissions);
  std::vector<std::thread> clients;
  for (int i = 0; i < kSubmissions; ++i) {
    clients.emplace_back([&, i] {
      const auto slot = static_cast<std::size_t>(i);
      HttpClient client(office.port());
      const bool warm = client.send("GET", "/health") && client.read_reply(deadline_in(10s));
      connected.arrive_and_wait();
      const bool ok = warm && client.send_raw(request);
      sent.count_down();
      if (!ok) return;
      statuses[slot] = 0;
      if (const auto reply = client.read_reply(deadline_in(20s))) {
        statuses[slot] = reply->status;
        replies[slot] = reply->body;
      }
    });
  }
  sent.wait();
  office.send_sigterm();
  for (auto& client : clients) client.join();
  const int status = office.wait_exit();
  INFO(office.node_log());
  CHECK(status == 0);

  std::vector<std::string> answered;
  std::string outcomes;
  for (int i = 0; i < kSubmissions; ++i) {
    const auto slot = static_cast<std::size_t>(i);
    outcomes += std::to_string(statuses[slot]) + " ";
    INFO("submission " << i << ": " << statuses[slot] << " " << replies[slot]);
    // Sent, then answered 201, turned away with 503, or cut unanswered by the shutdown.
    CHECK((statuses[slot] == 0 || statuses[slot] == 201 || statuses[slot] == 503));
    if (statuses[slot] == 201) answered.push_back(json::parse(replies[slot]).at("id"));
  }
  INFO("statuses: " << outcomes);

  office.start();
  const std::string officer = office.login(office.officer());
  for (const auto& id : answered) {
    const ApiAnswer seen = office.ticket(id, officer);
    INFO(id << ": " << seen.raw);
    REQUIRE(seen.status == 200);
    CHECK(seen.body.at("state") == "received");
  }
  // Nothing half-written: every ticket the restarted node has is whole.
  const ApiAnswer queue = office.queue(officer, "limit=500");
  REQUIRE(queue_ids(queue).size() >= answered.size());
  for (const auto& row : queue.body.at("tickets")) {
    INFO(row.dump());
    CHECK(row.at("events") == 3);
    CHECK(row.at("state") == "received");
  }
  CHECK(office.stop() == 0);
}
