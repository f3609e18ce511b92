#include "stats_cells.h"

#include <tuple>

#include "weiquan/sync/ticket_id.h"
#include "weiquan/v1/weiquan.pb.h"

namespace wq::sync {
namespace {

constexpr std::string_view kCellKey = "day, region, type, category, channel, state";
constexpr std::string_view kBusinessKey = "day, region, business_uscc";
constexpr std::string_view kMonthKey = "month, region, type, category, channel";

template <std::size_t N>
std::string joined(const std::array<std::string_view, N>& names, std::string_view format_before,
                   std::string_view format_after = "") {
  std::string out;
  for (std::string_view name : names) {
    if (!out.empty()) out += ", ";
    out += format_before;
    out += name;
    out += format_after;
  }
  return out;
}

// INSERT ... ON CONFLICT adding every measure; parameters: the key columns, then the measures.
template <std::size_t N>
std::string upsert(std::string_view table, std::string_view key, std::size_t key_columns,
                   std::string_view extra_column, const std::array<std::string_view, N>& measures) {
  std::string columns = std::string(key);
  if (!extra_column.empty()) columns += ", " + std::string(extra_column);
  const std::size_t values = key_columns + (extra_column.empty() ? 0 : 1) + N;
  std::string params;
  for (std::size_t i = 1; i <= values; ++i) {
    params += (i == 1 ? "?" : ", ?") + std::to_string(i);
  }
  std::string sets;
  for (std::string_view name : measures) {
    if (!sets.empty()) sets += ", ";
    sets += std::string(name) + " = " + std::string(name) + " + excluded." + std::string(name);
  }
  return "INSERT INTO " + std::string(table) + " (" + columns + ", " + joined(measures, "") +
         ") VALUES (" + params + ") ON CONFLICT (" + std::string(key) + ") DO UPDATE SET " + sets;
}

void bind_cell_key(sql::Stmt& stmt, const StatsCell& cell) {
  stmt.bind(1, std::int64_t{cell.day})
      .bind(2, cell.region)
      .bind(3, cell.type)
      .bind(4, cell.category)
      .bind(5, cell.channel)
      .bind(6, cell.state);
}

void bind_business_key(sql::Stmt& stmt, const BusinessCell& cell) {
  stmt.bind(1, std::int64_t{cell.day}).bind(2, cell.region).bind(3, cell.uscc);
}

void bind_month_key(sql::Stmt& stmt, const StatsCell& cell) {
  stmt.bind(1, std::int64_t{cell.day / 100})
      .bind(2, month_region(cell.region))
      .bind(3, cell.type)
      .bind(4, cell.category)
      .bind(5, cell.channel);
}

bool same_day_key(const StatsCell& a, const StatsCell& b) {
  return std::tie(a.day, a.region, a.type, a.category, a.channel, a.state) ==
         std::tie(b.day, b.region, b.type, b.category, b.channel, b.state);
}

bool same_month_key(const StatsCell& a, const StatsCell& b) {
  return a.day / 100 == b.day / 100 && month_region(a.region) == month_region(b.region) &&
         std::tie(a.type, a.category, a.channel) == std::tie(b.type, b.category, b.channel);
}

Status add_day_cell(StatsStatements& s, const StatsCell& cell, int sign) {
  bind_cell_key(s.add_cell, cell);
  for (std::size_t i = 0; i < kMeasureCount; ++i) {
    s.add_cell.bind(static_cast<int>(7 + i), sign * cell.measures.values[i]);
  }
  if (Status ok = s.add_cell.run(); !ok) return ok;
  if (sign > 0) return {};
  bind_cell_key(s.drop_empty_cell, cell);
  return s.drop_empty_cell.run();
}

Status add_month_cell(StatsStatements& s, const StatsCell& cell, int sign) {
  bind_month_key(s.add_month, cell);
  for (std::size_t i = 0; i < kMeasureCount; ++i) {
    s.add_month.bind(static_cast<int>(6 + i), sign * cell.measures.values[i]);
  }
  if (Status ok = s.add_month.run(); !ok) return ok;
  if (sign > 0) return {};
  bind_month_key(s.drop_empty_month, cell);
  return s.drop_empty_month.run();
}

// Moves a ticket's cell in one counter table from `old` to `now` (either may be absent): the
// difference when both have the same key there, else out of one and into the other.
template <class SameKey, class Add>
Status move_cell(const StatsCell* old, const StatsCell* now, SameKey same_key, Add add) {
  if (old && now && same_key(*old, *now)) {
    if (old->measures == now->measures) return {};
    StatsCell delta = *now;
    delta.measures -= old->measures;
    return add(delta, +1);
  }
  if (old) {
    if (Status ok = add(*old, -1); !ok) return ok;
  }
  if (now) return add(*now, +1);
  return {};
}

Status add_business(StatsStatements& s, const BusinessCell& cell, int sign) {
  bind_business_key(s.add_business, cell);
  s.add_business.bind(4, cell.name);
  for (std::size_t i = 0; i < kBusinessMeasureCount; ++i) {
    s.add_business.bind(static_cast<int>(5 + i), sign * cell.measures[i]);
  }
  if (Status ok = s.add_business.run(); !ok) return ok;
  if (sign > 0) return {};
  bind_business_key(s.drop_empty_business, cell);
  return s.drop_empty_business.run();
}

std::int64_t flag(bool value) {
  return value ? 1 : 0;
}

}  // namespace

std::string_view holder_region(std::string_view holder) {
  return holder.substr(0, holder.find('-'));
}

std::string_view month_region(std::string_view region) {
  return region.substr(0, kMonthRegionLength);
}

std::optional<Contribution> contribution_of(const Ticket& t) {
  if (t.last_seq == 0) return std::nullopt;
  Contribution out;
  StatsCell& cell = out.cell;
  cell.day = china_date(t.received_at_ms);
  cell.region = std::string(holder_region(t.holder));
  cell.type = std::string(policies::type_name(t.type));
  cell.category = t.category;
  cell.channel = static_cast<std::int64_t>(t.channel);
  cell.state = t.state;
  const bool complaint = t.type == policies::TicketType::complaint;
  const bool merged = t.state == "merged";
  const bool closed = t.closed && !merged;
  const bool mediated = t.mediation != 0;
  const bool agreed = t.mediation == 2;
  const bool self_settled = complaint && t.enterprise_handled && t.self_settled;
  StatsMeasures& m = cell.measures;
  m[Measure::tickets] = 1;
  m[Measure::accepted] = flag(complaint && t.accepted_at_ms != 0);
  m[Measure::refused] = flag(t.state == "refused");
  m[Measure::merged] = flag(merged);
  m[Measure::closed] = flag(closed);
  m[Measure::closed_on_time] = flag(closed && t.closed_on_time);
  m[Measure::first_reply] = flag(t.first_reply_ms != 0);
  m[Measure::first_reply_on_time] = flag(t.first_reply_ms != 0 && t.first_reply_on_time);
  m[Measure::converted_to_case] = flag(complaint && t.converted_to_case);
  m[Measure::dispatched] = flag(t.dispatch_count >= 1);
  m[Measure::dispatched_repeatedly] = flag(t.dispatch_count >= 2);
  m[Measure::visited] = flag(t.satisfaction != 0);
  m[Measure::satisfied] = flag(t.satisfaction == weiquan::v1::SATISFACTION_VERY_SATISFIED ||
                               t.satisfaction == weiquan::v1::SATISFACTION_SATISFIED);
  m[Measure::amount_recovered_fen] = t.amount_recovered_fen;
  m[Measure::enterprise_handled] = flag(complaint && t.enterprise_handled);
  m[Measure::self_settled] = flag(self_settled);
  m[Measure::mediated] = flag(mediated);
  m[Measure::mediation_agreed] = flag(agreed);
  if (!t.business_uscc.empty()) {
    BusinessCell business;
    business.day = cell.day;
    business.region = cell.region;
    business.uscc = t.business_uscc;
    business.name = t.business_name;
    auto& b = business.measures;
    b[static_cast<std::size_t>(BusinessMeasure::tickets)] = 1;
    b[static_cast<std::size_t>(BusinessMeasure::closed)] = flag(closed);
    b[static_cast<std::size_t>(BusinessMeasure::closed_disclosable)] =
        flag(closed && t.consent_disclosure);
    b[static_cast<std::size_t>(BusinessMeasure::mediated)] = flag(mediated);
    b[static_cast<std::size_t>(BusinessMeasure::mediation_agreed)] = flag(agreed);
    b[static_cast<std::size_t>(BusinessMeasure::self_settled)] = flag(self_settled);
    const bool handed = complaint && t.enterprise_handled;
    b[static_cast<std::size_t>(BusinessMeasure::enterprise_handled)] = flag(handed);
    const bool disclosable = closed && t.consent_disclosure;
    b[static_cast<std::size_t>(BusinessMeasure::disclosable_mediated)] =
        flag(disclosable && mediated);
    b[static_cast<std::size_t>(BusinessMeasure::disclosable_mediation_agreed)] =
        flag(disclosable && agreed);
    b[static_cast<std::size_t>(BusinessMeasure::disclosable_enterprise_handled)] =
        flag(disclosable && handed);
    b[static_cast<std::size_t>(BusinessMeasure::disclosable_self_settled)] =
        flag(disclosable && self_settled);
    out.business = std::move(business);
  }
  return out;
}

Result<StatsStatements> prepare_stats(sql::Db& db, const StatsTables& tables) {
  StatsStatements s;
  const std::pair<sql::Stmt*, std::string> all[] = {
      {&s.add_cell, upsert(tables.cells, kCellKey, 6, "", kMeasureNames)},
      {&s.drop_empty_cell,
       "DELETE FROM " + tables.cells +
           " WHERE day = ?1 AND region = ?2 AND type = ?3 AND category = ?4 AND channel = ?5 AND "
           "state = ?6 AND tickets = 0"},
      {&s.add_month, upsert(tables.months, kMonthKey, 5, "", kMeasureNames)},
      {&s.drop_empty_month,
       "DELETE FROM " + tables.months +
           " WHERE month = ?1 AND region = ?2 AND type = ?3 AND category = ?4 AND channel = ?5 "
           "AND tickets = 0"},
      {&s.add_business,
       upsert(tables.businesses, kBusinessKey, 3, "business_name", kBusinessMeasureNames)},
      {&s.drop_empty_business, "DELETE FROM " + tables.businesses +
                                   " WHERE day = ?1 AND region = ?2 AND business_uscc = ?3 AND "
                                   "tickets = 0"},
  };
  for (const auto& [stmt, text] : all) {
    auto prepared = db.prepare(text);
    if (!prepared) return prepared.error();
    *stmt = std::move(*prepared);
  }
  return s;
}

Status add_contribution(StatsStatements& statements, const Contribution& contribution, int sign) {
  if (Status ok = add_day_cell(statements, contribution.cell, sign); !ok) return ok;
  if (Status ok = add_month_cell(statements, contribution.cell, sign); !ok) return ok;
  if (!contribution.business) return {};
  return add_business(statements, *contribution.business, sign);
}

Status update_stats(StatsStatements& statements, const Ticket& before, const Ticket& after) {
  const auto old = contribution_of(before);
  const auto now = contribution_of(after);
  const StatsCell* old_cell = old ? &old->cell : nullptr;
  const StatsCell* now_cell = now ? &now->cell : nullptr;
  const auto day = [&](const StatsCell& cell, int sign) {
    return add_day_cell(statements, cell, sign);
  };
  if (Status ok = move_cell(old_cell, now_cell, same_day_key, day); !ok) return ok;
  const auto month = [&](const StatsCell& cell, int sign) {
    return add_month_cell(statements, cell, sign);
  };
  if (Status ok = move_cell(old_cell, now_cell, same_month_key, month); !ok) return ok;
  const auto same_business = [](const BusinessCell& a, const BusinessCell& b) {
    return std::tie(a.day, a.region, a.uscc, a.measures) ==
           std::tie(b.day, b.region, b.uscc, b.measures);
  };
  const bool unchanged = old && now && old->business.has_value() == now->business.has_value() &&
                         (!old->business || same_business(*old->business, *now->business));
  if (unchanged) return {};
  if (old && old->business) {
    if (Status ok = add_business(statements, *old->business, -1); !ok) return ok;
  }
  if (now && now->business) return add_business(statements, *now->business, +1);
  return {};
}

}  // namespace wq::sync
