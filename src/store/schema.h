// The SQLite schema and its migrations (PRAGMA user_version).
#pragma once

#include "common/status.h"
#include "store/sqlite.h"

namespace mcdewey::store {

inline constexpr int kSchemaVersion = 2;

// Brings the database to kSchemaVersion, one migration at a time, each in a transaction.
// A database newer than this build is refused (kUnsupported).
Status migrate(Db& db);

}  // namespace mcdewey::store
