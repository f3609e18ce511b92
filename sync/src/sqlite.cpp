#include "weiquan/sync/sqlite.h"

#include <sqlite3.h>

#include <cassert>
#include <climits>
#include <utility>

namespace wq::sync::sql {

Stmt::Stmt(Stmt&& other) noexcept : stmt_(std::exchange(other.stmt_, nullptr)), db_(other.db_) {}

Stmt& Stmt::operator=(Stmt&& other) noexcept {
  if (this != &other) {
    sqlite3_finalize(stmt_);
    stmt_ = std::exchange(other.stmt_, nullptr);
    db_ = other.db_;
  }
  return *this;
}

Stmt::~Stmt() {
  sqlite3_finalize(stmt_);
}

// Binding can only fail for a bad index or a value over SQLite's limits, both bugs here.
Stmt& Stmt::bind(int index, std::int64_t value) {
  [[maybe_unused]] const int rc = sqlite3_bind_int64(stmt_, index, value);
  assert(rc == SQLITE_OK);
  return *this;
}

Stmt& Stmt::bind(int index, std::string_view text) {
  assert(text.size() <= INT_MAX);
  [[maybe_unused]] const int rc =
      sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
  assert(rc == SQLITE_OK);
  return *this;
}

Stmt& Stmt::bind(int index, crypto::ByteView blob) {
  assert(blob.size() <= INT_MAX);
  // A zero-length blob must still be a blob, not NULL: give SQLite a valid pointer.
  static const std::uint8_t empty = 0;
  [[maybe_unused]] const int rc =
      sqlite3_bind_blob(stmt_, index, blob.empty() ? &empty : blob.data(),
                        static_cast<int>(blob.size()), SQLITE_TRANSIENT);
  assert(rc == SQLITE_OK);
  return *this;
}

Result<bool> Stmt::step() {
  const int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  Error error = make_error("sync.db", std::string("sqlite: ") + sqlite3_errmsg(db_) + " in \"" +
                                          sqlite3_sql(stmt_) + "\"");
  sqlite3_reset(stmt_);
  return error;
}

Status Stmt::run() {
  auto row = step();
  reset();
  if (!row) return row.error();
  return {};
}

std::int64_t Stmt::changes() const {
  return sqlite3_changes64(db_);
}

void Stmt::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

bool Stmt::is_null(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

std::int64_t Stmt::int64(int column) const {
  return sqlite3_column_int64(stmt_, column);
}

std::string_view Stmt::text(int column) const {
  const auto* data = sqlite3_column_text(stmt_, column);
  const int size = sqlite3_column_bytes(stmt_, column);
  if (data == nullptr) return {};
  return {reinterpret_cast<const char*>(data), static_cast<std::size_t>(size)};
}

crypto::ByteView Stmt::blob(int column) const {
  const auto* data = static_cast<const std::uint8_t*>(sqlite3_column_blob(stmt_, column));
  const int size = sqlite3_column_bytes(stmt_, column);
  if (data == nullptr) return {};
  return {data, static_cast<std::size_t>(size)};
}

Result<Db> Db::open(const std::filesystem::path& path, Mode mode, int busy_timeout_ms) {
  const int flags = (mode == Mode::read_only ? SQLITE_OPEN_READONLY
                                             : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) |
                    SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
  sqlite3* handle = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &handle, flags, nullptr);
  Db db(handle);
  if (rc != SQLITE_OK) {
    return make_error("sync.db", "cannot open " + path.string() + ": " +
                                     (handle ? sqlite3_errmsg(handle) : sqlite3_errstr(rc)));
  }
  sqlite3_busy_timeout(handle, busy_timeout_ms);
  return db;
}

Db::Db(Db&& other) noexcept : db_(std::exchange(other.db_, nullptr)) {}

Db& Db::operator=(Db&& other) noexcept {
  if (this != &other) {
    sqlite3_close_v2(db_);
    db_ = std::exchange(other.db_, nullptr);
  }
  return *this;
}

Db::~Db() {
  sqlite3_close_v2(db_);
}

Error Db::error(std::string_view what) const {
  return make_error("sync.db", std::string(what) + ": " + sqlite3_errmsg(db_));
}

Status Db::exec(std::string_view sql) {
  const std::string text(sql);
  char* message = nullptr;
  if (sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
    Error error =
        make_error("sync.db", std::string("sqlite: ") + (message ? message : sqlite3_errmsg(db_)) +
                                  " in \"" + text.substr(0, 80) + "\"");
    sqlite3_free(message);
    return error;
  }
  return {};
}

Result<Stmt> Db::prepare(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  assert(sql.size() <= INT_MAX);
  if (sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                         &stmt, nullptr) != SQLITE_OK) {
    return error("prepare \"" + std::string(sql.substr(0, 80)) + "\"");
  }
  return Stmt(stmt, db_);
}

Result<std::int64_t> Db::pragma_int(std::string_view pragma) {
  auto stmt = prepare("PRAGMA " + std::string(pragma));
  if (!stmt) return stmt.error();
  auto row = stmt->step();
  if (!row) return row.error();
  if (!*row) return error("PRAGMA " + std::string(pragma) + " returned nothing");
  return stmt->int64(0);
}

Result<Transaction> Transaction::begin(Db& db) {
  if (Status ok = db.exec("BEGIN IMMEDIATE"); !ok) return ok.error();
  return Transaction(&db);
}

Transaction::Transaction(Transaction&& other) noexcept : db_(std::exchange(other.db_, nullptr)) {}

Transaction::~Transaction() {
  if (db_ != nullptr) (void)db_->exec("ROLLBACK");
}

Status Transaction::commit() {
  assert(db_ != nullptr);
  Status ok = db_->exec("COMMIT");
  if (ok) db_ = nullptr;
  return ok;
}

}  // namespace wq::sync::sql
