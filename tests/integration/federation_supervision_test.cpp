// Supervision across offices (protocol.md §15): a city's staff urge (催办) and supervise (督办) a
// county's ticket through the county, which appends the events once; everyone else is refused and
// nothing is appended — a sibling province's office, a county that does not answer in time, a
// replayed request published straight onto the county's rpc subject.

#include <catch2/catch.hpp>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <mutex>
#include <thread>

#include "federation_fixture.h"
#include "federation_trees.h"
#include "weiquan/crypto/key_file.h"
#include "weiquan/federation/nats_transport.h"
#include "weiquan/federation/supervision.h"
#include "weiquan/node/node_dir.h"

using namespace wq::testing;
using namespace std::chrono_literals;

namespace {

// cn ─ 11 ─ 1101 ─ 110101
//    └ 12
const std::vector<NodeSpec> kTree = extended(kBeijingChain, {{"12", "province", "cn"}});

const std::vector<std::string> kReceivedHere = {"submitted", "routed", "received"};

// A complaint filed online at the county, once the city has it too; its id.
std::string county_ticket(FederationFixture& federation) {
  const std::string consumer = federation.consumer("110101", "周敏", 11);
  const json filed = federation
                         .post("110101", "/api/v1/tickets",
                               {{"type", "complaint"},
                                {"business", {{"name", "东城区某家具城"}, {"region", "110101"}}},
                                {"category", "家具"},
                                {"description", "沙发送货延迟一个月，商家不予答复。"},
                                {"demands", "退还定金"}},
                               consumer)
                         .body;
  const std::string id = filed.at("id");
  REQUIRE(eventually([&] {
    const auto seen = federation.ticket_at("1101", id);
    return seen && timeline_kinds(*seen) == kReceivedHere;
  }));
  return id;
}

ApiAnswer act(FederationFixture& federation, const std::string& at, const std::string& ticket,
              const json& action, const std::string& token) {
  return federation.post(at, "/api/v1/tickets/" + ticket + "/actions", action, token);
}

std::vector<std::string> kinds_at(FederationFixture& federation, const std::string& id,
                                  const std::string& ticket) {
  const auto seen = federation.ticket_at(id, ticket);
  return seen ? timeline_kinds(*seen) : std::vector<std::string>{};
}

json supervision_counters(FederationFixture& federation, const std::string& id) {
  const ApiAnswer status = federation.get(id, "/api/v1/federation", federation.officer(id));
  REQUIRE(status.status == 200);
  return status.body.at("supervision");
}

// Requests on a node's rpc channel from a bare NATS client, as anyone on the bus could send them.
class RpcClient {
 public:
  explicit RpcClient(const std::string& url) {
    wq::federation::NatsOptions options;
    options.urls = {url};
    options.node_id = "1101";  // nothing on the wire authenticates it
    transport_ = wq::federation::NatsTransport::connect(std::move(options)).value();
    REQUIRE(eventually([&] { return transport_->state() == wq::sync::LinkState::up; }));
  }

  weiquan::v1::SupervisionReply send(const std::string& to, const wq::federation::Supervision& s) {
    weiquan::v1::RpcRequest request;
    request.set_version(1);
    request.set_origin(s.body.from_node());
    *request.mutable_supervision()->mutable_request() = wq::federation::to_wire(s);
    const std::string bytes = request.SerializeAsString();
    std::mutex mutex;
    std::condition_variable ready;
    std::optional<wq::Result<wq::sync::Transport::Bytes>> outcome;
    transport_->request(to, wq::sync::Channel::rpc, {bytes.begin(), bytes.end()}, 5s,
                        [&](wq::Result<wq::sync::Transport::Bytes> reply) {
                          std::lock_guard lock(mutex);
                          outcome = std::move(reply);
                          ready.notify_one();
                        });
    std::unique_lock lock(mutex);
    ready.wait(lock, [&] { return outcome.has_value(); });
    REQUIRE(*outcome);
    weiquan::v1::SupervisionReply reply;
    REQUIRE(reply.ParseFromArray((*outcome)->data(), static_cast<int>((*outcome)->size())));
    return reply;
  }

 private:
  std::unique_ptr<wq::federation::NatsTransport> transport_;
};

}  // namespace

TEST_CASE(
    "supervision: a city supervisor urges and supervises a county's ticket, seen once "
    "everywhere",
    "[federation][supervision]") {
  FederationFixture federation(kTree);
  const std::string id = county_ticket(federation);
  const std::string supervisor = staff_token(federation, "1101", "supervisor", "督办科 李明");

  const ApiAnswer urged =
      act(federation, "1101", id, {{"action", "urge"}, {"note", "请尽快受理。"}}, supervisor);
  INFO(urged.raw);
  REQUIRE(urged.status == 201);
  CHECK(urged.body.at("outcome") == "applied");
  CHECK(urged.body.at("holder") == "110101");
  CHECK(urged.body.at("kind") == "urged");
  CHECK(urged.body.at("seq") == 4);
  const ApiAnswer supervised =
      act(federation, "1101", id, {{"action", "supervise"}, {"note", "列入督办，三日内反馈。"}},
          supervisor);
  INFO(supervised.raw);
  REQUIRE(supervised.status == 201);
  CHECK(supervised.body.at("seq") == 5);

  const std::vector<std::string> expected = {"submitted", "routed", "received", "urged",
                                             "supervised"};
  for (const std::string node : {"110101", "1101", "11", "cn"}) {
    INFO("at " << node);
    REQUIRE(eventually([&] { return kinds_at(federation, node, id) == expected; }));
  }
  const json at_city = *federation.ticket_at("1101", id);
  const json& event = at_city.at("timeline").at(3);
  CHECK(event.at("author") == "110101");
  CHECK(event.at("actor").at("name") == "督办科 李明");
  CHECK(event.at("actor").at("role") == "supervisor");
  CHECK(event.at("details").at("from_node") == "1101");
  CHECK(supervision_counters(federation, "110101").at("applied") == 2);
  federation.verify_all();
}

TEST_CASE("supervision: offices that do not watch over the holder are refused, nothing appended",
          "[federation][supervision]") {
  FederationFixture federation(kTree);
  const std::string id = county_ticket(federation);

  // A sibling province's office does not hold the ticket at all.
  const std::string elsewhere = staff_token(federation, "12", "supervisor", "督办处 王强");
  require_error(act(federation, "12", id, {{"action", "urge"}}, elsewhere), 404,
                "node.unknown_ticket");
  // Supervising takes a supervisor; an officer of the city may only urge.
  require_error(act(federation, "1101", id, {{"action", "supervise"}}, federation.officer("1101")),
                403, "node.forbidden");

  // Let anything in flight land, then nothing was appended.
  std::this_thread::sleep_for(1s);
  CHECK(kinds_at(federation, "110101", id) == kReceivedHere);
  CHECK(kinds_at(federation, "1101", id) == kReceivedHere);
}

TEST_CASE("supervision: a frozen county is a clear error in bounded time and appends nothing",
          "[federation][supervision]") {
  FederationFixture federation(kTree);
  const std::string id = county_ticket(federation);
  const std::string supervisor = staff_token(federation, "1101", "supervisor", "督办科 李明");

  federation.signal("110101", SIGSTOP);
  const auto started = std::chrono::steady_clock::now();
  const ApiAnswer answer = act(federation, "1101", id, {{"action", "urge"}}, supervisor);
  const auto took = std::chrono::steady_clock::now() - started;
  require_error(answer, 503, "federation.unreachable");
  CHECK(took < 20s);  // the 10 s supervision timeout, with room for a slow (sanitized) build
  federation.signal("110101", SIGCONT);

  // The county reads the request once it runs again, finds it stale and refuses it.
  CHECK(eventually([&] {
    const json counters = supervision_counters(federation, "110101");
    return counters.at("refused") == 1 && counters.at("last_refused") == "federation.stale_request";
  }));
  CHECK(kinds_at(federation, "110101", id) == kReceivedHere);
  // A later urge goes through once the county keeps up again: on a loaded machine the first one
  // may still reach it more than 5 s after it was signed, and be refused as stale in its turn.
  ApiAnswer again;
  CHECK(eventually(
      [&] {
        again = act(federation, "1101", id, {{"action", "urge"}}, supervisor);
        return again.status == 201;
      },
      60s));
  INFO(again.raw);
  CHECK(eventually([&] {
    return kinds_at(federation, "1101", id) ==
           std::vector<std::string>{"submitted", "routed", "received", "urged"};
  }));
}

TEST_CASE("supervision: a replayed request on the holder's rpc subject appends nothing",
          "[federation][supervision]") {
  FederationFixture federation(kTree);
  const std::string id = county_ticket(federation);
  const auto city =
      wq::crypto::read_key_file(wq::node::NodeDir{federation.dir("1101")}.key_path()).value();
  // Connected before the request is signed: the holder refuses one more than 5 s old.
  RpcClient client(federation.nats("110101").url());
  weiquan::v1::SupervisionBody body;
  body.set_version(1);
  body.set_ticket_id(id);
  body.set_kind(weiquan::v1::SUPERVISION_KIND_URGE);
  body.set_from_node("1101");
  body.set_to_node("110101");
  body.mutable_actor()->set_role(weiquan::v1::ROLE_SUPERVISOR);
  body.mutable_actor()->set_id("s-replayed");
  body.mutable_actor()->set_name("督办科 李明");
  body.set_note("请尽快受理。");
  body.set_time_ms(now_ms());
  const wq::federation::Supervision request = wq::federation::sign_supervision(body, city.sign);

  const auto first = client.send("110101", request);
  CHECK(first.outcome() == weiquan::v1::OUTCOME_APPLIED);
  CHECK(first.seq() == 4);
  const auto replayed = client.send("110101", request);
  CHECK(replayed.outcome() == weiquan::v1::OUTCOME_DUPLICATE);
  CHECK(replayed.seq() == 4);

  // The same request with another note no longer carries the city's signature.
  wq::federation::Supervision tampered = request;
  body.set_note("已阅，不必处理。");
  const std::string bytes = body.SerializeAsString();
  tampered.body_bytes.assign(bytes.begin(), bytes.end());
  const auto forged = client.send("110101", tampered);
  CHECK(forged.outcome() == weiquan::v1::OUTCOME_REJECTED);
  CHECK(forged.code() == "sync.bad_signature");

  const std::vector<std::string> once = {"submitted", "routed", "received", "urged"};
  CHECK(eventually([&] { return kinds_at(federation, "1101", id) == once; }));
  CHECK(kinds_at(federation, "110101", id) == once);
}
