#include "weiquan/node/duplicate_index.h"

namespace wq::node {
namespace {

constexpr std::string_view kTwinsSql =
    "SELECT ticket_id FROM intake_keys WHERE consumer = ?1 AND business = ?2 AND matter = ?3 "
    "AND type = ?4 AND received_at_ms BETWEEN ?5 AND ?6 AND ticket_id <> ?7 "
    "ORDER BY received_at_ms, ticket_id LIMIT 10";

Result<std::vector<std::string>> select_twins(OfficeDb::Lock& lock, std::string_view ticket_id,
                                              const DuplicateKey& key, std::int64_t window_ms) {
  std::vector<std::string> found;
  if (key.consumer.empty()) return found;
  auto stmt = lock.statement(kTwinsSql);
  if (!stmt) return stmt.error();
  (*stmt)
      ->bind(1, key.consumer)
      .bind(2, key.business)
      .bind(3, key.matter)
      .bind(4, policies::type_name(key.type))
      .bind(5, key.received_at_ms - window_ms)
      .bind(6, key.received_at_ms + window_ms)
      .bind(7, ticket_id);
  for (;;) {
    auto row = (*stmt)->step();
    if (!row) return row.error();
    if (!*row) break;
    found.emplace_back((*stmt)->text(0));
  }
  return found;
}

// Restores synchronous=FULL for the connection's other users when a batch ends, however it ends;
// declared before the batch's transaction, so it runs after the transaction has ended.
struct RelaxedSync {
  OfficeDb::Lock& lock;
  ~RelaxedSync() { (void)lock.db().exec("PRAGMA synchronous = FULL"); }
};

}  // namespace

Result<std::vector<std::vector<std::string>>> DuplicateIndex::record(
    std::span<const Filing> filings) {
  std::vector<std::vector<std::string>> twins;
  twins.reserve(filings.size());
  auto lock = db_->lock();
  // Losing the index's last entries to a power cut costs only duplicate hints (the tickets
  // themselves are synced), so its commits need not wait for the disk: one fsync per intake
  // batch, the store's, not two.
  if (Status ok = lock.db().exec("PRAGMA synchronous = NORMAL"); !ok) return ok.error();
  const RelaxedSync relaxed{lock};
  auto transaction = sync::sql::Transaction::begin(lock.db());
  if (!transaction) return transaction.error();
  for (const Filing& filing : filings) {
    auto found = select_twins(lock, filing.ticket_id, filing.key, window_ms_);
    if (!found) return found.error();
    twins.push_back(std::move(*found));
    if (filing.key.consumer.empty()) continue;
    auto insert = lock.statement(
        "INSERT OR IGNORE INTO intake_keys (ticket_id, consumer, business, matter, type, "
        "received_at_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
    if (!insert) return insert.error();
    (*insert)
        ->bind(1, filing.ticket_id)
        .bind(2, filing.key.consumer)
        .bind(3, filing.key.business)
        .bind(4, filing.key.matter)
        .bind(5, policies::type_name(filing.key.type))
        .bind(6, filing.key.received_at_ms);
    if (Status ok = (*insert)->run(); !ok) return ok.error();
  }
  if (Status ok = transaction->commit(); !ok) return ok.error();
  return twins;
}

Result<std::vector<std::string>> DuplicateIndex::twins_of(std::string_view ticket_id) {
  auto lock = db_->lock();
  auto stmt = lock.statement(
      "SELECT consumer, business, matter, type, received_at_ms FROM intake_keys "
      "WHERE ticket_id = ?1");
  if (!stmt) return stmt.error();
  (*stmt)->bind(1, ticket_id);
  auto row = (*stmt)->step();
  if (!row) return row.error();
  if (!*row) return std::vector<std::string>{};
  DuplicateKey key;
  key.consumer = (*stmt)->text(0);
  key.business = (*stmt)->text(1);
  key.matter = (*stmt)->text(2);
  auto type = policies::parse_type((*stmt)->text(3));
  if (!type) return type.error();
  key.type = *type;
  key.received_at_ms = (*stmt)->int64(4);
  return select_twins(lock, ticket_id, key, window_ms_);
}

}  // namespace wq::node
