#include "weiquan/policies/policy_document.h"

#include "document_json.h"

namespace wq::policies {

Result<PolicyDocument> PolicyDocument::parse(std::string_view json) {
  auto value = detail::parse_json(json);
  if (!value) return value.error();
  detail::JsonReader reader(detail::JsonReader::Mode::first_problem);
  PolicyDocument document = detail::read_document(reader, *value, "");
  if (reader.failed()) return reader.error();
  return document;
}

std::string PolicyDocument::ref() const {
  return id + "@" + version;
}

bool PolicyDocument::in_force_on(DayNumber day) const {
  return day >= day_number(in_force_from) &&
         (!in_force_until || day <= day_number(*in_force_until));
}

bool PolicyDocument::governs(std::string_view region) const {
  return scope == "cn" || region.starts_with(scope);
}

const Limit* PolicyDocument::limit(std::string_view name) const {
  for (const Limit& candidate : limits) {
    if (candidate.name == name) return &candidate;
  }
  return nullptr;
}

std::vector<const Limit*> PolicyDocument::limits_for(TicketType type) const {
  std::vector<const Limit*> out;
  for (const Limit& candidate : limits) {
    if (candidate.type == type) out.push_back(&candidate);
  }
  return out;
}

const RefusalGround* PolicyDocument::refusal_ground(std::string_view ground_id) const {
  for (const RefusalGround& candidate : refusal_grounds) {
    if (candidate.id == ground_id) return &candidate;
  }
  return nullptr;
}

Status PolicyDocument::check_refusal_ground(std::string_view ground_id) const {
  if (refusal_ground(ground_id) != nullptr) return {};
  std::string grounds;
  for (const RefusalGround& ground : refusal_grounds) {
    grounds += (grounds.empty() ? "" : ", ") + ground.id;
  }
  return make_error("policies.unknown_ground", "\"" + std::string(ground_id.substr(0, 64)) +
                                                   "\" is not a refusal ground of " + ref() + " (" +
                                                   grounds + ")");
}

Result<bool> past_complaint_max_age(const PolicyDocument& policy, const Calendar& calendar,
                                    std::int64_t known_ms, std::int64_t received_ms) {
  if (auto received = check_time(received_ms); !received) return received.error();
  const auto end = compute_due(calendar, known_ms,
                               Period{policy.switches.complaint_max_age_years, PeriodUnit::years});
  if (!end) return end.error();
  return received_ms > end->due_ms;
}

}  // namespace wq::policies
