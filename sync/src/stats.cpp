#include "weiquan/sync/stats.h"

namespace wq::sync {

const std::array<std::string_view, kMeasureCount> kMeasureNames = {
    "tickets",
    "accepted",
    "refused",
    "merged",
    "closed",
    "closed_on_time",
    "first_reply",
    "first_reply_on_time",
    "converted_to_case",
    "dispatched",
    "dispatched_repeatedly",
    "visited",
    "satisfied",
    "amount_recovered_fen",
    "enterprise_handled",
    "self_settled",
    "mediated",
    "mediation_agreed",
};

const std::array<std::string_view, kBusinessMeasureCount> kBusinessMeasureNames = {
    "tickets",
    "closed",
    "closed_disclosable",
    "mediated",
    "mediation_agreed",
    "self_settled",
    "enterprise_handled",
    "disclosable_mediated",
    "disclosable_mediation_agreed",
    "disclosable_enterprise_handled",
    "disclosable_self_settled",
};

StatsMeasures& StatsMeasures::operator+=(const StatsMeasures& other) {
  for (std::size_t i = 0; i < kMeasureCount; ++i) values[i] += other.values[i];
  return *this;
}

StatsMeasures& StatsMeasures::operator-=(const StatsMeasures& other) {
  for (std::size_t i = 0; i < kMeasureCount; ++i) values[i] -= other.values[i];
  return *this;
}

namespace {

std::optional<double> rate(std::int64_t numerator, std::int64_t denominator) {
  if (denominator == 0) return std::nullopt;
  return static_cast<double>(numerator) / static_cast<double>(denominator);
}

}  // namespace

Kpis kpis_of(const StatsMeasures& m, const DueCounts& due) {
  Kpis k;
  k.received = m[Measure::tickets];
  k.accepted = m[Measure::accepted];
  k.closed = m[Measure::closed];
  k.completion_rate = rate(m[Measure::closed], m[Measure::tickets] - m[Measure::merged]);
  k.on_time_completion_rate = rate(m[Measure::closed_on_time], m[Measure::closed]);
  k.on_time_first_reply_rate = rate(m[Measure::first_reply_on_time], m[Measure::first_reply]);
  k.complaint_to_case_rate = rate(m[Measure::converted_to_case], m[Measure::accepted]);
  k.repeat_dispatch_rate = rate(m[Measure::dispatched_repeatedly], m[Measure::dispatched]);
  k.satisfaction_rate = rate(m[Measure::satisfied], m[Measure::visited]);
  k.amount_recovered_yuan = static_cast<double>(m[Measure::amount_recovered_fen]) / 100.0;
  k.self_settlement_rate = rate(m[Measure::self_settled], m[Measure::enterprise_handled]);
  k.overdue = due.overdue;
  k.due_soon = due.due_soon;
  return k;
}

}  // namespace wq::sync
