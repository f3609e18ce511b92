// Supervision requests (protocol.md §15): the body's codec and checks, and the holder's desk over
// an in-memory network — an ancestor's urge is appended once, whatever is replayed or forged.

#include "weiquan/federation/supervision.h"

#include <catch2/catch.hpp>
#include <memory>
#include <optional>

#include "federation_tree.h"
#include "temp_dir.h"
#include "weiquan/federation/supervision_client.h"
#include "weiquan/federation/supervision_desk.h"
#include "weiquan/sync/memory_transport.h"
#include "weiquan/sync/rpc_server.h"

namespace wq::federation {
namespace {

using namespace test;
using weiquan::v1::SupervisionBody;

constexpr auto kForever = std::int64_t{1} << 50;

SupervisionBody urge(const std::string& from, const std::string& ticket, std::int64_t at_ms,
                     const std::string& to = "110101") {
  SupervisionBody body;
  body.set_version(1);
  body.set_ticket_id(ticket);
  body.set_kind(weiquan::v1::SUPERVISION_KIND_URGE);
  body.set_from_node(from);
  body.set_to_node(to);
  body.mutable_actor()->set_role(weiquan::v1::ROLE_SUPERVISOR);
  body.mutable_actor()->set_id("s-city-7");
  body.mutable_actor()->set_name("督办科 李明");
  body.set_note("请于三日内办结并反馈。");
  body.set_time_ms(at_ms);
  return body;
}

Supervision signed_by(const std::string& node, const SupervisionBody& body) {
  return sign_supervision(body, tree().keys.at(node).sign);
}

Result<Supervision> round_trip(const Supervision& supervision) {
  return decode_supervision(to_wire(supervision));
}

const std::string kTicket = "110101-20250303-000001";

TEST_CASE("supervision: a signed request decodes to the same body and id") {
  const Supervision sent = signed_by("1101", urge("1101", kTicket, kNow));
  auto got = round_trip(sent);
  REQUIRE(got);
  CHECK(got->body_bytes == sent.body_bytes);
  CHECK(got->id == crypto::blake2b_256(sent.body_bytes));
  CHECK(got->body.note() == "请于三日内办结并反馈。");
  CHECK(verify_supervision(*got, tree().trust, "110101", kNow));
}

TEST_CASE("supervision: malformed requests are refused by their form") {
  const auto refused = [](const SupervisionBody& body, const std::string& signer = "1101") {
    weiquan::v1::Signed wire = to_wire(signed_by("1101", body));
    wire.set_signer(signer);
    auto got = decode_supervision(wire);
    REQUIRE_FALSE(got);
    return got.error().code;
  };
  SupervisionBody body = urge("1101", kTicket, kNow);
  CHECK(refused(body, "11") == "federation.bad_supervision");  // signer is not from_node
  body.set_version(2);
  CHECK(refused(body) == "federation.bad_supervision");
  body = urge("1101", kTicket, kNow);
  body.set_kind(weiquan::v1::SUPERVISION_KIND_UNSPECIFIED);
  CHECK(refused(body) == "federation.bad_supervision");
  body = urge("1101", kTicket, kNow);
  body.set_kind(weiquan::v1::SUPERVISION_KIND_SUPERVISE);
  body.mutable_actor()->set_role(weiquan::v1::ROLE_OFFICER);  // supervising takes a supervisor
  CHECK(refused(body) == "federation.bad_supervision");
  body = urge("1101", kTicket, kNow);
  body.mutable_actor()->set_role(weiquan::v1::ROLE_CONSUMER);
  CHECK(refused(body) == "federation.bad_supervision");
  body = urge("1101", kTicket, kNow);
  body.set_note(std::string(501, 'x'));
  CHECK(refused(body) == "federation.bad_supervision");
  body = urge("1101", "not-a-ticket", kNow);
  CHECK(refused(body) == "federation.bad_supervision");
  body = urge("1101", kTicket, kNow);
  body.mutable_actor()->set_name("");
  CHECK(refused(body) == "federation.bad_supervision");

  // An unknown field inside the signed bytes, and a short signature.
  Supervision sent = signed_by("1101", urge("1101", kTicket, kNow));
  weiquan::v1::Signed wire = to_wire(sent);
  std::string extended = wire.body();
  extended += std::string("\xa0\x06\x01", 3);  // field 100, varint 1
  wire.set_body(extended);
  CHECK(decode_supervision(wire).error().code == "federation.bad_supervision");
  wire = to_wire(sent);
  wire.set_signature(wire.signature().substr(0, 63));
  CHECK(decode_supervision(wire).error().code == "federation.bad_supervision");
}

TEST_CASE("supervision: only a strict ancestor of the holder, by certificate chain, may ask") {
  const auto verdict = [](const std::string& from, const std::string& holder) {
    const Supervision sent = signed_by(from, urge(from, kTicket, kNow, holder));
    return verify_supervision(*round_trip(sent), tree().trust, holder, kNow);
  };
  CHECK(verdict("1101", "110101"));
  CHECK(verdict("11", "110101"));
  CHECK(verdict("cn", "110101"));
  CHECK(verdict("110101", "110101001"));
  CHECK(verdict("110101", "110101").error().code == "federation.not_ancestor");     // itself
  CHECK(verdict("110102", "110101").error().code == "federation.not_ancestor");     // a sibling
  CHECK(verdict("4403", "110101").error().code == "federation.not_ancestor");       // elsewhere
  CHECK(verdict("110101001", "110101").error().code == "federation.not_ancestor");  // below
}

TEST_CASE("supervision: the holder checks destination, time and signature") {
  const Supervision sent = signed_by("1101", urge("1101", kTicket, kNow));
  CHECK(verify_supervision(sent, tree().trust, "110102", kNow).error().code ==
        "federation.wrong_destination");
  CHECK(verify_supervision(sent, tree().trust, "110101", kNow + kSupervisionSkewMs));
  CHECK(verify_supervision(sent, tree().trust, "110101", kNow + kSupervisionSkewMs + 1)
            .error()
            .code == "federation.stale_request");
  CHECK(verify_supervision(sent, tree().trust, "110101", kNow - kSupervisionSkewMs - 1)
            .error()
            .code == "federation.stale_request");

  // Signed by another key than from_node's.
  const Supervision forged = signed_by("110102", urge("1101", kTicket, kNow));
  CHECK(verify_supervision(*round_trip(forged), tree().trust, "110101", kNow).error().code ==
        "sync.bad_signature");
  // A changed note breaks the signature.
  Supervision tampered = sent;
  SupervisionBody changed = sent.body;
  changed.set_note("已阅");
  const std::string bytes = changed.SerializeAsString();
  tampered.body_bytes.assign(bytes.begin(), bytes.end());
  CHECK(verify_supervision(tampered, tree().trust, "110101", kNow).error().code ==
        "sync.bad_signature");
}

TEST_CASE("supervision: a revoked office's requests are refused from its revocation on") {
  Tree local;  // revocations stay out of the shared tree
  local.revoke("1101", "11", kNow);
  const auto sent = sign_supervision(urge("1101", kTicket, kNow - 1), local.keys.at("1101").sign);
  CHECK(verify_supervision(sent, local.trust, "110101", kNow - 1));
  const auto late = sign_supervision(urge("1101", kTicket, kNow), local.keys.at("1101").sign);
  CHECK(verify_supervision(late, local.trust, "110101", kNow).error().code ==
        "crypto.cert_revoked");
}

// The county 110101 with one received complaint, serving supervision requests; the city asks.
struct Holder {
  sync::MemoryNetwork network{3, kNow};
  wq::testing::TempDir dir;
  sync::Store store = open();
  sync::EventWriter events =
      sync::EventWriter::create(store, tree().keys.at("110101").sign, "110101", kNow).value();
  std::unique_ptr<sync::Transport> county = network.attach("110101");
  std::unique_ptr<sync::Transport> city = network.attach("1101");
  SupervisionDesk desk{"110101",
                       [this](std::function<void(sync::Store&, sync::EventWriter&)> work) {
                         work(store, events);  // one thread here
                       },
                       [this] { return network.now_ms(); }};
  sync::RpcServer rpc{*county};
  std::string ticket;

  Holder() {
    rpc.route(weiquan::v1::RpcRequest::kSupervision,
              [this](weiquan::v1::RpcRequest request, sync::Transport::Respond respond) {
                desk.handle(std::move(request), std::move(respond));
              });
    REQUIRE(rpc.start());
    ticket = file();
  }

  sync::Store open() {
    sync::StoreOptions options;
    options.path = dir.file("county.db");
    options.anchor_key = tree().keys.at("cn").sign.public_key;
    auto opened = sync::Store::open(std::move(options)).value();
    for (const std::string node : {"cn", "11", "1101", "110101", "110102"}) {
      REQUIRE(opened.add_certificate(*tree().trust.verify_chain(node, kNow).value()));
    }
    return opened;
  }

  static weiquan::v1::EventBody by(weiquan::v1::Role role) {
    weiquan::v1::EventBody body;
    body.mutable_actor()->set_role(role);
    body.mutable_actor()->set_id(role == weiquan::v1::ROLE_SYSTEM ? "" : "c-1");
    return body;
  }

  std::string file() {
    auto submitted = by(weiquan::v1::ROLE_CONSUMER);
    auto& filing = *submitted.mutable_submitted();
    filing.set_type(weiquan::v1::TICKET_TYPE_COMPLAINT);
    filing.set_channel(weiquan::v1::CHANNEL_WEB);
    filing.set_received_at_ms(kNow);
    filing.set_jurisdiction_region("110101");
    filing.mutable_business()->set_name("东城区某电器行");
    filing.set_description("微波炉无法加热。");
    auto routed = by(weiquan::v1::ROLE_SYSTEM);
    routed.mutable_routed()->set_to_node("110101");
    routed.mutable_routed()->set_region("110101");
    auto received = by(weiquan::v1::ROLE_SYSTEM);
    received.mutable_received();
    const sync::NewTicket opened{submitted, "110101", {routed, received}};
    auto written = events.intake_batch(std::vector<sync::NewTicket>{opened}, kNow).value();
    return written.front().value().submission.event.ticket_id();
  }

  Result<SupervisionAnswer> ask(const Supervision& request) {
    std::optional<Result<SupervisionAnswer>> answer;
    send_supervision(*city, request, [&](Result<SupervisionAnswer> got) { answer = got; });
    REQUIRE(network.run_until_idle(kForever));
    REQUIRE(answer);
    return *answer;
  }

  std::vector<std::string> kinds() {
    std::vector<std::string> out;
    const auto chain = store.reader().events(ticket).value();
    for (const auto& event : chain) out.emplace_back(event.kind());
    return out;
  }
};

TEST_CASE("supervision desk: an ancestor's urge is appended once, with the remote actor") {
  Holder holder;
  const Supervision request = signed_by("1101", urge("1101", holder.ticket, kNow));
  auto first = holder.ask(request);
  REQUIRE(first);
  CHECK_FALSE(first->duplicate);
  CHECK(first->seq == 4);
  const auto event = holder.store.reader().event(holder.ticket, 4).value().value();
  CHECK(event.body.author() == "110101");
  CHECK(event.body.actor().id() == "s-city-7");
  CHECK(event.body.actor().role() == weiquan::v1::ROLE_SUPERVISOR);
  CHECK(event.body.urged().from_node() == "1101");
  CHECK(event.body.urged().request_id() == std::string(request.id.begin(), request.id.end()));

  // The same bytes again (a replay, or a retry after a lost answer) append nothing.
  auto again = holder.ask(request);
  REQUIRE(again);
  CHECK(again->duplicate);
  CHECK(again->seq == 4);
  CHECK(holder.kinds() == std::vector<std::string>{"submitted", "routed", "received", "urged"});
  CHECK(holder.desk.counters().applied == 1);
  CHECK(holder.desk.counters().duplicates == 1);

  // Supervising is a second request, appended as `supervised`.
  SupervisionBody supervise = urge("1101", holder.ticket, kNow + 1);
  supervise.set_kind(weiquan::v1::SUPERVISION_KIND_SUPERVISE);
  auto supervised = holder.ask(signed_by("1101", supervise));
  REQUIRE(supervised);
  CHECK(supervised->seq == 5);
  CHECK(holder.kinds().back() == "supervised");
}

TEST_CASE("supervision desk: refusals append nothing and say why") {
  Holder holder;
  const auto code = [&](const Supervision& request) {
    auto answer = holder.ask(request);
    REQUIRE_FALSE(answer);
    return answer.error().code;
  };
  CHECK(code(signed_by("110102", urge("110102", holder.ticket, kNow))) ==
        "federation.not_ancestor");
  CHECK(code(signed_by("1101", urge("1101", holder.ticket, kNow - kSupervisionSkewMs - 1))) ==
        "federation.stale_request");
  CHECK(code(signed_by("1101", urge("1101", "110101-20250303-000099", kNow))) ==
        "sync.unknown_ticket");
  CHECK(code(signed_by("110101", urge("110101", holder.ticket, kNow))) ==
        "federation.not_ancestor");
  CHECK(holder.kinds() == std::vector<std::string>{"submitted", "routed", "received"});
  CHECK(holder.desk.counters().refused == 4);
  CHECK(holder.desk.counters().last_refused == "federation.not_ancestor");
}

TEST_CASE("supervision desk: no answer means federation.unreachable") {
  Holder holder;
  holder.network.isolate("110101");
  auto answer = holder.ask(signed_by("1101", urge("1101", holder.ticket, kNow)));
  REQUIRE_FALSE(answer);
  CHECK(answer.error().code == "federation.unreachable");
  holder.network.rejoin("110101");
  CHECK(holder.kinds() == std::vector<std::string>{"submitted", "routed", "received"});
}

}  // namespace
}  // namespace wq::federation
