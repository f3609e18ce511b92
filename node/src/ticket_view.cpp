#include "ticket_view.h"

#include <google/protobuf/util/json_util.h>

#include "api_names.h"
#include "personal_seal.h"
#include "weiquan/policies/validation.h"

namespace wq::node::http {
namespace {

using nlohmann::json;

json time_or_null(std::int64_t ms) {
  return ms == 0 ? json(nullptr) : json(policies::format_time(ms));
}

json deadline(const policies::Clock& clock, std::int64_t now_ms) {
  const bool overdue = clock.overdue_at(now_ms);
  const bool due_soon =
      clock.running() && !clock.paused() && !overdue && clock.due_ms - now_ms <= kDueSoonMs;
  return {{"name", clock.name},
          {"article", clock.article},
          {"policy", clock.policy},
          {"started_at", time_or_null(clock.started_ms)},
          {"due_at", time_or_null(clock.due_ms)},
          {"stopped_at", time_or_null(clock.stopped_ms)},
          {"running", clock.running()},
          {"paused", clock.paused()},
          {"extension_days", clock.extension_days},
          {"overdue", overdue},
          {"due_soon", due_soon},
          {"provisional", clock.provisional}};
}

// The details of an event's kind in the protobuf JSON mapping, without sealed personal data.
json details_of(const weiquan::v1::EventBody& body) {
  const auto* reflection = body.GetReflection();
  const auto* oneof = body.GetDescriptor()->FindOneofByName("kind");
  const auto* field = reflection->GetOneofFieldDescriptor(body, oneof);
  if (field == nullptr) return json::object();
  std::unique_ptr<google::protobuf::Message> kind(reflection->GetMessage(body, field).New());
  kind->CopyFrom(reflection->GetMessage(body, field));
  if (const auto* personal = kind->GetDescriptor()->FindFieldByName("personal")) {
    kind->GetReflection()->ClearField(kind.get(), personal);
  }
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  std::string text;
  if (!google::protobuf::util::MessageToJsonString(*kind, &text, options).ok()) {
    return json::object();
  }
  return json::parse(text, nullptr, false);
}

json timeline_entry(const sync::SignedEvent& event) {
  const auto& body = event.body;
  json actor = {{"role", api_name(body.actor().role())}};
  if (!body.actor().id().empty()) actor["id"] = body.actor().id();
  if (!body.actor().name().empty()) actor["name"] = body.actor().name();
  return {{"seq", body.seq()},
          {"kind", std::string(event.kind())},
          {"time", policies::format_time(body.time_ms())},
          {"author", body.author()},
          {"actor", std::move(actor)},
          {"details", details_of(body)}};
}

json person_json(const PersonalData& person, PersonalView view) {
  json out = {{"name", person.name}, {"phone", person.phone}};
  if (view == PersonalView::full) {
    out["id_number"] = person.id_number;
    out["address"] = person.address;
  }
  return out;
}

}  // namespace

json ticket_summary(const sync::Ticket& ticket, std::int64_t now_ms) {
  json deadlines = json::array();
  bool overdue = false;
  bool due_soon = false;
  for (const auto& clock : ticket.clocks) {
    json row = deadline(clock, now_ms);
    overdue = overdue || (clock.running() && row["overdue"].get<bool>());
    due_soon = due_soon || row["due_soon"].get<bool>();
    deadlines.push_back(std::move(row));
  }
  json assignee = nullptr;
  if (!ticket.assignee_kind.empty()) {
    assignee = {{"kind", ticket.assignee_kind}, {"id", ticket.assignee}};
  }
  return {{"id", ticket.id},
          {"type", std::string(policies::type_name(ticket.type))},
          {"state", ticket.state},
          {"channel", api_name(ticket.channel)},
          {"holder", ticket.holder},
          {"intake_node", ticket.intake_node},
          {"jurisdiction_region", ticket.jurisdiction_region},
          {"rule_version", ticket.rule_version},
          {"received_at", time_or_null(ticket.received_at_ms)},
          {"updated_at", time_or_null(ticket.updated_ms)},
          {"closed", ticket.closed},
          {"business", {{"uscc", ticket.business_uscc}, {"name", ticket.business_name}}},
          {"category", ticket.category},
          {"assignee", std::move(assignee)},
          {"consent_disclosure", ticket.consent_disclosure},
          {"consent_mediation", ticket.consent_mediation},
          {"anonymous", ticket.anonymous},
          {"next_due_at", time_or_null(ticket.next_due_ms)},
          {"overdue", overdue},
          {"due_soon", due_soon},
          {"deadlines", std::move(deadlines)},
          {"events", ticket.last_seq}};
}

Result<json> ticket_detail(const sync::Ticket& ticket, std::span<const sync::SignedEvent> events,
                           const DetailInputs& inputs) {
  json out = ticket_summary(ticket, inputs.now_ms);
  json timeline = json::array();
  for (const auto& event : events) timeline.push_back(timeline_entry(event));
  out["timeline"] = std::move(timeline);

  out["consumer"] = nullptr;
  const PersonalView view = personal_view(inputs.access, ticket);
  if (view != PersonalView::none) {
    auto person = open_ticket_personal_data(events, inputs.node_id, *inputs.box);
    if (!person) return person.error();
    if (*person) out["consumer"] = person_json(**person, view);
  }
  // The business sees the dispute it is asked to settle, not the office's file on the consumer.
  if (inputs.access == Access::enterprise || inputs.access == Access::association) {
    out.erase("intake_node");
  }
  return out;
}

}  // namespace wq::node::http
