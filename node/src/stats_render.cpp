#include "stats_render.h"

#include <cmath>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "api_names.h"
#include "weiquan/policies/validation.h"

namespace wq::node::http {
namespace {

using nlohmann::json;
using sync::BusinessMeasure;

// Rates are shown to four decimal places.
double rounded(double rate) {
  return std::round(rate * 10'000) / 10'000;
}

json rate_json(const std::optional<double>& rate) {
  return rate ? json(rounded(*rate)) : json(nullptr);
}

std::string region_name(const policies::RegionTable& regions, const std::string& code) {
  if (code == policies::kNationalRegion) return "全国";
  const auto found = regions.find(code);
  return found ? std::string(found->name) : "";
}

std::string group_name(const StatsView& view, const sync::StatsGroup& group) {
  switch (view.request.query.by) {
    case sync::StatsGrouping::child_region:
      return region_name(view.regions, group.key);
    case sync::StatsGrouping::channel: {
      int number = 0;
      for (char c : group.key) number = number * 10 + (c - '0');
      return api_name(static_cast<weiquan::v1::Channel>(number));
    }
    case sync::StatsGrouping::business:
      return group.business_name;
    default:
      return group.key;
  }
}

std::int64_t business_measure(const sync::BusinessMeasures& m, BusinessMeasure which) {
  return m[static_cast<std::size_t>(which)];
}

// The figures of one row: the KPIs, or for a business what the business table counts.
std::vector<std::pair<std::string, json>> figures(const sync::StatsMeasures& measures,
                                                  const sync::BusinessMeasures* business,
                                                  const sync::DueCounts& due) {
  if (business) {
    const auto tickets = business_measure(*business, BusinessMeasure::tickets);
    const auto mediated = business_measure(*business, BusinessMeasure::mediated);
    const auto handed = business_measure(*business, BusinessMeasure::enterprise_handled);
    const auto settled = business_measure(*business, BusinessMeasure::self_settled);
    const auto rate = [](std::int64_t n, std::int64_t d) {
      return d == 0 ? json(nullptr) : json(rounded(static_cast<double>(n) / d));
    };
    return {
        {"received", tickets},
        {"closed", business_measure(*business, BusinessMeasure::closed)},
        {"closed_disclosable", business_measure(*business, BusinessMeasure::closed_disclosable)},
        {"completion_rate", rate(business_measure(*business, BusinessMeasure::closed), tickets)},
        {"mediated", mediated},
        {"mediation_success_rate",
         rate(business_measure(*business, BusinessMeasure::mediation_agreed), mediated)},
        {"enterprise_handled", handed},
        {"self_settled", settled},
        {"self_settlement_rate", rate(settled, handed)},
        {"overdue", due.overdue},
        {"due_soon", due.due_soon}};
  }
  const sync::Kpis k = sync::kpis_of(measures, due);
  return {{"received", k.received},
          {"accepted", k.accepted},
          {"closed", k.closed},
          {"completion_rate", rate_json(k.completion_rate)},
          {"on_time_completion_rate", rate_json(k.on_time_completion_rate)},
          {"on_time_first_reply_rate", rate_json(k.on_time_first_reply_rate)},
          {"complaint_to_case_rate", rate_json(k.complaint_to_case_rate)},
          {"repeat_dispatch_rate", rate_json(k.repeat_dispatch_rate)},
          {"satisfaction_rate", rate_json(k.satisfaction_rate)},
          {"amount_recovered_yuan", k.amount_recovered_yuan},
          {"self_settlement_rate", rate_json(k.self_settlement_rate)},
          {"overdue", k.overdue},
          {"due_soon", k.due_soon}};
}

bool by_business(const StatsView& view) {
  return view.request.query.by == sync::StatsGrouping::business;
}

// Whether a child region's figures miss what a cut-off office within it holds, and the oldest
// last heartbeat among those offices (null: one was never heard, or none is cut off).
std::vector<std::pair<std::string, json>> group_freshness(const StatsView& view,
                                                          const std::string& region) {
  if (view.freshness == nullptr || !view.freshness->known) {
    return {{"stale", nullptr}, {"as_of", nullptr}};
  }
  const auto stale = view.freshness->within(region);
  std::optional<std::int64_t> oldest;
  bool never_heard = false;
  for (const StaleOffice* office : stale) {
    if (!office->as_of) never_heard = true;
    if (office->as_of && (!oldest || *office->as_of < *oldest)) oldest = office->as_of;
  }
  const json as_of = stale.empty() || never_heard || !oldest ? json(nullptr)
                                                             : json(policies::format_time(*oldest));
  return {{"stale", !stale.empty()}, {"as_of", as_of}};
}

// One group: its key, its name and its figures.
std::vector<std::pair<std::string, json>> group_row(const StatsView& view,
                                                    const sync::StatsGroup& group) {
  std::vector<std::pair<std::string, json>> row = {{"key", group.key},
                                                   {"name", group_name(view, group)}};
  const auto values =
      figures(group.measures, by_business(view) ? &group.business : nullptr, group.due);
  row.insert(row.end(), values.begin(), values.end());
  if (view.request.query.by == sync::StatsGrouping::child_region) {
    const auto freshness = group_freshness(view, group.key);
    row.insert(row.end(), freshness.begin(), freshness.end());
  }
  return row;
}

// The offices of the queried subtree that are cut off; `live` only when none is and heartbeats are
// known at all.
json freshness_json(const StatsView& view) {
  const bool known = view.freshness != nullptr && view.freshness->known;
  json stale = json::array();
  if (known) {
    for (const StaleOffice& office : view.freshness->stale) {
      stale.push_back(
          {{"node", office.node},
           {"region", office.region},
           {"as_of", office.as_of ? json(policies::format_time(*office.as_of)) : json(nullptr)}});
    }
  }
  const bool live = known && stale.empty();
  return {{"known", known}, {"live", live}, {"stale", std::move(stale)}};
}

// The totals: the KPIs of every cell; with `business_format`, the business figures summed over the
// business groups (tickets naming no business are not in them).
std::vector<std::pair<std::string, json>> total_row(const StatsView& view, bool business_format) {
  std::vector<std::pair<std::string, json>> row = {
      {"key", "total"}, {"name", region_name(view.regions, view.request.query.region)}};
  sync::BusinessMeasures sum{};
  for (const auto& group : view.table.groups) {
    for (std::size_t i = 0; i < sum.size(); ++i) sum[i] += group.business[i];
  }
  const auto values = figures(view.table.totals, business_format ? &sum : nullptr, view.table.due);
  row.insert(row.end(), values.begin(), values.end());
  return row;
}

json object_of(const std::vector<std::pair<std::string, json>>& row) {
  json out = json::object();
  for (const auto& [name, value] : row) out[name] = value;
  return out;
}

std::string date_text(std::uint32_t yyyymmdd) {
  char text[16];
  std::snprintf(text, sizeof text, "%04u-%02u-%02u", yyyymmdd / 10000, (yyyymmdd / 100) % 100,
                yyyymmdd % 100);
  return text;
}

json hot_spots(const sync::StatsTable& table) {
  json businesses = json::array();
  for (const auto& business : table.hot_businesses) {
    businesses.push_back(
        {{"uscc", business.uscc},
         {"name", business.name},
         {"tickets", business_measure(business.measures, BusinessMeasure::tickets)},
         {"closed", business_measure(business.measures, BusinessMeasure::closed)},
         {"mediated", business_measure(business.measures, BusinessMeasure::mediated)},
         {"mediation_agreed",
          business_measure(business.measures, BusinessMeasure::mediation_agreed)},
         {"self_settled", business_measure(business.measures, BusinessMeasure::self_settled)}});
  }
  json categories = json::array();
  for (const auto& category : table.hot_categories) {
    categories.push_back({{"category", category.category}, {"tickets", category.tickets}});
  }
  return {{"businesses", std::move(businesses)}, {"categories", std::move(categories)}};
}

std::string csv_field(const json& value) {
  if (value.is_null()) return "";
  if (value.is_number_float()) {
    char text[32];
    std::snprintf(text, sizeof text, "%.4f", value.get<double>());
    return text;
  }
  if (!value.is_string()) return value.dump();
  const std::string text = value.get<std::string>();
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string quoted = "\"";
  for (char c : text) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
  return quoted + "\"";
}

void csv_line(std::string& out, const std::vector<std::pair<std::string, json>>& row, bool header) {
  bool first = true;
  for (const auto& [name, value] : row) {
    if (!first) out += ',';
    first = false;
    out += header ? name : csv_field(value);
  }
  out += "\r\n";
}

}  // namespace

json stats_json(const StatsView& view) {
  const auto& query = view.request.query;
  json groups = json::array();
  for (const auto& group : view.table.groups) groups.push_back(object_of(group_row(view, group)));
  json totals = object_of(total_row(view, false));
  totals.erase("key");
  totals.erase("name");
  return {{"region", query.region},
          {"region_name", region_name(view.regions, query.region)},
          {"from", date_text(query.from_day)},
          {"to", date_text(query.to_day)},
          {"by", view.request.by},
          {"generated_at", policies::format_time(view.generated_at_ms)},
          {"totals", std::move(totals)},
          {"groups", std::move(groups)},
          {"hot_spots", hot_spots(view.table)},
          {"freshness", freshness_json(view)}};
}

std::string stats_csv(const StatsView& view) {
  std::string out = "\xEF\xBB\xBF";
  const auto total = total_row(view, by_business(view));
  csv_line(out, total, true);
  for (const auto& group : view.table.groups) csv_line(out, group_row(view, group), false);
  csv_line(out, total, false);
  return out;
}

}  // namespace wq::node::http
