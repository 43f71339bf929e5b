#pragma once

#include <string>
#include <vector>

#include "core/result.hpp"
#include "store/database.hpp"

namespace roster::store {

struct Migration {
  int version;
  std::string name;  // "V001__init.sql"
  std::string sql;   // statements separated by ';' at line ends; {{id}} is the key type
};

// Every migration compiled into this binary, in version order.
const std::vector<Migration>& Migrations();

// The newest schema version this binary knows.
int LatestSchemaVersion();

// The version the database is at: 0 when it has never been migrated.
Result<int> CurrentSchemaVersion(Database& database);

// Applies the missing migrations, each in its own transaction. Refuses a
// database whose schema is newer than this binary.
Result<int> Migrate(Database& database);

// OK when the schema is exactly LatestSchemaVersion(); else a Problem whose
// detail tells the operator what to do (run `roster migrate`, or upgrade).
Status CheckSchemaIsCurrent(Database& database);

}  // namespace roster::store
