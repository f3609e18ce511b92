#include "node_fixture.h"

#include <catch2/catch.hpp>
#include <chrono>

#include "weiquan/crypto/key_file.h"
#include "weiquan/node/node_dir.h"

namespace wq::testing {

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void require_ok(const ProcessResult& r) {
  INFO("stdout: " << r.out << "\nstderr: " << r.err);
  REQUIRE(r.exit_code == 0);
}

namespace {

const char* level_of(const std::string& region) {
  switch (region.size()) {
    case 2:
      return region == "cn" ? "national" : "province";
    case 4:
      return "city";
    case 6:
      return "county";
    default:
      return "station";
  }
}

}  // namespace

void build_chain(const TempDir& tmp, const std::vector<std::string>& chain) {
  for (std::size_t i = 0; i < chain.size(); ++i) {
    const std::string& id = chain[i];
    require_ok(run_weiquan({"init", "--dir", tmp / id, "--level", level_of(id), "--region", id}));
    if (i > 0)
      require_ok(run_weiquan({"enroll", "--parent", tmp / chain[i - 1], "--child", tmp / id}));
  }
}

weiquan::v1::EventBody by(weiquan::v1::Role role, const char* id) {
  weiquan::v1::EventBody body;
  body.mutable_actor()->set_role(role);
  body.mutable_actor()->set_id(id);
  return body;
}

EventDesk::EventDesk(const std::string& dir, std::int64_t now) {
  const node::NodeDir node_dir{dir};
  auto config = node::load_config(node_dir);
  REQUIRE(config);
  node_id_ = config->node_id;
  auto keys = crypto::read_key_file(node_dir.key_path());
  REQUIRE(keys);
  keys_.emplace(std::move(*keys));
  auto store = node::open_store(node_dir, *config);
  REQUIRE(store);
  store_.emplace(std::move(*store));
  auto writer = sync::EventWriter::create(*store_, keys_->sign, node_id_, now);
  REQUIRE(writer);
  writer_.emplace(std::move(*writer));
}

std::string EventDesk::accepted_complaint(std::int64_t at) {
  auto submitted = by(weiquan::v1::ROLE_OFFICER, "officer-7");
  auto& s = *submitted.mutable_submitted();
  s.set_type(weiquan::v1::TICKET_TYPE_COMPLAINT);
  s.set_channel(weiquan::v1::CHANNEL_HOTLINE);
  s.set_received_at_ms(at - 3'600'000);
  s.set_jurisdiction_region(node_id_);
  s.mutable_business()->set_name("深圳市南山区某某电器商行");
  s.set_category("家用电器");
  s.set_amount_fen(259900);
  s.set_description("购买的冰箱三天后不制冷，商家拒绝维修。");
  s.set_demands("更换或退货");
  auto ticket = writer_->submit(submitted, node_id_, at);
  INFO((ticket ? "" : ticket.error().code + ": " + ticket.error().message));
  REQUIRE(ticket);
  const std::string id = ticket->event.ticket_id();

  // Filed at the office with jurisdiction itself: it dispatches the ticket to itself.
  auto routed = by(weiquan::v1::ROLE_SYSTEM, node_id_.c_str());
  routed.mutable_routed()->set_to_node(node_id_);
  routed.mutable_routed()->set_region(node_id_);
  auto received = by(weiquan::v1::ROLE_SYSTEM, node_id_.c_str());
  received.mutable_received();
  auto accepted = by(weiquan::v1::ROLE_OFFICER, "officer-7");
  accepted.mutable_accepted()->set_note("符合受理条件");
  append(id, routed, at + 1);
  append(id, received, at + 2);
  append(id, accepted, at + 3);
  return id;
}

void EventDesk::append(const std::string& ticket_id, const weiquan::v1::EventBody& body,
                       std::int64_t at) {
  auto appended = writer_->append(ticket_id, body, at);
  INFO((appended ? "" : appended.error().code + ": " + appended.error().message));
  REQUIRE(appended);
}

}  // namespace wq::testing
