// Private to sync/: reading and writing the rows of the store's tables, shared by the writer and
// the readers so both see the same mapping between rows and values.
#pragma once

#include <functional>
#include <optional>
#include <string_view>

#include "weiquan/sync/sqlite.h"
#include "weiquan/sync/store.h"

namespace wq::sync::rows {

// Stored 64-bit unsigned values (serials, seqs) travel through SQLite's signed INTEGER unchanged.
inline std::int64_t to_sql(std::uint64_t value) {
  return static_cast<std::int64_t>(value);
}
inline std::uint64_t from_sql(std::int64_t value) {
  return static_cast<std::uint64_t>(value);
}

Result<std::optional<Ticket>> ticket(sql::Db& db, std::string_view ticket_id);
// The tickets, with their clocks, whose row (table alias `t`) meets the SQL condition `where`, in
// the order of the SQL terms `order_by` ("" for any), restricted by `limit` (a LIMIT clause or "").
// `bind` binds their parameters.
Result<std::vector<Ticket>> tickets(sql::Db& db, std::string_view where, std::string_view order_by,
                                    std::string_view limit,
                                    const std::function<void(sql::Stmt&)>& bind);

// The stored event at (ticket, seq), decoded; sync.corrupt when the stored bytes do not decode.
Result<std::optional<SignedEvent>> event(sql::Db& db, std::string_view ticket_id,
                                         std::uint64_t seq);
Result<std::vector<SignedEvent>> events(sql::Db& db, std::string_view ticket_id,
                                        std::uint64_t from_seq, std::size_t limit);

// The records of one table in export order; stops at the first error of `visit`.
Status scan(sql::Db& db, RecordType type, const std::function<Status(const Record&)>& visit);
// Every record in export order: certificates, revocations, events.
Status scan(sql::Db& db, const std::function<Status(const Record&)>& visit);

// A new ticket's row, and the update of the columns an event can change. The chain's head (last
// seq, id, time) is not in the row: it is read from the events table.
extern const std::string_view kInsertTicket;
void bind_ticket(sql::Stmt& stmt, const Ticket& ticket);
extern const std::string_view kUpdateTicket;
void bind_ticket_update(sql::Stmt& stmt, const Ticket& ticket);
// True when the ticket's row would not change from `a` to `b`.
bool same_row(const Ticket& a, const Ticket& b);

extern const std::string_view kInsertClock;
void bind_clock(sql::Stmt& stmt, std::string_view ticket_id, int position,
                const policies::Clock& clock);

}  // namespace wq::sync::rows
