// Private to sync/: the state behind Store and StoreReader, shared by store.cpp, store_reader.cpp
// and event_writer.cpp.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>

#include "projection.h"
#include "stats_cells.h"
#include "weiquan/crypto/certificate.h"
#include "weiquan/sync/sqlite.h"
#include "weiquan/sync/store.h"

namespace wq::sync {

// A failure of the database itself (as opposed to a rejected event): aborts a whole batch.
inline bool is_db_failure(const Error& error) {
  return error.code == "sync.db";
}

struct StoreReader::Impl {
  std::optional<sql::Db> owned;  // a reader's own connection; empty when reading through the writer
  sql::Db* db = nullptr;
};

// Statements the writer runs for every event, prepared once.
struct WriterStatements {
  sql::Stmt select_event_id;  // (ticket, seq) -> event_id
  sql::Stmt ticket_exists;
  sql::Stmt insert_ticket;
  sql::Stmt update_ticket;
  sql::Stmt insert_event;
  sql::Stmt delete_clocks;
  sql::Stmt insert_clock;
  sql::Stmt insert_quarantine;
  sql::Stmt select_serial;  // the last serial an intake node drew on a date
  sql::Stmt store_serial;
  sql::Stmt savepoint;  // SAVEPOINT, RELEASE and ROLLBACK TO of one item of a batch
  sql::Stmt release;
  sql::Stmt rollback_to;
  sql::Stmt insert_outbox;  // keeps a row already there
  sql::Stmt delete_outbox;
};

struct Store::Impl {
  StoreOptions options;
  sql::Db db;
  crypto::TrustStore trust;
  StoreReader reader;
  WriterStatements statements;
  StatsStatements stats_statements;  // the counters, moved with each ticket row written
  // Projections of recently touched tickets, as committed or as applied by the open transaction.
  // Cleared whenever a transaction rolls back, and when it grows past options.clock_cache_tickets.
  std::unordered_map<std::string, Projection> cache;
  // Tickets the open transaction applied events to whose rows (ticket, clocks) are not written yet,
  // each with its projection as last written (last_seq 0: no row yet). Rows are written once per
  // ticket and unit of work (transaction, savepoint), before the cache is evicted and before the
  // unit ends; the events' foreign keys are checked at commit.
  std::unordered_map<std::string, Projection> unwritten;
  // The last ticket serial drawn by the open transaction, per intake node and date; written when
  // it commits.
  std::map<std::pair<std::string, std::uint32_t>, std::uint32_t> serials;
  // Outbox rows owed to each peer as committed, and what the open transaction added (+) and removed
  // (-), merged at commit: the replicator reads the backlog on every tick and counting the table
  // each time would cost in proportion to it.
  std::map<std::string, std::uint64_t> outbox_rows;
  std::map<std::string, std::int64_t> outbox_change;

  Impl(StoreOptions store_options, sql::Db connection);

  std::int64_t now_ms() const;

  // Both run inside a transaction the caller opened and commits.
  // `trusted_signature`: the event was just signed by this node's own key (EventWriter), or its
  // signature was checked already under the key of its author's certificate at its time.
  Result<ApplyOutcome> apply_in_transaction(const SignedEvent& event, bool trusted_signature);
  Result<std::uint32_t> next_ticket_serial(const std::string& intake_node, std::uint32_t date);
  // Adds one outbox row (kept as it is when already there) / removes one (none there is no error),
  // inside the open transaction.
  Status enqueue(const OutboxEntry& entry);
  Status dequeue(const OutboxEntry& entry);

  // The projection of `ticket_id`, from the cache or rebuilt from the database; a fresh one when
  // the ticket has no event yet.
  Result<Projection*> projection(const std::string& ticket_id);
  // Writes the rows of every unwritten ticket from its cached projection.
  Status write_projections();
  // Runs rebuild_stats when migration 4 left tickets without their statistics (stats_pending).
  Status rebuild_stats_if_pending();
  // Writes the serials drawn by the open transaction.
  Status write_serials();
  // Adds the open transaction's outbox_change to outbox_rows, once it committed.
  void merge_outbox_change();
  // Drops what the open unit applied: the unwritten tickets and their cached projections.
  void forget_unwritten();

  // Runs `body` in one transaction; commits when it returns ok, otherwise rolls back. The cache is
  // dropped on rollback.
  template <class F>
  auto in_transaction(F&& body) -> decltype(body());
  // Runs `body` inside the open transaction as one unit: what it wrote stays when it returns ok and
  // is rolled back, with the cache, when it fails.
  template <class F>
  auto in_savepoint(F&& body) -> decltype(body());
};

template <class F>
auto Store::Impl::in_transaction(F&& body) -> decltype(body()) {
  auto transaction = sql::Transaction::begin(db);
  if (!transaction) return transaction.error();
  // Executed afresh in every transaction: SQLite applies this pragma when the statement is
  // compiled and clears it at every commit, so a prepared copy would not set it again after a
  // commit that did not recompile it (a read-only transaction on this connection, for one).
  if (Status ok = db.exec("PRAGMA defer_foreign_keys = ON"); !ok) return ok.error();
  auto result = body();
  if (result) {
    if (Status ok = write_projections(); !ok) result = ok.error();
  }
  if (result) {
    if (Status ok = write_serials(); !ok) result = ok.error();
  }
  if (result) {
    if (Status ok = transaction->commit(); !ok) result = ok.error();
  }
  if (result) {
    merge_outbox_change();
  } else {
    unwritten.clear();
    cache.clear();
  }
  serials.clear();
  outbox_change.clear();
  return result;
}

template <class F>
auto Store::Impl::in_savepoint(F&& body) -> decltype(body()) {
  if (Status ok = write_projections(); !ok) return ok.error();
  if (Status ok = statements.savepoint.run(); !ok) return ok.error();
  const auto outbox_change_before = outbox_change;
  auto result = body();
  if (result) {
    if (Status ok = write_projections(); !ok) return ok.error();
  } else {
    forget_unwritten();
    outbox_change = outbox_change_before;
    if (Status ok = statements.rollback_to.run(); !ok) return ok.error();
  }
  if (Status ok = statements.release.run(); !ok) return ok.error();
  return result;
}

}  // namespace wq::sync
