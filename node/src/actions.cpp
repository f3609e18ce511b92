#include "actions.h"

#include <array>
#include <functional>
#include <initializer_list>
#include <nlohmann/json.hpp>

#include "api_names.h"
#include "auth.h"
#include "json_body.h"
#include "personal_seal.h"
#include "weiquan/policies/validation.h"

namespace wq::node::http {
namespace {

using weiquan::v1::EventBody;

constexpr std::uint32_t kMaxExtensionDays = 60;

struct Step {
  FieldReader& in;
  const ActionInputs& inputs;
  EventBody& body;

  const sync::Ticket& ticket() const { return inputs.ticket; }
  const std::string& node_id() const { return inputs.context.config.node_id; }
  std::int64_t now_ms() const { return inputs.context.now_ms(); }
};

using Builder = std::function<void(Step&)>;

struct Action {
  std::string_view name;
  std::vector<Access> allowed;  // who may take the step, besides the lifecycle rules
  Builder build;
};

Error bad(std::string_view what) {
  return make_error("node.bad_field", std::string(what));
}

// Personal data re-sealed for the node a ticket is sent to (it must be known and valid now).
void reseal_for(Step& step, const std::string& to_node,
                google::protobuf::RepeatedPtrField<weiquan::v1::SealedFor>& out) {
  auto cert = step.inputs.trust.verify_chain(to_node, step.now_ms());
  if (!cert) {
    return step.in.fail(
        make_error("node.unknown_node",
                   "node " + to_node + " has no valid certificate here: " + cert.error().message));
  }
  auto person =
      open_ticket_personal_data(step.inputs.events, step.node_id(), step.inputs.context.keys.box);
  if (!person) return step.in.fail(person.error());
  if (!*person) return;
  auto sealed = seal_personal_data(**person, to_node, (*cert)->cert.box_key);
  if (!sealed) return step.in.fail(sealed.error());
  *out.Add() = std::move(*sealed);
}

// An account of this office with one of `roles`, by id.
void require_account(Step& step, const std::string& account_id,
                     std::initializer_list<policies::Role> roles) {
  auto account = step.inputs.context.accounts.find(account_id);
  if (!account) return step.in.fail(account.error());
  if (!*account) {
    return step.in.fail(make_error("node.unknown_account", "no account " + account_id));
  }
  if (Status ok = require_role(**account, roles); !ok) {
    step.in.fail(
        make_error("node.bad_field", "assignee " + account_id + " has role " +
                                         std::string(policies::role_name((*account)->role))));
  }
}

void assign(Step& step) {
  auto& assigned = *step.body.mutable_assigned();
  const std::string to = step.in.text("to", 20, true);
  std::string assignee = step.in.text("assignee", 40, false);
  assigned.set_note(step.in.text("note", 500, false, true));
  if (!step.in.ok()) return;
  const auto kind = parse_api_name<weiquan::v1::AssigneeKind>(to);
  if (!kind) return step.in.fail(bad("to: officer, station, enterprise or association"));
  assigned.set_kind(*kind);
  switch (*kind) {
    case weiquan::v1::ASSIGNEE_KIND_OFFICER:
      if (assignee.empty()) assignee = step.inputs.principal.account_id;
      require_account(step, assignee, {policies::Role::officer, policies::Role::supervisor});
      break;
    case weiquan::v1::ASSIGNEE_KIND_ENTERPRISE:
      if (assignee.empty()) assignee = step.ticket().business_uscc;
      if (assignee.empty()) {
        return step.in.fail(bad("assignee: the business has no USCC on file; give its USCC"));
      }
      if (auto uscc = policies::parse_uscc(assignee, step.inputs.context.regions); !uscc) {
        return step.in.fail(uscc.error());
      }
      break;
    case weiquan::v1::ASSIGNEE_KIND_ASSOCIATION:
      if (!step.ticket().consent_mediation) {
        return step.in.fail(make_error(
            "node.no_consent", "the consumer did not agree to entrusted mediation (委托调解)"));
      }
      require_account(step, assignee, {policies::Role::association});
      break;
    case weiquan::v1::ASSIGNEE_KIND_STATION:
      reseal_for(step, assignee, *assigned.mutable_personal());
      break;
    default:
      return step.in.fail(bad("to: officer, station, enterprise or association"));
  }
  assigned.set_assignee(assignee);
}

// The office takes a dispute back from the enterprise or association and mediates itself.
void take_back(Step& step) {
  auto& assigned = *step.body.mutable_assigned();
  assigned.set_kind(weiquan::v1::ASSIGNEE_KIND_OFFICER);
  assigned.set_assignee(step.inputs.principal.account_id);
  assigned.set_note(step.in.text("note", 500, false, true));
}

void transfer(Step& step) {
  auto& transferred = *step.body.mutable_transferred();
  const std::string direction = step.in.text("direction", 20, true);
  transferred.set_to_node(step.in.text("to_node", 40, true));
  transferred.set_reason(step.in.text("reason", 500, true, true));
  if (!step.in.ok()) return;
  const auto parsed = parse_api_name<weiquan::v1::TransferDirection>(direction);
  if (!parsed) return step.in.fail(bad("direction: parallel, up or down"));
  transferred.set_direction(*parsed);
  reseal_for(step, transferred.to_node(), *transferred.mutable_personal());
}

weiquan::v1::Party party_of(const Principal& principal) {
  switch (principal.role) {
    case policies::Role::consumer:
      return weiquan::v1::PARTY_CONSUMER;
    case policies::Role::enterprise:
      return weiquan::v1::PARTY_ENTERPRISE;
    case policies::Role::association:
      return weiquan::v1::PARTY_ASSOCIATION;
    default:
      return weiquan::v1::PARTY_OFFICE;
  }
}

void refuse(Step& step) {
  auto& refused = *step.body.mutable_refused();
  refused.set_ground(step.in.text("ground", 40, true));
  refused.set_explanation(step.in.text("explanation", 1000, true, true));
}

std::uint32_t read_days(Step& step, bool required) {
  auto days = step.in.integer("days", 1, kMaxExtensionDays);
  if (!days && required && step.in.ok()) step.in.fail(bad("days: required"));
  return static_cast<std::uint32_t>(days.value_or(0));
}

void close(Step& step) {
  auto& closed = *step.body.mutable_closed();
  closed.set_result(step.in.text("result", 40, true));
  closed.set_text(step.in.text("text", 2000, true, true));
  if (const std::string amount = step.in.text("amount_recovered", 20, false); !amount.empty()) {
    auto fen = policies::parse_amount_yuan(amount);
    if (!fen) return step.in.fail(bad("amount_recovered: " + fen.error().message));
    closed.set_amount_recovered_fen(*fen);
  }
  for (char c : closed.result()) {
    if (!(c >= 'a' && c <= 'z') && c != '_') {
      return step.in.fail(bad("result: an outcome code of lower-case letters and '_'"));
    }
  }
}

void visit(Step& step) {
  auto& visited = *step.body.mutable_visited();
  const std::string satisfaction = step.in.text("satisfaction", 20, true);
  visited.set_note(step.in.text("note", 500, false, true));
  if (!step.in.ok()) return;
  const auto parsed = parse_api_name<weiquan::v1::Satisfaction>(satisfaction);
  if (!parsed) {
    return step.in.fail(bad("satisfaction: very_satisfied, satisfied, average or dissatisfied"));
  }
  visited.set_satisfaction(*parsed);
}

void change_type(Step& step) {
  auto& changed = *step.body.mutable_type_changed();
  const std::string to = step.in.text("to", 20, true);
  changed.set_reason(step.in.text("reason", 500, true, true));
  if (!step.in.ok()) return;
  const auto parsed = parse_api_name<weiquan::v1::TicketType>(to);
  if (!parsed) return step.in.fail(bad("to: complaint, report, inquiry or suggestion"));
  changed.set_to(*parsed);
}

void merge(Step& step) {
  const std::string into = step.in.text("into", 60, true);
  if (into == step.ticket().id) return step.in.fail(bad("into: a ticket cannot merge into itself"));
  step.body.mutable_merged()->set_into_ticket(into);
}

const std::vector<Action>& actions() {
  static const std::vector<Action> table = {
      {"accept",
       {Access::staff},
       [](Step& s) { s.body.mutable_accepted()->set_note(s.in.text("note", 500, false, true)); }},
      {"refuse", {Access::staff}, refuse},  // the store checks the ground against the policy
      {"assign", {Access::staff}, assign},
      {"take_back", {Access::staff}, take_back},
      {"transfer", {Access::staff}, transfer},
      {"message",
       {Access::staff, Access::filer, Access::enterprise, Access::association},
       [](Step& s) {
         auto& message = *s.body.mutable_message();
         message.set_from(party_of(s.inputs.principal));
         message.set_text(s.in.text("text", 2000, true, true));
       }},
      {"request_extension",
       {Access::staff},
       [](Step& s) {
         auto& requested = *s.body.mutable_extension_requested();
         requested.set_clock(s.in.text("clock", 60, true));
         requested.set_days(read_days(s, true));
         requested.set_reason(s.in.text("reason", 500, true, true));
       }},
      {"decide_extension",
       {Access::staff},
       [](Step& s) {
         auto& decided = *s.body.mutable_extension_decided();
         decided.set_clock(s.in.text("clock", 60, true));
         decided.set_approved(s.in.flag("approved"));
         decided.set_days(read_days(s, decided.approved()));
         decided.set_note(s.in.text("note", 500, false, true));
       }},
      {"initial_feedback",
       {Access::staff},
       [](Step& s) {
         s.body.mutable_initial_feedback()->set_text(s.in.text("text", 2000, true, true));
       }},
      {"mediation_result",
       {Access::staff, Access::enterprise, Access::association},
       [](Step& s) {
         auto& result = *s.body.mutable_mediation_result();
         if (!s.in.has("agreement")) s.in.fail(bad("agreement: required (true or false)"));
         result.set_agreement(s.in.flag("agreement"));
         result.set_text(s.in.text("text", 2000, true, true));
       }},
      {"convert_to_case",
       {Access::staff},
       [](Step& s) {
         s.body.mutable_converted_to_case()->set_case_number(s.in.text("case_number", 60, true));
       }},
      {"close", {Access::staff}, close},
      {"reopen",
       {Access::staff},
       [](Step& s) {
         s.body.mutable_reopened()->set_reason(s.in.text("reason", 500, true, true));
       }},
      {"change_type", {Access::staff}, change_type},
      {"visit", {Access::staff, Access::filer}, visit},
      {"urge",
       {Access::staff},
       [](Step& s) {
         s.body.mutable_urged()->set_from_node(s.node_id());
         s.body.mutable_urged()->set_note(s.in.text("note", 500, false, true));
       }},
      {"supervise",
       {Access::staff},
       [](Step& s) {
         s.body.mutable_supervised()->set_from_node(s.node_id());
         s.body.mutable_supervised()->set_note(s.in.text("note", 500, false, true));
       }},
      {"merge", {Access::staff}, merge},
      {"pause_clock",
       {Access::staff},
       [](Step& s) {
         s.body.mutable_clock_paused()->set_reason(s.in.text("reason", 500, true, true));
       }},
      {"resume_clock", {Access::staff}, [](Step& s) { s.body.mutable_clock_resumed(); }},
  };
  return table;
}

}  // namespace

std::vector<std::string> action_names() {
  std::vector<std::string> names;
  for (const Action& action : actions()) names.emplace_back(action.name);
  return names;
}

Result<EventBody> build_action(const nlohmann::json& request, const ActionInputs& inputs) {
  const Access access = access_to(inputs.principal, inputs.ticket, inputs.context.config);
  if (access == Access::none) {
    return make_error("node.unknown_ticket", "no ticket " + inputs.ticket.id);
  }
  FieldReader in(request);
  const std::string name = in.text("action", 40, true);
  if (!in.ok()) return in.finish().error();
  const Action* action = nullptr;
  for (const Action& candidate : actions()) {
    if (candidate.name == name) action = &candidate;
  }
  if (action == nullptr) {
    std::string known;
    for (const auto& known_name : action_names()) known += (known.empty() ? "" : ", ") + known_name;
    return make_error("node.bad_action", "unknown action " + name + "; one of " + known);
  }
  if (std::find(action->allowed.begin(), action->allowed.end(), access) == action->allowed.end()) {
    return make_error("node.forbidden",
                      "an account with role " +
                          std::string(policies::role_name(inputs.principal.role)) + " may not " +
                          name + " this ticket");
  }
  EventBody body;
  *body.mutable_actor() = actor_of(inputs.principal);
  Step step{in, inputs, body};
  action->build(step);
  if (Status ok = in.finish(); !ok) return ok.error();
  return body;
}

}  // namespace wq::node::http
