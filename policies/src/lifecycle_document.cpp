// Reads a lifecycle document (see policies/data/lifecycle.json) into Lifecycle::Rules, collecting
// every problem with the JSON path where it was found.
#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <tuple>
#include <utility>

#include "event_kinds.h"
#include "json_reader.h"
#include "lifecycle_rules.h"
#include "vocabulary.h"
#include "weiquan/crypto/certificate.h"
#include "wording.h"

namespace wq::policies::detail {
namespace {

using Json = nlohmann::json;

constexpr std::string_view kUnchanged = "unchanged";

bool is_state_name(std::string_view name) {
  if (name.empty() || name.front() < 'a' || name.front() > 'z') return false;
  for (char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

// Calls `each(name, path)` for every entry of the non-empty list of names object[key].
template <class Each>
void for_each_name(JsonReader& reader, const Json& object, const std::string& path,
                   std::string_view key, Each each) {
  const std::vector<std::string> names = reader.strings(object, path, key);
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (!names[i].empty()) each(names[i], index_path(member_path(path, key), i));
  }
}

struct Groups {
  std::map<std::string, std::uint32_t, std::less<>> roles;
  std::map<std::string, std::uint32_t, std::less<>> levels;
};

std::optional<std::uint32_t> role_bits(std::string_view name, const Groups& groups) {
  if (auto role = parse_role(name); role.ok()) return bit(role.value());
  if (auto it = groups.roles.find(name); it != groups.roles.end()) return it->second;
  return std::nullopt;
}

std::optional<std::uint32_t> level_bits(std::string_view name, const Groups& groups) {
  if (auto level = crypto::parse_level(name); level.ok()) return bit(level.value());
  if (auto it = groups.levels.find(name); it != groups.levels.end()) return it->second;
  return std::nullopt;
}

class Compiler {
 public:
  explicit Compiler(JsonReader& reader) : reader_(reader) {}

  void document(const Json& doc, Lifecycle::Rules& rules) {
    if (!reader_.object(doc, "",
                        {"version", "note", "kinds", "role_groups", "level_groups", "machines"})) {
      return;
    }
    rules.version = reader_.string(doc, "", "version");
    optional_note(doc, "");
    if (const Json* kinds = reader_.member_object(doc, "", "kinds", false)) kind_glossary(*kinds);
    if (const Json* roles = reader_.member_object(doc, "", "role_groups", true)) {
      role_groups(*roles);
    }
    if (const Json* levels = reader_.member_object(doc, "", "level_groups", true)) {
      level_groups(*levels);
    }
    if (const Json* machines = reader_.member_object(doc, "", "machines", false)) {
      all_machines(*machines, rules);
    }
  }

 private:
  // An optional "note" for the reader of the document.
  void optional_note(const Json& object, const std::string& path) {
    reader_.optional_string(object, path, "note");
  }

  // "kinds": the glossary a reviewer reads; it must list exactly the kinds and variants of the wire
  // schema.
  void kind_glossary(const Json& kinds) {
    for (const auto& [name, entry] : kinds.items()) {
      const std::string path = "kinds." + name;
      const auto index = find_kind(name);
      if (!index) {
        reader_.fail(path, "not an event kind of the wire schema");
        continue;
      }
      if (!reader_.object(entry, path, {"note", "variants"})) continue;
      optional_note(entry, path);
      const auto& spec = kEventKinds[*index];
      const Json* variants = reader_.member_object(entry, path, "variants", true);
      std::set<std::string, std::less<>> listed;
      if (variants != nullptr) {
        for (const auto& [variant, note] : variants->items()) {
          if (!find_variant(spec, variant)) {
            reader_.fail(path + ".variants." + variant, spec.variants.empty()
                                                            ? "this kind takes no variants"
                                                            : "not a variant of this kind");
          }
          if (!note.is_string()) reader_.fail(path + ".variants." + variant, "must be a note");
          listed.insert(variant);
        }
      }
      for (std::string_view variant : spec.variants) {
        if (!listed.contains(variant)) {
          reader_.fail(path + ".variants", "missing " + in_quotes(variant));
        }
      }
    }
    std::string missing;
    for (const auto& spec : kEventKinds) {
      if (!kinds.contains(spec.name)) {
        missing += (missing.empty() ? "" : ", ") + in_quotes(spec.name);
      }
    }
    if (!missing.empty()) reader_.fail("kinds", "missing " + missing);
  }

  template <class Parse>
  void groups(const Json& section, const std::string& path,
              std::map<std::string, std::uint32_t, std::less<>>& out, Parse parse) {
    for (const auto& [name, members] : section.items()) {
      const std::string here = member_path(path, name);
      if (parse(name).ok()) {
        reader_.fail(here, "a group cannot have the name of a single member");
        continue;
      }
      std::uint32_t bits = 0;
      for_each_name(reader_, section, path, name,
                    [&](std::string_view member, const std::string& at) {
                      if (auto value = parse(member); value.ok()) {
                        bits |= bit(value.value());
                      } else {
                        reader_.fail(at, value.error().message);
                      }
                    });
      out.emplace(name, bits);
    }
  }

  void role_groups(const Json& section) {
    groups(section, "role_groups", groups_.roles, parse_role);
  }

  void level_groups(const Json& section) {
    groups(section, "level_groups", groups_.levels, crypto::parse_level);
  }

  void all_machines(const Json& machines, Lifecycle::Rules& rules) {
    std::vector<std::pair<TicketType, const Json*>> found;
    for (const auto& [name, machine] : machines.items()) {
      const std::string path = "machines." + name;
      const auto type = parse_type(name);
      if (!type.ok()) {
        reader_.fail(path, type.error().message);
        continue;
      }
      if (!reader_.object(machine, path, {"note", "states", "transitions"})) continue;
      optional_note(machine, path);
      found.emplace_back(type.value(), &machine);
    }
    for (std::size_t t = 0; t < kTypeNames.size(); ++t) {
      const bool present = std::any_of(found.begin(), found.end(), [&](const auto& entry) {
        return static_cast<std::size_t>(entry.first) == t;
      });
      if (!present) reader_.fail("machines", "missing " + in_quotes(kTypeNames[t]));
    }
    // States first: a type change leads into another type's machine.
    for (const auto& [type, machine] : found) {
      states(*machine, machine_path(type), rules.machines[static_cast<std::size_t>(type)]);
    }
    for (const auto& [type, machine] : found) {
      const std::string path = machine_path(type);
      const Json* list = reader_.array(*machine, path, "transitions");
      if (list == nullptr) continue;
      for (std::size_t i = 0; i < list->size(); ++i) {
        transition((*list)[i], index_path(member_path(path, "transitions"), i), type, rules);
      }
    }
  }

  static std::string machine_path(TicketType type) {
    return "machines." + std::string(type_name(type));
  }

  void states(const Json& machine_json, const std::string& path, Machine& machine) {
    const Json* states_json = reader_.member_object(machine_json, path, "states", false);
    if (states_json == nullptr) return;
    machine.states.push_back(State{std::string(kInitialState)});
    for (const auto& [name, state] : states_json->items()) {
      const std::string here = path + ".states." + name;
      if (!is_state_name(name) || name == kUnchanged) {
        reader_.fail(here, "a state name is lower-case letters, digits and '_', and not " +
                               in_quotes(kUnchanged));
        continue;
      }
      if (!reader_.object(state, here, {"note", "terminal"})) continue;
      optional_note(state, here);
      const bool is_terminal = reader_.boolean(state, here, "terminal", false);
      if (name == kInitialState) {
        if (is_terminal) reader_.fail(here, "the initial state cannot be terminal");
        continue;
      }
      machine.states.push_back(State{name, is_terminal});
    }
    if (!states_json->contains(kInitialState)) {
      reader_.fail(path + ".states", "missing the initial state " + in_quotes(kInitialState));
    }
  }

  // One rule of a machine, expanded into an edge per (from-state, kind, variant).
  void transition(const Json& rule, const std::string& path, TicketType type,
                  Lifecycle::Rules& rules) {
    if (!reader_.object(rule, path,
                        {"kinds", "variants", "from", "to", "roles", "levels", "note"})) {
      return;
    }
    optional_note(rule, path);
    const Machine& machine = rules.machine(type);

    std::vector<std::size_t> kinds;
    for_each_name(reader_, rule, path, "kinds", [&](std::string_view name, const std::string& at) {
      if (auto index = find_kind(name)) {
        kinds.push_back(*index);
      } else {
        reader_.fail(at, "unknown event kind " + in_quotes(name));
      }
    });
    const auto variants = rule_variants(rule, path, kinds);

    std::vector<std::size_t> from;
    for_each_name(reader_, rule, path, "from", [&](std::string_view name, const std::string& at) {
      if (auto index = machine.find(name)) {
        from.push_back(*index);
      } else {
        reader_.fail(at, "unknown state " + in_quotes(name));
      }
    });

    const std::string to = reader_.string(rule, path, "to");
    if (kinds.size() > 1 && std::any_of(kinds.begin(), kinds.end(), changes_type)) {
      reader_.fail(path + ".kinds", "type_changed must have a rule of its own");
      return;
    }

    const std::uint32_t roles = union_of(rule, path, "roles", role_bits, "role");
    const std::uint32_t levels = union_of(rule, path, "levels", level_bits, "level");

    for (std::size_t kind : kinds) {
      for (std::size_t variant : variants_of(kind, variants)) {
        for (std::size_t state : from) {
          add_edge(path, type, rules, state, to, Edge{kind, variant, type, 0, roles, levels});
        }
      }
    }
  }

  // The bits of the names in rule[key], each a single `what` (role, level) or a group of them.
  template <class Bits>
  std::uint32_t union_of(const Json& rule, const std::string& path, std::string_view key, Bits bits,
                         std::string_view what) {
    std::uint32_t out = 0;
    for_each_name(reader_, rule, path, key, [&](std::string_view name, const std::string& at) {
      if (auto found = bits(name, groups_)) {
        out |= *found;
      } else {
        reader_.fail(at, "unknown " + std::string(what) + " or " + std::string(what) + " group " +
                             in_quotes(name));
      }
    });
    return out;
  }

  static bool changes_type(std::size_t kind) { return kEventKinds[kind].name == "type_changed"; }

  // The rule's "variants" as names; empty when absent (every variant of each kind).
  std::vector<std::string> rule_variants(const Json& rule, const std::string& path,
                                         const std::vector<std::size_t>& kinds) {
    std::vector<std::string> names;
    if (!rule.contains("variants")) {
      for (std::size_t kind : kinds) {
        if (changes_type(kind)) {
          reader_.fail(path, "type_changed needs \"variants\": the types the ticket may become");
        }
      }
      return names;
    }
    for_each_name(reader_, rule, path, "variants",
                  [&](std::string_view name, const std::string& at) {
                    for (std::size_t kind : kinds) {
                      if (!find_variant(kEventKinds[kind], name)) {
                        reader_.fail(at, in_quotes(name) + " is not a variant of " +
                                             in_quotes(kEventKinds[kind].name));
                      }
                    }
                    names.emplace_back(name);
                  });
    return names;
  }

  static std::vector<std::size_t> variants_of(std::size_t kind,
                                              const std::vector<std::string>& names) {
    const auto& spec = kEventKinds[kind];
    if (spec.variants.empty()) return {kNoVariant};
    std::vector<std::size_t> out;
    if (names.empty()) {
      for (std::size_t i = 0; i < spec.variants.size(); ++i) out.push_back(i);
    }
    for (const auto& name : names) {
      if (auto index = find_variant(spec, name)) out.push_back(*index);
    }
    return out;
  }

  void add_edge(const std::string& path, TicketType type, Lifecycle::Rules& rules, std::size_t from,
                const std::string& to, Edge edge) {
    const Machine& machine = rules.machines[static_cast<std::size_t>(type)];
    const std::string& from_name = machine.states[from].name;
    if (changes_type(edge.kind)) {
      edge.target = static_cast<TicketType>(edge.variant);
      if (edge.target == type) {
        reader_.fail(path + ".variants",
                     "a ticket cannot change into its own type " + in_quotes(type_name(type)));
        return;
      }
    }
    const Machine& target = rules.machine(edge.target);
    const std::string& to_name = to == kUnchanged ? from_name : to;
    const auto to_index = target.find(to_name);
    if (!to_index) {
      reader_.fail(path + ".to", "the " + std::string(type_name(edge.target)) +
                                     " lifecycle has no state " + in_quotes(to_name));
      return;
    }
    if (*to_index == 0) {
      reader_.fail(path + ".to", "no event leads back to " + in_quotes(kInitialState));
      return;
    }
    edge.to = *to_index;
    const auto key = std::make_tuple(type, from, edge.kind, edge.variant);
    const auto [previous, inserted] = seen_.emplace(key, path);
    if (!inserted) {
      reader_.fail(path, in_quotes(edge.name()) + " in state " + in_quotes(from_name) +
                             " is already ruled by " + previous->second);
      return;
    }
    rules.machines[static_cast<std::size_t>(type)].states[from].edges.push_back(edge);
  }

  JsonReader& reader_;
  Groups groups_;
  std::map<std::tuple<TicketType, std::size_t, std::size_t, std::size_t>, std::string> seen_;
};

void sort_edges(Lifecycle::Rules& rules) {
  for (auto& machine : rules.machines) {
    for (auto& state : machine.states) {
      std::sort(state.edges.begin(), state.edges.end(), [](const Edge& a, const Edge& b) {
        return std::tie(a.kind, a.variant) < std::tie(b.kind, b.variant);
      });
    }
  }
}

}  // namespace

std::optional<std::size_t> Machine::find(std::string_view name) const {
  for (std::size_t i = 0; i < states.size(); ++i) {
    if (states[i].name == name) return i;
  }
  return std::nullopt;
}

Result<Lifecycle::Rules> compile_lifecycle(std::string_view json) {
  JsonReader reader(JsonReader::Mode::every_problem, "unknown field");
  Lifecycle::Rules rules;
  try {
    const Json doc = Json::parse(json.begin(), json.end());
    Compiler(reader).document(doc, rules);
  } catch (const Json::exception& e) {
    return make_error("policies.bad_document",
                      std::string("lifecycle document: not valid JSON: ") + e.what());
  }
  if (!reader.failed()) check_lifecycle(rules, reader);
  if (reader.failed()) {
    const Error error = reader.error();
    return make_error(error.code, "lifecycle document: " + error.message);
  }
  sort_edges(rules);
  return rules;
}

}  // namespace wq::policies::detail
