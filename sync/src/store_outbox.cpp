// The outbox rows of the store: adding, reading in send order with their events, removing, and the
// count of rows owed to each peer kept in step with them.
#include <algorithm>
#include <cstdint>

#include "store_impl.h"
#include "store_rows.h"

namespace wq::sync {

Status Store::Impl::enqueue(const OutboxEntry& entry) {
  auto& stmt = statements.insert_outbox;
  stmt.bind(1, entry.peer)
      .bind(2, entry.ticket_id)
      .bind(3, rows::to_sql(entry.seq))
      .bind(4, entry.enqueued_at_ms);
  if (Status ok = stmt.run(); !ok) return ok;
  outbox_change[entry.peer] += stmt.changes();
  return {};
}

Status Store::Impl::dequeue(const OutboxEntry& entry) {
  auto& stmt = statements.delete_outbox;
  stmt.bind(1, entry.peer).bind(2, entry.ticket_id).bind(3, rows::to_sql(entry.seq));
  if (Status ok = stmt.run(); !ok) return ok;
  outbox_change[entry.peer] -= stmt.changes();
  return {};
}

void Store::Impl::merge_outbox_change() {
  for (const auto& [peer, change] : outbox_change) {
    std::uint64_t& owed = outbox_rows[peer];
    owed = static_cast<std::uint64_t>(static_cast<std::int64_t>(owed) + change);
    if (owed == 0) outbox_rows.erase(peer);
  }
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
      if (Status ok = impl_->dequeue(entry); !ok) return ok;
    }
    return {};
  });
}

std::vector<OutboxBacklog> Store::outbox_backlog() const {
  std::vector<OutboxBacklog> out;
  out.reserve(impl_->outbox_rows.size());
  for (const auto& [peer, owed] : impl_->outbox_rows) out.push_back({peer, owed});
  return out;
}

Result<std::vector<OutboxItem>> StoreReader::outbox(std::string_view peer,
                                                    std::size_t limit) const {
  auto stmt = impl_->db->prepare(
      "SELECT o.ticket_id, o.seq, o.enqueued_at_ms, e.signer, e.body, e.signature "
      "FROM outbox AS o LEFT JOIN events AS e ON e.ticket_id = o.ticket_id AND e.seq = o.seq "
      "WHERE o.peer = ?1 ORDER BY o.enqueued_at_ms, o.ticket_id, o.seq LIMIT ?2");
  if (!stmt) return stmt.error();
  stmt->bind(1, peer).bind(2, static_cast<std::int64_t>(std::min<std::size_t>(limit, INT64_MAX)));
  std::vector<OutboxItem> out;
  while (true) {
    auto row = stmt->step();
    if (!row) return row.error();
    if (!*row) return out;
    OutboxItem item{{std::string(peer), std::string(stmt->text(0)), rows::from_sql(stmt->int64(1)),
                     stmt->int64(2)},
                    std::nullopt};
    if (!stmt->is_null(3)) {
      Record& event = item.event.emplace();
      event.signer = std::string(stmt->text(3));
      event.ticket_id = item.entry.ticket_id;
      event.seq = item.entry.seq;
      const crypto::ByteView body = stmt->blob(4);
      const crypto::ByteView signature = stmt->blob(5);
      event.body.assign(body.begin(), body.end());
      event.signature.assign(signature.begin(), signature.end());
    }
    out.push_back(std::move(item));
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
