#include <utility>

#include "builtin_data.h"
#include "document_json.h"
#include "embedded_tables.h"
#include "weiquan/policies/policy_document.h"

namespace wq::policies {

namespace {

// How deep in the region tree a scope reaches: the nation is 0, a region its code's length.
std::size_t depth(const PolicyDocument& document) {
  return document.scope == "cn" ? 0 : document.scope.size();
}

bool overlap(const PolicyDocument& a, const PolicyDocument& b) {
  const bool a_starts_in_time = !b.in_force_until || a.in_force_from <= *b.in_force_until;
  const bool b_starts_in_time = !a.in_force_until || b.in_force_from <= *a.in_force_until;
  return a_starts_in_time && b_starts_in_time;
}

Error prefixed(const std::string& prefix, const Error& error) {
  return make_error(error.code, prefix + ": " + error.message);
}

}  // namespace

Result<PolicySet> PolicySet::load(std::string_view json) {
  auto value = detail::parse_json(json);
  if (!value) return value.error();
  detail::JsonReader reader(detail::JsonReader::Mode::first_problem);
  PolicySet set;
  const nlohmann::json* list =
      reader.object(*value, "", {"documents"}) ? reader.array(*value, "", "documents") : nullptr;
  if (list == nullptr || reader.failed()) return reader.error();
  for (std::size_t i = 0; i < list->size(); ++i) {
    const std::string path = detail::index_path("documents", i);
    PolicyDocument document = detail::read_document(reader, (*list)[i], path);
    if (reader.failed()) return reader.error();
    if (auto added = set.add(std::move(document)); !added) return prefixed(path, added.error());
  }
  return set;
}

const PolicySet& PolicySet::builtin() {
  static const PolicySet set =
      detail::expect_builtin(load(embedded::policy_documents_json()), "policy documents");
  return set;
}

Status PolicySet::add(PolicyDocument document) {
  const std::string ref = document.ref();
  const auto bad = [&ref](const std::string& problem) {
    return make_error("policies.bad_document", ref + ": " + problem);
  };
  if (find(ref)) return bad("is already in the set");
  if (document.scope == "cn" && !document.parent.empty()) {
    return bad("a national document has no parent");
  }
  if (document.scope != "cn") {
    const auto parent = find(document.parent);
    if (!parent) return bad("its parent \"" + document.parent + "\" is not in the set");
    const PolicyDocument& above = **parent;
    if (!above.governs(document.scope) || depth(above) >= depth(document)) {
      return bad("its parent's scope " + above.scope + " does not contain " + document.scope);
    }
    if (auto tighter = check_only_tightens(above, document); !tighter) {
      return prefixed(ref, tighter.error());
    }
  }
  for (const PolicyDocument& other : documents_) {
    if (other.scope == document.scope && overlap(other, document)) {
      return bad("is in force on days " + other.ref() + " also is");
    }
  }
  documents_.push_back(std::move(document));
  return {};
}

Result<const PolicyDocument*> PolicySet::in_force_on(std::int64_t received_ms,
                                                     std::string_view region) const {
  if (auto checked = check_time(received_ms); !checked) return checked.error();
  const DayNumber day = cst_day(received_ms);
  const PolicyDocument* best = nullptr;
  for (const PolicyDocument& document : documents_) {
    if (document.in_force_on(day) && document.governs(region) &&
        (best == nullptr || depth(document) > depth(*best))) {
      best = &document;
    }
  }
  if (best == nullptr) {
    return make_error("policies.no_policy_in_force",
                      "no policy document is in force on " + format_date(civil_date(day)) +
                          " (CST) for region " + std::string(region));
  }
  return best;
}

Result<const PolicyDocument*> PolicySet::find(std::string_view ref) const {
  for (const PolicyDocument& document : documents_) {
    if (document.ref() == ref) return &document;
  }
  return make_error("policies.unknown_policy", "no policy document " + std::string(ref));
}

}  // namespace wq::policies
