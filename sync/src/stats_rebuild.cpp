// Rebuilding and checking the statistics from the event log: every ticket's stored events are
// replayed through the projection (projection.h), and its contribution (stats_cells.h) is added to
// empty tables — the store's own for a rebuild, temporary ones for a check.
#include <cstdint>
#include <string>
#include <unordered_map>

#include "store_impl.h"
#include "store_rows.h"

namespace wq::sync {
namespace {

constexpr std::size_t kPage = 500;
constexpr std::size_t kMaxDifferences = 1000;
constexpr std::uint64_t kAllEvents = static_cast<std::uint64_t>(INT64_MAX);

using Levels = std::unordered_map<std::string, crypto::Level>;

Result<Levels> node_levels(sql::Db& db) {
  auto stmt = db.prepare("SELECT node_id, level FROM certificates");
  if (!stmt) return stmt.error();
  Levels levels;
  while (true) {
    auto row = stmt->step();
    if (!row) return row.error();
    if (!*row) return levels;
    levels[std::string(stmt->text(0))] = static_cast<crypto::Level>(stmt->int64(1));
  }
}

Result<std::size_t> ticket_count(sql::Db& db) {
  auto stmt = db.prepare("SELECT count(*) FROM tickets");
  if (!stmt) return stmt.error();
  auto row = stmt->step();
  if (!row) return row.error();
  return static_cast<std::size_t>(stmt->int64(0));
}

Result<Ticket> replay(sql::Db& db, const Levels& levels, const std::string& ticket_id) {
  auto events = rows::events(db, ticket_id, 1, kAllEvents);
  if (!events) return events.error();
  Projection projection;
  for (const SignedEvent& event : *events) {
    const auto level = levels.find(event.author());
    if (level == levels.end()) {
      return make_error("sync.corrupt", "event " + ticket_id + " seq " +
                                            std::to_string(event.seq()) + ": no certificate of " +
                                            event.author());
    }
    auto next = advance(projection, event, level->second);
    if (!next) {
      return make_error("sync.corrupt", "event " + ticket_id + " seq " +
                                            std::to_string(event.seq()) +
                                            " no longer replays: " + next.error().message);
    }
    projection = std::move(*next);
  }
  return std::move(projection.ticket);
}

// The ticket as its row reads once the columns an event can change are those `replayed` has: the
// ones `submitted` alone sets stay as stored (a store written before schema version 2 has them
// empty, and the counters count what the row says, as the writer does).
Ticket as_rewritten(const Ticket& stored, const Ticket& replayed) {
  Ticket out = stored;
  out.type = replayed.type;
  out.state = replayed.state;
  out.holder = replayed.holder;
  out.holders = replayed.holders;
  out.next_due_ms = replayed.next_due_ms;
  out.closed = replayed.closed;
  out.assignee_kind = replayed.assignee_kind;
  out.assignee = replayed.assignee;
  out.accepted_at_ms = replayed.accepted_at_ms;
  out.closed_at_ms = replayed.closed_at_ms;
  out.closed_on_time = replayed.closed_on_time;
  out.late = replayed.late;
  out.close_result = replayed.close_result;
  out.amount_recovered_fen = replayed.amount_recovered_fen;
  out.dispatch_count = replayed.dispatch_count;
  out.first_reply_ms = replayed.first_reply_ms;
  out.first_reply_on_time = replayed.first_reply_on_time;
  out.converted_to_case = replayed.converted_to_case;
  out.enterprise_handled = replayed.enterprise_handled;
  out.self_settled = replayed.self_settled;
  out.mediation = replayed.mediation;
  out.satisfaction = replayed.satisfaction;
  return out;
}

using Visit = std::function<Status(const Ticket& stored, const Ticket& rewritten)>;

// Replays every ticket in id order; returns how many.
Result<std::size_t> replay_all(sql::Db& db, const StatsProgress& progress, const Visit& visit) {
  auto levels = node_levels(db);
  if (!levels) return levels.error();
  auto total = ticket_count(db);
  if (!total) return total.error();
  std::size_t done = 0;
  std::string after;
  while (true) {
    auto page =
        rows::tickets(db, "t.ticket_id > ?1", "t.ticket_id", "LIMIT " + std::to_string(kPage),
                      [&](sql::Stmt& stmt) { stmt.bind(1, after); });
    if (!page) return page.error();
    for (const Ticket& stored : *page) {
      auto replayed = replay(db, *levels, stored.id);
      if (!replayed) return replayed.error();
      if (Status ok = visit(stored, as_rewritten(stored, *replayed)); !ok) return ok.error();
      if (++done % kStatsProgressEvery == 0 && progress) progress(done, *total);
    }
    if (page->size() < kPage) break;
    after = page->back().id;
  }
  if (progress) progress(done, *total);
  return done;
}

std::string measure_columns(std::span<const std::string_view> names) {
  std::string out;
  for (std::string_view name : names) out += ", " + std::string(name) + " INTEGER NOT NULL";
  return out;
}

Status create_temporary_tables(sql::Db& db) {
  const std::string sql =
      "CREATE TEMP TABLE IF NOT EXISTS rebuilt_cells (day INTEGER NOT NULL, region TEXT NOT NULL, "
      "type TEXT NOT NULL, category TEXT NOT NULL, channel INTEGER NOT NULL, state TEXT NOT "
      "NULL" +
      measure_columns(kMeasureNames) +
      ", PRIMARY KEY (day, region, type, category, channel, state)) WITHOUT ROWID;"
      "CREATE TEMP TABLE IF NOT EXISTS rebuilt_businesses (day INTEGER NOT NULL, region TEXT NOT "
      "NULL, business_uscc TEXT NOT NULL, business_name TEXT NOT NULL" +
      measure_columns(kBusinessMeasureNames) +
      ", PRIMARY KEY (day, region, business_uscc)) WITHOUT ROWID;"
      "CREATE TEMP TABLE IF NOT EXISTS rebuilt_months (month INTEGER NOT NULL, region TEXT NOT "
      "NULL, type TEXT NOT NULL, category TEXT NOT NULL, channel INTEGER NOT NULL" +
      measure_columns(kMeasureNames) +
      ", PRIMARY KEY (month, region, type, category, channel)) WITHOUT ROWID;"
      "DELETE FROM temp.rebuilt_cells; DELETE FROM temp.rebuilt_businesses; DELETE FROM "
      "temp.rebuilt_months;";
  return db.exec(sql);
}

// Every cell of `stored` whose measures differ from `rebuilt`'s (a missing one counts as 0).
Status compare(sql::Db& db, std::string_view stored, std::string_view rebuilt,
               std::span<const std::string_view> keys, std::span<const std::string_view> measures,
               std::vector<StatsDifference>& out) {
  std::string on;
  std::string key_s;
  std::string key_r;
  for (std::string_view key : keys) {
    on += (on.empty() ? "" : " AND ") + std::string("s.") + std::string(key) + " = r." +
          std::string(key);
    key_s += (key_s.empty() ? "s." : ", s.") + std::string(key);
    key_r += (key_r.empty() ? "r." : ", r.") + std::string(key);
  }
  std::string differs = "r." + std::string(keys.front()) + " IS NULL";
  std::string values_s;
  std::string values_r;
  std::string nulls;
  for (std::string_view m : measures) {
    differs += " OR s." + std::string(m) + " IS NOT r." + std::string(m);
    values_s += ", s." + std::string(m);
    values_r += ", r." + std::string(m);
    nulls += ", NULL";
  }
  const std::string sql =
      "SELECT " + key_s + values_s + values_r + " FROM " + std::string(stored) + " s LEFT JOIN " +
      std::string(rebuilt) + " r ON " + on + " WHERE " + differs + " UNION ALL SELECT " + key_r +
      nulls + values_r + " FROM " + std::string(rebuilt) + " r WHERE NOT EXISTS (SELECT 1 FROM " +
      std::string(stored) + " s WHERE " + on + ") LIMIT " + std::to_string(kMaxDifferences);
  auto stmt = db.prepare(sql);
  if (!stmt) return stmt.error();
  const int k = static_cast<int>(keys.size());
  const int n = static_cast<int>(measures.size());
  while (true) {
    auto row = stmt->step();
    if (!row) return row.error();
    if (!*row) return {};
    StatsDifference difference;
    difference.table = std::string(stored.substr(stored.find('.') + 1));
    for (int i = 0; i < k; ++i) {
      difference.key += (i == 0 ? "" : "|") + std::string(stmt->text(i));
    }
    for (int i = 0; i < n; ++i) {
      difference.stored.push_back(stmt->int64(k + i));
      difference.rebuilt.push_back(stmt->int64(k + n + i));
    }
    out.push_back(std::move(difference));
  }
}

constexpr std::array<std::string_view, 6> kCellKeys = {"day",      "region",  "type",
                                                       "category", "channel", "state"};
constexpr std::array<std::string_view, 3> kBusinessKeys = {"day", "region", "business_uscc"};
constexpr std::array<std::string_view, 5> kMonthKeys = {"month", "region", "type", "category",
                                                        "channel"};

// Replaces the store's counters (and the statistics columns of tickets that differ) by those
// replayed from the events, in one transaction.
Result<std::size_t> rebuild(Store::Impl& impl, const StatsProgress& progress) {
  return impl.in_transaction([&]() -> Result<std::size_t> {
    if (Status ok = impl.db.exec(
            "DELETE FROM stats_cells; DELETE FROM stats_businesses; DELETE FROM stats_months; "
            "DELETE FROM stats_pending");
        !ok) {
      return ok.error();
    }
    auto counted =
        replay_all(impl.db, progress, [&](const Ticket& stored, const Ticket& rewritten) {
          if (!rows::same_row(stored, rewritten)) {
            rows::bind_ticket_update(impl.statements.update_ticket, rewritten);
            if (Status ok = impl.statements.update_ticket.run(); !ok) return ok;
          }
          const auto contribution = contribution_of(rewritten);
          if (!contribution) return Status{};
          return add_contribution(impl.stats_statements, *contribution, +1);
        });
    // Cached projections may carry the statistics columns as they were before.
    impl.cache.clear();
    return counted;
  });
}

}  // namespace

Result<std::size_t> Store::rebuild_stats(const StatsProgress& progress) {
  return rebuild(*impl_, progress);
}

Status Store::Impl::rebuild_stats_if_pending() {
  auto stmt = db.prepare("SELECT 1 FROM stats_pending LIMIT 1");
  if (!stmt) return stmt.error();
  auto row = stmt->step();
  if (!row) return row.error();
  if (!*row) return {};
  stmt->reset();
  auto rebuilt = rebuild(*this, {});
  if (!rebuilt) return rebuilt.error();
  return {};
}

Result<std::vector<StatsDifference>> StoreReader::check_stats(const StatsProgress& progress) const {
  sql::Db& db = *impl_->db;
  if (Status ok = db.exec("BEGIN"); !ok) return ok.error();
  auto result = [&]() -> Result<std::vector<StatsDifference>> {
    if (Status ok = create_temporary_tables(db); !ok) return ok.error();
    auto statements =
        prepare_stats(db, {"temp.rebuilt_cells", "temp.rebuilt_businesses", "temp.rebuilt_months"});
    if (!statements) return statements.error();
    auto counted = replay_all(db, progress, [&](const Ticket&, const Ticket& rewritten) {
      const auto contribution = contribution_of(rewritten);
      if (!contribution) return Status{};
      return add_contribution(*statements, *contribution, +1);
    });
    if (!counted) return counted.error();
    std::vector<StatsDifference> differences;
    if (Status ok = compare(db, "main.stats_cells", "temp.rebuilt_cells", kCellKeys, kMeasureNames,
                            differences);
        !ok) {
      return ok.error();
    }
    if (Status ok = compare(db, "main.stats_businesses", "temp.rebuilt_businesses", kBusinessKeys,
                            kBusinessMeasureNames, differences);
        !ok) {
      return ok.error();
    }
    if (Status ok = compare(db, "main.stats_months", "temp.rebuilt_months", kMonthKeys,
                            kMeasureNames, differences);
        !ok) {
      return ok.error();
    }
    return differences;
  }();
  if (Status ok = db.exec("ROLLBACK"); !ok && result) return ok.error();
  return result;
}

}  // namespace wq::sync
