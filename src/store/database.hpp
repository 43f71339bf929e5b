#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

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
// `sql()`; the layers above pass a Tx through without looking inside.
class Tx {
 public:
  Tx(soci::session& sql, Backend backend) : backend(backend), session_(sql) {}
  // The connection, for SOCI statements. What waits to be sent (a lazy
  // BEGIN, statements sent ahead) is sent first, so SOCI never overtakes it.
  soci::session& sql() {
    if (answers_left_ || !begin_.empty() || !ahead_.empty()) SendWaiting();
    return session_;
  }
  // The connection as it is, for store::Query, which sends what waits itself.
  soci::session& session() { return session_; }
  const Backend backend;

  // Store code that takes a lock other writers queue for (the organization's
  // membership lock, a hot row) calls this. On PostgreSQL the COMMIT then
  // gives the locks back before the WAL flush instead of after it, and the
  // transaction still returns only once its commit is flushed (see
  // Database::Run): the next writer in the queue no longer waits for this
  // one's fsync.
  void MarkContended() { contended_ = true; }
  bool contended() const { return contended_; }

  // A read-only snapshot (Database::Mode::kRead), set by Database.
  void MarkReadOnly() { read_only_ = true; }
  bool read_only() const { return read_only_; }

  // The organization this transaction found without an enabled webhook
  // endpoint (with the caller's membership, FindCallerMembership), until
  // it reads or writes an endpoint: its audit events need no delivery and
  // may wait for the COMMIT (store::webhooks). 0: not known.
  void SetWebhooksAbsentIn(Id organization_id) { webhooks_absent_in_ = organization_id; }
  Id webhooks_absent_in() const { return webhooks_absent_in_; }

  // PostgreSQL, inside BEGIN ... COMMIT: statements that need not a round
  // trip of their own.
  // - A write whose rows the transaction does not read back (an e-mail to
  //   send) waits for the COMMIT and goes with it (Query::ExecuteAtCommit).
  // - A statement that answers nothing the caller reads (SET LOCAL) goes
  //   with the next statement of the transaction, just before it: a
  //   store::Query's, the COMMIT's, or first of all when SOCI's next
  //   statement asks for sql(): SendAhead. Elsewhere (SQLite, a
  //   one-statement mode) it runs at once.
  struct Statement {
    std::string sql;
    std::vector<std::optional<std::string>> parameters;  // text form
  };
  bool defers_to_commit() const { return defers_to_commit_; }
  std::vector<Statement>& at_commit() { return at_commit_; }
  void SendAhead(std::string sql);
  std::vector<std::string>& ahead() { return ahead_; }

  // PostgreSQL: the transaction's BEGIN, sent with its first statement
  // (Database only); from then on the transaction defers what it may.
  // Empty once sent, or never sent when nothing ran.
  void BeginLazily(std::string begin) {
    begin_ = std::move(begin);
    defers_to_commit_ = true;
  }
  std::string& begin() { return begin_; }

  // PostgreSQL: the connection's last user left answers unread
  // (CommitReadOnly, set by Database). store::Query reads them in its own
  // round trip, after sending its statement; sql() before SOCI's.
  void SetAnswersLeft(bool left) { answers_left_ = left; }

 private:
  bool contended_ = false;
  bool read_only_ = false;
  Id webhooks_absent_in_ = 0;
  void SendWaiting();

  soci::session& session_;
  bool defers_to_commit_ = false;
  bool answers_left_ = false;
  std::string begin_;
  std::vector<Statement> at_commit_;
  std::vector<std::string> ahead_;
};

// Parsed ROSTER_DB: "sqlite:PATH" or "postgresql://user:password@host:port/db".
struct DatabaseUrl {
  Backend backend;
  std::string sqlite_path;        // for kSqlite
  std::string connection_string;  // what SOCI's backend receives
  static Result<DatabaseUrl> Parse(const std::string& url);
};

// Creates `path` readable and writable by its owner alone (0600), unless it
// exists. A SQLite database holds password hashes and queued one-time
// passwords; SQLite gives its -wal and -shm files the database's mode.
Status CreateOwnerOnlyFile(const std::string& path);

// A pool of connections to one database, and the only way to run SQL.
// Driver exceptions never leave this class: a lost or busy database becomes
// Problem(kUnavailable), a constraint violation the caller did not expect
// becomes Problem(kInternal).
class Database {
 public:
  // kRead: a read-only snapshot. kWrite: SQLite's write lock, taken in turn
  // (see below); on PostgreSQL READ COMMITTED, and the store functions take
  // the row locks their rule needs (e.g. LockOrganization). kSerializableWrite:
  // the same on SQLite; SERIALIZABLE on PostgreSQL, for rules over sets of
  // rows that no single row lock covers (rate-limit windows, sign-in).
  // kOneStatement: no transaction around `fn`, which runs exactly one
  // statement, a read: one statement is its own snapshot on both databases,
  // and PostgreSQL answers it in one round trip instead of three.
  // kOneStatementWrite: `fn` runs exactly one statement that writes, atomic
  // by itself. SQLite queues it as any write; PostgreSQL runs it without
  // BEGIN and COMMIT (one round trip instead of three), and does not run it
  // again once the connection is lost under it, as it may have committed.
  enum class Mode { kRead, kWrite, kSerializableWrite, kOneStatement, kOneStatementWrite };

  // Opens `pool_size` connections; SQLite gets WAL, synchronous=NORMAL (the
  // writer queue syncs the WAL itself before answering), foreign_keys=ON and
  // a busy timeout. Fails with one clear sentence when the
  // database cannot be reached.
  static Result<std::unique_ptr<Database>> Open(const std::string& url, std::size_t pool_size);
  ~Database();

  Backend backend() const { return url_.backend; }

  // Runs `fn` inside one transaction and commits when it returns ok; rolls
  // back when it returns a Problem or throws; `fn` may run more than once.
  // On SQLite the process's writers queue first come, first served, without
  // holding a connection while they wait, and take the write lock up front
  // (BEGIN IMMEDIATE; the busy timeout only waits for other processes).
  // Retried, a bounded number of times and with short pauses taken without
  // a connection: busy, serialization and deadlock failures; on PostgreSQL
  // READ COMMITTED writes also a unique or foreign-key violation (a
  // concurrent commit slipped between the function's check and its write,
  // and the retry checks again). A connection found dead is reopened once;
  // when that fails the answer is Problem(kUnavailable).
  // Whatever the backend, an ok answer means the commit is durable: on
  // SQLite the WAL is synced after the write lock is given back; on
  // PostgreSQL a contended transaction (Tx::MarkContended) commits without
  // waiting for the flush, so that its locks go at once, and is then
  // followed in the same round trip by a tiny synchronous transaction whose
  // flush covers the commit before it (WAL is flushed in order).
  template <class T>
  Result<T> Run(Mode mode, const std::function<Result<T>(Tx&)>& fn);

  template <class T>
  Result<T> Read(const std::function<Result<T>(Tx&)>& fn) { return Run<T>(Mode::kRead, fn); }
  // REQUIRES: `fn` runs one statement, which changes nothing.
  template <class T>
  Result<T> ReadOneStatement(const std::function<Result<T>(Tx&)>& fn) {
    return Run<T>(Mode::kOneStatement, fn);
  }
  template <class T>
  Result<T> Write(const std::function<Result<T>(Tx&)>& fn) { return Run<T>(Mode::kWrite, fn); }
  template <class T>
  Result<T> WriteOneStatement(const std::function<Result<T>(Tx&)>& fn) {
    return Run<T>(Mode::kOneStatementWrite, fn);
  }
  template <class T>
  Result<T> WriteSerializable(const std::function<Result<T>(Tx&)>& fn) {
    return Run<T>(Mode::kSerializableWrite, fn);
  }

  // OK when the database answers a query and takes writes (for /readyz and
  // `roster doctor`); else 503 with the reason, whose slug is
  // kReadOnlySlug when the database answers but takes no writes.
  static constexpr const char* kReadOnlySlug = "database_read_only";
  Status Ping();

  // SQLite: PRAGMA quick_check, whose first complaint is the problem's
  // detail (a damaged file: `roster doctor`); PostgreSQL checks its pages
  // itself, so OK. Reads every page: for the doctor, not for requests.
  Status QuickCheck();

  // Refreshes the planner's statistics (after migrations and bulk imports).
  Status Analyze();

  // A lock one holder at a time gets, across processes, for as long as the
  // returned handle lives; waits for it. PostgreSQL: a session-level
  // advisory lock keyed by `name` and the connection's schema, on a
  // connection of its own, so that closing it gives the lock back, even
  // when the process dies. SQLite: an empty handle (its writers already
  // take turns across processes).
  Result<std::shared_ptr<void>> HoldLock(const std::string& name);

  // Writers of this process waiting for their turn (SQLite; 0 on PostgreSQL).
  std::size_t QueuedWriters() const;

 private:
  class WriterQueue;
  enum class Next { kDone, kRetryAfterPause, kReconnect, kRetryConstraint };
  struct Attempt {
    Next next;
    Status status;  // the answer when next is kDone, or when retries run out
  };

  Database(DatabaseUrl url, std::size_t pool_size);
  Status RunErased(Mode mode, const std::function<Status(Tx&)>& fn);
  Attempt RunOnce(Mode mode, const std::function<Status(Tx&)>& fn, int attempt,
                  int lost_connections);

  DatabaseUrl url_;
  std::size_t pool_size_;
  // PostgreSQL: the flush barrier after a contended commit may be used (the
  // role may run pg_logical_emit_message); without it such commits wait
  // for their flush holding their locks, as every other commit does.
  bool release_locks_before_flush_ = false;
  std::unique_ptr<soci::connection_pool> pool_;
  std::unique_ptr<WriterQueue> writers_;
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
