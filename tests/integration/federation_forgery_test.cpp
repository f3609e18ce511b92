// Hostile input published straight onto a node's NATS subject: garbage, a forged envelope, a
// tampered one, a replay, an event by a node that does not hold the ticket and an equivocating
// event. Each is refused with nothing applied; equivocation is quarantined and counted.

#include <catch2/catch.hpp>
#include <chrono>
#include <condition_variable>
#include <mutex>

#include "federation_fixture.h"
#include "federation_trees.h"
#include "weiquan/crypto/key_file.h"
#include "weiquan/federation/nats_transport.h"
#include "weiquan/node/node_dir.h"
#include "weiquan/sync/certificate_codec.h"
#include "weiquan/sync/envelope_codec.h"
#include "weiquan/sync/event_codec.h"
#include "weiquan/sync/store.h"

using namespace wq::testing;
using namespace std::chrono_literals;

namespace {

// How long a test waits for the reply to input the node should drop without answering.
constexpr std::chrono::milliseconds kDropped = 3s;

// A client of the city's NATS server that sends requests and waits for the outcome.
class Attacker {
 public:
  explicit Attacker(const std::string& url) {
    wq::federation::NatsOptions options;
    options.urls = {url};
    options.node_id = "4403";  // any well-formed id: nothing on the wire authenticates it
    transport_ = wq::federation::NatsTransport::connect(std::move(options)).value();
    REQUIRE(eventually([&] { return transport_->state() == wq::sync::LinkState::up; }));
  }

  // Waits up to `timeout` for the reply: long for one that should come (the city verifies and
  // commits first), short where the input is to be dropped and the wait is the test.
  wq::Result<wq::sync::Transport::Bytes> send(const std::string& to,
                                              wq::sync::Transport::Bytes bytes,
                                              std::chrono::milliseconds timeout = 10s) {
    std::mutex mutex;
    std::condition_variable ready;
    std::optional<wq::Result<wq::sync::Transport::Bytes>> outcome;
    transport_->request(to, wq::sync::Channel::sync, std::move(bytes), timeout,
                        [&](wq::Result<wq::sync::Transport::Bytes> reply) {
                          std::lock_guard lock(mutex);
                          outcome = std::move(reply);
                          ready.notify_one();
                        });
    std::unique_lock lock(mutex);
    ready.wait(lock, [&] { return outcome.has_value(); });
    return std::move(*outcome);
  }

 private:
  std::unique_ptr<wq::federation::NatsTransport> transport_;
};

wq::crypto::NodeKeys keys_of(FederationFixture& federation, const std::string& id) {
  return wq::crypto::read_key_file(wq::node::NodeDir{federation.dir(id)}.key_path()).value();
}

std::vector<wq::sync::SignedEvent> chain_of(FederationFixture& federation, const std::string& id,
                                            const std::string& ticket) {
  auto reader =
      wq::sync::StoreReader::open(wq::node::NodeDir{federation.dir(id)}.store_path()).value();
  return reader.events(ticket).value();
}

std::uint64_t next_nonce() {
  static std::uint64_t nonce =
      static_cast<std::uint64_t>(std::chrono::system_clock::now().time_since_epoch() /
                                 std::chrono::microseconds(1)) +
      1'000'000'000'000ULL;  // above any nonce the real county has used
  return ++nonce;
}

wq::crypto::Bytes envelope(const std::string& origin, const std::string& destination,
                           const wq::sync::SignedEvent& event,
                           const wq::crypto::SigningKeyPair& key) {
  weiquan::v1::EnvelopeBody body;
  body.set_version(1);
  body.set_origin(origin);
  body.set_destination(destination);
  body.set_nonce(next_nonce());
  body.set_sent_at_ms(now_ms());
  *body.add_events() = wq::sync::to_wire(event);
  return wq::sync::encode_envelope(body, key);
}

json counters(FederationFixture& federation, const std::string& id) {
  const ApiAnswer status = federation.get(id, "/api/v1/federation", federation.officer(id));
  REQUIRE(status.status == 200);
  return status.body.at("counters");
}

}  // namespace

TEST_CASE("federation: hostile input on a node's subject is refused and changes nothing",
          "[federation]") {
  FederationFixture federation(kBeijingChain);
  const std::string consumer = federation.consumer("110101", "郑爽", 9);
  const json filed =
      federation
          .post("110101", "/api/v1/tickets",
                json{{"type", "complaint"},
                     {"business", {{"name", "东城区某眼镜店"}, {"region", "110101"}}},
                     {"category", "眼镜"},
                     {"description", "配的眼镜度数与验光单不符。"},
                     {"demands", "重新配镜"}},
                consumer)
          .body;
  const std::string id = filed.at("id");
  const std::vector<std::string> kinds = {"submitted", "routed", "received"};
  REQUIRE(eventually([&] {
    const auto seen = federation.ticket_at("1101", id);
    return seen && timeline_kinds(*seen) == kinds;
  }));
  const auto chain = chain_of(federation, "110101", id);
  REQUIRE(chain.size() == 3);
  const auto county = keys_of(federation, "110101");
  Attacker attacker(federation.nats("1101").url());

  SECTION("garbage is dropped unanswered") {
    CHECK(attacker.send("1101", {0x0a, 0x03, 'b', 'a', 'd'}, kDropped).error().code ==
          "sync.timeout");
    CHECK(counters(federation, "1101").at("dropped_malformed").get<int>() >= 1);
  }
  SECTION("an envelope signed by a key that is not the origin's is dropped") {
    const auto stranger = wq::crypto::NodeKeys::generate();
    CHECK(attacker.send("1101", envelope("110101", "1101", chain[2], stranger.sign), kDropped)
              .error()
              .code == "sync.timeout");
    CHECK(counters(federation, "1101").at("dropped_bad_signature").get<int>() >= 1);
  }
  SECTION("a tampered envelope is dropped, and a replayed one too") {
    auto bytes = envelope("110101", "1101", chain[2], county.sign);
    auto tampered = bytes;
    tampered[tampered.size() / 2] ^= 0x01;
    CHECK_FALSE(attacker.send("1101", tampered, kDropped).ok());
    const auto first = attacker.send("1101", bytes);
    REQUIRE(first.ok());  // well signed: answered (the event is a duplicate)
    const auto ack = wq::sync::decode_ack(*first).value();
    REQUIRE(ack.body.results_size() == 1);
    CHECK(ack.body.results(0).outcome() == weiquan::v1::OUTCOME_DUPLICATE);
    CHECK(attacker.send("1101", bytes, kDropped).error().code == "sync.timeout");
    CHECK(counters(federation, "1101").at("dropped_replayed").get<int>() >= 1);
  }
  SECTION("an event by a node that does not hold the ticket is rejected") {
    const auto province = keys_of(federation, "11");
    weiquan::v1::EventBody body;
    body.set_version(1);
    body.set_ticket_id(id);
    body.set_seq(4);
    body.set_prev_hash(chain[2].id.data(), chain[2].id.size());
    body.set_author("11");
    body.set_time_ms(now_ms());
    body.mutable_actor()->set_role(weiquan::v1::ROLE_OFFICER);
    body.mutable_actor()->set_id("s-1");
    body.mutable_accepted();
    const auto event = wq::sync::author_event(body, province.sign).value();
    const auto reply = attacker.send("1101", envelope("11", "1101", event, province.sign));
    REQUIRE(reply.ok());
    const auto ack = wq::sync::decode_ack(*reply).value();
    REQUIRE(ack.body.results_size() == 1);
    CHECK(ack.body.results(0).outcome() == weiquan::v1::OUTCOME_REJECTED);
    CHECK(ack.body.results(0).code() == "sync.not_holder");
  }
  SECTION("different bytes at an existing seq are quarantined and raise an alert") {
    weiquan::v1::EventBody body = chain[2].body;
    body.set_time_ms(body.time_ms() + 1);
    const auto twin = wq::sync::author_event(body, county.sign).value();
    const auto reply = attacker.send("1101", envelope("110101", "1101", twin, county.sign));
    REQUIRE(reply.ok());
    const auto ack = wq::sync::decode_ack(*reply).value();
    REQUIRE(ack.body.results_size() == 1);
    CHECK(ack.body.results(0).outcome() == weiquan::v1::OUTCOME_QUARANTINED);
    CHECK(counters(federation, "1101").at("quarantined").get<int>() == 1);
  }

  SECTION("an event under a revoked certificate is refused") {
    auto trust = wq::sync::StoreReader::open(wq::node::NodeDir{federation.dir("1101")}.store_path())
                     .value()
                     .certificates()
                     .value();
    std::uint64_t serial = 0;
    for (const auto& cert : trust) {
      if (cert.cert.node_id == "110101") serial = cert.cert.serial;
    }
    REQUIRE(serial != 0);
    wq::crypto::Revocation revocation;
    revocation.issuer = "1101";
    revocation.node_id = "110101";
    revocation.serial = serial;
    revocation.revoked_at_ms = now_ms() - 60'000;
    revocation.reason = "key compromised";
    const auto city = keys_of(federation, "1101");
    weiquan::v1::EventBody body;
    body.set_version(1);
    body.set_ticket_id(id);
    body.set_seq(4);
    body.set_prev_hash(chain[2].id.data(), chain[2].id.size());
    body.set_author("110101");
    body.set_time_ms(now_ms());
    body.mutable_actor()->set_role(weiquan::v1::ROLE_OFFICER);
    body.mutable_actor()->set_id("s-1");
    body.mutable_accepted();
    const auto event = wq::sync::author_event(body, county.sign).value();
    weiquan::v1::EnvelopeBody envelope_body;
    envelope_body.set_version(1);
    envelope_body.set_origin("110101");
    envelope_body.set_destination("1101");
    envelope_body.set_nonce(next_nonce());
    envelope_body.set_sent_at_ms(now_ms());
    *envelope_body.add_events() = wq::sync::to_wire(event);
    *envelope_body.add_revocations() =
        wq::sync::to_wire(wq::sync::issue_revocation(revocation, city.sign).value());
    const auto reply = attacker.send("1101", wq::sync::encode_envelope(envelope_body, county.sign));
    if (reply.ok()) {  // answered: the event itself must have been refused
      const auto ack = wq::sync::decode_ack(*reply).value();
      REQUIRE(ack.body.results_size() == 1);
      CHECK(ack.body.results(0).outcome() == weiquan::v1::OUTCOME_REJECTED);
    } else {  // or the envelope, signed under the revoked certificate, was dropped
      CHECK(counters(federation, "1101").at("dropped_unknown_signer").get<int>() >= 1);
    }
  }

  // Whatever was sent, the city's copy is the county's chain, unchanged.
  const auto after = chain_of(federation, "1101", id);
  REQUIRE(after.size() == chain.size());
  for (std::size_t i = 0; i < chain.size(); ++i) CHECK(after[i].id == chain[i].id);
}
