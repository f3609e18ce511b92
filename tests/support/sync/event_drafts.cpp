#include "event_drafts.h"

namespace wq::testing {

weiquan::v1::EventBody draft(weiquan::v1::Role role) {
  weiquan::v1::EventBody body;
  body.mutable_actor()->set_role(role);
  body.mutable_actor()->set_id(role == weiquan::v1::ROLE_CONSUMER ? "consumer-1" : "officer-7");
  body.mutable_actor()->set_name(role == weiquan::v1::ROLE_CONSUMER ? "" : "王警官");
  return body;
}

weiquan::v1::EventBody complaint(const std::string& region, std::int64_t received_at_ms) {
  auto body = draft(weiquan::v1::ROLE_CONSUMER);
  auto& submitted = *body.mutable_submitted();
  submitted.set_type(weiquan::v1::TICKET_TYPE_COMPLAINT);
  submitted.set_channel(weiquan::v1::CHANNEL_WEB);
  submitted.set_received_at_ms(received_at_ms);
  submitted.set_jurisdiction_region(region);
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

weiquan::v1::EventBody routed(const std::string& to_node, const std::string& region,
                              const std::string& reason) {
  auto body = draft(weiquan::v1::ROLE_SYSTEM);
  body.mutable_routed()->set_to_node(to_node);
  body.mutable_routed()->set_region(region);
  body.mutable_routed()->set_reason(reason);
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

weiquan::v1::EventBody transferred(weiquan::v1::TransferDirection direction,
                                   const std::string& to_node) {
  auto body = draft(weiquan::v1::ROLE_OFFICER);
  body.mutable_transferred()->set_direction(direction);
  body.mutable_transferred()->set_to_node(to_node);
  body.mutable_transferred()->set_reason("经营者住所地不在本辖区");
  return body;
}

weiquan::v1::EventBody closed(std::int64_t amount_recovered_fen) {
  auto body = draft(weiquan::v1::ROLE_OFFICER);
  body.mutable_closed()->set_result("agreement");
  body.mutable_closed()->set_amount_recovered_fen(amount_recovered_fen);
  return body;
}

}  // namespace wq::testing
