#pragma once

#include <cstdint>
#include <string>

#include "core/result.hpp"
#include "store/database.hpp"

// Backups of the embedded SQLite database (docs/backups.md). PostgreSQL is
// backed up with its own tools (pg_dump, continuous archiving).
namespace roster::store {

struct BackupReport {
  std::int64_t pages = 0;
  int schema_version = 0;
  // A restore's: where the database it replaced was kept ("" when there
  // was none).
  std::string replaced_copy;
};

// Copies the live database at `url` to `to_path` with SQLite's online backup
// API: one pass inside a read snapshot, so the copy holds exactly what was
// committed when it began, while `roster serve` goes on writing. The copy is
// written beside `to_path` and renamed into place only after it passed
// `PRAGMA integrity_check`; it is one file, without a write-ahead log. 422
// for a PostgreSQL URL, for a target that is the live database or one of
// its files (`backup_target_live`), and for an existing file that is not an
// earlier Roster backup (`backup_target_exists`).
Result<BackupReport> BackupSqlite(const DatabaseUrl& url, const std::string& to_path);

// Replaces the database at `url` with the backup at `from_path` after
// checking the backup (integrity, a schema this binary knows; it is opened
// immutable, so read-only storage will do), keeping the database it
// replaces as `<database>.before-restore-<UTC time>`. 409
// `database_in_use` while a `roster serve` holds the database (ServeLock).
Result<BackupReport> RestoreSqlite(const std::string& from_path, const DatabaseUrl& url);

// Makes the directory a SQLite database at `url` lives in (a first
// `roster migrate`, a restore on a new machine); nothing for PostgreSQL.
Status MakeDatabaseDirectory(const DatabaseUrl& url);

// Held by `roster serve` for as long as it runs on a SQLite database, so that
// a restore cannot replace the file under it (an advisory lock on a file
// beside the database; several servers may hold it at once).
class ServeLock {
 public:
  // 409 `restore_in_progress` while a restore holds the database.
  static Result<ServeLock> Acquire(const DatabaseUrl& url);
  ServeLock(ServeLock&& other) noexcept;
  ServeLock& operator=(ServeLock&& other) noexcept;
  ServeLock(const ServeLock&) = delete;
  ServeLock& operator=(const ServeLock&) = delete;
  ~ServeLock();

 private:
  explicit ServeLock(int fd) : fd_(fd) {}
  int fd_ = -1;
};

}  // namespace roster::store
