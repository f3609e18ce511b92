// A thin RAII layer over the SQLite C API: a connection, prepared statements, a transaction guard
// and numbered schema migrations. The store uses it, and so does every other database of a node
// (the office database of accounts and the business directory). Every failure becomes a Status
// with code sync.db naming what was attempted.
// Not synchronised: a Db and its statements belong to one thread at a time.
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>

#include "weiquan/crypto/bytes.h"
#include "weiquan/result.h"

struct sqlite3;
struct sqlite3_stmt;

namespace wq::sync::sql {

class Stmt {
 public:
  Stmt() = default;
  Stmt(Stmt&& other) noexcept;
  Stmt& operator=(Stmt&& other) noexcept;
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  ~Stmt();

  // Binds by 1-based index; chains. Text and blobs are copied by SQLite.
  Stmt& bind(int index, std::int64_t value);
  Stmt& bind(int index, std::string_view text);
  Stmt& bind(int index, crypto::ByteView blob);

  // true while a row is available, false when done.
  Result<bool> step();
  // Runs a statement that returns no rows.
  Status run();
  // Makes the statement reusable and clears its bindings.
  void reset();
  // Rows the last INSERT, UPDATE or DELETE run on this statement's connection changed.
  std::int64_t changes() const;

  bool is_null(int column) const;
  std::int64_t int64(int column) const;
  std::string_view text(int column) const;
  crypto::ByteView blob(int column) const;

 private:
  friend class Db;
  Stmt(sqlite3_stmt* stmt, sqlite3* db) : stmt_(stmt), db_(db) {}
  sqlite3_stmt* stmt_ = nullptr;
  sqlite3* db_ = nullptr;
};

class Db {
 public:
  enum class Mode { read_write_create, read_only };

  static Result<Db> open(const std::filesystem::path& path, Mode mode, int busy_timeout_ms);
  Db(Db&& other) noexcept;
  Db& operator=(Db&& other) noexcept;
  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;
  ~Db();

  Status exec(std::string_view sql);
  Result<Stmt> prepare(std::string_view sql);
  Result<std::int64_t> pragma_int(std::string_view pragma);

  Error error(std::string_view what) const;

 private:
  explicit Db(sqlite3* db) : db_(db) {}
  sqlite3* db_ = nullptr;
};

// BEGIN IMMEDIATE ... COMMIT; rolls back when destroyed uncommitted.
class Transaction {
 public:
  static Result<Transaction> begin(Db& db);
  Transaction(Transaction&& other) noexcept;
  Transaction& operator=(Transaction&&) = delete;
  Transaction(const Transaction&) = delete;
  ~Transaction();

  Status commit();

 private:
  explicit Transaction(Db* db) : db_(db) {}
  Db* db_ = nullptr;
};

// Brings a database to schema version migrations.size(): migration n (1-based) turns user_version
// n-1 into n, each in its own transaction. Append only: a released migration is never edited.
// `what` names the database in errors. Failure codes: sync.db, sync.schema_version (the database
// is newer than this code).
Status migrate(Db& db, std::span<const std::string_view> migrations, std::string_view what);

// sync.schema_version unless the database is exactly at `version` (for read-only connections).
Status check_schema_version(Db& db, std::int64_t version, std::string_view what);

}  // namespace wq::sync::sql
