// StoreReader::stats: sums of the counter cells of a region's subtree over a range of days, the
// live due counts of its open tickets, and its hot spots.
//
// Cost: the days of the query are joined, one by one, to the cells' primary key (day, region, ...),
// so SQLite seeks each (day, region prefix) range and reads only the cells asked for; the due
// counts read the partial index of tickets with a running clock by holder.
#include <algorithm>
#include <chrono>
#include <map>
#include <string>

#include "stats_cells.h"
#include "store_impl.h"

namespace wq::sync {
namespace {

using namespace std::chrono;

Error bad_query(const std::string& message) {
  return make_error("sync.bad_stats_query", message);
}

std::optional<sys_days> day_of(std::uint32_t yyyymmdd) {
  const year_month_day date{year{static_cast<int>(yyyymmdd / 10000)}, month{(yyyymmdd / 100) % 100},
                            day{yyyymmdd % 100}};
  if (!date.ok()) return std::nullopt;
  return sys_days(date);
}

std::uint32_t yyyymmdd(sys_days d) {
  const year_month_day date{d};
  return static_cast<std::uint32_t>(static_cast<int>(date.year())) * 10000 +
         static_cast<unsigned>(date.month()) * 100 + static_cast<unsigned>(date.day());
}

// The query's days as a JSON array of YYYYMMDD numbers, for json_each.
Result<std::string> day_list(const StatsQuery& query) {
  const auto from = day_of(query.from_day);
  const auto to = day_of(query.to_day);
  if (!from || !to) return bad_query("from and to must be dates (YYYYMMDD)");
  if (*to < *from) return bad_query("to is before from");
  if ((*to - *from).count() + 1 > static_cast<int>(kMaxStatsDays)) {
    return bad_query("a query spans at most " + std::to_string(kMaxStatsDays) + " days");
  }
  std::string out = "[";
  for (sys_days d = *from; d <= *to; d += days{1}) {
    if (out.size() > 1) out += ',';
    out += std::to_string(yyyymmdd(d));
  }
  return out + "]";
}

// Length of the codes of a region's children (GB/T 2260: 2, 4, 6, 9 digits; "cn" has provinces).
std::size_t child_length(std::string_view region) {
  if (region == "cn") return 2;
  if (region.size() <= 4) return region.size() + 2;
  return 9;
}

bool national(const StatsQuery& query) {
  return query.region == "cn";
}

// The SQL expression a cell (alias c) or open ticket (alias t, region of its holder) is grouped by.
std::string group_expression(const StatsQuery& query, bool on_tickets) {
  const std::string region = on_tickets
                                 ? "CASE WHEN instr(t.holder, '-') > 0 THEN substr(t.holder, 1, "
                                   "instr(t.holder, '-') - 1) ELSE t.holder END"
                                 : "c.region";
  const std::string alias = on_tickets ? "t." : "c.";
  switch (query.by) {
    case StatsGrouping::none:
      return "''";
    case StatsGrouping::child_region:
      return "substr(" + region + ", 1, " + std::to_string(child_length(query.region)) + ")";
    case StatsGrouping::category:
      return alias + "category";
    case StatsGrouping::channel:
      return "CAST(" + alias + "channel AS TEXT)";
    case StatsGrouping::type:
      return alias + "type";
    case StatsGrouping::business:
      return on_tickets ? "t.business_uscc" : "''";
  }
  return "''";
}

// Binds the day list as ?1 and the region range as ?2, ?3.
void bind_range(sql::Stmt& stmt, const std::string& days, const StatsQuery& query) {
  stmt.bind(1, days);
  if (!national(query)) stmt.bind(2, query.region).bind(3, query.region + "~");
}

std::string region_condition(const StatsQuery& query, std::string_view column) {
  if (national(query)) return "1";
  return std::string(column) + " >= ?2 AND " + std::string(column) + " < ?3";
}

// What one pass over the cells gives: the sums per group, the totals and the tickets per category.
struct CellSums {
  std::map<std::string, StatsMeasures, std::less<>> groups;
  StatsMeasures totals;
  std::map<std::string, std::int64_t, std::less<>> categories;
};

template <class Map>
typename Map::mapped_type& entry(Map& map, std::string_view key) {
  auto it = map.find(key);
  if (it == map.end()) it = map.emplace(std::string(key), typename Map::mapped_type{}).first;
  return it->second;
}

// One pass over the cells of the query's days and region, summed here rather than by a GROUP BY
// (which would sort every cell); `group` is a SQL expression over c.
Result<CellSums> cell_sums(sql::Db& db, const StatsQuery& query, const std::string& days,
                           const std::string& group) {
  std::string measures;
  for (std::string_view name : kMeasureNames) measures += ", c." + std::string(name);
  auto stmt = db.prepare("SELECT " + group + ", c.category" + measures +
                         " FROM json_each(?1) d CROSS JOIN stats_cells c ON c.day = d.value "
                         "WHERE " +
                         region_condition(query, "c.region"));
  if (!stmt) return stmt.error();
  bind_range(*stmt, days, query);
  CellSums out;
  while (true) {
    auto row = stmt->step();
    if (!row) return row.error();
    if (!*row) return out;
    StatsMeasures m;
    for (std::size_t i = 0; i < kMeasureCount; ++i) {
      m.values[i] = stmt->int64(static_cast<int>(i + 2));
    }
    entry(out.groups, stmt->text(0)) += m;
    entry(out.categories, stmt->text(1)) += m[Measure::tickets];
    out.totals += m;
  }
}

// Every business of the subtree and days with its sums (the least of the names its cells carry),
// most tickets first, then by USCC.
Result<std::vector<HotBusiness>> business_sums(sql::Db& db, const StatsQuery& query,
                                               const std::string& days) {
  std::string measures;
  for (std::string_view name : kBusinessMeasureNames) measures += ", b." + std::string(name);
  auto stmt = db.prepare("SELECT b.business_uscc, b.business_name" + measures +
                         " FROM json_each(?1) d CROSS JOIN stats_businesses b ON b.day = d.value "
                         "WHERE " +
                         region_condition(query, "b.region"));
  if (!stmt) return stmt.error();
  bind_range(*stmt, days, query);
  std::map<std::string, HotBusiness, std::less<>> found;
  while (true) {
    auto row = stmt->step();
    if (!row) return row.error();
    if (!*row) break;
    HotBusiness& business = entry(found, stmt->text(0));
    if (business.uscc.empty()) {
      business.uscc = std::string(stmt->text(0));
      business.name = std::string(stmt->text(1));
    } else if (stmt->text(1) < business.name) {
      business.name = std::string(stmt->text(1));
    }
    for (std::size_t i = 0; i < kBusinessMeasureCount; ++i) {
      business.measures[i] += stmt->int64(static_cast<int>(i + 2));
    }
  }
  std::vector<HotBusiness> out;
  out.reserve(found.size());
  for (auto& [uscc, business] : found) out.push_back(std::move(business));
  const auto tickets = [](const HotBusiness& b) {
    return b.measures[static_cast<std::size_t>(BusinessMeasure::tickets)];
  };
  // Stable: equal counts stay in USCC order.
  std::stable_sort(out.begin(), out.end(), [&](const HotBusiness& a, const HotBusiness& b) {
    return tickets(a) > tickets(b);
  });
  return out;
}

// The `top` categories with the most tickets (ties by name).
std::vector<HotCategory> top_categories(
    const std::map<std::string, std::int64_t, std::less<>>& categories, std::size_t top) {
  std::vector<HotCategory> out;
  for (const auto& [category, tickets] : categories) out.push_back({category, tickets});
  const std::size_t n = std::min(top, out.size());
  std::partial_sort(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(n), out.end(),
                    [](const HotCategory& a, const HotCategory& b) {
                      return a.tickets != b.tickets ? a.tickets > b.tickets
                                                    : a.category < b.category;
                    });
  out.resize(n);
  return out;
}

// Overdue and due-soon open tickets of the subtree per group (any day of receipt).
Result<std::map<std::string, DueCounts>> due_counts(sql::Db& db, const StatsQuery& query) {
  const std::string holder = national(query) ? "1" : "t.holder >= ?2 AND t.holder < ?3";
  auto stmt = db.prepare("SELECT " + group_expression(query, true) +
                         ", sum(t.next_due_ms < ?4), sum(t.next_due_ms >= ?4 AND t.next_due_ms "
                         "< ?5) FROM tickets t WHERE t.next_due_ms > 0 AND " +
                         holder + " GROUP BY 1");
  if (!stmt) return stmt.error();
  if (!national(query)) stmt->bind(2, query.region).bind(3, query.region + "~");
  stmt->bind(4, query.now_ms).bind(5, query.now_ms + kDueSoonMs);
  std::map<std::string, DueCounts> out;
  while (true) {
    auto row = stmt->step();
    if (!row) return row.error();
    if (!*row) return out;
    out[std::string(stmt->text(0))] = {stmt->int64(1), stmt->int64(2)};
  }
}

BusinessMeasures::value_type& at(BusinessMeasures& m, BusinessMeasure which) {
  return m[static_cast<std::size_t>(which)];
}

// A business's measures as cell measures (the ones the business table has; the others stay 0).
StatsMeasures as_measures(BusinessMeasures b) {
  StatsMeasures m;
  m[Measure::tickets] = at(b, BusinessMeasure::tickets);
  m[Measure::closed] = at(b, BusinessMeasure::closed);
  m[Measure::mediated] = at(b, BusinessMeasure::mediated);
  m[Measure::mediation_agreed] = at(b, BusinessMeasure::mediation_agreed);
  m[Measure::self_settled] = at(b, BusinessMeasure::self_settled);
  return m;
}

Result<StatsTable> sum_up(sql::Db& db, const StatsQuery& query, const std::string& days) {
  StatsTable table;
  const bool by_business = query.by == StatsGrouping::business;
  auto cells = cell_sums(db, query, days, by_business ? "''" : group_expression(query, false));
  if (!cells) return cells.error();
  table.totals = cells->totals;
  table.hot_categories = top_categories(cells->categories, query.top);
  auto businesses = business_sums(db, query, days);
  if (!businesses) return businesses.error();
  auto due = due_counts(db, query);
  if (!due) return due.error();
  for (const auto& [key, counts] : *due) {
    table.due.overdue += counts.overdue;
    table.due.due_soon += counts.due_soon;
  }
  std::map<std::string, StatsGroup> groups;
  if (by_business) {
    for (const HotBusiness& business : *businesses) {
      StatsGroup& group = groups[business.uscc];
      group.business_name = business.name;
      group.measures = as_measures(business.measures);
      group.business = business.measures;
    }
  } else if (query.by != StatsGrouping::none) {
    for (const auto& [key, measures] : cells->groups) groups[key].measures = measures;
  }
  if (query.by != StatsGrouping::none) {
    for (const auto& [key, counts] : *due) {
      if (by_business && key.empty()) continue;
      groups[key].due = counts;
    }
    for (auto& [key, group] : groups) {
      group.key = key;
      table.groups.push_back(std::move(group));
    }
  }
  businesses->resize(std::min(businesses->size(), query.top));
  table.hot_businesses = std::move(*businesses);
  return table;
}

}  // namespace

Result<StatsTable> StoreReader::stats(const StatsQuery& query) const {
  auto days = day_list(query);
  if (!days) return days.error();
  sql::Db& db = *impl_->db;
  // One read transaction: every figure from the same snapshot.
  if (Status ok = db.exec("BEGIN"); !ok) return ok.error();
  auto result = sum_up(db, query, *days);
  if (Status ok = db.exec("COMMIT"); !ok && result) return ok.error();
  return result;
}

}  // namespace wq::sync
