#include "weiquan/node/office_db.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

namespace wq::node {
namespace {

namespace sql = sync::sql;

// Append only: a released migration is never edited.
constexpr std::array<std::string_view, 3> kMigrations = {
    // 1: accounts, sealed personal data, sessions, node-local secrets, business directory.
    R"sql(
CREATE TABLE accounts (
  account_id TEXT PRIMARY KEY,
  login TEXT NOT NULL UNIQUE,
  role TEXT NOT NULL,
  name TEXT NOT NULL,
  uscc TEXT NOT NULL,
  password_hash TEXT NOT NULL
) STRICT;
CREATE INDEX accounts_by_role ON accounts (role);

CREATE TABLE personal_data (
  account_id TEXT PRIMARY KEY REFERENCES accounts (account_id),
  sealed BLOB NOT NULL
) STRICT;

CREATE TABLE sessions (
  token_hash BLOB PRIMARY KEY,
  account_id TEXT NOT NULL REFERENCES accounts (account_id),
  expires_at_ms INTEGER NOT NULL
) STRICT;
CREATE INDEX sessions_by_expiry ON sessions (expires_at_ms);

CREATE TABLE secrets (
  name TEXT PRIMARY KEY,
  value BLOB NOT NULL
) STRICT;

CREATE TABLE businesses (
  uscc TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  region TEXT NOT NULL,
  address TEXT NOT NULL
) STRICT;
CREATE INDEX businesses_by_name ON businesses (name);
)sql",
    // 2: the duplicate index (duplicate_index.h): who filed about what, keyed without personal
    // data.
    R"sql(
CREATE TABLE intake_keys (
  ticket_id TEXT PRIMARY KEY,
  consumer TEXT NOT NULL,
  business TEXT NOT NULL,
  matter TEXT NOT NULL,
  type TEXT NOT NULL,
  received_at_ms INTEGER NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX intake_keys_by_consumer ON intake_keys (consumer, business, matter, type, received_at_ms);
)sql",
    // 3: period reports (report_book.h): this node's own as last sent, with the parent's answer,
    // and the newest of each child's with the outcome of its check.
    R"sql(
CREATE TABLE reports_sent (
  from_day INTEGER NOT NULL,
  to_day INTEGER NOT NULL,
  generated_at_ms INTEGER NOT NULL,
  report BLOB NOT NULL,
  outcome TEXT NOT NULL,
  differing TEXT NOT NULL,
  parent_tickets INTEGER NOT NULL,
  code TEXT NOT NULL,
  answered_at_ms INTEGER NOT NULL,
  PRIMARY KEY (from_day, to_day)
) STRICT, WITHOUT ROWID;

CREATE TABLE reports_received (
  child TEXT NOT NULL,
  from_day INTEGER NOT NULL,
  to_day INTEGER NOT NULL,
  generated_at_ms INTEGER NOT NULL,
  report BLOB NOT NULL,
  outcome TEXT NOT NULL,
  differing TEXT NOT NULL,
  child_tickets INTEGER NOT NULL,
  parent_tickets INTEGER NOT NULL,
  checked_at_ms INTEGER NOT NULL,
  PRIMARY KEY (child, from_day, to_day)
) STRICT, WITHOUT ROWID;
)sql",
};

// SQLite creates files with the process umask; office.db holds password hashes, so it starts
// private (its -wal and -shm files take the same mode).
Status create_private(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) return make_error("sync.db", path.string() + ": " + std::strerror(errno));
  ::close(fd);
  return {};
}

}  // namespace

struct OfficeDb::Impl {
  explicit Impl(sql::Db connection) : db(std::move(connection)) {}

  std::mutex mutex;
  sql::Db db;
  std::unordered_map<std::string, sql::Stmt> statements;
  std::vector<sql::Stmt*> in_use;  // handed out under the current Lock
};

Result<OfficeDb> OfficeDb::open(const std::filesystem::path& path, int busy_timeout_ms) {
  if (Status ok = create_private(path); !ok) return ok.error();
  auto db = sql::Db::open(path, sql::Db::Mode::read_write_create, busy_timeout_ms);
  if (!db) return db.error();
  // WAL with synchronous=FULL: a committed account or session survives a power loss.
  for (std::string_view pragma :
       {"PRAGMA journal_mode = WAL", "PRAGMA synchronous = FULL", "PRAGMA foreign_keys = ON"}) {
    if (Status ok = db->exec(pragma); !ok) return ok.error();
  }
  if (Status ok = sql::migrate(*db, kMigrations, "office.db"); !ok) return ok.error();
  return OfficeDb(std::make_unique<Impl>(std::move(*db)));
}

OfficeDb::OfficeDb(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
OfficeDb::OfficeDb(OfficeDb&&) noexcept = default;
OfficeDb& OfficeDb::operator=(OfficeDb&&) noexcept = default;
OfficeDb::~OfficeDb() = default;

OfficeDb::Lock OfficeDb::lock() {
  return Lock(*impl_);
}

OfficeDb::Lock::Lock(Impl& impl) : impl_(impl) {
  impl_.mutex.lock();
}

OfficeDb::Lock::~Lock() {
  for (sql::Stmt* stmt : impl_.in_use) stmt->reset();
  impl_.in_use.clear();
  impl_.mutex.unlock();
}

sql::Db& OfficeDb::Lock::db() {
  return impl_.db;
}

Result<sql::Stmt*> OfficeDb::Lock::statement(std::string_view text) {
  auto it = impl_.statements.find(std::string(text));
  if (it == impl_.statements.end()) {
    auto prepared = impl_.db.prepare(text);
    if (!prepared) return prepared.error();
    it = impl_.statements.emplace(std::string(text), std::move(*prepared)).first;
  }
  sql::Stmt* stmt = &it->second;
  stmt->reset();
  if (std::find(impl_.in_use.begin(), impl_.in_use.end(), stmt) == impl_.in_use.end()) {
    impl_.in_use.push_back(stmt);
  }
  return stmt;
}

}  // namespace wq::node
