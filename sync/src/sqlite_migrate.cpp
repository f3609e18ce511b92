#include <string>

#include "weiquan/sync/sqlite.h"

namespace wq::sync::sql {
namespace {

Error newer_database(std::string_view what, std::int64_t found, std::size_t known) {
  return make_error("sync.schema_version", std::string(what) + " schema " + std::to_string(found) +
                                               " is newer than this program's " +
                                               std::to_string(known));
}

}  // namespace

Status migrate(Db& db, std::span<const std::string_view> migrations, std::string_view what) {
  auto version = db.pragma_int("user_version");
  if (!version) return version.error();
  if (*version > static_cast<std::int64_t>(migrations.size())) {
    return newer_database(what, *version, migrations.size());
  }
  for (auto next = static_cast<std::size_t>(*version); next < migrations.size(); ++next) {
    auto transaction = Transaction::begin(db);
    if (!transaction) return transaction.error();
    if (Status ok = db.exec(migrations[next]); !ok) return ok;
    if (Status ok = db.exec("PRAGMA user_version = " + std::to_string(next + 1)); !ok) return ok;
    if (Status ok = transaction->commit(); !ok) return ok;
  }
  return {};
}

Status check_schema_version(Db& db, std::int64_t version, std::string_view what) {
  auto found = db.pragma_int("user_version");
  if (!found) return found.error();
  if (*found != version) {
    return make_error("sync.schema_version", std::string(what) + " schema " +
                                                 std::to_string(*found) + ", this program reads " +
                                                 std::to_string(version) +
                                                 " (open it for writing first)");
  }
  return {};
}

}  // namespace wq::sync::sql
