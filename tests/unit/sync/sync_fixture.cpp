#include "sync_fixture.h"

#include <stdlib.h>

#include <cassert>
#include <catch2/catch.hpp>
#include <system_error>

namespace wq::sync::test {

Federation::Federation() {
  add("cn", crypto::Level::national, "cn");
  add("44", crypto::Level::province, "cn");
  add("4403", crypto::Level::city, "44");
  add("440305", crypto::Level::county, "4403");
  add("440306", crypto::Level::county, "4403");
  add("440305001", crypto::Level::station, "440305");
}

void Federation::add(const std::string& id, crypto::Level level, const std::string& issuer) {
  auto node = std::make_unique<TestNode>();
  node->id = id;
  node->keys = crypto::NodeKeys::generate();
  if (level == crypto::Level::national) {
    node->cert = issue_anchor_certificate(node->keys, kValidFrom, kValidUntil, 1).value();
  } else {
    crypto::Certificate cert;
    cert.node_id = id;
    cert.level = level;
    cert.region = id;
    cert.sign_key = node->keys.sign.public_key;
    cert.box_key = node->keys.box.public_key;
    cert.not_before_ms = kValidFrom;
    cert.not_after_ms = kValidUntil;
    cert.serial = 1;
    cert.issuer = issuer;
    node->cert = issue_certificate(cert, this->node(issuer).keys.sign).value();
  }
  order_.push_back(id);
  nodes_.emplace(id, std::move(node));
}

const TestNode& Federation::node(const std::string& id) const {
  const auto it = nodes_.find(id);
  assert(it != nodes_.end());
  return *it->second;
}

std::vector<crypto::SignedCertificate> Federation::certificates() const {
  std::vector<crypto::SignedCertificate> out;
  for (const std::string& id : order_) out.push_back(node(id).cert);
  return out;
}

Store Federation::open_store(const std::filesystem::path& path) const {
  StoreOptions options;
  options.path = path;
  options.anchor_key = anchor();
  options.now_ms = [] { return kT0; };
  Store store = Store::open(options).value();
  for (const auto& cert : certificates()) {
    const Status ok = store.add_certificate(cert);
    assert(ok);
    (void)ok;
  }
  return store;
}

const Federation& federation() {
  static const Federation instance;
  return instance;
}

EventWriter Scenario::writer(const std::string& id) {
  return EventWriter::create(store, federation().node(id).keys.sign, id, kT0).value();
}

void Scenario::file_and_route() {
  auto submission = province.submit(complaint(), "440305", kT0);
  REQUIRE(submission);
  ticket = submission->event.ticket_id();
  REQUIRE(province.append(ticket, routed("440305"), kT0 + kMinute));
  REQUIRE(county.append(ticket, received(), kT0 + 2 * kMinute));
}

Ticket Scenario::projection() {
  return store.reader().ticket(ticket).value().value();
}

std::size_t Scenario::event_count() {
  return store.reader().events(ticket).value().size();
}

weiquan::v1::EventBody draft(weiquan::v1::Role role) {
  weiquan::v1::EventBody body;
  body.mutable_actor()->set_role(role);
  body.mutable_actor()->set_id(role == weiquan::v1::ROLE_CONSUMER ? "consumer-1" : "officer-7");
  body.mutable_actor()->set_name(role == weiquan::v1::ROLE_CONSUMER ? "" : "王警官");
  return body;
}

weiquan::v1::EventBody complaint(std::int64_t received_at_ms) {
  auto body = draft(weiquan::v1::ROLE_CONSUMER);
  auto& submitted = *body.mutable_submitted();
  submitted.set_type(weiquan::v1::TICKET_TYPE_COMPLAINT);
  submitted.set_channel(weiquan::v1::CHANNEL_WEB);
  submitted.set_received_at_ms(received_at_ms);
  submitted.set_jurisdiction_region("440305");
  submitted.mutable_business()->set_name("深圳市某某电器有限公司");
  submitted.mutable_business()->set_uscc("91440300MA5XXXXXX1");
  submitted.set_category("家用电器");
  submitted.set_amount_fen(129900);
  submitted.set_description("空调安装后不制冷，商家拒绝退货。");
  submitted.set_demands("退货退款");
  submitted.set_consent_disclosure(true);
  submitted.set_consent_mediation(true);
  return body;
}

weiquan::v1::EventBody routed(const std::string& to_node) {
  auto body = draft(weiquan::v1::ROLE_SYSTEM);
  body.mutable_routed()->set_to_node(to_node);
  body.mutable_routed()->set_region(to_node);
  return body;
}

weiquan::v1::EventBody received() {
  auto body = draft(weiquan::v1::ROLE_SYSTEM);
  body.mutable_received();
  return body;
}

weiquan::v1::EventBody accepted() {
  auto body = draft(weiquan::v1::ROLE_OFFICER);
  body.mutable_accepted()->set_note("符合受理条件");
  return body;
}

weiquan::v1::EventBody refused() {
  auto body = draft(weiquan::v1::ROLE_OFFICER);
  body.mutable_refused()->set_ground("order20.art15.1");
  return body;
}

weiquan::v1::EventBody assigned(weiquan::v1::AssigneeKind kind, const std::string& assignee) {
  auto body = draft(weiquan::v1::ROLE_OFFICER);
  body.mutable_assigned()->set_kind(kind);
  body.mutable_assigned()->set_assignee(assignee);
  return body;
}

weiquan::v1::EventBody assigned_station(const std::string& station) {
  return assigned(weiquan::v1::ASSIGNEE_KIND_STATION, station);
}

weiquan::v1::EventBody transferred(weiquan::v1::TransferDirection direction,
                                   const std::string& to_node) {
  auto body = draft(weiquan::v1::ROLE_OFFICER);
  body.mutable_transferred()->set_direction(direction);
  body.mutable_transferred()->set_to_node(to_node);
  body.mutable_transferred()->set_reason("经营者住所地不在本辖区");
  return body;
}

weiquan::v1::EventBody message(const std::string& text) {
  auto body = draft(weiquan::v1::ROLE_CONSUMER);
  body.mutable_message()->set_from(weiquan::v1::PARTY_CONSUMER);
  body.mutable_message()->set_text(text);
  return body;
}

weiquan::v1::EventBody mediation_result(bool agreement) {
  auto body = draft(weiquan::v1::ROLE_OFFICER);
  body.mutable_mediation_result()->set_agreement(agreement);
  return body;
}

weiquan::v1::EventBody closed(std::int64_t amount_recovered_fen) {
  auto body = draft(weiquan::v1::ROLE_OFFICER);
  body.mutable_closed()->set_result("agreement");
  body.mutable_closed()->set_amount_recovered_fen(amount_recovered_fen);
  return body;
}

weiquan::v1::EventBody visited() {
  auto body = draft(weiquan::v1::ROLE_CONSUMER);
  body.mutable_visited()->set_satisfaction(weiquan::v1::SATISFACTION_SATISFIED);
  return body;
}

weiquan::v1::EventBody first_event(const std::string& author, const std::string& ticket_id) {
  auto body = complaint();
  body.mutable_submitted()->set_rule_version("samr-order-20@2022-09-29");
  body.set_version(1);
  body.set_ticket_id(ticket_id);
  body.set_seq(1);
  body.set_author(author);
  body.set_time_ms(kT0);
  return body;
}

}  // namespace wq::sync::test
