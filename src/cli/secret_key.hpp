#pragma once

#include <filesystem>
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
//   a new random key (mode 0600) on first start; refused when the database
//   holds confirmed secrets already (restored without its key: a new key
//   would never open them);
// - unset, PostgreSQL: none. Several processes must share one key, so none
//   is invented; the server runs, warns, and two-factor set-up and codes
//   answer 503 `secret_key_missing`.
Result<std::optional<SecretBox>> LoadSecretKey(const std::string& setting,
                                               const store::DatabaseUrl& url,
                                               store::Database& database);

// The key as LoadSecretKey would find it, without creating the file.
Result<std::optional<SecretBox>> FindSecretKey(const std::string& setting,
                                               const store::DatabaseUrl& url);

// The file of the key on SQLite: `secret.key` beside the database.
std::filesystem::path SqliteKeyPath(const store::DatabaseUrl& url);

// Whether `key` opens every two-factor secret the database holds: a
// problem says why not (no key; another key, for all or some of them).
Status CheckSecretKeyOpens(store::Database& database, const std::optional<SecretBox>& key);

// Copies the key file `from` to `to` (mode 0600, written beside `to` and
// renamed into place).
Status CopyKeyFile(const std::filesystem::path& from, const std::filesystem::path& to);

// Whether `path` holds a key (as secret.key does).
bool IsKeyFile(const std::filesystem::path& path);

// Whether both files hold a key, the same one.
bool HoldSameKey(const std::filesystem::path& a, const std::filesystem::path& b);

}  // namespace roster::cli
