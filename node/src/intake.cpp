#include "intake.h"

#include "api_names.h"
#include "auth.h"
#include "json_body.h"
#include "personal_seal.h"
#include "weiquan/policies/types.h"
#include "weiquan/policies/validation.h"

namespace wq::node::http {
namespace {

using weiquan::v1::Channel;
using weiquan::v1::EventBody;

// How far back staff may date a ticket they register (a letter found late is still registered,
// a mistyped year is not).
constexpr std::int64_t kMaxRegistrationDelayMs = 90LL * 24 * 60 * 60 * 1000;

bool staff_channel(Channel channel) {
  return channel == weiquan::v1::CHANNEL_HOTLINE || channel == weiquan::v1::CHANNEL_LETTER ||
         channel == weiquan::v1::CHANNEL_VISIT || channel == weiquan::v1::CHANNEL_TRANSFER_12345;
}

std::string one_of(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& name : names) out += (out.empty() ? "" : ", ") + name;
  return out;
}

struct Filer {
  weiquan::v1::Actor actor;
  bool staff = false;
};

Result<Filer> filer_of(const std::optional<Principal>& principal) {
  Filer filer;
  if (!principal) {
    filer.actor.set_role(weiquan::v1::ROLE_CONSUMER);  // anonymous: no account, no name
    return filer;
  }
  if (Status ok = require_role(*principal, {policies::Role::consumer, policies::Role::officer,
                                            policies::Role::supervisor});
      !ok) {
    return ok.error();
  }
  filer.staff = is_staff(*principal);
  filer.actor = actor_of(*principal);
  return filer;
}

Channel read_channel(FieldReader& in, const Filer& filer) {
  const std::string name = in.text("channel", 20, filer.staff);
  if (name.empty()) return weiquan::v1::CHANNEL_WEB;
  auto channel = parse_api_name<Channel>(name);
  if (!channel) {
    in.fail(make_error("node.bad_field",
                       "channel: one of " + one_of(api_names<Channel>()) + ", not " + name));
    return weiquan::v1::CHANNEL_WEB;
  }
  if (staff_channel(*channel) != filer.staff) {
    in.fail(make_error("node.forbidden",
                       filer.staff
                           ? "staff register tickets that came by hotline, letter, visit or "
                             "12345; consumers file web, app and WeChat tickets themselves"
                           : "only staff register hotline, letter, visit and 12345 tickets"));
  }
  return *channel;
}

std::int64_t read_time(FieldReader& in, std::string_view key, bool required, std::int64_t now_ms) {
  const std::string text = in.text(key, 40, required);
  if (text.empty()) return 0;
  auto time = policies::parse_time(text, now_ms);
  if (!time) {
    in.fail(make_error("node.bad_field", std::string(key) + ": " + time.error().message));
    return 0;
  }
  return *time;
}

// When the ticket reached the platform: now for online filing, the real time for registrations.
std::int64_t read_received_at(FieldReader& in, const Filer& filer, std::int64_t now_ms) {
  if (!filer.staff) {
    if (in.has("received_at")) {
      in.fail(make_error("node.forbidden", "received_at is set by the node for online filing"));
    }
    return now_ms;
  }
  const std::int64_t at = read_time(in, "received_at", true, now_ms);
  if (at != 0 && (at > now_ms || at < now_ms - kMaxRegistrationDelayMs)) {
    in.fail(make_error("node.bad_field",
                       "received_at: the real receipt time, within the last 90 days and not in "
                       "the future"));
  }
  return at;
}

// The business as filed, completed from the directory when it is known there.
void read_business(FieldReader& in, const ApiContext& context, bool required,
                   weiquan::v1::Business& business) {
  const nlohmann::json* object = in.object("business");
  if (object == nullptr) {
    if (required) in.fail(make_error("node.bad_field", "business: required"));
    return;
  }
  FieldReader fields(*object, "business.");
  const std::string uscc = fields.text("uscc", 18, false);
  std::string name = fields.text("name", 200, false);
  const std::string address = fields.text("address", 500, false);
  const std::string region = fields.text("region", 12, false);
  if (Status ok = fields.finish(); !ok) return in.fail(ok.error());
  if (uscc.empty() && name.empty()) {
    return in.fail(make_error("node.bad_field", "business: give its uscc or its name"));
  }
  std::optional<Business> known;
  if (!uscc.empty()) {
    if (auto parsed = policies::parse_uscc(uscc, context.regions); !parsed) {
      return in.fail(parsed.error());
    }
    auto found = context.businesses.find_by_uscc(uscc);
    if (!found) return in.fail(found.error());
    known = *found;
    if (!known && name.empty()) {
      return in.fail(make_error(
          "node.unknown_business",
          "business.uscc " + uscc + " is not in this office's directory: give the name too"));
    }
  } else {
    auto found = context.businesses.find_by_name(name);
    if (!found) return in.fail(found.error());
    if (found->size() == 1) known = found->front();
  }
  if (known) {
    business.set_uscc(known->uscc);
    business.set_name(known->name);
    business.set_region(known->region);
    business.set_address(known->address);
    return;
  }
  business.set_uscc(uscc);
  business.set_name(name);
  business.set_region(region);
  business.set_address(address);
}

// The region whose office has jurisdiction: the business's place of business, else the region the
// filer names, else (inquiries and suggestions) this office's own region.
std::string jurisdiction_of(FieldReader& in, const ApiContext& context,
                            const weiquan::v1::Business& business) {
  std::string region = in.text("region", 12, false);
  if (!business.region().empty()) region = business.region();
  if (region.empty()) region = context.config.region;
  if (auto found = context.regions.lookup(region); !found) in.fail(found.error());
  return region;
}

// The consumer a staff member registers: who called, wrote or came in.
Result<PersonalData> read_caller(FieldReader& in, std::int64_t now_ms) {
  const nlohmann::json* object = in.object("consumer");
  if (object == nullptr) return make_error("node.bad_field", "consumer: required");
  FieldReader fields(*object, "consumer.");
  PersonalData person;
  person.name = fields.text("name", 50, true);
  person.phone = fields.text("phone", 20, true);
  person.id_number = fields.text("id_number", 18, false);
  person.address = fields.text("address", 200, false);
  if (Status ok = fields.finish(); !ok) return ok.error();
  auto phone = policies::parse_phone(person.phone);
  if (!phone) return phone.error();
  person.phone = phone->normalized;
  if (!person.id_number.empty()) {
    if (Status ok = policies::check_id_number(person.id_number, now_ms); !ok) return ok.error();
  }
  return person;
}

EventBody system_event() {
  EventBody body;
  body.mutable_actor()->set_role(weiquan::v1::ROLE_SYSTEM);
  return body;
}

}  // namespace

Result<IntakeRequest> parse_intake(const nlohmann::json& json,
                                   const std::optional<Principal>& principal,
                                   const ApiContext& context) {
  auto filer = filer_of(principal);
  if (!filer) return filer.error();
  const std::int64_t now_ms = context.now_ms();
  FieldReader in(json);

  const std::string type_name = in.text("type", 20, true);
  auto type = policies::parse_type(type_name);
  if (in.ok() && !type) {
    in.fail(make_error("node.bad_field",
                       "type: complaint, report, inquiry or suggestion, not " + type_name));
  }
  const auto ticket_type = type ? *type : policies::TicketType::complaint;
  const bool complaint = ticket_type == policies::TicketType::complaint;
  const bool report = ticket_type == policies::TicketType::report;

  IntakeRequest request;
  EventBody& body = request.ticket.submitted;
  *body.mutable_actor() = filer->actor;
  weiquan::v1::Submitted& filed = *body.mutable_submitted();
  filed.set_type(parse_api_name<weiquan::v1::TicketType>(policies::type_name(ticket_type)).value());
  filed.set_channel(read_channel(in, *filer));
  filed.set_received_at_ms(read_received_at(in, *filer, now_ms));
  read_business(in, context, complaint || report, *filed.mutable_business());
  filed.set_jurisdiction_region(jurisdiction_of(in, context, filed.business()));
  filed.set_category(in.text("category", 50, complaint));
  filed.set_brand(in.text("brand", 100, false));
  filed.set_purchased_at_ms(read_time(in, "purchased_at", false, now_ms));
  filed.set_purchase_place(in.text("purchase_place", 200, false));
  if (const std::string amount = in.text("amount", 20, false); !amount.empty()) {
    auto fen = policies::parse_amount_yuan(amount);
    if (fen) {
      filed.set_amount_fen(*fen);
    } else {
      in.fail(make_error("node.bad_field", "amount: " + fen.error().message));
    }
  }
  filed.set_description(in.text("description", 2000, true, true));
  filed.set_demands(in.text("demands", 500, complaint, true));
  filed.set_violation_category(in.text("violation_category", 50, report));
  filed.set_consent_disclosure(in.flag("consent_disclosure"));
  filed.set_consent_mediation(in.flag("consent_mediation"));
  filed.set_anonymous(in.flag("anonymous", !principal));
  if (filed.anonymous() && !report) {
    in.fail(make_error("node.bad_field",
                       principal ? "anonymous: only reports may be anonymous"
                                 : "without an account only an anonymous report can be filed: log "
                                   "in to file a complaint, inquiry or suggestion"));
  }

  std::optional<PersonalData> caller;
  if (filer->staff && !filed.anonymous()) {
    auto read = read_caller(in, now_ms);
    if (!read) {
      in.fail(read.error());
    } else {
      caller = std::move(*read);
    }
  }
  if (Status ok = in.finish(); !ok) return ok.error();
  if (filed.anonymous()) body.mutable_actor()->clear_id();

  // Point to point: the ticket goes to the deepest office this node knows whose region contains
  // it; where that is another office, `routed` hands it over and that office receives it.
  auto competent = context.directory.competent_office(filed.jurisdiction_region(), now_ms);
  if (!competent) return competent.error();
  const bool routed_away = competent->node_id != context.config.node_id;

  if (caller) {
    auto sealed = seal_personal_data(*caller, context.config.node_id, context.keys.box.public_key);
    if (!sealed) return sealed.error();
    *filed.add_personal() = std::move(*sealed);
    request.key.consumer = context.accounts.consumer_key(caller->phone);
  } else if (principal && !filer->staff && !filed.anonymous()) {
    // The consumer's registration is sealed to this node already, in the form a ticket carries.
    auto own = context.accounts.sealed_identity(principal->account_id);
    if (!own) return own.error();
    auto& sealed = *filed.add_personal();
    sealed.set_node_id(context.config.node_id);
    sealed.set_box(own->sealed.data(), own->sealed.size());
    request.key.consumer = std::move(own->consumer_key);
    if (routed_away) {
      auto person = context.accounts.personal_data(principal->account_id);
      if (!person) return person.error();
      caller = std::move(*person);
    }
  }
  if (caller && routed_away) {
    auto sealed = seal_personal_data(*caller, competent->node_id, competent->box_key);
    if (!sealed) return sealed.error();
    *filed.add_personal() = std::move(*sealed);
  }
  request.key.business =
      filed.business().uscc().empty() ? "name:" + filed.business().name() : filed.business().uscc();
  request.key.matter = filed.category();
  request.key.type = ticket_type;
  request.key.received_at_ms = filed.received_at_ms();

  request.ticket.competent_office = competent->node_id;
  EventBody routed = system_event();
  routed.mutable_routed()->set_to_node(competent->node_id);
  routed.mutable_routed()->set_region(filed.jurisdiction_region());
  routed.mutable_routed()->set_reason(
      (routed_away ? competent->node_id : std::string("this office")) + " has jurisdiction over " +
      filed.jurisdiction_region());
  request.ticket.then.push_back(std::move(routed));
  if (!routed_away) {
    EventBody received = system_event();
    received.mutable_received();
    request.ticket.then.push_back(std::move(received));
  }
  return request;
}

}  // namespace wq::node::http
