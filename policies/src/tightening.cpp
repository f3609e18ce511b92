#include <algorithm>

#include "weiquan/policies/policy_document.h"

namespace wq::policies {

namespace {

Error loosens(const std::string& what) {
  return make_error("policies.loosens_parent", what);
}

// Whether a period is certainly no longer than another started at the same instant (see the
// contract of check_only_tightens).
bool no_longer(Period child, Period parent) {
  if (child.unit == parent.unit) return child.amount <= parent.amount;
  const bool parent_in_days =
      parent.unit == PeriodUnit::days || parent.unit == PeriodUnit::working_days;
  if (child.unit == PeriodUnit::hours && parent_in_days) return child.amount <= 24 * parent.amount;
  if (child.unit == PeriodUnit::days && parent.unit == PeriodUnit::working_days) {
    return child.amount <= parent.amount;
  }
  return false;
}

Period with_extension(const Limit& limit) {
  return Period{limit.period.amount + limit.extension_max, limit.period.unit};
}

bool contains_all(const std::vector<std::string>& whole, const std::vector<std::string>& part) {
  return std::all_of(part.begin(), part.end(), [&](const std::string& item) {
    return std::find(whole.begin(), whole.end(), item) != whole.end();
  });
}

Status check_limit(const Limit& parent, const Limit* child) {
  const std::string name = "limit " + parent.name;
  if (child == nullptr) return loosens(name + " is missing");
  if (child->type != parent.type) return loosens(name + " applies to another ticket type");
  if (!contains_all(child->starts_on, parent.starts_on) ||
      !contains_all(parent.starts_on, child->starts_on)) {
    return loosens(name + " starts on other events");
  }
  if (!contains_all(parent.stops_on, child->stops_on)) {
    return loosens(name + " stops on an event the parent's does not");
  }
  if (child->real_name_only && !parent.real_name_only) {
    return loosens(name + " is restricted to real-name tickets");
  }
  if (!no_longer(child->period, parent.period)) return loosens(name + " is longer");
  if (!no_longer(with_extension(*child), with_extension(parent))) {
    return loosens(name + " may be extended beyond the parent's");
  }
  return {};
}

}  // namespace

Status check_only_tightens(const PolicyDocument& parent, const PolicyDocument& child) {
  const bool starts_inside = child.in_force_from >= parent.in_force_from;
  const bool ends_inside =
      !parent.in_force_until ||
      (child.in_force_until && *child.in_force_until <= *parent.in_force_until);
  if (!starts_inside || !ends_inside) {
    return loosens("in force outside " + parent.ref() + "'s dates");
  }
  for (const Limit& limit : parent.limits) {
    if (auto checked = check_limit(limit, child.limit(limit.name)); !checked) return checked;
  }
  for (const RefusalGround& ground : child.refusal_grounds) {
    if (parent.refusal_ground(ground.id) == nullptr) {
      return loosens("refusal ground " + ground.id + " is not one of the parent's");
    }
  }
  if (parent.switches.return_visit_required && !child.switches.return_visit_required) {
    return loosens("return visits are no longer required");
  }
  if (child.switches.complaint_max_age_years != parent.switches.complaint_max_age_years) {
    return loosens("complaint_max_age_years differs from the parent's");
  }
  return {};
}

}  // namespace wq::policies
