#include "store/backup.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
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

// Beside the database's file, whatever path names it (a symbolic link, a
// relative path): a server and a restore that name it differently take the
// same lock.
std::string LockPath(const DatabaseUrl& url) {
  std::error_code error;
  std::filesystem::path file = std::filesystem::weakly_canonical(url.sqlite_path, error);
  return (error ? url.sqlite_path : file.string()) + "-roster.lock";
}

// Why the lock beside the database cannot be opened, and what to do: a
// directory that does not exist yet, or files left by a command run as
// another user (root), are the usual causes.
Problem CannotOpenLock(const DatabaseUrl& url, int error) {
  std::string detail =
      "cannot open " + LockPath(url) + " beside the database: " + std::strerror(error);
  if (error == ENOENT) {
    detail +=
        " (the database's directory does not exist: run `roster migrate` first, or check "
        "ROSTER_DB)";
  } else if (error == EACCES || error == EPERM) {
    detail +=
        " (the database's directory and files must belong to the user roster runs as: "
        "chown them to that user, or run roster as that user)";
  }
  return Problem::Invalid("cannot_open", detail);
}

// Opens `path` with SQLite's `flags`; with SQLITE_OPEN_URI, SQLite opens
// `uri` (the same file with URI parameters) and errors still name `path`.
Result<Handle> OpenFile(const std::string& path, int flags, const std::string& uri = {}) {
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(uri.empty() ? path.c_str() : uri.c_str(), &raw, flags, nullptr);
  Handle db(raw);
  if (rc != SQLITE_OK) {
    return Problem::Invalid("cannot_open", "cannot open " + path + ": " +
                                               (raw ? sqlite3_errmsg(raw) : "out of memory"));
  }
  sqlite3_busy_timeout(db.get(), kBusyMilliseconds);
  return db;
}

// A backup is opened as an immutable file: read only, without the -wal and
// -shm files SQLite would otherwise make beside it, so that a backup on
// read-only storage (a mount, a directory of another user) can be checked
// and restored, and none is left changed.
Result<Handle> OpenBackup(const std::string& path) {
  std::string uri = "file:";
  for (char c : std::filesystem::absolute(path).string()) {
    if (c == '%' || c == '?' || c == '#') {
      static constexpr char kHex[] = "0123456789ABCDEF";
      uri += '%';
      uri += kHex[static_cast<unsigned char>(c) >> 4];
      uri += kHex[static_cast<unsigned char>(c) & 15];
    } else {
      uri += c;
    }
  }
  uri += "?immutable=1";
  return OpenFile(path, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, uri);
}

// The files of the live database that a backup must never be written over:
// the database, its journals and the lock beside it.
bool IsLiveFile(const DatabaseUrl& url, const std::string& path) {
  std::error_code error;
  std::filesystem::path target = std::filesystem::weakly_canonical(path, error);
  if (error) return false;
  for (const char* suffix : {"", "-wal", "-shm", "-journal", "-roster.lock"}) {
    std::filesystem::path live = std::filesystem::weakly_canonical(url.sqlite_path + suffix, error);
    if (!error && live == target) return true;
  }
  return false;
}

// Where a restore keeps the database it replaces: a name of its own for
// each restore (the time, then -2, -3 ... within one second), never over an
// earlier one, so that a restore repeated by mistake cannot lose the
// database the first one replaced.
std::string KeptCopyPath(const DatabaseUrl& url) {
  std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", &utc);
  const std::string base = url.sqlite_path + ".before-restore-" + stamp;
  std::string path = base;
  for (int n = 2; std::filesystem::exists(path) || std::filesystem::exists(path + ".key"); ++n) {
    path = base;
    path += '-';
    path += std::to_string(n);
  }
  return path;
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
  if (IsLiveFile(url, to_path)) {
    return Problem::Invalid("backup_target_live",
                            to_path +
                                " is the live database or one of its files: back up to "
                                "another file, outside the database's directory");
  }
  if (std::filesystem::exists(to_path)) {
    // Only an earlier backup is replaced (a daily name taken twice), never
    // another file a mistyped path names.
    Result<Handle> earlier = OpenBackup(to_path);
    Result<BackupReport> checked =
        earlier.ok() ? Check(earlier->get(), to_path) : Result<BackupReport>(earlier.problem());
    if (!checked.ok()) {
      return Problem::Invalid("backup_target_exists",
                              to_path + " exists and is not a Roster backup (" +
                                  checked.problem().detail + "): choose another name");
    }
  }
  Handle source = ROSTER_TRY(OpenFile(url.sqlite_path, SQLITE_OPEN_READONLY));
  std::string partial = to_path + ".partial";
  std::remove(partial.c_str());
  // Readable by its owner alone from the first byte: it holds password
  // hashes and queued one-time passwords.
  int created = ::open(partial.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (created < 0) {
    return Problem::Invalid("backup_failed",
                            "cannot create " + partial + ": " + std::strerror(errno));
  }
  ::close(created);
  Handle copy = ROSTER_TRY(OpenFile(partial, SQLITE_OPEN_READWRITE));
  Status copied = Copy(source.get(), copy.get(), "backing up " + url.sqlite_path);
  // One file, without a write-ahead log: it opens on read-only storage.
  if (copied.ok() && sqlite3_exec(copy.get(), "PRAGMA journal_mode=DELETE", nullptr, nullptr,
                                  nullptr) != SQLITE_OK) {
    copied = Problem::Invalid("backup_failed",
                              "backing up " + url.sqlite_path + ": " + sqlite3_errmsg(copy.get()));
  }
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
  if (lock < 0) return CannotOpenLock(url, errno);
  struct Unlock {
    int fd;
    ~Unlock() { ::close(fd); }
  } unlock{lock};
  if (::flock(lock, LOCK_EX | LOCK_NB) != 0) {
    return Problem::Conflict("database_in_use",
                             "a roster serve is using " + url.sqlite_path + "; stop it first");
  }
  Handle backup = ROSTER_TRY(OpenBackup(from_path));
  BackupReport report = ROSTER_TRY(Check(backup.get(), from_path));
  if (report.schema_version > LatestSchemaVersion()) {
    return Problem::Conflict("schema_too_new",
                             from_path + " has schema " + std::to_string(report.schema_version) +
                                 ", newer than this roster knows; restore with that release");
  }
  // What the restore replaces stays beside it, under a name of its own.
  std::error_code error;
  if (std::filesystem::file_size(url.sqlite_path, error) > 0 && !error) {
    report.replaced_copy = KeptCopyPath(url);
    Handle current = ROSTER_TRY(OpenFile(url.sqlite_path, SQLITE_OPEN_READONLY));
    int created = ::open(report.replaced_copy.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (created < 0) return Problem::Invalid("restore_failed", "cannot create " + report.replaced_copy);
    ::close(created);
    Handle kept = ROSTER_TRY(OpenFile(report.replaced_copy, SQLITE_OPEN_READWRITE));
    ROSTER_TRY_STATUS(Copy(current.get(), kept.get(), "keeping " + url.sqlite_path));
  }
  ROSTER_TRY_STATUS(CreateOwnerOnlyFile(url.sqlite_path));
  Handle target = ROSTER_TRY(OpenFile(url.sqlite_path, SQLITE_OPEN_READWRITE));
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
  if (fd < 0) return CannotOpenLock(url, errno);
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
