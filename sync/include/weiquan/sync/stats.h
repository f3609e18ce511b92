// Statistics of the tickets a store holds (DESIGN §6, docs/kpi.md): the measures one ticket
// contributes, the query over the counter tables, and the KPIs computed from summed measures.
//
// Every ticket contributes exactly once to one counter cell, keyed by the day it was received
// (China time, YYYYMMDD), the region of the node that holds it now (its node id up to '-': a
// GB/T 2260 code or "cn"), its type, category, channel and state; and once to a monthly rollup
// cell keyed by month, the first four digits of that region (its city), type, category and
// channel. The store keeps the cells in the transaction that applies the ticket's events
// (store.h), so a query reads only the cells of the region prefix and days it asks for, whole
// months of a wide region from the rollup.
//
// Thread safety: plain values and pure functions. Failure codes of StoreReader::stats:
// sync.bad_stats_query (days not YYYYMMDD, from after to, a range over kMaxStatsDays), sync.db.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace wq::sync {

// The measures of a counter cell; docs/kpi.md defines each. Counts of tickets unless named
// otherwise.
enum class Measure : std::size_t {
  tickets,
  accepted,               // complaints with an `accepted` (受理)
  refused,                // complaints now refused (不予受理)
  merged,                 // now merged into another ticket
  closed,                 // now in a terminal state other than merged (办结)
  closed_on_time,         // closed, and no clock of the ticket stopped after its due time
  first_reply,            // complaints and reports that got their first reply
  first_reply_on_time,    // ... by the due time of the office's first clock
  converted_to_case,      // complaints on which a case was opened (诉转案)
  dispatched,             // routed to an office
  dispatched_repeatedly,  // dispatched again: transferred after routing
  visited,                // rated in a return visit
  satisfied,              // last rating very satisfied or satisfied
  amount_recovered_fen,   // sum of the last `closed`'s amount recovered, in fen
  enterprise_handled,     // complaints handed to an ODR enterprise
  self_settled,           // ... that settled with the consumer there (自行和解)
  mediated,               // a mediation result was recorded
  mediation_agreed,       // the last mediation result is an agreement
  count_                  // not a measure: how many there are
};

inline constexpr std::size_t kMeasureCount = static_cast<std::size_t>(Measure::count_);

// Column names of the measures, in Measure order.
extern const std::array<std::string_view, kMeasureCount> kMeasureNames;

struct StatsMeasures {
  std::array<std::int64_t, kMeasureCount> values{};

  std::int64_t& operator[](Measure m) { return values[static_cast<std::size_t>(m)]; }
  std::int64_t operator[](Measure m) const { return values[static_cast<std::size_t>(m)]; }
  StatsMeasures& operator+=(const StatsMeasures& other);
  StatsMeasures& operator-=(const StatsMeasures& other);
  bool operator==(const StatsMeasures&) const = default;
};

// The measures of the business table (hot spots and public disclosure), in this order.
enum class BusinessMeasure : std::size_t {
  tickets,
  closed,
  closed_disclosable,  // closed, and the consumer consented to disclosure (同意公示)
  mediated,
  mediation_agreed,
  self_settled,
  enterprise_handled,  // complaints handed to an ODR enterprise (schema 5)
  // What the public disclosure rates are computed from: the same measures limited to the closed
  // tickets whose consumer consented to disclosure (schema 5).
  disclosable_mediated,
  disclosable_mediation_agreed,
  disclosable_enterprise_handled,
  disclosable_self_settled,
  count_
};

inline constexpr std::size_t kBusinessMeasureCount =
    static_cast<std::size_t>(BusinessMeasure::count_);
extern const std::array<std::string_view, kBusinessMeasureCount> kBusinessMeasureNames;

using BusinessMeasures = std::array<std::int64_t, kBusinessMeasureCount>;

enum class StatsGrouping { none, child_region, category, channel, type, business };

// A query may span at most this many days (both ends counted).
inline constexpr std::uint32_t kMaxStatsDays = 366;
// Open tickets whose next due time lies within this many milliseconds from now are "due soon": the
// window of a ticket summary's due_soon flag and of the alerts (48 hours: deadlines end at midnight
// of a working day, so 48 hours give a whole working day's notice even over a weekend).
inline constexpr std::int64_t kDueSoonMs = 48LL * 60 * 60 * 1000;

struct StatsQuery {
  std::string region = "cn";   // GB/T 2260 code or "cn": every cell whose region starts with it
  std::uint32_t from_day = 0;  // YYYYMMDD, China time, inclusive
  std::uint32_t to_day = 0;    // YYYYMMDD, inclusive
  StatsGrouping by = StatsGrouping::none;
  std::int64_t now_ms = 0;  // for the live overdue and due-soon counts
  std::size_t top = 10;     // hot spots: how many businesses and categories
};

// Live counts of open tickets (not limited to the days of the query): their earliest running
// clock's due time has passed (overdue) or comes within kDueSoonMs (due soon).
struct DueCounts {
  std::int64_t overdue = 0;
  std::int64_t due_soon = 0;
};

struct StatsGroup {
  // child_region: the child region's code (or the queried region itself, for tickets its own
  // office holds); category, business (USCC): as stored; channel: the Channel number as text;
  // type: the type's name.
  std::string key;
  std::string business_name;  // business grouping only
  // By business the groups come from the business table: `business` has its measures and
  // `measures` only tickets, closed, mediated, mediation_agreed, self_settled and
  // enterprise_handled (the others 0).
  StatsMeasures measures;
  BusinessMeasures business{};
  DueCounts due;
};

struct HotBusiness {
  std::string uscc;
  std::string name;
  BusinessMeasures measures{};
};

struct HotCategory {
  std::string category;
  std::int64_t tickets = 0;
};

struct StatsTable {
  StatsMeasures totals;
  DueCounts due;
  std::vector<StatsGroup> groups;           // by key; empty for StatsGrouping::none
  std::vector<HotBusiness> hot_businesses;  // most tickets first, at most `top`
  std::vector<HotCategory> hot_categories;  // most tickets first, at most `top`
};

// A counter cell as stored or as rebuilt: its key and measures.
struct StatsCell {
  std::uint32_t day = 0;
  std::string region;
  std::string type;
  std::string category;
  std::int64_t channel = 0;
  std::string state;
  StatsMeasures measures;
};

struct BusinessCell {
  std::uint32_t day = 0;
  std::string region;
  std::string uscc;
  std::string name;
  BusinessMeasures measures{};
};

// A cell whose stored measures differ from those rebuilt from the event log (a missing cell has
// all measures 0).
struct StatsDifference {
  std::string table;  // "stats_cells", "stats_months" (kMeasureNames) or "stats_businesses"
  std::string key;    // the cell's key, '|'-separated
  std::vector<std::int64_t> stored;
  std::vector<std::int64_t> rebuilt;
};

// Called every `kStatsProgressEvery` tickets of a rebuild or check with the tickets done so far
// and the total.
inline constexpr std::size_t kStatsProgressEvery = 10'000;
using StatsProgress = std::function<void(std::size_t done, std::size_t total)>;

// The KPIs of summed measures (docs/kpi.md). A rate is nullopt when its denominator is 0.
struct Kpis {
  std::int64_t received = 0;
  std::int64_t accepted = 0;
  std::int64_t closed = 0;
  std::optional<double> completion_rate;           // 办结率
  std::optional<double> on_time_completion_rate;   // 按期办结率
  std::optional<double> on_time_first_reply_rate;  // 初查按期反馈率
  std::optional<double> complaint_to_case_rate;    // 诉转案率
  std::optional<double> repeat_dispatch_rate;      // 重复派单率
  std::optional<double> satisfaction_rate;         // 满意率
  double amount_recovered_yuan = 0;                // 挽回经济损失
  std::optional<double> self_settlement_rate;      // 自行和解率
  std::int64_t overdue = 0;
  std::int64_t due_soon = 0;
};

Kpis kpis_of(const StatsMeasures& measures, const DueCounts& due);

}  // namespace wq::sync
