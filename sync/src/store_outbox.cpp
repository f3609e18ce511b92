// The outbox rows of the store: adding, reading in send order, removing.
#include <algorithm>
#include <cstdint>

#include "store_impl.h"
#include "store_rows.h"

namespace wq::sync {

Status Store::Impl::enqueue(const OutboxEntry& entry) {
  return statements.insert_outbox.bind(1, entry.peer)
      .bind(2, entry.ticket_id)
      .bind(3, rows::to_sql(entry.seq))
      .bind(4, entry.enqueued_at_ms)
      .run();
}

Status Store::enqueue(std::span<const OutboxEntry> entries) {
  return impl_->in_transaction([&]() -> Status {
    for (const OutboxEntry& entry : entries) {
      if (Status ok = impl_->enqueue(entry); !ok) return ok;
    }
    return {};
  });
}

Status Store::dequeue(std::span<const OutboxEntry> entries) {
  return impl_->in_transaction([&]() -> Status {
    for (const OutboxEntry& entry : entries) {
      auto& stmt = impl_->statements.delete_outbox;
      stmt.bind(1, entry.peer).bind(2, entry.ticket_id).bind(3, rows::to_sql(entry.seq));
      if (Status ok = stmt.run(); !ok) return ok;
    }
    return {};
  });
}

Result<std::vector<OutboxEntry>> StoreReader::outbox(std::string_view peer,
                                                     std::size_t limit) const {
  auto stmt = impl_->db->prepare(
      "SELECT ticket_id, seq, enqueued_at_ms FROM outbox WHERE peer = ?1 "
      "ORDER BY enqueued_at_ms, ticket_id, seq LIMIT ?2");
  if (!stmt) return stmt.error();
  stmt->bind(1, peer).bind(2, static_cast<std::int64_t>(std::min<std::size_t>(limit, INT64_MAX)));
  std::vector<OutboxEntry> out;
  while (true) {
    auto row = stmt->step();
    if (!row) return row.error();
    if (!*row) return out;
    out.push_back({std::string(peer), std::string(stmt->text(0)), rows::from_sql(stmt->int64(1)),
                   stmt->int64(2)});
  }
}

Result<std::vector<OutboxBacklog>> StoreReader::outbox_backlog() const {
  auto stmt = impl_->db->prepare("SELECT peer, count(*) FROM outbox GROUP BY peer ORDER BY peer");
  if (!stmt) return stmt.error();
  std::vector<OutboxBacklog> out;
  while (true) {
    auto row = stmt->step();
    if (!row) return row.error();
    if (!*row) return out;
    out.push_back({std::string(stmt->text(0)), rows::from_sql(stmt->int64(1))});
  }
}

}  // namespace wq::sync
