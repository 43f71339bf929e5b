#include "store/backup.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/file.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <memory>

#include "store/migrations.hpp"

namespace roster::store {
namespace {

struct CloseDatabase {
  void operator()(sqlite3* db) const { sqlite3_close_v2(db); }
};
using Handle = std::unique_ptr<sqlite3, CloseDatabase>;

// A lock a busy database may hold briefly (a writer's commit): how long one
// backup or restore step waits for it.
constexpr int kBusyMilliseconds = 10000;

std::string LockPath(const DatabaseUrl& url) { return url.sqlite_path + "-roster.lock"; }

Result<Handle> OpenFile(const std::string& path, int flags) {
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw, flags, nullptr);
  Handle db(raw);
  if (rc != SQLITE_OK) {
    return Problem::Invalid("cannot_open",
                            "cannot open " + path + ": " + (raw ? sqlite3_errmsg(raw) : "out of memory"));
  }
  sqlite3_busy_timeout(db.get(), kBusyMilliseconds);
  return db;
}

// One query's single text answer ("ok" for integrity_check), or the error.
Result<std::string> QueryText(sqlite3* db, const char* sql) {
  sqlite3_stmt* statement = nullptr;
  if (sqlite3_prepare_v2(db, sql, -1, &statement, nullptr) != SQLITE_OK) {
    return Problem::Invalid("not_a_database", sqlite3_errmsg(db));
  }
  std::string answer;
  if (sqlite3_step(statement) == SQLITE_ROW && sqlite3_column_text(statement, 0) != nullptr) {
    answer = reinterpret_cast<const char*>(sqlite3_column_text(statement, 0));
  }
  sqlite3_finalize(statement);
  return answer;
}

Problem NotRoster(const std::string& path, const std::string& why) {
  return Problem::Invalid("not_a_roster_database",
                          path + " is not a Roster database (" + why + ")");
}

// The copy must be sound and of a schema this binary knows.
Result<BackupReport> Check(sqlite3* db, const std::string& path) {
  Result<std::string> integrity = QueryText(db, "PRAGMA integrity_check");
  if (!integrity.ok()) return NotRoster(path, integrity.problem().detail);
  if (*integrity != "ok") {
    return Problem::Invalid("backup_damaged", path + " fails PRAGMA integrity_check: " + *integrity);
  }
  Result<std::string> read = QueryText(db, "SELECT MAX(version) FROM schema_migrations");
  if (!read.ok()) return NotRoster(path, read.problem().detail);
  const std::string& version = *read;
  BackupReport report;
  report.schema_version = version.empty() ? 0 : std::stoi(version);
  report.pages = std::stoll(ROSTER_TRY(QueryText(db, "PRAGMA page_count")));
  if (report.schema_version == 0) return NotRoster(path, "it holds no Roster schema");
  return report;
}

// Copies every page of `from` into `to` in one step (a consistent snapshot).
Status Copy(sqlite3* from, sqlite3* to, const std::string& what) {
  sqlite3_backup* backup = sqlite3_backup_init(to, "main", from, "main");
  if (backup == nullptr) return Problem::Invalid("backup_failed", what + ": " + sqlite3_errmsg(to));
  int rc = SQLITE_OK;
  do {
    rc = sqlite3_backup_step(backup, -1);
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) sqlite3_sleep(50);
  } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
  sqlite3_backup_finish(backup);
  if (rc != SQLITE_DONE) {
    return Problem::Invalid("backup_failed", what + ": " + sqlite3_errstr(rc));
  }
  return {};
}

Status RequireSqlite(const DatabaseUrl& url) {
  if (url.backend != Backend::kSqlite) {
    return Problem::Invalid("not_sqlite",
                            "backup and restore are for the embedded SQLite database; back up "
                            "PostgreSQL with pg_dump or continuous archiving (docs/backups.md)");
  }
  return {};
}

}  // namespace

Result<BackupReport> BackupSqlite(const DatabaseUrl& url, const std::string& to_path) {
  ROSTER_TRY_STATUS(RequireSqlite(url));
  if (!std::filesystem::exists(url.sqlite_path)) {
    return Problem::Invalid("cannot_open", "no database at " + url.sqlite_path);
  }
  Handle source = ROSTER_TRY(OpenFile(url.sqlite_path, SQLITE_OPEN_READONLY));
  std::string partial = to_path + ".partial";
  std::remove(partial.c_str());
  // Readable by its owner alone from the first byte: it holds password
  // hashes and queued one-time passwords.
  int created = ::open(partial.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (created < 0) return Problem::Invalid("backup_failed", "cannot create " + partial);
  ::close(created);
  Handle copy = ROSTER_TRY(OpenFile(partial, SQLITE_OPEN_READWRITE));
  Status copied = Copy(source.get(), copy.get(), "backing up " + url.sqlite_path);
  Result<BackupReport> report =
      copied.ok() ? Check(copy.get(), url.sqlite_path) : Result<BackupReport>(copied.problem());
  copy.reset();
  if (!report.ok()) {
    std::remove(partial.c_str());
    return report;
  }
  std::error_code error;
  std::filesystem::rename(partial, to_path, error);
  if (error) {
    std::remove(partial.c_str());
    return Problem::Invalid("backup_failed", "cannot write " + to_path + ": " + error.message());
  }
  return report;
}

Result<BackupReport> RestoreSqlite(const std::string& from_path, const DatabaseUrl& url) {
  ROSTER_TRY_STATUS(RequireSqlite(url));
  if (!std::filesystem::exists(from_path)) {
    return Problem::Invalid("cannot_open", "no backup at " + from_path);
  }
  // A new machine's: its directory is made, as `roster migrate` makes it.
  ROSTER_TRY_STATUS(MakeDatabaseDirectory(url));
  int lock = ::open(LockPath(url).c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (lock < 0) return Problem::Invalid("cannot_open", "cannot open " + LockPath(url));
  struct Unlock {
    int fd;
    ~Unlock() { ::close(fd); }
  } unlock{lock};
  if (::flock(lock, LOCK_EX | LOCK_NB) != 0) {
    return Problem::Conflict("database_in_use",
                             "a roster serve is using " + url.sqlite_path + "; stop it first");
  }
  Handle backup = ROSTER_TRY(OpenFile(from_path, SQLITE_OPEN_READONLY));
  BackupReport report = ROSTER_TRY(Check(backup.get(), from_path));
  if (report.schema_version > LatestSchemaVersion()) {
    return Problem::Conflict("schema_too_new",
                             from_path + " has schema " + std::to_string(report.schema_version) +
                                 ", newer than this roster knows; restore with that release");
  }
  // What the restore replaces stays beside it until the next restore.
  std::error_code error;
  if (std::filesystem::file_size(url.sqlite_path, error) > 0 && !error) {
    report.replaced_copy = url.sqlite_path + ".before-restore";
    Handle current = ROSTER_TRY(OpenFile(url.sqlite_path, SQLITE_OPEN_READONLY));
    std::remove(report.replaced_copy.c_str());
    int created = ::open(report.replaced_copy.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (created < 0) return Problem::Invalid("restore_failed", "cannot create " + report.replaced_copy);
    ::close(created);
    Handle kept = ROSTER_TRY(OpenFile(report.replaced_copy, SQLITE_OPEN_READWRITE));
    ROSTER_TRY_STATUS(Copy(current.get(), kept.get(), "keeping " + url.sqlite_path));
  }
  Handle target =
      ROSTER_TRY(OpenFile(url.sqlite_path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE));
  ROSTER_TRY_STATUS(Copy(backup.get(), target.get(), "restoring into " + url.sqlite_path));
  return report;
}

Status MakeDatabaseDirectory(const DatabaseUrl& url) {
  if (url.backend != Backend::kSqlite) return {};
  std::filesystem::path directory = std::filesystem::absolute(url.sqlite_path).parent_path();
  std::error_code error;
  std::filesystem::create_directories(directory, error);
  if (error) {
    return Problem::Invalid("cannot_open",
                            "cannot create the directory " + directory.string() +
                                " of the database: " + error.message());
  }
  return {};
}

Result<ServeLock> ServeLock::Acquire(const DatabaseUrl& url) {
  if (url.backend != Backend::kSqlite) return ServeLock(-1);
  int fd = ::open(LockPath(url).c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) {
    return Problem::Invalid("cannot_open", "cannot open " + LockPath(url) + " beside the database");
  }
  if (::flock(fd, LOCK_SH | LOCK_NB) != 0) {
    ::close(fd);
    return Problem::Conflict("restore_in_progress",
                             "a restore is replacing " + url.sqlite_path + "; start again after it");
  }
  return ServeLock(fd);
}

ServeLock::ServeLock(ServeLock&& other) noexcept : fd_(other.fd_) { other.fd_ = -1; }

ServeLock& ServeLock::operator=(ServeLock&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.fd_;
    other.fd_ = -1;
  }
  return *this;
}

ServeLock::~ServeLock() {
  if (fd_ >= 0) ::close(fd_);
}

}  // namespace roster::store
