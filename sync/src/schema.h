// The store's schema and its numbered migrations. Migration n turns a database at user_version n-1
// into one at n, in its own transaction; a database newer than this code is refused.
#pragma once

#include <cstdint>

#include "weiquan/sync/sqlite.h"
#include "weiquan/result.h"

namespace wq::sync {

// Brings the database to latest_schema_version(). Failure codes: sync.db, sync.schema_version.
Status migrate(sql::Db& db);

// sync.schema_version unless the database is exactly at latest_schema_version() (for readers).
Status check_schema_version(sql::Db& db);

}  // namespace wq::sync
