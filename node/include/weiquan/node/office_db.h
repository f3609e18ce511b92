// OfficeDb: the node-local SQLite database D/office.db, for what is not part of the signed event
// log and never leaves the node: people's accounts and password hashes, login sessions (token
// hashes only), consumers' sealed real-name data, the business directory, the keys that find
// possible duplicate filings, and the period reports this node sent and its children sent it.
//
// The file is created with mode 0600 and opened in WAL mode with synchronous=FULL; its schema is
// brought up to date through sync::sql::migrate when it is opened. Accounts (accounts.h),
// BusinessDirectory (business_directory.h), DuplicateIndex (duplicate_index.h) and ReportBook
// (node/src/report_book.h) own the tables; they reach the one connection through lock().
//
// Ownership: OfficeDb owns its connection and its cached statements; move-only.
// Thread safety: every member may be called from any thread. A Lock holds an internal mutex around
// the connection for as long as it lives: keep it short (no password hashing, no I/O but the
// database's) — the HTTP layer calls in from several threads.
// Failure codes: sync.db (SQLite failed, or office.db cannot be created), sync.schema_version
// (office.db was written by a newer release).
#pragma once

#include <filesystem>
#include <memory>
#include <string_view>

#include "weiquan/result.h"
#include "weiquan/sync/sqlite.h"

namespace wq::node {

class OfficeDb {
  struct Impl;

 public:
  static Result<OfficeDb> open(const std::filesystem::path& path, int busy_timeout_ms = 5000);

  OfficeDb(OfficeDb&&) noexcept;
  OfficeDb& operator=(OfficeDb&&) noexcept;
  OfficeDb(const OfficeDb&) = delete;
  OfficeDb& operator=(const OfficeDb&) = delete;
  ~OfficeDb();

  // Exclusive use of the connection. Statements are prepared once per SQL text and cached; each
  // one handed out is reset (bindings cleared) when handed out and again when the Lock ends, so a
  // half-stepped query never outlives it. Transactions (sync::sql::Transaction) on db() must end
  // before the Lock does.
  class Lock {
   public:
    explicit Lock(Impl& impl);
    Lock(const Lock&) = delete;
    Lock& operator=(const Lock&) = delete;
    ~Lock();

    sync::sql::Db& db();
    Result<sync::sql::Stmt*> statement(std::string_view sql);

   private:
    Impl& impl_;
  };

  Lock lock();

 private:
  explicit OfficeDb(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace wq::node
