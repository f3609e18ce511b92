// Period reports (protocol.md §16): the codec refuses every malformed report, the ids hash has a
// fixed byte form, and a parent's check says match, mismatch or behind, refusing forged reports and
// reports of nodes that are not its children.
#include <google/protobuf/unknown_field_set.h>

#include <catch2/catch.hpp>
#include <memory>
#include <optional>

#include "federation_tree.h"
#include "temp_dir.h"
#include "weiquan/crypto/signing.h"
#include "weiquan/federation/report_check.h"
#include "weiquan/federation/report_codec.h"
#include "weiquan/federation/report_exchange.h"
#include "weiquan/federation/report_figures.h"
#include "weiquan/sync/event_writer.h"
#include "weiquan/sync/memory_transport.h"
#include "weiquan/sync/node_id.h"
#include "weiquan/sync/rpc_server.h"

namespace wq::federation {
namespace {

using namespace test;
using weiquan::v1::PeriodReportBody;
using weiquan::v1::Signed;

constexpr std::uint32_t kDay = 20250303;  // kNow's China date
constexpr auto kForever = std::int64_t{1} << 50;

PeriodReportBody body_of(const std::string& node, const PeriodFigures& figures) {
  PeriodReportBody body;
  body.set_version(1);
  body.set_node_id(node);
  body.set_region(std::string(sync::node_region(node)));
  body.set_from_day(kDay);
  body.set_to_day(kDay);
  set_figures(body, figures);
  body.set_generated_at_ms(kNow);
  return body;
}

PeriodReportBody valid_body() {
  PeriodFigures figures;
  figures.measures[sync::Measure::tickets] = 2;
  figures.measures[sync::Measure::closed] = 1;
  figures.tickets_counted = 2;
  figures.ids_hash.fill(7);
  return body_of("110101", figures);
}

Signed sign(const PeriodReportBody& body, const std::string& key_of = "110101") {
  return encode_report(body, tree().keys.at(key_of).sign);
}

TEST_CASE("report codec: a report round-trips with its exact bytes and signature") {
  const PeriodReportBody body = valid_body();
  const Signed wire = sign(body);
  const PeriodReport report = decode_report(wire).value();
  CHECK(report.signer == "110101");
  CHECK(report.body.SerializeAsString() == body.SerializeAsString());
  CHECK(std::string(report.body_bytes.begin(), report.body_bytes.end()) == wire.body());
  CHECK(crypto::verify(tree().keys.at("110101").sign.public_key, crypto::Domain::report,
                       report.body_bytes, report.signature));
  CHECK(figures_of(report.body).measures[sync::Measure::closed] == 1);
}

TEST_CASE("report codec: every malformed report is refused as federation.bad_report") {
  const auto refused = [](const Signed& wire) {
    auto decoded = decode_report(wire);
    REQUIRE_FALSE(decoded);
    CHECK(decoded.error().code == "federation.bad_report");
  };
  const auto with = [](auto change) {
    PeriodReportBody body = valid_body();
    change(body);
    return sign(body);
  };
  refused(with([](PeriodReportBody& b) { b.set_version(2); }));
  refused(with([](PeriodReportBody& b) { b.set_node_id("not a node"); }));
  refused(with([](PeriodReportBody& b) { b.set_region("110102"); }));
  refused(with([](PeriodReportBody& b) { b.set_from_day(20250230); }));
  refused(with([](PeriodReportBody& b) { b.set_to_day(20250302); }));
  refused(with([](PeriodReportBody& b) { b.set_from_day(20240101); }));  // 428 days
  refused(with([](PeriodReportBody& b) { b.add_measures(0); }));
  refused(with([](PeriodReportBody& b) { b.set_measures(3, -1); }));
  refused(with([](PeriodReportBody& b) { b.set_tickets_counted(3); }));
  refused(with([](PeriodReportBody& b) { b.set_ids_hash("short"); }));
  refused(with([](PeriodReportBody& b) { b.set_generated_at_ms(0); }));
  refused(with(
      [](PeriodReportBody& b) { b.GetReflection()->MutableUnknownFields(&b)->AddVarint(100, 1); }));

  Signed wire = sign(valid_body());
  wire.set_signer("110102");
  refused(wire);
  wire = sign(valid_body());
  wire.set_signature("too short");
  refused(wire);
  wire = sign(valid_body());
  wire.set_body("\xff\xff\xff");
  refused(wire);
  wire = sign(valid_body());
  wire.set_body(std::string(kMaxReportBytes + 1, '\0'));
  refused(wire);
  wire = sign(valid_body());
  wire.GetReflection()->MutableUnknownFields(&wire)->AddVarint(100, 1);
  refused(wire);
}

TEST_CASE("report codec: the body bytes of protocol.md's example") {
  PeriodFigures figures;
  for (sync::Measure m : {sync::Measure::tickets, sync::Measure::accepted, sync::Measure::closed,
                          sync::Measure::closed_on_time, sync::Measure::first_reply,
                          sync::Measure::first_reply_on_time, sync::Measure::dispatched,
                          sync::Measure::mediated, sync::Measure::mediation_agreed}) {
    figures.measures[m] = 2;
  }
  figures.measures[sync::Measure::amount_recovered_fen] = 599'800;
  const std::vector<std::string> ids = {"110101-20250303-000001", "110101-20250303-000002"};
  figures.tickets_counted = ids.size();
  figures.ids_hash = ticket_ids_hash(ids);
  PeriodReportBody body = body_of("110101", figures);
  body.set_from_day(20250301);
  body.set_to_day(20250331);
  body.set_generated_at_ms(1'743'436'800'000);
  CHECK(crypto::to_hex(crypto::as_bytes(body.SerializeAsString())) ==
        "080112063131303130311a0631313031303120bdfdd30928dbfdd309321402020000020202020002000000"
        "f8cd240000020238024220788241494caa76afe24ea6f42b6f5bb8b7d65b8bb0bbb36086fec37e9528c301"
        "4880c0b9e7de32");
  CHECK(decode_report(sign(body)));
}

TEST_CASE("report ids hash: BLAKE2b-256 over each sorted id and a newline (known answer)") {
  CHECK(crypto::to_hex(ticket_ids_hash({})) ==
        "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8");
  const std::vector<std::string> ids = {"110101-250303-0001", "110101-250303-0002",
                                        "4403-250304-0017"};
  // hashlib.blake2b(b"110101-250303-0001\n110101-250303-0002\n4403-250304-0017\n",
  //                 digest_size=32), computed apart from this code.
  CHECK(crypto::to_hex(ticket_ids_hash(ids)) ==
        "136b6c0c48640c0343d24da002bc003961fa4a4bbf9c2e0c89d0f2de8ab1d66b");
}

// A city's store holding two complaints of its county 110101 received on kDay; the city checks
// reports on an in-memory network.
struct City {
  sync::MemoryNetwork network{5, kNow};
  wq::testing::TempDir dir;
  sync::Store store = open();
  sync::EventWriter events =
      sync::EventWriter::create(store, tree().keys.at("110101").sign, "110101", kNow).value();
  std::unique_ptr<sync::Transport> city = network.attach("1101");
  std::unique_ptr<sync::Transport> county = network.attach("110101");
  bool behind = false;
  std::vector<CheckedReport> kept;
  ReportDesk desk{"1101", [this](std::function<void(sync::Store&)> work) { work(store); },
                  [this](const std::string&, const crypto::TrustStore&) { return behind; },
                  [this](const CheckedReport& report) -> Result<bool> {
                    for (const CheckedReport& held : kept) {
                      if (held.report.body.generated_at_ms() > report.report.body.generated_at_ms())
                        return false;
                    }
                    kept.push_back(report);
                    return true;
                  },
                  [this] { return network.now_ms(); }};
  sync::RpcServer rpc{*city};

  City() {
    rpc.route(weiquan::v1::RpcRequest::kReport, desk.handler());
    REQUIRE(rpc.start());
    file("东城区某电器行");
    file("东城区某超市");
  }

  sync::Store open() {
    sync::StoreOptions options;
    options.path = dir.file("city.db");
    options.anchor_key = tree().keys.at("cn").sign.public_key;
    auto opened = sync::Store::open(std::move(options)).value();
    for (const std::string node : {"cn", "11", "1101", "110101", "110102", "110101001"}) {
      REQUIRE(opened.add_certificate(*tree().trust.verify_chain(node, kNow).value()));
    }
    return opened;
  }

  void file(const std::string& business) {
    weiquan::v1::EventBody submitted;
    submitted.mutable_actor()->set_role(weiquan::v1::ROLE_CONSUMER);
    submitted.mutable_actor()->set_id("c-1");
    auto& filing = *submitted.mutable_submitted();
    filing.set_type(weiquan::v1::TICKET_TYPE_COMPLAINT);
    filing.set_channel(weiquan::v1::CHANNEL_WEB);
    filing.set_received_at_ms(kNow);
    filing.set_jurisdiction_region("110101");
    filing.mutable_business()->set_name(business);
    filing.set_description("微波炉无法加热。");
    weiquan::v1::EventBody routed;
    routed.mutable_actor()->set_role(weiquan::v1::ROLE_SYSTEM);
    routed.mutable_routed()->set_to_node("110101");
    routed.mutable_routed()->set_region("110101");
    const sync::NewTicket opened{submitted, "110101", {routed}};
    REQUIRE(events.intake_batch(std::vector<sync::NewTicket>{opened}, kNow).value().front());
  }

  PeriodFigures own() { return period_figures(store.reader(), "110101", kDay, kDay).value(); }

  Result<weiquan::v1::ReportReply> send(const Signed& wire) {
    std::optional<Result<weiquan::v1::ReportReply>> answer;
    send_report(*county, "1101", "110101", wire,
                [&](Result<weiquan::v1::ReportReply> got) { answer = got; });
    REQUIRE(network.run_until_idle(kForever));
    REQUIRE(answer);
    return *answer;
  }
};

TEST_CASE("report check: the figures of the tickets received and held in the period") {
  City city;
  const PeriodFigures figures = city.own();
  CHECK(figures.measures[sync::Measure::tickets] == 2);
  CHECK(figures.tickets_counted == 2);
  const auto ids = city.store.reader().counted_ticket_ids({"110101", kDay, kDay}).value();
  REQUIRE(ids.size() == 2);
  CHECK(ids[0] < ids[1]);
  CHECK(figures.ids_hash == ticket_ids_hash(ids));
  // Not the day after, nor another county.
  CHECK(period_figures(city.store.reader(), "110101", kDay + 1, kDay + 1).value().tickets_counted ==
        0);
  CHECK(period_figures(city.store.reader(), "110102", kDay, kDay).value().tickets_counted == 0);
  CHECK(period_figures(city.store.reader(), "1101", kDay, kDay).value().tickets_counted == 2);
}

TEST_CASE("report check: the child's true figures match, over the rpc channel") {
  City city;
  const auto reply = city.send(sign(body_of("110101", city.own()))).value();
  CHECK(reply.outcome() == weiquan::v1::REPORT_OUTCOME_MATCH);
  CHECK(reply.differing().empty());
  CHECK(reply.parent_tickets_counted() == 2);
  REQUIRE(city.kept.size() == 1);
  CHECK(city.kept[0].comparison.outcome == weiquan::v1::REPORT_OUTCOME_MATCH);
  CHECK(city.desk.counters().match == 1);
}

TEST_CASE("report check: a tampered total is a mismatch naming the measure, or behind") {
  City city;
  PeriodFigures tampered = city.own();
  tampered.measures[sync::Measure::closed] = 2;
  auto reply = city.send(sign(body_of("110101", tampered))).value();
  CHECK(reply.outcome() == weiquan::v1::REPORT_OUTCOME_MISMATCH);
  CHECK(std::vector<std::string>(reply.differing().begin(), reply.differing().end()) ==
        std::vector<std::string>{"closed"});

  // One ticket fewer: the count, the tickets measure and the ids hash differ.
  PeriodFigures fewer = city.own();
  fewer.measures[sync::Measure::tickets] = 1;
  fewer.tickets_counted = 1;
  const auto ids = city.store.reader().counted_ticket_ids({"110101", kDay, kDay}).value();
  fewer.ids_hash = ticket_ids_hash(std::span(ids).first(1));
  PeriodReportBody body = body_of("110101", fewer);
  body.set_generated_at_ms(kNow + 1);
  reply = city.send(sign(body)).value();
  CHECK(reply.outcome() == weiquan::v1::REPORT_OUTCOME_MISMATCH);
  CHECK(std::vector<std::string>(reply.differing().begin(), reply.differing().end()) ==
        std::vector<std::string>{"tickets", "tickets_counted", "ids_hash"});

  // The same difference while events are on their way (the child's backlog, or the caller's
  // judgment) is `behind`.
  body.set_generated_at_ms(kNow + 2);
  body.set_backlog_to_parent(3);
  CHECK(city.send(sign(body)).value().outcome() == weiquan::v1::REPORT_OUTCOME_BEHIND);
  body.set_generated_at_ms(kNow + 3);
  body.set_backlog_to_parent(0);
  city.behind = true;
  CHECK(city.send(sign(body)).value().outcome() == weiquan::v1::REPORT_OUTCOME_BEHIND);
  CHECK(city.desk.counters().mismatch == 2);
  CHECK(city.desk.counters().behind == 2);
}

TEST_CASE("report check: forged, foreign, misaddressed and superseded reports are refused") {
  City city;
  const auto code = [&](const Signed& wire) {
    auto reply = city.send(wire);
    REQUIRE_FALSE(reply);
    return reply.error().code;
  };
  const PeriodReportBody truthful = body_of("110101", city.own());
  // Signed by another node's key under the county's name.
  CHECK(code(sign(truthful, "110102")) == "federation.report_bad_signature");
  Signed flipped = sign(truthful);
  flipped.mutable_signature()->at(0) ^= 1;
  CHECK(code(flipped) == "federation.report_bad_signature");
  // A grandchild (the station) and a node elsewhere are not children of the city.
  CHECK(code(sign(body_of("110101001", city.own()), "110101001")) == "federation.report_not_child");
  CHECK(code(sign(body_of("440305", city.own()), "440305")) == "crypto.unknown_node");
  PeriodReportBody future = truthful;
  future.set_generated_at_ms(kNow + 60 * 60'000);
  CHECK(code(sign(future)) == "federation.report_from_future");
  CHECK(code(Signed{}) == "federation.bad_report");
  CHECK(city.kept.empty());

  // A newer report is kept; an older one after it is refused and changes nothing.
  PeriodReportBody newer = truthful;
  newer.set_generated_at_ms(kNow + 10);
  REQUIRE(city.send(sign(newer)));
  CHECK(code(sign(truthful)) == "federation.report_superseded");
  CHECK(city.kept.size() == 1);
  CHECK(city.desk.counters().refused == 7);
}

}  // namespace
}  // namespace wq::federation
