#include "weiquan/policies/lifecycle.h"

#include <algorithm>
#include <utility>

#include "builtin_data.h"
#include "embedded_tables.h"
#include "event_kinds.h"
#include "lifecycle_rules.h"
#include "vocabulary.h"
#include "weiquan/crypto/certificate.h"
#include "wording.h"

namespace wq::policies {
namespace {

using detail::in_quotes;
using detail::one_of;

std::string role_names(std::uint32_t roles) {
  std::vector<std::string> names;
  for (std::size_t r = 0; r < detail::kRoleNames.size(); ++r) {
    if (roles & detail::bit(static_cast<Role>(r))) names.emplace_back(detail::kRoleNames[r]);
  }
  return one_of(names);
}

std::string level_names(std::uint32_t levels) {
  std::vector<std::string> names;
  for (Level level : detail::kLevels) {
    if (levels & detail::bit(level)) names.emplace_back(crypto::level_name(level));
  }
  return one_of(names);
}

// "a complaint", "an inquiry".
std::string a_ticket(TicketType type) {
  return (type == TicketType::inquiry ? "an " : "a ") + std::string(type_name(type));
}

std::string ticket_in(TicketType type, std::string_view state) {
  return a_ticket(type) + " in state " + in_quotes(state);
}

Result<std::size_t> variant_index(const detail::EventKind& spec, std::string_view variant) {
  if (spec.variants.empty()) {
    if (variant.empty()) return detail::kNoVariant;
    return make_error("policies.unknown_variant",
                      in_quotes(spec.name) + " takes no variant, got " + in_quotes(variant));
  }
  if (auto index = detail::find_variant(spec, variant)) return *index;
  std::vector<std::string> names(spec.variants.begin(), spec.variants.end());
  return make_error("policies.unknown_variant",
                    in_quotes(spec.name) + " needs its variant (" + one_of(names) + "), got " +
                        (variant.empty() ? std::string("none") : in_quotes(variant)));
}

}  // namespace

Lifecycle::Lifecycle(std::shared_ptr<const Rules> rules) : rules_(std::move(rules)) {}

Result<Lifecycle> Lifecycle::load(std::string_view json) {
  auto rules = detail::compile_lifecycle(json);
  if (!rules.ok()) return rules.error();
  return Lifecycle(std::make_shared<const Rules>(std::move(rules).value()));
}

const Lifecycle& Lifecycle::builtin() {
  static const Lifecycle rules =
      detail::expect_builtin(load(embedded::lifecycle_json()), "lifecycle rules");
  return rules;
}

Result<std::string> Lifecycle::apply(TicketType type, std::string_view state, std::string_view kind,
                                     Role role, Level level, std::string_view variant) const {
  const auto kind_index = detail::find_kind(kind);
  if (!kind_index) {
    return make_error("policies.unknown_kind", "unknown event kind " + in_quotes(kind));
  }
  const auto variant_or = variant_index(detail::kEventKinds[*kind_index], variant);
  if (!variant_or.ok()) return variant_or.error();
  const detail::Machine& machine = rules_->machine(type);
  const auto from = machine.find(state);
  if (!from) {
    return make_error("policies.unknown_state",
                      in_quotes(state) + " is not a state of " + a_ticket(type));
  }
  const auto& edges = machine.states[*from].edges;
  const auto edge = std::find_if(edges.begin(), edges.end(), [&](const detail::Edge& e) {
    return e.kind == *kind_index && e.variant == variant_or.value();
  });
  if (edge == edges.end()) {
    std::vector<std::string> allowed;
    for (const auto& e : edges) allowed.push_back(e.name());
    return make_error(
        "policies.forbidden_transition",
        ticket_in(type, state) + " cannot take " +
            in_quotes(detail::event_name(*kind_index, variant_or.value())) +
            (allowed.empty() ? "; no event may follow" : "; allowed now: " + one_of(allowed)));
  }
  if (!(edge->roles & detail::bit(role))) {
    return make_error("policies.forbidden_role", in_quotes(edge->name()) + " on " +
                                                     ticket_in(type, state) + " is written by " +
                                                     role_names(edge->roles) + ", not by " +
                                                     std::string(role_name(role)));
  }
  if (!(edge->levels & detail::bit(level))) {
    return make_error("policies.forbidden_level",
                      in_quotes(edge->name()) + " on " + ticket_in(type, state) +
                          " is written at a " + level_names(edge->levels) + " node, not at a " +
                          std::string(crypto::level_name(level)) + " node");
  }
  return rules_->machine(edge->target).states[edge->to].name;
}

std::vector<Action> Lifecycle::actions(TicketType type, std::string_view state, Role role,
                                       Level level) const {
  std::vector<Action> out;
  const detail::Machine& machine = rules_->machine(type);
  const auto from = machine.find(state);
  if (!from) return out;
  for (const auto& edge : machine.states[*from].edges) {
    if (!(edge.roles & detail::bit(role)) || !(edge.levels & detail::bit(level))) continue;
    const auto& spec = detail::kEventKinds[edge.kind];
    std::string variant = edge.variant == detail::kNoVariant
                              ? std::string()
                              : std::string(spec.variants[edge.variant]);
    out.push_back(Action{std::string(spec.name), std::move(variant),
                         rules_->machine(edge.target).states[edge.to].name});
  }
  return out;
}

bool Lifecycle::is_terminal(TicketType type, std::string_view state) const {
  const detail::Machine& machine = rules_->machine(type);
  const auto index = machine.find(state);
  return index && machine.states[*index].terminal;
}

std::vector<std::string> Lifecycle::states(TicketType type) const {
  std::vector<std::string> out;
  for (const auto& state : rules_->machine(type).states) out.push_back(state.name);
  return out;
}

std::vector<std::string> Lifecycle::kinds() const {
  std::vector<std::string> out;
  for (const auto& spec : detail::kEventKinds) out.emplace_back(spec.name);
  return out;
}

const std::string& Lifecycle::version() const {
  return rules_->version;
}

}  // namespace wq::policies
