#include "store/database.hpp"

#include <chrono>
#include <thread>

#include <soci/connection-pool.h>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>
#include <spdlog/spdlog.h>

#include "store/errors.hpp"

namespace roster::store {
namespace {

// How long a request may wait for a pooled connection before it answers 503.
constexpr int kLeaseTimeoutMs = 5000;
// SQLite waits this long for a competing writer before reporting busy.
constexpr int kSqliteBusyTimeoutMs = 5000;
constexpr int kMaxAttempts = 6;

void Configure(soci::session& sql, Backend backend) {
  if (backend == Backend::kSqlite) {
    sql << "PRAGMA journal_mode=WAL";
    sql << "PRAGMA synchronous=FULL";
    sql << "PRAGMA foreign_keys=ON";
    sql << "PRAGMA busy_timeout=" + std::to_string(kSqliteBusyTimeoutMs);
  } else {
    sql << "SET TIME ZONE 'UTC'";
  }
}

void OpenOne(soci::session& sql, const DatabaseUrl& url) {
  if (url.backend == Backend::kSqlite) {
    sql.open(soci::sqlite3, url.connection_string);
  } else {
    sql.open(soci::postgresql, url.connection_string);
  }
  Configure(sql, url.backend);
}

const char* BeginStatement(Backend backend, Database::Mode mode) {
  if (backend == Backend::kSqlite) {
    // IMMEDIATE takes the write lock first, so two writers never deadlock
    // upgrading a read lock and check-then-write stays atomic.
    return mode == Database::Mode::kWrite ? "BEGIN IMMEDIATE" : "BEGIN";
  }
  return mode == Database::Mode::kWrite ? "BEGIN ISOLATION LEVEL SERIALIZABLE"
                                        : "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";
}

// Returns a pooled connection on every path.
class Lease {
 public:
  Lease(soci::connection_pool& pool, std::size_t position) : pool_(pool), position_(position) {}
  ~Lease() { pool_.give_back(position_); }
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;
  soci::session& session() { return pool_.at(position_); }

 private:
  soci::connection_pool& pool_;
  std::size_t position_;
};

}  // namespace

Result<DatabaseUrl> DatabaseUrl::Parse(const std::string& url) {
  DatabaseUrl parsed{};
  if (url.rfind("sqlite:", 0) == 0) {
    parsed.backend = Backend::kSqlite;
    parsed.sqlite_path = url.substr(7);
    if (parsed.sqlite_path.rfind("//", 0) == 0) parsed.sqlite_path = parsed.sqlite_path.substr(2);
    if (parsed.sqlite_path.empty()) {
      return Problem::Validation("ROSTER_DB", "ROSTER_DB=sqlite: needs a file path");
    }
    parsed.connection_string = "db=\"" + parsed.sqlite_path + "\" timeout=" +
                               std::to_string(kSqliteBusyTimeoutMs / 1000);
    return parsed;
  }
  if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0) {
    parsed.backend = Backend::kPostgres;
    // libpq understands connection URIs itself; SOCI passes the string through.
    parsed.connection_string = url;
    return parsed;
  }
  return Problem::Validation(
      "ROSTER_DB", "ROSTER_DB must start with sqlite: or postgresql:// (got \"" + url + "\")");
}

Database::Database(DatabaseUrl url, std::size_t pool_size)
    : url_(std::move(url)),
      pool_size_(pool_size),
      pool_(std::make_unique<soci::connection_pool>(pool_size)) {}

Database::~Database() = default;

Result<std::unique_ptr<Database>> Database::Open(const std::string& url, std::size_t pool_size) {
  auto parsed = ROSTER_TRY(DatabaseUrl::Parse(url));
  if (pool_size == 0) pool_size = 1;
  std::unique_ptr<Database> database(new Database(parsed, pool_size));
  for (std::size_t i = 0; i < pool_size; ++i) {
    try {
      OpenOne(database->pool_->at(i), parsed);
    } catch (const std::exception& error) {
      std::string where = parsed.backend == Backend::kSqlite ? parsed.sqlite_path : "PostgreSQL";
      Problem problem = Problem::Unavailable(error.what());
      problem.detail = "cannot open the database (" + where + "): " + FirstLine(error.what());
      return problem;
    }
  }
  return database;
}

bool Database::Ping() {
  Result<bool> answered = Run<bool>(Mode::kRead, [](Tx& tx) -> Result<bool> {
    int one = 0;
    tx.sql << "SELECT 1", soci::into(one);
    return one == 1;
  });
  return answered.ok() && answered.value();
}

Status Database::RunErased(Mode mode, const std::function<Status(Tx&)>& fn) {
  for (int attempt = 1;; ++attempt) {
    std::size_t position = 0;
    if (!pool_->try_lease(position, kLeaseTimeoutMs)) {
      return Problem::Unavailable("no database connection free within 5 s");
    }
    Lease lease(*pool_, position);
    soci::session& sql = lease.session();
    bool began = false;
    try {
      if (!sql.is_connected()) {
        sql.reconnect();
        Configure(sql, url_.backend);
      }
      sql << BeginStatement(url_.backend, mode);
      began = true;
      Tx tx(sql, url_.backend);
      Status status = fn(tx);
      if (!status.ok()) {
        sql << "ROLLBACK";
        return status;
      }
      sql << "COMMIT";
      return {};
    } catch (const std::exception& error) {
      FailureKind kind = Classify(error);
      if (began) {
        try {
          sql << "ROLLBACK";
        } catch (const std::exception&) {
          // The connection is gone; the transaction died with it.
        }
      }
      if (kind == FailureKind::kConnectionLost) {
        try {
          sql.close();
        } catch (const std::exception&) {
        }
      }
      if (kind == FailureKind::kRetryable && attempt < kMaxAttempts) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5 << attempt));
        continue;
      }
      if (kind == FailureKind::kConnectionLost && attempt < 2) {
        continue;  // reconnect once at once; a second failure answers 503
      }
      if (kind == FailureKind::kBug) {
        return Problem::Internal(std::string("database: ") + error.what());
      }
      return Problem::Unavailable(std::string("database: ") + error.what());
    }
  }
}

}  // namespace roster::store
