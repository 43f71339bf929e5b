#pragma once

#include <string>
#include <vector>

#include "core/result.hpp"
#include "store/database.hpp"

namespace roster::store {

struct Migration {
  int version;
  std::string name;  // "V001__init.sql"
  // Statements separated by ';' at line ends (function and trigger bodies
  // are kept whole); {{id}} is the key type; lines after
  // "-- roster: postgresql" or "-- roster: sqlite" are for that database
  // only, up to "-- roster: all databases".
  std::string sql;
};

// Rolling upgrades (docs/upgrades.md): a migration only expands the schema
// (new tables, new nullable or defaulted columns, new indexes), so a server
// that knows an older schema still runs on it. A migration that contracts
// (drops, renames, or changes what older code writes) says so on a line
//   -- roster: served from schema N
// meaning servers that know a schema older than N must not run on it. The
// floor of each applied version is kept in the database, where an older
// server, which cannot know newer migrations, reads it.
int ServedFrom(const Migration& migration, int previous_floor);

// Every migration compiled into this binary, in version order.
const std::vector<Migration>& Migrations();

// The newest schema version this binary knows.
int LatestSchemaVersion();

// The version the database is at: 0 when it has never been migrated.
Result<int> CurrentSchemaVersion(Database& database);

// Applies the missing migrations, each in its own transaction. Refuses a
// database whose schema is newer than this binary.
Result<int> Migrate(Database& database);

// OK when this binary can serve the database: its schema is exactly
// LatestSchemaVersion(), or newer by migrations that all let this version
// serve (a rolling upgrade in progress: newer servers migrated first). Else
// a Problem whose detail tells the operator what to do (run `roster
// migrate`, or upgrade roster).
Status CheckSchemaIsCurrent(Database& database);

}  // namespace roster::store
