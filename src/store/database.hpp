#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "core/clock.hpp"
#include "core/ids.hpp"
#include "core/result.hpp"

namespace soci {
class session;
class connection_pool;
}  // namespace soci

namespace roster::store {

enum class Backend { kSqlite, kPostgres };

// The open transaction a store function runs in. Only store/ code touches
// `sql`; the layers above pass a Tx through without looking inside.
class Tx {
 public:
  Tx(soci::session& sql, Backend backend) : sql(sql), backend(backend) {}
  soci::session& sql;
  const Backend backend;
};

// Parsed ROSTER_DB: "sqlite:PATH" or "postgresql://user:password@host:port/db".
struct DatabaseUrl {
  Backend backend;
  std::string sqlite_path;        // for kSqlite
  std::string connection_string;  // what SOCI's backend receives
  static Result<DatabaseUrl> Parse(const std::string& url);
};

// A pool of connections to one database, and the only way to run SQL.
// Driver exceptions never leave this class: a lost or busy database becomes
// Problem(kUnavailable), a constraint violation the caller did not expect
// becomes Problem(kInternal).
class Database {
 public:
  // kWriteCommitted: a write whose rules are all carried by unique keys (a
  // check-then-insert such as an invitation): READ COMMITTED on PostgreSQL,
  // where a unique violation means a concurrent twin committed first, so the
  // transaction is retried and its checks then see the twin's row. SQLite
  // runs it like kWrite.
  enum class Mode { kRead, kWrite, kWriteCommitted };

  // Opens `pool_size` connections; SQLite gets WAL, synchronous=FULL,
  // foreign_keys=ON and a busy timeout. Fails with one clear sentence when the
  // database cannot be reached.
  static Result<std::unique_ptr<Database>> Open(const std::string& url, std::size_t pool_size);
  ~Database();

  Backend backend() const { return url_.backend; }

  // Runs `fn` inside one transaction and commits when it returns ok; rolls
  // back when it returns a Problem or throws. Write transactions take the
  // write lock up front (BEGIN IMMEDIATE on SQLite; SERIALIZABLE on
  // PostgreSQL) and are retried on busy/serialization failures.
  template <class T>
  Result<T> Run(Mode mode, const std::function<Result<T>(Tx&)>& fn);

  template <class T>
  Result<T> Read(const std::function<Result<T>(Tx&)>& fn) {
    return Run<T>(Mode::kRead, fn);
  }
  template <class T>
  Result<T> Write(const std::function<Result<T>(Tx&)>& fn) {
    return Run<T>(Mode::kWrite, fn);
  }
  template <class T>
  Result<T> WriteCommitted(const std::function<Result<T>(Tx&)>& fn) {
    return Run<T>(Mode::kWriteCommitted, fn);
  }

  // True when a trivial query answers (for /readyz).
  bool Ping();

 private:
  Database(DatabaseUrl url, std::size_t pool_size);
  Status RunErased(Mode mode, const std::function<Status(Tx&)>& fn);

  DatabaseUrl url_;
  std::size_t pool_size_;
  std::unique_ptr<soci::connection_pool> pool_;
};

template <class T>
Result<T> Database::Run(Mode mode, const std::function<Result<T>(Tx&)>& fn) {
  std::optional<Result<T>> result;
  Status status = RunErased(mode, [&](Tx& tx) -> Status {
    result.emplace(fn(tx));
    if (!result->ok()) return result->problem();
    return {};
  });
  if (!status.ok()) return std::move(status).problem();
  return std::move(*result);
}

}  // namespace roster::store
