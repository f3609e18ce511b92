// Private to sync/: the state behind Store and StoreReader, shared by store.cpp, store_reader.cpp
// and event_writer.cpp.
#pragma once

#include <optional>
#include <string>
#include <unordered_map>

#include "projection.h"
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
  sql::Stmt next_serial;
  sql::Stmt savepoint;  // SAVEPOINT, RELEASE and ROLLBACK TO of one item of a batch
  sql::Stmt release;
  sql::Stmt rollback_to;
};

struct Store::Impl {
  StoreOptions options;
  sql::Db db;
  crypto::TrustStore trust;
  StoreReader reader;
  WriterStatements statements;
  // Projections of recently touched tickets, as committed or as written by the open transaction.
  // Cleared whenever a transaction rolls back, and when it grows past options.clock_cache_tickets.
  std::unordered_map<std::string, Projection> cache;

  Impl(StoreOptions store_options, sql::Db connection);

  std::int64_t now_ms() const;

  // Both run inside a transaction the caller opened and commits.
  // `trusted_signature`: the event was just signed by this node's own key (EventWriter).
  Result<ApplyOutcome> apply_in_transaction(const SignedEvent& event, bool trusted_signature);
  Result<std::uint32_t> next_ticket_serial(const std::string& intake_node, std::uint32_t date);

  // The projection of `ticket_id`, from the cache or rebuilt from the database; a fresh one when
  // the ticket has no event yet.
  Result<Projection*> projection(const std::string& ticket_id);
  Status store_projection(const Projection& before, const Projection& after);

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
  auto result = body();
  if (result) {
    if (Status ok = transaction->commit(); !ok) result = ok.error();
  }
  if (!result) cache.clear();
  return result;
}

template <class F>
auto Store::Impl::in_savepoint(F&& body) -> decltype(body()) {
  if (Status ok = statements.savepoint.run(); !ok) return ok.error();
  auto result = body();
  if (!result) {
    cache.clear();
    if (Status ok = statements.rollback_to.run(); !ok) return ok.error();
  }
  if (Status ok = statements.release.run(); !ok) return ok.error();
  return result;
}

}  // namespace wq::sync
