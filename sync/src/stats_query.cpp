// StoreReader::stats: sums of the counter cells of a region's subtree over a range of days, the
// live due counts of its open tickets, and its hot spots.
//
// Cost: the days of the query are joined, one by one, to the cells' primary key (day, region, ...),
// so SQLite seeks each (day, region prefix) range and reads only the cells asked for. The whole
// calendar months of the range are read from the monthly rollup instead (a cell per city, month,
// type, category and channel) when its cells can answer: for the nation, a province or a city,
// unless the query groups a city by its counties. The business cells are read by day; the due
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

// Length of the codes of a region's children (GB/T 2260: 2, 4, 6, 9 digits; "cn" has provinces).
std::size_t child_length(std::string_view region) {
  if (region == "cn") return 2;
  if (region.size() <= 4) return region.size() + 2;
  return 9;
}

// Whether the monthly rollup's cells, cut to cities, can answer the query.
bool months_answer(const StatsQuery& query) {
  if (query.region.size() > kMonthRegionLength) return false;
  return query.by != StatsGrouping::child_region ||
         child_length(query.region) <= kMonthRegionLength;
}

void append(std::string& list, std::uint32_t value) {
  list += list.empty() ? "[" : ",";
  list += std::to_string(value);
}

std::string closed(std::string list) {
  return list.empty() ? "[]" : list + "]";
}

// What a query reads, as JSON arrays of numbers for json_each: every day of its range (YYYYMMDD,
// for the business cells), and the same range split into the days read from the daily cells and
// the whole months (YYYYMM) read from the monthly rollup.
struct Periods {
  std::string all_days;
  std::string days;
  std::string months;
};

Result<Periods> periods(const StatsQuery& query) {
  const auto from = day_of(query.from_day);
  const auto to = day_of(query.to_day);
  if (!from || !to) return bad_query("from and to must be dates (YYYYMMDD)");
  if (*to < *from) return bad_query("to is before from");
  if ((*to - *from).count() + 1 > static_cast<int>(kMaxStatsDays)) {
    return bad_query("a query spans at most " + std::to_string(kMaxStatsDays) + " days");
  }
  const bool by_month = months_answer(query);
  Periods out;
  for (sys_days d = *from; d <= *to; d += days{1}) {
    append(out.all_days, yyyymmdd(d));
    const year_month_day date{d};
    const sys_days last{date.year() / date.month() / std::chrono::last};
    if (by_month && date.day() == day{1} && last <= *to) {
      append(out.months, yyyymmdd(d) / 100);
      for (; d < last; d += days{1}) append(out.all_days, yyyymmdd(d + days{1}));
      continue;
    }
    append(out.days, yyyymmdd(d));
  }
  out.all_days = closed(std::move(out.all_days));
  out.days = closed(std::move(out.days));
  out.months = closed(std::move(out.months));
  return out;
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

// Adds the cells of `table` whose `period` column is one of the JSON array `periods` and whose
// region is in the query's subtree to `sums`, summed here rather than by a GROUP BY (which would
// sort every cell); `group` is a SQL expression over c.
Status add_cells(sql::Db& db, const StatsQuery& query, std::string_view table,
                 std::string_view period, const std::string& periods, const std::string& group,
                 CellSums& sums) {
  std::string measures;
  for (std::string_view name : kMeasureNames) measures += ", c." + std::string(name);
  auto stmt = db.prepare("SELECT " + group + ", c.category" + measures + " FROM json_each(?1) d " +
                         "CROSS JOIN " + std::string(table) + " c ON c." + std::string(period) +
                         " = d.value WHERE " + region_condition(query, "c.region"));
  if (!stmt) return stmt.error();
  bind_range(*stmt, periods, query);
  while (true) {
    auto row = stmt->step();
    if (!row) return row.error();
    if (!*row) return {};
    StatsMeasures m;
    for (std::size_t i = 0; i < kMeasureCount; ++i) {
      m.values[i] = stmt->int64(static_cast<int>(i + 2));
    }
    entry(sums.groups, stmt->text(0)) += m;
    entry(sums.categories, stmt->text(1)) += m[Measure::tickets];
    sums.totals += m;
  }
}

// The cells of the query's days and region: whole months from the monthly rollup, other days from
// the daily cells.
Result<CellSums> cell_sums(sql::Db& db, const StatsQuery& query, const Periods& periods,
                           const std::string& group) {
  CellSums out;
  if (Status ok = add_cells(db, query, "stats_cells", "day", periods.days, group, out); !ok) {
    return ok.error();
  }
  if (Status ok = add_cells(db, query, "stats_months", "month", periods.months, group, out); !ok) {
    return ok.error();
  }
  return out;
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

// Overdue and due-soon open tickets of the subtree per group (any day of receipt). The partial
// index by holder covers the query; without a holder range SQLite would pick the one by due time
// and read every open ticket's row for its holder (four times slower nationally).
Result<std::map<std::string, DueCounts>> due_counts(sql::Db& db, const StatsQuery& query) {
  const std::string holder = national(query) ? "1" : "t.holder >= ?2 AND t.holder < ?3";
  auto stmt = db.prepare("SELECT " + group_expression(query, true) +
                         ", sum(t.next_due_ms < ?4), sum(t.next_due_ms >= ?4 AND t.next_due_ms "
                         "< ?5) FROM tickets t INDEXED BY tickets_due_by_holder WHERE "
                         "t.next_due_ms > 0 AND " +
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
  m[Measure::enterprise_handled] = at(b, BusinessMeasure::enterprise_handled);
  return m;
}

Result<StatsTable> sum_up(sql::Db& db, const StatsQuery& query, const Periods& periods) {
  StatsTable table;
  const bool by_business = query.by == StatsGrouping::business;
  auto cells = cell_sums(db, query, periods, by_business ? "''" : group_expression(query, false));
  if (!cells) return cells.error();
  table.totals = cells->totals;
  table.hot_categories = top_categories(cells->categories, query.top);
  auto businesses = business_sums(db, query, periods.all_days);
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
  auto read = periods(query);
  if (!read) return read.error();
  sql::Db& db = *impl_->db;
  // One read transaction: every figure from the same snapshot.
  if (Status ok = db.exec("BEGIN"); !ok) return ok.error();
  auto result = sum_up(db, query, *read);
  if (Status ok = db.exec("COMMIT"); !ok && result) return ok.error();
  return result;
}

}  // namespace wq::sync
