#include "document_json.h"

#include <algorithm>
#include <set>

namespace wq::policies::detail {

namespace {

bool is_word(std::string_view word) {
  return !word.empty() && std::all_of(word.begin(), word.end(),
                                      [](char c) { return (c >= 'a' && c <= 'z') || c == '_'; });
}

// "kind" or "kind:detail", lower-case words.
bool is_event_kind(std::string_view kind) {
  const std::size_t colon = kind.find(':');
  if (colon == std::string_view::npos) return is_word(kind);
  return is_word(kind.substr(0, colon)) && is_word(kind.substr(colon + 1));
}

// "cn", or a region code prefix (digits).
bool is_scope(std::string_view scope) {
  return scope == "cn" ||
         (scope.size() >= 2 && scope.size() <= 12 &&
          std::all_of(scope.begin(), scope.end(), [](char c) { return c >= '0' && c <= '9'; }));
}

CivilDate read_date(JsonReader& reader, const std::string& path, const std::string& text) {
  const auto date = parse_date(text);
  if (!date) {
    reader.fail(path, date.error().message);
    return {};
  }
  return *date;
}

std::vector<std::string> read_kinds(JsonReader& reader, const nlohmann::json& object,
                                    const std::string& path, std::string_view key) {
  std::vector<std::string> kinds = reader.strings(object, path, key);
  for (std::size_t i = 0; i < kinds.size() && !reader.failed(); ++i) {
    if (!is_event_kind(kinds[i])) {
      reader.fail(index_path(member_path(path, key), i), "not an event kind: \"" + kinds[i] + "\"");
    }
  }
  return kinds;
}

Limit read_limit(JsonReader& reader, const nlohmann::json& value, const std::string& path,
                 TicketType type) {
  Limit limit;
  if (!reader.object(value, path,
                     {"name", "amount", "unit", "starts_on", "stops_on", "extension_max",
                      "real_name_only", "article", "confirmed"})) {
    return limit;
  }
  limit.type = type;
  limit.name = reader.string(value, path, "name");
  const std::string prefix = std::string(type_name(type)) + ".";
  if (!reader.failed() && !limit.name.starts_with(prefix)) {
    reader.fail(member_path(path, "name"), "must start with \"" + prefix + "\"");
  }
  const std::string unit_text = reader.string(value, path, "unit");
  if (const auto unit = parse_unit(unit_text); unit) {
    limit.period.unit = *unit;
  } else if (!reader.failed()) {
    reader.fail(member_path(path, "unit"), unit.error().message);
  }
  limit.period.amount = reader.integer(value, path, "amount", 1, 87'840);
  if (auto period = check_period(limit.period); !reader.failed() && !period) {
    reader.fail(member_path(path, "amount"), period.error().message);
  }
  limit.starts_on = read_kinds(reader, value, path, "starts_on");
  limit.stops_on = read_kinds(reader, value, path, "stops_on");
  limit.extension_max = reader.integer(value, path, "extension_max", 0, 3660);
  if (!reader.failed() && limit.extension_max > 0) {
    const bool extendable =
        limit.period.unit == PeriodUnit::working_days || limit.period.unit == PeriodUnit::days;
    const auto longest =
        check_period(Period{limit.period.amount + limit.extension_max, limit.period.unit});
    if (!extendable) {
      reader.fail(member_path(path, "extension_max"), "only working_days and days extend");
    } else if (!longest) {
      reader.fail(member_path(path, "extension_max"), longest.error().message);
    }
  }
  limit.real_name_only = reader.boolean(value, path, "real_name_only", false);
  limit.article = reader.string(value, path, "article");
  limit.confirmed = reader.boolean(value, path, "confirmed", std::nullopt);
  return limit;
}

std::vector<Limit> read_limits(JsonReader& reader, const nlohmann::json& document,
                               const std::string& path) {
  std::vector<Limit> limits;
  const std::string limits_path = member_path(path, "limits");
  const nlohmann::json* by_type = reader.member_object(document, path, "limits", false);
  if (by_type == nullptr) return limits;
  std::set<std::string> names;
  for (const auto& item : by_type->items()) {
    const std::string list_path = member_path(limits_path, item.key());
    const auto type = parse_type(item.key());
    if (!type) {
      reader.fail(list_path, "not a ticket type");
      return limits;
    }
    const nlohmann::json* list = reader.array(*by_type, limits_path, item.key());
    if (list == nullptr) return limits;
    for (std::size_t i = 0; i < list->size() && !reader.failed(); ++i) {
      Limit limit = read_limit(reader, (*list)[i], index_path(list_path, i), *type);
      if (!reader.failed() && !names.insert(limit.name).second) {
        reader.fail(member_path(index_path(list_path, i), "name"), "duplicate limit " + limit.name);
      }
      limits.push_back(std::move(limit));
    }
  }
  return limits;
}

std::vector<RefusalGround> read_grounds(JsonReader& reader, const nlohmann::json& document,
                                        const std::string& path) {
  std::vector<RefusalGround> grounds;
  const nlohmann::json* list = reader.array(document, path, "refusal_grounds");
  if (list == nullptr) return grounds;
  std::set<std::string> ids;
  for (std::size_t i = 0; i < list->size() && !reader.failed(); ++i) {
    const std::string ground_path = index_path(member_path(path, "refusal_grounds"), i);
    const nlohmann::json& value = (*list)[i];
    if (!reader.object(value, ground_path, {"id", "article", "text", "confirmed"})) break;
    RefusalGround ground;
    ground.id = reader.string(value, ground_path, "id");
    ground.article = reader.string(value, ground_path, "article");
    ground.text = reader.string(value, ground_path, "text");
    ground.confirmed = reader.boolean(value, ground_path, "confirmed", std::nullopt);
    if (!reader.failed() && !ids.insert(ground.id).second) {
      reader.fail(member_path(ground_path, "id"), "duplicate refusal ground " + ground.id);
    }
    grounds.push_back(std::move(ground));
  }
  return grounds;
}

Switches read_switches(JsonReader& reader, const nlohmann::json& document,
                       const std::string& path) {
  Switches switches;
  const std::string switches_path = member_path(path, "switches");
  const nlohmann::json* value = reader.member_object(document, path, "switches", false);
  if (value == nullptr || !reader.object(*value, switches_path,
                                         {"return_visit_required", "merge_repeated_reports",
                                          "parallel_transfer", "complaint_max_age_years"})) {
    return switches;
  }
  switches.return_visit_required =
      reader.boolean(*value, switches_path, "return_visit_required", std::nullopt);
  switches.merge_repeated_reports =
      reader.boolean(*value, switches_path, "merge_repeated_reports", std::nullopt);
  switches.parallel_transfer =
      reader.boolean(*value, switches_path, "parallel_transfer", std::nullopt);
  switches.complaint_max_age_years =
      reader.integer(*value, switches_path, "complaint_max_age_years", 1, 10);
  return switches;
}

}  // namespace

Result<nlohmann::json> parse_json(std::string_view text) {
  try {
    nlohmann::json value = nlohmann::json::parse(text, nullptr, false);
    if (!value.is_discarded()) return value;
  } catch (const nlohmann::json::exception&) {
    // Reported below like any other syntax error.
  }
  return make_error("policies.bad_document", "(root): not valid JSON");
}

PolicyDocument read_document(JsonReader& reader, const nlohmann::json& value,
                             const std::string& path) {
  PolicyDocument document;
  if (!reader.object(
          value, path,
          {"id", "version", "title", "source", "issuer", "scope", "parent", "in_force_from",
           "in_force_until", "limits", "refusal_grounds", "switches"})) {
    return document;
  }
  document.id = reader.string(value, path, "id");
  if (!reader.failed() && document.id.find('@') != std::string::npos) {
    reader.fail(member_path(path, "id"), "must not contain '@'");
  }
  document.version = reader.string(value, path, "version");
  document.title = reader.string(value, path, "title");
  document.source = reader.string(value, path, "source");
  document.issuer = reader.string(value, path, "issuer");
  document.scope = reader.string(value, path, "scope");
  if (!reader.failed() && !is_scope(document.scope)) {
    reader.fail(member_path(path, "scope"), "expected \"cn\" or a region code prefix");
  }
  document.parent = reader.optional_string(value, path, "parent").value_or("");
  const std::string from = reader.string(value, path, "in_force_from");
  if (!reader.failed()) {
    document.in_force_from = read_date(reader, member_path(path, "in_force_from"), from);
  }
  if (const auto until = reader.optional_string(value, path, "in_force_until");
      until && !reader.failed()) {
    document.in_force_until = read_date(reader, member_path(path, "in_force_until"), *until);
    if (!reader.failed() && *document.in_force_until < document.in_force_from) {
      reader.fail(member_path(path, "in_force_until"), "before in_force_from");
    }
  }
  document.limits = read_limits(reader, value, path);
  document.refusal_grounds = read_grounds(reader, value, path);
  document.switches = read_switches(reader, value, path);
  return document;
}

}  // namespace wq::policies::detail
