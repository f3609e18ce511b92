// StoreReader::counted_ticket_ids: the tickets behind a statistics query's totals.
//
// A ticket counts in the cell of the China date of its receipt and the region of its holder
// (stats_cells.cpp), so the same tickets are those received between the first instant of from_day
// and the first instant after to_day (China time, UTC+8 all year) and held under the region prefix.
// Cost: the tickets of the region's subtree are read by the holder index (every ticket for "cn").
#include <chrono>

#include "store_impl.h"

namespace wq::sync {
namespace {

using namespace std::chrono;

constexpr std::int64_t kChinaOffsetMs = 8LL * 60 * 60 * 1000;

// The first instant (Unix ms) of a China date, or nullopt when it is not a date.
std::optional<std::int64_t> china_day_start_ms(std::uint32_t yyyymmdd) {
  const year_month_day date{year{static_cast<int>(yyyymmdd / 10000)}, month{(yyyymmdd / 100) % 100},
                            day{yyyymmdd % 100}};
  if (!date.ok()) return std::nullopt;
  return duration_cast<milliseconds>(sys_days(date).time_since_epoch()).count() - kChinaOffsetMs;
}

Error bad_query(const std::string& message) {
  return make_error("sync.bad_stats_query", message);
}

}  // namespace

Result<std::vector<std::string>> StoreReader::counted_ticket_ids(const StatsQuery& query) const {
  const auto from = china_day_start_ms(query.from_day);
  const auto to = china_day_start_ms(query.to_day);
  if (!from || !to) return bad_query("from and to must be dates (YYYYMMDD)");
  if (*to < *from) return bad_query("to is before from");
  constexpr std::int64_t kDayMs = 24LL * 60 * 60 * 1000;
  if ((*to - *from) / kDayMs + 1 > static_cast<std::int64_t>(kMaxStatsDays)) {
    return bad_query("a query spans at most " + std::to_string(kMaxStatsDays) + " days");
  }
  const bool national = query.region == "cn";
  auto stmt = impl_->db->prepare(
      std::string("SELECT ticket_id FROM tickets WHERE received_at_ms >= ?1 AND received_at_ms < "
                  "?2") +
      (national ? "" : " AND holder >= ?3 AND holder < ?4") + " ORDER BY ticket_id");
  if (!stmt) return stmt.error();
  stmt->bind(1, *from).bind(2, *to + kDayMs);
  if (!national) stmt->bind(3, query.region).bind(4, query.region + "~");
  std::vector<std::string> ids;
  while (true) {
    auto row = stmt->step();
    if (!row) return row.error();
    if (!*row) return ids;
    ids.emplace_back(stmt->text(0));
  }
}

}  // namespace wq::sync
