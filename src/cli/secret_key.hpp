#pragma once

#include <optional>
#include <string>

#include "auth/secret_box.hpp"
#include "core/result.hpp"
#include "store/database.hpp"

namespace roster::cli {

// The key that seals TOTP secrets (ROSTER_SECRET_KEY), as `roster serve`
// finds it:
// - set: that key (a malformed one stops the server with one line);
// - unset, SQLite: the file `secret.key` next to the database, created with
//   a new random key (mode 0600) on first start;
// - unset, PostgreSQL: none. Several processes must share one key, so none
//   is invented; the server runs, warns, and two-factor set-up and codes
//   answer 503 `secret_key_missing`.
Result<std::optional<SecretBox>> LoadSecretKey(const std::string& setting,
                                               const store::DatabaseUrl& database);

}  // namespace roster::cli
