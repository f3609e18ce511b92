// Offices federated over real NATS servers in a leaf-node tree, each a real `weiquan run --nats`
// process: tickets reach the office with jurisdiction point to point, every ancestor holds a copy
// exactly once, and a link that drops loses nothing.

#include <catch2/catch.hpp>
#include <csignal>

#include "federation_fixture.h"
#include "federation_trees.h"

using namespace wq::testing;

namespace {

json complaint_in(const std::string& region, const std::string& business) {
  return {{"type", "complaint"},
          {"business", {{"name", business}, {"region", region}}},
          {"category", "家用电器"},
          {"amount", "899.00"},
          {"description", "微波炉使用一周后无法加热，商家不予处理。"},
          {"demands", "更换新机"}};
}

std::vector<std::string> kinds(const json& ticket) {
  return timeline_kinds(ticket);
}

// Node `id`'s answer to GET /api/v1/federation, asked by its officer.
ApiAnswer status_of(FederationFixture& federation, const std::string& id) {
  return federation.get(id, "/api/v1/federation", federation.officer(id));
}

// Whether node `id` has completed a directory refresh with the national node, and so announced
// itself there.
bool directory_complete(FederationFixture& federation, const std::string& id) {
  const ApiAnswer status = status_of(federation, id);
  return status.status == 200 &&
         status.body.at("directory").at("last_complete_ms").get<std::int64_t>() > 0;
}

// Whether node `id` holds `ticket` with exactly these event kinds.
bool holds(FederationFixture& federation, const std::string& id, const std::string& ticket,
           const std::vector<std::string>& expected) {
  const auto seen = federation.ticket_at(id, ticket);
  return seen && kinds(*seen) == expected;
}

// Whether node `id` owes no event to any peer.
bool drained(FederationFixture& federation, const std::string& id) {
  const ApiAnswer status = status_of(federation, id);
  if (status.status != 200) return false;
  for (const json& peer : status.body.at("peers")) {
    if (peer.at("backlog").get<int>() != 0 || peer.at("in_flight").get<bool>()) return false;
  }
  return true;
}

// Files a complaint about `business` in `region` at node `at` as `consumer`; the answer's body.
json file_at(FederationFixture& federation, const std::string& at, const std::string& region,
             const std::string& business, const std::string& consumer) {
  return federation.post(at, "/api/v1/tickets", complaint_in(region, business), consumer).body;
}

// `action` on `ticket` by the officer of node `at`, which must accept it.
void act(FederationFixture& federation, const std::string& at, const std::string& ticket,
         const json& action) {
  const ApiAnswer answer =
      federation.post(at, "/api/v1/tickets/" + ticket + "/actions", action, federation.officer(at));
  INFO(answer.raw);
  REQUIRE(answer.status == 200);
}

// Each of `nodes` comes to hold `ticket` with exactly these event kinds within `timeout`.
void check_held_at(FederationFixture& federation, const std::vector<std::string>& nodes,
                   const std::string& ticket, const std::vector<std::string>& expected,
                   std::chrono::milliseconds timeout = std::chrono::seconds(30)) {
  for (const std::string& node : nodes) {
    INFO(ticket << " at " << node);
    CHECK(eventually([&] { return holds(federation, node, ticket, expected); }, timeout));
  }
}

const std::vector<std::string> kReceivedHere = {"submitted", "routed", "received"};

}  // namespace

TEST_CASE("federation: a ticket filed at a county reaches every ancestor exactly once",
          "[federation]") {
  FederationFixture federation(kBeijingChain);
  const std::string consumer = federation.consumer("110101", "刘洋", 1);
  const json filed = file_at(federation, "110101", "110101", "东城区某电器行", consumer);
  REQUIRE(filed.at("state") == "received");
  const std::string id = filed.at("id");

  check_held_at(federation, {"1101", "11", "cn"}, id, kReceivedHere);
  for (const std::string node : {"1101", "11", "cn"}) {
    INFO("at " << node);
    // Ancestors watch without the consumer's personal data.
    const auto seen_at = federation.ticket_at(node, id);
    REQUIRE(seen_at.has_value());
    const json& seen = *seen_at;
    CHECK(seen.at("holder") == "110101");
    CHECK(seen.at("consumer").is_null());
  }
  CHECK(eventually([&] { return drained(federation, "110101"); }));

  const ApiAnswer status = status_of(federation, "110101");
  CHECK(status.body.at("link") == "up");
  CHECK(status.body.at("counters").at("events_sent").get<int>() >= 9);
  // The anti-entropy pass with the parent (run at start) found nothing to repair.
  CHECK(eventually([&] {
    const ApiAnswer now = status_of(federation, "110101");
    const json& pass = now.body.at("anti_entropy");
    return pass.at("last_complete_ms").get<std::int64_t>() > 0 && pass.at("last_error") == "";
  }));
}

TEST_CASE("federation: a ticket filed at the national portal goes point to point to the county",
          "[federation]") {
  FederationFixture federation(kBeijingChain);
  // The county has announced itself to the national directory once its first refresh completed.
  REQUIRE(eventually([&] { return directory_complete(federation, "110101"); }));

  const std::string consumer = federation.consumer("cn", "孙丽", 2);
  const ApiAnswer answer =
      federation.post("cn", "/api/v1/tickets", complaint_in("110101", "东城区某超市"), consumer);
  INFO(answer.raw);
  REQUIRE(answer.status == 201);
  CHECK(answer.body.at("state") == "in_transit");
  CHECK(answer.body.at("receipt").at("competent_office") == "110101");
  const std::string id = answer.body.at("id");

  // The county takes it in; the intake node and every ancestor of the county learn of it.
  REQUIRE(eventually([&] { return holds(federation, "110101", id, kReceivedHere); }));
  const json at_county = *federation.ticket_at("110101", id);
  CHECK(at_county.at("state") == "received");
  CHECK(at_county.at("holder") == "110101");
  CHECK(at_county.at("intake_node") == "cn");
  check_held_at(federation, {"cn", "11", "1101"}, id, kReceivedHere);
  // The consumer tracks it where they filed it.
  const ApiAnswer tracked = federation.get("cn", "/api/v1/tickets/" + id, consumer);
  CHECK(tracked.status == 200);
  CHECK(tracked.body.at("state") == "received");
}

TEST_CASE("federation: tickets filed while the city's NATS server is down arrive after it returns",
          "[federation]") {
  FederationFixture federation(kBeijingChain);
  const std::string consumer = federation.consumer("110101", "赵敏", 3);
  federation.nats("1101").stop();

  std::vector<std::string> ids;
  for (int i = 0; i < 15; ++i) {  // a steady load while the link is down
    const json filed = file_at(federation, "110101", "110101", "东城区某商场", consumer);
    REQUIRE(filed.at("state") == "received");
    ids.push_back(filed.at("id"));
  }
  // Cut off: the county keeps serving and owes the events; nothing reached the province.
  CHECK(eventually([&] { return !drained(federation, "110101"); }));
  CHECK_FALSE(federation.ticket_at("11", ids.front()).has_value());

  federation.nats("1101").start();
  for (const std::string& id : ids) {
    check_held_at(federation, {"1101", "11", "cn"}, id, kReceivedHere, std::chrono::seconds(60));
  }
  CHECK(eventually([&] { return drained(federation, "110101"); }, std::chrono::seconds(60)));
  federation.verify_all();
}

const std::vector<std::string> kTransferred = {"submitted", "routed", "received", "transferred",
                                               "received"};

// Files a complaint at the Shenzhen county and transfers it in parallel (平行移送) to the Beijing
// county; the ticket id.
std::string file_and_transfer(FederationFixture& federation, const std::string& consumer_name,
                              int serial) {
  REQUIRE(eventually([&] { return directory_complete(federation, "440305"); }));
  const std::string consumer = federation.consumer("440305", consumer_name, serial);
  const std::string id = file_at(federation, "440305", "440305", "南山区某网店", consumer).at("id");
  // The shop turns out to be registered in Beijing.
  act(federation, "440305", id,
      {{"action", "transfer"},
       {"direction", "parallel"},
       {"to_node", "110101"},
       {"reason", "经营者住所地在北京市东城区"}});
  return id;
}

TEST_CASE("federation: a county transfers a ticket to a county in another province",
          "[federation]") {
  FederationFixture federation(kTwoProvinces);
  const std::string id = file_and_transfer(federation, "黄磊", 4);

  REQUIRE(eventually([&] { return holds(federation, "110101", id, kTransferred); }));
  const json there = *federation.ticket_at("110101", id);
  CHECK(there.at("holder") == "110101");
  CHECK(there.at("state") == "received");
  // The receiving county handles it with the consumer's data, re-sealed for it.
  CHECK(there.at("consumer").at("name") == "黄磊");
  check_held_at(federation, {"440305", "4403", "44", "cn", "11", "1101"}, id, kTransferred);
}

TEST_CASE("federation: a transfer made while the two counties are cut off arrives later",
          "[federation]") {
  FederationFixture federation(kTwoProvinces);
  federation.nats("110101").stop();  // the Beijing county's own server: it is cut off
  const std::string id = file_and_transfer(federation, "冯涛", 10);
  CHECK(eventually([&] { return !drained(federation, "440305"); }));
  // Meanwhile the transfer is known everywhere but at the receiver.
  CHECK(eventually([&] {
    return holds(federation, "cn", id, {"submitted", "routed", "received", "transferred"});
  }));

  federation.nats("110101").start();
  CHECK(eventually([&] { return holds(federation, "110101", id, kTransferred); },
                   std::chrono::seconds(60)));
  check_held_at(federation, {"440305", "cn", "1101"}, id, kTransferred, std::chrono::seconds(60));
}

TEST_CASE("federation: a county killed mid-ingest loses nothing it acknowledged and sends it on",
          "[federation]") {
  FederationFixture federation(kBeijingChain);
  const std::string consumer = federation.consumer("110101", "周杰", 5);
  std::vector<std::string> ids;
  for (int i = 0; i < 12; ++i) {
    ids.push_back(file_at(federation, "110101", "110101", "东城区某药店", consumer).at("id"));
  }
  federation.signal("110101", SIGKILL);
  CHECK(federation.stop("110101") == 128 + SIGKILL);
  federation.start("110101");

  for (const std::string& id : ids) {
    CHECK(holds(federation, "110101", id, kReceivedHere));
    check_held_at(federation, {"1101", "11", "cn"}, id, kReceivedHere);
  }
  CHECK(eventually([&] { return drained(federation, "110101"); }));
  federation.verify_all();
}

TEST_CASE("federation: tickets routed to a frozen county arrive once it runs again",
          "[federation]") {
  FederationFixture federation(kBeijingChain);
  REQUIRE(eventually([&] { return directory_complete(federation, "110101"); }));
  const std::string consumer = federation.consumer("cn", "吴芳", 6);
  federation.signal("110101", SIGSTOP);
  std::vector<std::string> ids;
  for (int i = 0; i < 4; ++i) {
    const json filed = file_at(federation, "cn", "110101", "东城区某影院", consumer);
    REQUIRE(filed.at("receipt").at("competent_office") == "110101");
    ids.push_back(filed.at("id"));
  }
  // The national node keeps them in its outbox while the county does not answer: its requests
  // time out (the county is stopped, not gone, so NATS still delivers to it).
  CHECK(eventually([&] {
    const ApiAnswer status = status_of(federation, "cn");
    if (status.status != 200) return false;
    for (const json& peer : status.body.at("peers")) {
      if (peer.at("node") == "110101" && peer.at("last_error") == "sync.timeout") return true;
    }
    return false;
  }));
  CHECK_FALSE(drained(federation, "cn"));
  federation.signal("110101", SIGCONT);

  for (const std::string& id : ids) {
    check_held_at(federation, {"110101", "cn"}, id, kReceivedHere, std::chrono::seconds(60));
  }
  CHECK(eventually([&] { return drained(federation, "cn"); }, std::chrono::seconds(60)));
  federation.verify_all();
}

TEST_CASE("federation: a county assigns a ticket to its station, which takes it in",
          "[federation]") {
  FederationFixture federation(extended(kBeijingChain, {{"110101001", "station", "110101"}}));
  const std::string consumer = federation.consumer("110101", "钱进", 8);
  const std::string id =
      file_at(federation, "110101", "110101", "东华门街道某餐馆", consumer).at("id");
  act(federation, "110101", id,
      {{"action", "assign"}, {"to", "station"}, {"assignee", "110101001"}});

  const std::vector<std::string> at_station = {"submitted", "routed", "received", "assigned",
                                               "received"};
  REQUIRE(eventually([&] { return holds(federation, "110101001", id, at_station); }));
  const json there = *federation.ticket_at("110101001", id);
  CHECK(there.at("holder") == "110101001");
  CHECK(there.at("consumer").at("name") == "钱进");
  check_held_at(federation, {"110101", "1101", "11", "cn"}, id, at_station);
}

TEST_CASE("federation: a county escalates a ticket to its city, which takes it in",
          "[federation]") {
  FederationFixture federation(kBeijingChain);
  const std::string consumer = federation.consumer("110101", "郑敏", 11);
  const std::string id =
      file_at(federation, "110101", "110101", "东城区某健身房", consumer).at("id");
  act(federation, "110101", id,
      {{"action", "transfer"},
       {"direction", "up"},
       {"to_node", "1101"},
       {"reason", "涉及全市连锁经营，请市局统一处理"}});

  REQUIRE(eventually([&] { return holds(federation, "1101", id, kTransferred); }));
  const json there = *federation.ticket_at("1101", id);
  CHECK(there.at("holder") == "1101");
  CHECK(there.at("state") == "received");
  // The city handles it with the consumer's data, re-sealed for it.
  CHECK(there.at("consumer").at("name") == "郑敏");
  // The county, a past holder, keeps watching; the ancestors hold it once.
  check_held_at(federation, {"110101", "11", "cn"}, id, kTransferred);
  // Only the new holder acts on it now; the county, which took it in, is refused.
  const ApiAnswer refused =
      federation.post("110101", "/api/v1/tickets/" + id + "/actions",
                      {{"action", "accept"}, {"note", "受理"}}, federation.officer("110101"));
  CHECK(refused.status == 409);
  CHECK(refused.raw.find("sync.not_holder") != std::string::npos);
  act(federation, "1101", id, {{"action", "accept"}, {"note", "市局受理"}});
  CHECK(eventually([&] {
    const auto seen = federation.ticket_at("cn", id);
    return seen && seen->at("state") == "accepted";
  }));
  federation.verify_all();
}

TEST_CASE(
    "federation: a city that crashes after committing a batch and before acking it gets "
    "the batch again and answers that it has it",
    "[federation]") {
  FederationFixture federation(kBeijingChain);
  // The city runs with the fault switch: it exits right after committing the first batch it
  // receives, before acking it.
  CHECK(federation.stop("1101") == 0);
  ::setenv("WEIQUAN_FAULT", "exit_before_ack", 1);
  federation.start("1101");
  ::unsetenv("WEIQUAN_FAULT");

  const std::string consumer = federation.consumer("110101", "钱坤", 12);
  const std::string id =
      file_at(federation, "110101", "110101", "东城区某培训机构", consumer).at("id");
  REQUIRE(federation.exited("1101", std::chrono::seconds(30)) == 75);

  // The county never got the ack: the batch is still owed to the city.
  CHECK_FALSE(drained(federation, "110101"));
  federation.start("1101");
  // The city already holds the three events; the county sends them again, the city answers
  // DUPLICATE and the county lets them go.
  CHECK(holds(federation, "1101", id, kReceivedHere));
  CHECK(eventually([&] { return drained(federation, "110101"); }, std::chrono::seconds(60)));
  const ApiAnswer city = status_of(federation, "1101");
  CHECK(city.body.at("counters").at("duplicates").get<int>() >= 3);
  CHECK(city.body.at("counters").at("applied").get<int>() == 0);
  check_held_at(federation, {"1101", "11", "cn"}, id, kReceivedHere);
  federation.verify_all();
}
