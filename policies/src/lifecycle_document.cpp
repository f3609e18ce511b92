// Reads a lifecycle document (see policies/data/lifecycle.json) into Lifecycle::Rules, collecting
// every problem with the JSON path where it was found.
#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <tuple>
#include <utility>

#include "event_kinds.h"
#include "lifecycle_rules.h"
#include "vocabulary.h"
#include "weiquan/crypto/certificate.h"
#include "wording.h"

namespace wq::policies::detail {
namespace {

using Json = nlohmann::json;

constexpr std::string_view kUnchanged = "unchanged";
constexpr std::size_t kProblemsShown = 20;

// Every problem found, in the order found, each once.
class Problems {
 public:
  void add(const std::string& path, const std::string& what) {
    std::string problem = path + ": " + what;
    if (std::find(list_.begin(), list_.end(), problem) == list_.end()) {
      list_.push_back(std::move(problem));
    }
  }
  std::vector<std::string>& list() { return list_; }

 private:
  std::vector<std::string> list_;
};

std::string join(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : std::string(separator)) + item;
  return out;
}

// The path of member `key` under `path` ("" is the document itself).
std::string child(const std::string& path, std::string_view key) {
  return path.empty() ? std::string(key) : path + "." + std::string(key);
}

bool is_state_name(std::string_view name) {
  if (name.empty() || name.front() < 'a' || name.front() > 'z') return false;
  for (char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

// Flags every key of `object` not in `allowed`: a misspelt key must not silently drop a rule.
void only_keys(const Json& object, std::initializer_list<std::string_view> allowed,
               const std::string& path, Problems& problems) {
  for (const auto& [key, value] : object.items()) {
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      problems.add(child(path, key), "unknown field");
    }
  }
}

// The member `key` of `object` if it has the expected type; records a problem otherwise.
const Json* member(const Json& object, std::string_view key, Json::value_t type, bool required,
                   const std::string& path, Problems& problems) {
  const auto it = object.find(key);
  const std::string here = child(path, key);
  if (it == object.end()) {
    if (required) problems.add(here, "missing");
    return nullptr;
  }
  if (it->type() != type) {
    problems.add(here,
                 std::string("must be ") + (type == Json::value_t::object   ? "an object"
                                            : type == Json::value_t::array  ? "a list"
                                            : type == Json::value_t::string ? "a string"
                                                                            : "true or false"));
    return nullptr;
  }
  return &*it;
}

void optional_note(const Json& object, const std::string& path, Problems& problems) {
  member(object, "note", Json::value_t::string, false, path, problems);
}

// Calls `each(name, path)` for every entry of the non-empty list of names object[key].
template <class Each>
void for_each_name(const Json& object, std::string_view key, const std::string& path,
                   Problems& problems, Each each) {
  const Json* list = member(object, key, Json::value_t::array, true, path, problems);
  if (list == nullptr) return;
  const std::string here = child(path, key);
  if (list->empty()) problems.add(here, "must not be empty");
  for (std::size_t i = 0; i < list->size(); ++i) {
    const Json& item = (*list)[i];
    const std::string item_path = here + "[" + std::to_string(i) + "]";
    if (!item.is_string()) {
      problems.add(item_path, "must be a name");
      continue;
    }
    each(item.get_ref<const std::string&>(), item_path);
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
  explicit Compiler(Problems& problems) : problems_(problems) {}

  void document(const Json& doc, Lifecycle::Rules& rules) {
    if (!doc.is_object()) {
      problems_.add("(document)", "must be a JSON object");
      return;
    }
    only_keys(doc, {"version", "note", "kinds", "role_groups", "level_groups", "machines"}, "",
              problems_);
    if (const Json* version = member(doc, "version", Json::value_t::string, true, "", problems_)) {
      rules.version = version->get<std::string>();
      if (rules.version.empty()) problems_.add("version", "must not be empty");
    }
    optional_note(doc, "", problems_);
    if (const Json* kinds = member(doc, "kinds", Json::value_t::object, true, "", problems_)) {
      kind_glossary(*kinds);
    }
    if (const Json* roles =
            member(doc, "role_groups", Json::value_t::object, false, "", problems_)) {
      role_groups(*roles);
    }
    if (const Json* levels =
            member(doc, "level_groups", Json::value_t::object, false, "", problems_)) {
      level_groups(*levels);
    }
    if (const Json* machines =
            member(doc, "machines", Json::value_t::object, true, "", problems_)) {
      all_machines(*machines, rules);
    }
  }

 private:
  // "kinds": the glossary a reviewer reads; it must list exactly the kinds and variants of the wire
  // schema.
  void kind_glossary(const Json& kinds) {
    for (const auto& [name, entry] : kinds.items()) {
      const std::string path = "kinds." + name;
      const auto index = find_kind(name);
      if (!index) {
        problems_.add(path, "not an event kind of the wire schema");
        continue;
      }
      if (!entry.is_object()) {
        problems_.add(path, "must be an object");
        continue;
      }
      only_keys(entry, {"note", "variants"}, path, problems_);
      optional_note(entry, path, problems_);
      const auto& spec = kEventKinds[*index];
      const Json* variants =
          member(entry, "variants", Json::value_t::object, false, path, problems_);
      std::set<std::string, std::less<>> listed;
      if (variants != nullptr) {
        for (const auto& [variant, note] : variants->items()) {
          if (!find_variant(spec, variant)) {
            problems_.add(path + ".variants." + variant, spec.variants.empty()
                                                             ? "this kind takes no variants"
                                                             : "not a variant of this kind");
          }
          if (!note.is_string()) problems_.add(path + ".variants." + variant, "must be a note");
          listed.insert(variant);
        }
      }
      for (std::string_view variant : spec.variants) {
        if (!listed.contains(variant)) {
          problems_.add(path + ".variants", "missing " + in_quotes(variant));
        }
      }
    }
    std::vector<std::string> missing;
    for (const auto& spec : kEventKinds) {
      if (!kinds.contains(spec.name)) missing.push_back(in_quotes(spec.name));
    }
    if (!missing.empty()) problems_.add("kinds", "missing " + join(missing, ", "));
  }

  template <class Parse>
  void groups(const Json& section, const std::string& path,
              std::map<std::string, std::uint32_t, std::less<>>& out, Parse parse) {
    for (const auto& [name, members] : section.items()) {
      const std::string here = child(path, name);
      if (parse(name).ok()) {
        problems_.add(here, "a group cannot have the name of a single member");
        continue;
      }
      std::uint32_t bits = 0;
      for_each_name(section, name, path, problems_,
                    [&](std::string_view member_name, const std::string& member_path) {
                      if (auto value = parse(member_name); value.ok()) {
                        bits |= bit(value.value());
                      } else {
                        problems_.add(member_path, value.error().message);
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
        problems_.add(path, type.error().message);
        continue;
      }
      if (!machine.is_object()) {
        problems_.add(path, "must be an object");
        continue;
      }
      only_keys(machine, {"note", "states", "transitions"}, path, problems_);
      optional_note(machine, path, problems_);
      found.emplace_back(type.value(), &machine);
    }
    for (std::size_t t = 0; t < kTypeNames.size(); ++t) {
      const bool present = std::any_of(found.begin(), found.end(), [&](const auto& entry) {
        return static_cast<std::size_t>(entry.first) == t;
      });
      if (!present) problems_.add("machines", "missing " + in_quotes(kTypeNames[t]));
    }
    // States first: a type change leads into another type's machine.
    for (const auto& [type, machine] : found) {
      states(*machine, machine_path(type), rules.machines[static_cast<std::size_t>(type)]);
    }
    for (const auto& [type, machine] : found) {
      const std::string path = machine_path(type);
      const Json* list =
          member(*machine, "transitions", Json::value_t::array, true, path, problems_);
      if (list == nullptr) continue;
      for (std::size_t i = 0; i < list->size(); ++i) {
        transition((*list)[i], path + ".transitions[" + std::to_string(i) + "]", type, rules);
      }
    }
  }

  static std::string machine_path(TicketType type) {
    return "machines." + std::string(type_name(type));
  }

  void states(const Json& machine_json, const std::string& path, Machine& machine) {
    const Json* states_json =
        member(machine_json, "states", Json::value_t::object, true, path, problems_);
    if (states_json == nullptr) return;
    machine.states.push_back(State{std::string(kInitialState)});
    for (const auto& [name, state] : states_json->items()) {
      const std::string here = path + ".states." + name;
      if (!is_state_name(name) || name == kUnchanged) {
        problems_.add(here, "a state name is lower-case letters, digits and '_', and not " +
                                in_quotes(kUnchanged));
        continue;
      }
      if (!state.is_object()) {
        problems_.add(here, "must be an object");
        continue;
      }
      only_keys(state, {"note", "terminal"}, here, problems_);
      optional_note(state, here, problems_);
      const Json* terminal =
          member(state, "terminal", Json::value_t::boolean, false, here, problems_);
      const bool is_terminal = terminal != nullptr && terminal->get<bool>();
      if (name == kInitialState) {
        if (is_terminal) problems_.add(here, "the initial state cannot be terminal");
        continue;
      }
      machine.states.push_back(State{name, is_terminal});
    }
    if (!states_json->contains(kInitialState)) {
      problems_.add(path + ".states", "missing the initial state " + in_quotes(kInitialState));
    }
  }

  // One rule of a machine, expanded into an edge per (from-state, kind, variant).
  void transition(const Json& rule, const std::string& path, TicketType type,
                  Lifecycle::Rules& rules) {
    if (!rule.is_object()) {
      problems_.add(path, "must be an object");
      return;
    }
    only_keys(rule, {"kinds", "variants", "from", "to", "roles", "levels", "note"}, path,
              problems_);
    optional_note(rule, path, problems_);
    const Machine& machine = rules.machine(type);

    std::vector<std::size_t> kinds;
    for_each_name(rule, "kinds", path, problems_,
                  [&](std::string_view name, const std::string& at) {
                    if (auto index = find_kind(name)) {
                      kinds.push_back(*index);
                    } else {
                      problems_.add(at, "unknown event kind " + in_quotes(name));
                    }
                  });
    const auto variants = rule_variants(rule, path, kinds);

    std::vector<std::size_t> from;
    for_each_name(rule, "from", path, problems_, [&](std::string_view name, const std::string& at) {
      if (auto index = machine.find(name)) {
        from.push_back(*index);
      } else {
        problems_.add(at, "unknown state " + in_quotes(name));
      }
    });

    std::string to;
    if (const Json* to_json = member(rule, "to", Json::value_t::string, true, path, problems_)) {
      to = to_json->get<std::string>();
    }
    if (kinds.size() > 1 && std::any_of(kinds.begin(), kinds.end(), changes_type)) {
      problems_.add(path + ".kinds", "type_changed must have a rule of its own");
      return;
    }

    std::uint32_t roles = 0;
    for_each_name(rule, "roles", path, problems_,
                  [&](std::string_view name, const std::string& at) {
                    if (auto bits = role_bits(name, groups_)) {
                      roles |= *bits;
                    } else {
                      problems_.add(at, "unknown role or role group " + in_quotes(name));
                    }
                  });
    std::uint32_t levels = 0;
    for_each_name(rule, "levels", path, problems_,
                  [&](std::string_view name, const std::string& at) {
                    if (auto bits = level_bits(name, groups_)) {
                      levels |= *bits;
                    } else {
                      problems_.add(at, "unknown level or level group " + in_quotes(name));
                    }
                  });

    for (std::size_t kind : kinds) {
      for (std::size_t variant : variants_of(kind, variants)) {
        for (std::size_t state : from) {
          add_edge(path, type, rules, state, to, Edge{kind, variant, type, 0, roles, levels});
        }
      }
    }
  }

  static bool changes_type(std::size_t kind) { return kEventKinds[kind].name == "type_changed"; }

  // The rule's "variants" as names; empty when absent (every variant of each kind).
  std::vector<std::string> rule_variants(const Json& rule, const std::string& path,
                                         const std::vector<std::size_t>& kinds) {
    std::vector<std::string> names;
    if (!rule.contains("variants")) {
      for (std::size_t kind : kinds) {
        if (changes_type(kind)) {
          problems_.add(path, "type_changed needs \"variants\": the types the ticket may become");
        }
      }
      return names;
    }
    for_each_name(rule, "variants", path, problems_,
                  [&](std::string_view name, const std::string& at) {
                    for (std::size_t kind : kinds) {
                      if (!find_variant(kEventKinds[kind], name)) {
                        problems_.add(at, in_quotes(name) + " is not a variant of " +
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
        problems_.add(path + ".variants",
                      "a ticket cannot change into its own type " + in_quotes(type_name(type)));
        return;
      }
    }
    const Machine& target = rules.machine(edge.target);
    const std::string& to_name = to == kUnchanged ? from_name : to;
    const auto to_index = target.find(to_name);
    if (!to_index) {
      problems_.add(path + ".to", "the " + std::string(type_name(edge.target)) +
                                      " lifecycle has no state " + in_quotes(to_name));
      return;
    }
    if (*to_index == 0) {
      problems_.add(path + ".to", "no event leads back to " + in_quotes(kInitialState));
      return;
    }
    edge.to = *to_index;
    const auto key = std::make_tuple(type, from, edge.kind, edge.variant);
    const auto [previous, inserted] = seen_.emplace(key, path);
    if (!inserted) {
      problems_.add(path, in_quotes(edge.name()) + " in state " + in_quotes(from_name) +
                              " is already ruled by " + previous->second);
      return;
    }
    rules.machines[static_cast<std::size_t>(type)].states[from].edges.push_back(edge);
  }

  Problems& problems_;
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
  Problems problems;
  Lifecycle::Rules rules;
  try {
    const Json doc = Json::parse(json.begin(), json.end());
    Compiler(problems).document(doc, rules);
  } catch (const Json::exception& e) {
    return make_error("policies.bad_document",
                      std::string("lifecycle document: not valid JSON: ") + e.what());
  }
  if (problems.list().empty()) check_lifecycle(rules, problems.list());
  auto& list = problems.list();
  if (!list.empty()) {
    const std::size_t total = list.size();
    if (total > kProblemsShown) {
      list.resize(kProblemsShown);
      list.push_back("and " + std::to_string(total - kProblemsShown) + " more");
    }
    return make_error("policies.bad_document", "lifecycle document: " + join(list, "; "));
  }
  sort_edges(rules);
  return rules;
}

}  // namespace wq::policies::detail
