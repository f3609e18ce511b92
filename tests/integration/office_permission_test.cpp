// Who may see and do what at a real county office over HTTP: businesses see only the complaints
// handed to them and never a report, consumers only their own tickets, only a supervisor reopens,
// an admin has no queue, and a request without a live session is refused.

#include <catch2/catch.hpp>
#include <filesystem>

#include "office_fixture.h"
#include "weiquan/node/office_db.h"

using namespace wq::testing;

namespace {

std::string accepted_complaint(const Office& office, const BusinessRow& business,
                               const Consumer& consumer, const std::string& officer) {
  const std::string id =
      office.file(complaint_about(business, "家用电器"), consumer.token).at("id");
  const ApiAnswer accepted = office.act(id, officer, {{"action", "accept"}});
  INFO(accepted.raw);
  REQUIRE(accepted.status == 200);
  return id;
}

bool contains(const std::vector<std::string>& ids, const std::string& id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

std::string state_of(const Office& office, const std::string& id, const std::string& token) {
  const ApiAnswer answer = office.ticket(id, token);
  INFO(answer.raw);
  REQUIRE(answer.status == 200);
  return answer.body.at("state");
}

}  // namespace

TEST_CASE("office: a business sees only the complaints handed to it and never a report",
          "[office]") {
  Office office;
  const Consumer consumer = office.register_consumer("张伟", 11);
  const std::string officer = office.login(office.officer());
  const std::string shop = office.login(office.shop_enterprise());
  const std::string restaurant = office.login(office.restaurant_enterprise());

  const std::string handed = accepted_complaint(office, office.shop(), consumer, officer);
  REQUIRE(office.act(handed, officer, {{"action", "assign"}, {"to", "enterprise"}}).status == 200);
  const std::string kept = accepted_complaint(office, office.shop(), consumer, officer);
  const std::string report = office.file(report_about(office.shop())).at("id");
  const std::string other =
      office.file(complaint_about(office.restaurant(), "餐饮服务"), consumer.token).at("id");

  CHECK(state_of(office, handed, shop) == "with_enterprise");
  CHECK(queue_ids(office.queue(shop)) == std::vector<std::string>{handed});

  // Another business's complaint, even one handed to that business: as if it did not exist.
  require_error(office.ticket(handed, restaurant), 404, "node.unknown_ticket");
  require_error(office.ticket(other, restaurant), 404, "node.unknown_ticket");
  CHECK(queue_ids(office.queue(restaurant)).empty());
  require_error(office.act(handed, restaurant, {{"action", "message"}, {"text", "你好"}}), 404,
                "node.unknown_ticket");
  // Its own business's complaint while the office keeps it, and a report about it: not at all.
  require_error(office.ticket(kept, shop), 404, "node.unknown_ticket");
  require_error(office.ticket(report, shop), 404, "node.unknown_ticket");
  require_error(office.act(report, shop, {{"action", "message"}, {"text", "举报不实"}}), 404,
                "node.unknown_ticket");
  for (const char* query : {"type=report", "closed=true", "closed=false"}) {
    CHECK_FALSE(contains(queue_ids(office.queue(shop, query)), report));
  }
  CHECK(queue_ids(office.queue(shop, "type=report")).empty());
  // On the complaint it settles, the business may not take the office's steps.
  require_error(
      office.act(handed, shop, {{"action", "close"}, {"result", "agreement"}, {"text", "已处理"}}),
      403, "node.forbidden");
  require_error(office.act(handed, shop, {{"action", "assign"}, {"to", "officer"}}), 403,
                "node.forbidden");
  CHECK(state_of(office, handed, officer) == "with_enterprise");
  CHECK(office.stop() == 0);
}

TEST_CASE("office: a consumer sees and acts on only their own tickets", "[office]") {
  Office office;
  const Consumer alice = office.register_consumer("张伟", 21);
  const Consumer bob = office.register_consumer("李娜", 22);
  const std::string officer = office.login(office.officer());

  const std::string mine =
      office.file(complaint_about(office.shop(), "家用电器"), alice.token).at("id");
  const std::string theirs =
      office.file(complaint_about(office.shop(), "家用电器"), bob.token).at("id");
  const std::string anonymous = office.file(report_about(office.shop())).at("id");

  CHECK(queue_ids(office.queue(alice.token)) == std::vector<std::string>{mine});
  CHECK(queue_ids(office.queue(bob.token)) == std::vector<std::string>{theirs});
  require_error(office.ticket(theirs, alice.token), 404, "node.unknown_ticket");
  require_error(office.ticket(anonymous, alice.token), 404, "node.unknown_ticket");
  require_error(office.act(theirs, alice.token, {{"action", "message"}, {"text", "你好"}}), 404,
                "node.unknown_ticket");
  require_error(
      office.get("/api/v1/tickets/" + theirs + "/evidence/" + std::string(64, 'a'), alice.token),
      404, "node.unknown_evidence");
  // Nor may a stranger put files on the office's disk through someone else's ticket.
  const std::string png = std::string("\x89PNG\r\n\x1A\n", 8) + "a stranger's picture";
  require_error(office.request("POST", "/api/v1/tickets/" + theirs + "/evidence", alice.token, png,
                               "image/png"),
                404, "node.unknown_ticket");
  CHECK_FALSE(std::filesystem::exists(std::filesystem::path(office.county_dir()) / "evidence"));

  // Staff steps on their own ticket are not the consumer's to take.
  require_error(office.act(mine, alice.token, {{"action", "accept"}}), 403, "node.forbidden");
  require_error(office.act(mine, alice.token, {{"action", "merge"}, {"into", theirs}}), 403,
                "node.forbidden");
  CHECK(state_of(office, mine, officer) == "received");
  CHECK(office.ticket(mine, officer).body.at("events") == 3);
  CHECK(office.stop() == 0);
}

TEST_CASE("office: only a supervisor reopens a closed complaint", "[office]") {
  Office office;
  const Consumer consumer = office.register_consumer("王磊", 31);
  const std::string officer = office.login(office.officer());
  const std::string supervisor = office.login(office.supervisor());

  const std::string id = accepted_complaint(office, office.shop(), consumer, officer);
  REQUIRE(office
              .act(id, officer,
                   {{"action", "close"}, {"result", "withdrawn"}, {"text", "消费者撤回投诉。"}})
              .status == 200);

  const ApiAnswer refused = office.act(id, officer, {{"action", "reopen"}, {"reason", "复查"}});
  INFO(refused.raw);
  // The lifecycle rules (policies.md) give reopening to supervisors: a role refusal (403), or a
  // transition refusal (409) — each with its own code (api.md, Application errors).
  const std::string code = refused.error_code();
  CHECK(((refused.status == 403 && code == "policies.forbidden_role") ||
         (refused.status == 409 && code == "policies.forbidden_transition")));
  CHECK(state_of(office, id, officer) == "closed");

  const ApiAnswer reopened =
      office.act(id, supervisor, {{"action", "reopen"}, {"reason", "消费者反映退款未到账"}});
  INFO(reopened.raw);
  REQUIRE(reopened.status == 200);
  CHECK(reopened.body.at("ticket").at("state") == "accepted");
  CHECK(office.stop() == 0);
}

TEST_CASE("office: an admin account has no queue and no tickets", "[office]") {
  Office office;
  const Consumer consumer = office.register_consumer("赵敏", 41);
  const std::string admin = office.login(office.admin());
  const std::string id =
      office.file(complaint_about(office.shop(), "家用电器"), consumer.token).at("id");

  require_error(office.queue(admin), 403, "node.forbidden");
  require_error(office.ticket(id, admin), 404, "node.unknown_ticket");
  require_error(office.act(id, admin, {{"action", "accept"}}), 404, "node.unknown_ticket");
  require_error(office.post("/api/v1/tickets", report_about(office.shop()), admin), 403,
                "node.forbidden");
  const ApiAnswer me = office.get("/api/v1/me", admin);
  REQUIRE(me.status == 200);
  CHECK(me.body.at("role") == "admin");
  CHECK(office.stop() == 0);
}

TEST_CASE("office: without a live session there is no access", "[office]") {
  Office office;
  const Consumer consumer = office.register_consumer("孙丽", 51);
  const std::string officer = office.login(office.officer());
  const std::string id =
      office.file(complaint_about(office.shop(), "家用电器"), consumer.token).at("id");

  require_error(office.queue(""), 401, "node.unauthenticated");
  require_error(office.ticket(id, ""), 401, "node.unauthenticated");
  require_error(office.act(id, "", {{"action", "accept"}}), 401, "node.unauthenticated");
  require_error(office.get("/api/v1/me"), 401, "node.unauthenticated");

  const std::string garbage = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
  require_error(office.queue(garbage), 401, "node.unauthenticated");
  require_error(office.act(id, garbage, {{"action", "accept"}}), 401, "node.unauthenticated");
  require_error(office.queue("not a token at all"), 401, "node.unauthenticated");
  require_error(office.queue(officer + "x"), 401, "node.unauthenticated");

  require_error(office.post("/api/v1/login",
                            {{"login", office.officer().login}, {"password", "wrong-password"}}),
                401, "node.bad_credentials");
  require_error(
      office.post("/api/v1/login", {{"login", "nobody-here"}, {"password", "whatever12"}}), 401,
      "node.bad_credentials");

  // Logged out: the token is dead.
  const std::string short_lived = office.login(office.supervisor());
  REQUIRE(office.post("/api/v1/logout", json::object(), short_lived).status == 200);
  require_error(office.queue(short_lived), 401, "node.unauthenticated");

  // Expired: with the node stopped, the session's expiry is moved into the past in office.db
  // (sessions last 8 hours; the test cannot wait that long).
  REQUIRE(office.queue(officer).status == 200);
  REQUIRE(office.stop() == 0);
  {
    auto db = wq::node::OfficeDb::open(office.county_dir() + "/office.db");
    REQUIRE(db.ok());
    auto lock = db->lock();
    auto update = lock.statement("UPDATE sessions SET expires_at_ms = ?1");
    REQUIRE(update.ok());
    REQUIRE((*update)->bind(1, now_ms() - 60'000).run().ok());
  }
  office.start();
  require_error(office.queue(officer), 401, "node.session_expired");
  require_error(office.ticket(id, consumer.token), 401, "node.session_expired");
  require_error(office.act(id, officer, {{"action", "accept"}}), 401, "node.session_expired");
  // Nothing was done with the dead sessions; a fresh login works.
  const std::string fresh = office.login(office.officer());
  const ApiAnswer seen = office.ticket(id, fresh);
  REQUIRE(seen.status == 200);
  CHECK(seen.body.at("state") == "received");
  CHECK(seen.body.at("events") == 3);
  CHECK(office.stop() == 0);
}
