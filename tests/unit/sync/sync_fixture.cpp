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
  node->cert = (level == crypto::Level::national
                    ? wq::testing::anchor_certificate(node->keys)
                    : wq::testing::node_certificate(id, level, node->keys, issuer,
                                                    this->node(issuer).keys.sign))
                   .value();
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

weiquan::v1::EventBody complaint(std::int64_t received_at_ms) {
  return wq::testing::complaint("440305", received_at_ms);
}

weiquan::v1::EventBody routed(const std::string& to_node) {
  return wq::testing::routed(to_node, to_node);
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
