#include "store/database.hpp"

#include <soci/connection-pool.h>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <random>
#include <string_view>
#include <thread>

#include "core/percent_encoding.hpp"
#include "store/errors.hpp"

namespace roster::store {
namespace {

// How long a request may wait for a pooled connection before it answers 503.
constexpr int kLeaseTimeoutMs = 5000;
// SQLite waits this long for a competing writer before reporting busy.
constexpr int kSqliteBusyTimeoutMs = 5000;
constexpr int kMaxAttempts = 10;

// Up to 5·2^attempt ms (at most 160 ms), at random: transactions that failed
// together must not retry together, or they collide again and again.
std::chrono::milliseconds RetryPause(int attempt) {
  thread_local std::minstd_rand random(std::random_device{}());
  return std::chrono::milliseconds(1 + random() % (5 << std::min(attempt, 5)));
}

void Configure(soci::session& sql, Backend backend) {
  if (backend == Backend::kSqlite) {
    sql << "PRAGMA journal_mode=WAL";
    sql << "PRAGMA synchronous=FULL";
    sql << "PRAGMA foreign_keys=ON";
    // 64 MiB of page cache per connection: a removal that moves 100,000
    // leads rewrites several indexes and must not spill to disk mid-way.
    sql << "PRAGMA cache_size=-65536";
    sql << "PRAGMA temp_store=MEMORY";
    sql << "PRAGMA busy_timeout=" + std::to_string(kSqliteBusyTimeoutMs);
  } else {
    sql << "SET TIME ZONE 'UTC'";
    sql << "SET client_min_messages = warning";
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
    return mode == Database::Mode::kRead ? "BEGIN" : "BEGIN IMMEDIATE";
  }
  switch (mode) {
    case Database::Mode::kRead:
      return "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY";
    case Database::Mode::kWriteCommitted:
      return "BEGIN ISOLATION LEVEL READ COMMITTED";
    case Database::Mode::kWrite:
      break;
  }
  return "BEGIN ISOLATION LEVEL SERIALIZABLE";
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

// libpq keyword=value quoting: single quotes, backslash escapes.
std::string Keyword(const std::string& name, const std::string& value) {
  std::string quoted = "'";
  for (char c : value) {
    if (c == '\\' || c == '\'') quoted += '\\';
    quoted += c;
  }
  return name + "=" + quoted + "' ";
}

// SOCI 4.0 mangles URIs without a query string, so the URL is turned into
// libpq's keyword form: postgresql://user:password@host:port/db?k=v.
Result<std::string> PostgresKeywords(const std::string& url) {
  auto invalid = [&] {
    return Problem::Validation(
        "ROSTER_DB", "ROSTER_DB must look like postgresql://user:password@host:5432/roster");
  };
  std::string_view rest(url);
  rest.remove_prefix(rest.find("://") + 3);
  std::string_view query;
  if (auto mark = rest.find('?'); mark != std::string_view::npos) {
    query = rest.substr(mark + 1);
    rest = rest.substr(0, mark);
  }
  auto slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  std::string_view database = slash == std::string_view::npos ? "" : rest.substr(slash + 1);
  std::string keywords;
  if (auto at = authority.rfind('@'); at != std::string_view::npos) {
    std::string_view userinfo = authority.substr(0, at);
    authority = authority.substr(at + 1);
    auto colon = userinfo.find(':');
    auto user = PercentDecode(userinfo.substr(0, colon));
    if (!user) return invalid();
    if (!user->empty()) keywords += Keyword("user", *user);
    if (colon != std::string_view::npos) {
      auto password = PercentDecode(userinfo.substr(colon + 1));
      if (!password) return invalid();
      keywords += Keyword("password", *password);
    }
  }
  std::string_view host = authority, port;
  if (!authority.empty() && authority.front() == '[') {
    auto close = authority.find(']');
    if (close == std::string_view::npos) return invalid();
    host = authority.substr(1, close - 1);
    if (close + 1 < authority.size() && authority[close + 1] == ':')
      port = authority.substr(close + 2);
  } else if (auto colon = authority.rfind(':'); colon != std::string_view::npos) {
    host = authority.substr(0, colon);
    port = authority.substr(colon + 1);
  }
  if (!host.empty()) keywords += Keyword("host", std::string(host));
  if (!port.empty()) {
    if (port.find_first_not_of("0123456789") != std::string_view::npos) return invalid();
    keywords += Keyword("port", std::string(port));
  }
  auto name = PercentDecode(database);
  if (!name) return invalid();
  if (!name->empty()) keywords += Keyword("dbname", *name);
  while (!query.empty()) {
    auto amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    auto equals = pair.find('=');
    if (equals == std::string_view::npos) return invalid();
    auto key = PercentDecode(pair.substr(0, equals));
    auto value = PercentDecode(pair.substr(equals + 1));
    if (!key || !value || key->empty() ||
        key->find_first_not_of("abcdefghijklmnopqrstuvwxyz_") != std::string::npos) {
      return invalid();
    }
    keywords += Keyword(*key, *value);
  }
  if (keywords.find("connect_timeout=") == std::string::npos) {
    keywords += Keyword("connect_timeout", "5");  // a dead server answers 503 within seconds
  }
  return keywords;
}

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
    parsed.connection_string =
        "db=\"" + parsed.sqlite_path + "\" timeout=" + std::to_string(kSqliteBusyTimeoutMs / 1000);
    return parsed;
  }
  if (url.rfind("postgresql://", 0) == 0 || url.rfind("postgres://", 0) == 0) {
    parsed.backend = Backend::kPostgres;
    parsed.connection_string = ROSTER_TRY(PostgresKeywords(url));
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
      Problem problem = Problem::Unavailable("database: " + DescribeSafely(error));
      problem.detail = "cannot open the database (" + where + "): " + DescribeSafely(error);
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
        try {
          sql.reconnect();
          Configure(sql, url_.backend);
        } catch (const std::exception& error) {
          // Refused or unreachable (the driver's error carries no SQLSTATE): 503 now.
          return Problem::Unavailable("database: reconnect failed: " + DescribeSafely(error));
        }
      }
      sql << BeginStatement(url_.backend, mode);
      began = true;
      Tx tx(sql, url_.backend);
      Status status = fn(tx);
      if (!status.ok()) {
        sql << "ROLLBACK";
        return status;
      }
      // A failed COMMIT ends a PostgreSQL transaction (a ROLLBACK after it only
      // prints "there is no transaction in progress"); SQLite's stays open.
      began = url_.backend == Backend::kSqlite;
      sql << "COMMIT";
      return {};
    } catch (const std::exception& error) {
      FailureKind kind = Classify(error);
      if (mode == Mode::kWriteCommitted && IsUniqueViolation(error)) kind = FailureKind::kRetryable;
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
        std::this_thread::sleep_for(RetryPause(attempt));
        continue;
      }
      if (kind == FailureKind::kConnectionLost && attempt < 2) {
        continue;  // reconnect once at once; a second failure answers 503
      }
      if (kind == FailureKind::kBug || kind == FailureKind::kConstraint) {
        // A constraint the code did not see coming is a bug, not an outage.
        return Problem::Internal("database: " + DescribeSafely(error));
      }
      return Problem::Unavailable("database: " + DescribeSafely(error));
    }
  }
}

}  // namespace roster::store
