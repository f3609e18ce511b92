// Private to sync/: the counter tables of the statistics (stats.h, schema migrations 4 and 5) —
// what one ticket contributes to them, and the statements that move a ticket's contribution when
// its row changes. A ticket's cell is counted twice: in stats_cells by day and region, and in the
// monthly rollup stats_months by month (YYYYMM) and the region's first kMonthRegionLength digits
// (its city), without its state — so that a query over whole months of a province or the nation
// reads a cell per city and month rather than per county and day. Used by the writer (store.cpp) in
// the transaction that writes the ticket's row, and by the rebuild and check (stats_rebuild.cpp) on
// tables of the same shape.
//
// Thread safety: statements belong to one connection, used by one thread at a time.
// Failure codes: sync.db.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "weiquan/sync/sqlite.h"
#include "weiquan/sync/stats.h"
#include "weiquan/sync/store.h"

namespace wq::sync {

// Region codes are cut to this length in the monthly rollup: a city (GB/T 2260), or a shorter code
// ("cn", a province) whole.
inline constexpr std::size_t kMonthRegionLength = 4;

// A ticket's one contribution: its counter cell, and its business cell when it names a business.
struct Contribution {
  StatsCell cell;
  std::optional<BusinessCell> business;
};

// The region a ticket counts under: its holder's node id up to '-'.
std::string_view holder_region(std::string_view holder);

// The region a cell of `region` counts under in the monthly rollup.
std::string_view month_region(std::string_view region);

// What `ticket` contributes; nothing for a ticket without a row yet (last_seq 0).
std::optional<Contribution> contribution_of(const Ticket& ticket);

// The counter tables one set of statements writes to: the store's own, or the temporary copies
// a check rebuilds into.
struct StatsTables {
  std::string cells = "stats_cells";
  std::string businesses = "stats_businesses";
  std::string months = "stats_months";
};

struct StatsStatements {
  sql::Stmt add_cell;  // adds measures to a cell, creating it
  sql::Stmt drop_empty_cell;
  sql::Stmt add_month;
  sql::Stmt drop_empty_month;
  sql::Stmt add_business;
  sql::Stmt drop_empty_business;
};

Result<StatsStatements> prepare_stats(sql::Db& db, const StatsTables& tables = {});

// Adds a contribution (`sign` +1) or takes it away (-1); a cell left with no ticket is deleted.
Status add_contribution(StatsStatements& statements, const Contribution& contribution, int sign);

// Moves a ticket's contribution from what `before` counted (last_seq 0: nothing) to what `after`
// counts; nothing is written when the two are the same.
Status update_stats(StatsStatements& statements, const Ticket& before, const Ticket& after);

}  // namespace wq::sync
