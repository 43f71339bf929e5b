#include "store/database.hpp"

#include <fcntl.h>
#include <soci/connection-pool.h>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <cstring>
#include <deque>
#include <mutex>
#include <optional>
#include <random>
#include <string_view>
#include <thread>

#include "core/percent_encoding.hpp"
#include "store/errors.hpp"
#include "store/query.hpp"

namespace roster::store {
namespace {

// How long a request may wait for a pooled connection before it answers 503.
constexpr int kLeaseTimeoutMs = 5000;
// SQLite waits this long for a writer of another process (`roster leads
// import`, a second server) before reporting busy; this process's own
// writers queue in Database::WriterQueue instead.
constexpr int kSqliteBusyTimeoutMs = 5000;
// Busy, serialization and deadlock failures: at most this many attempts.
constexpr int kMaxAttempts = 8;
// A READ COMMITTED write that hit a unique or foreign-key violation is run
// again this many times: its checks then see the concurrent commit.
constexpr int kMaxConstraintRetries = 2;

// The second attempt follows at once; later ones after 0-2^attempt ms (at
// most 32 ms), at random, so that transactions that failed together do not
// collide again, and the total stays under ~100 ms.
std::chrono::microseconds RetryPause(int attempt) {
  thread_local std::minstd_rand random(std::random_device{}());
  if (attempt <= 1) return std::chrono::microseconds(0);
  return std::chrono::microseconds(random() % (1000u << std::min(attempt, 5)));
}

// PostgreSQL's notices (a WARNING as the server shuts down, "there is no
// transaction in progress") as one log event each: libpq's default prints
// them bare on stderr, a line that is neither logfmt nor JSON.
void LogNotice(void*, const char* message) {
  std::string detail = FirstLine(message);
  std::replace(detail.begin(), detail.end(), '"', '\'');
  spdlog::warn("event=database_notice detail=\"{}\"", detail);
}

void Configure(soci::session& sql, Backend backend) {
  if (backend == Backend::kSqlite) {
    sql << "PRAGMA journal_mode=WAL";
    // NORMAL: a COMMIT writes the WAL without syncing it. The writer queue
    // syncs it after giving the write lock back, before anyone is answered
    // (see WriterQueue); checkpoints still sync the WAL before and the
    // database file after.
    sql << "PRAGMA synchronous=NORMAL";
    sql << "PRAGMA foreign_keys=ON";
    // 64 MiB of page cache per connection: a removal that moves 100,000
    // leads rewrites several indexes and must not spill to disk mid-way.
    sql << "PRAGMA cache_size=-65536";
    sql << "PRAGMA temp_store=MEMORY";
    sql << "PRAGMA busy_timeout=" + std::to_string(kSqliteBusyTimeoutMs);
  } else {
    PQsetNoticeProcessor(PostgresHandle(sql), LogNotice, nullptr);
    sql << "SET TIME ZONE 'UTC'";
    sql << "SET client_min_messages = warning";
    // Every statement of roster reads or writes a few rows by index: LLVM's
    // compilation (jit, on by default) never pays for itself here, and a
    // plan whose estimate passes jit_above_cost (a prepared statement's
    // generic plan) cost 100-600 ms of compiling on every execution of a
    // members page of 120 rows.
    sql << "SET jit = off";
  }
}

// Before this process's first SQLite connection: each connection is used by
// one thread at a time (it is leased from the pool), so SQLite's own locking
// of every call on a connection is not needed, nor its memory statistics,
// which take a global mutex on every allocation. Under load these were ~8 %
// of the members page's CPU (a lock and an unlock per column read). When
// SQLite was already initialized (another database opened first in the
// process), the calls fail and the defaults stay: safe, only slower.
void ConfigureSqliteLibrary() {
  static std::once_flag once;
  std::call_once(once, [] {
    sqlite_api::sqlite3_config(SQLITE_CONFIG_MULTITHREAD);
    sqlite_api::sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
  });
}

void OpenOne(soci::session& sql, const DatabaseUrl& url) {
  if (url.backend == Backend::kSqlite) {
    ConfigureSqliteLibrary();
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
    case Database::Mode::kWrite:
      return "BEGIN ISOLATION LEVEL READ COMMITTED";
    case Database::Mode::kSerializableWrite:
      return "BEGIN ISOLATION LEVEL SERIALIZABLE";
    case Database::Mode::kOneStatement:
    case Database::Mode::kOneStatementWrite:
      break;  // no transaction
  }
  return "BEGIN";
}

// SQLite: runs a statement without rows through the connection's prepared
// statements, parsed once; a group commit runs two per writer in its hold.
void ExecutePrepared(Tx& tx, const char* statement) { Query(tx, statement).Execute(); }

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
    return Problem::Validation("ROSTER_DB", "ROSTER_DB must look like postgresql://user:password@host:5432/roster");
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
  if (database.find('@') != std::string_view::npos || query.find('@') != std::string_view::npos) {
    // A '/' or '?' of the password ended the host part early: the rest
    // would reach libpq as a host name, part of the password in its error.
    return Problem::Validation(
        "ROSTER_DB",
        "ROSTER_DB: percent-encode the characters @ : / ? # % and space in the user name and "
        "password (p@ss/word is p%40ss%2Fword)");
  }
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
    if (close + 1 < authority.size() && authority[close + 1] == ':') port = authority.substr(close + 2);
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
    // A server that takes connections but does not answer them (frozen)
    // answers 503 within SPEC's 5 seconds; libpq's least is 2.
    keywords += Keyword("connect_timeout", "3");
  }
  return keywords;
}

}  // namespace

// SQLite's writers, first come first served, committed in groups. A
// writer queues its function and waits without a connection; whoever finds
// no leader leads: it takes the queue's head (up to kMaxBatch functions, in
// order), runs each in a SAVEPOINT of one BEGIN IMMEDIATE transaction on
// its own thread, and commits them together. Each function still commits or
// rolls back alone (its savepoint). The COMMIT writes the group's frames to
// the WAL without syncing it (synchronous=NORMAL); the leader then gives the
// lead to the next group and only after that syncs the WAL, and nobody is
// answered before that sync. The WAL is appended in order and recovery
// stops at the first frame that is not intact, so the sync covers this
// group's commit and every commit before it: what is acknowledged survives
// power loss as with synchronous=FULL, and kill -9 in any case (the frames
// are in the kernel once COMMIT returns). The next group writes while this
// one's fsync runs, and nobody sleeps in SQLite's busy handler either, whose
// growing sleeps let a late writer overtake one that waited seconds.
class Database::WriterQueue {
 public:
  struct Job {
    const std::function<Status(Tx&)>* fn;
    Status result;
    bool done = false;  // GUARDED_BY(mutex_)
  };
  static constexpr std::size_t kMaxBatch = 64;

  Status Submit(Database& database, const std::function<Status(Tx&)>& fn) {
    Job job{&fn, {}};
    std::unique_lock lock(mutex_);
    queue_.push_back(&job);
    for (;;) {
      changed_.wait(lock, [&] { return job.done || !leading_; });
      if (job.done) return std::move(job.result);
      leading_ = true;
      std::vector<Job*> batch;
      while (!queue_.empty() && batch.size() < kMaxBatch) {
        batch.push_back(queue_.front());
        queue_.pop_front();
      }
      lock.unlock();
      RunGroup(database, batch, [this] {
        std::lock_guard hold(mutex_);
        leading_ = false;
        changed_.notify_all();  // the next waiter leads while this group syncs
      });
      lock.lock();
      for (Job* done : batch) done->done = true;
      changed_.notify_all();
    }
  }

  std::size_t waiting() const {
    std::lock_guard lock(mutex_);
    return queue_.size();
  }

 private:
  // Runs a group of writers' functions in one transaction, calls
  // `give_back_lead` once the write lock is free again (on every path), and
  // sets each result once the group's commit is durable.
  void RunGroup(Database& database, const std::vector<Job*>& batch,
                const std::function<void()>& give_back_lead);

  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Job*> queue_;  // GUARDED_BY(mutex_): not yet taken into a group
  bool leading_ = false;    // GUARDED_BY(mutex_)
  // Set for good when a sync of the WAL failed: Linux may then drop the
  // unwritten pages and report the next fsync as a success, so no later
  // commit can be acknowledged as durable; writes answer 503 until restart.
  std::atomic<bool> sync_failed_ = false;
};

namespace {

// Calls a function once: when asked to, or at the end of the scope.
class OnceAtTheLatestOnExit {
 public:
  explicit OnceAtTheLatestOnExit(const std::function<void()>& fn) : fn_(fn) {}
  ~OnceAtTheLatestOnExit() { Now(); }
  OnceAtTheLatestOnExit(const OnceAtTheLatestOnExit&) = delete;
  OnceAtTheLatestOnExit& operator=(const OnceAtTheLatestOnExit&) = delete;
  void Now() {
    if (called_) return;
    called_ = true;
    fn_();
  }

 private:
  const std::function<void()>& fn_;
  bool called_ = false;
};

// Syncs the connection's WAL file (through SQLite's own file handle, as a
// COMMIT with synchronous=FULL would). Returns SQLite's result code.
int SyncWal(soci::session& sql) {
  sqlite_api::sqlite3* handle = SqliteHandle(sql);
  sqlite_api::sqlite3_file* wal = nullptr;
  int rc = sqlite_api::sqlite3_file_control(handle, "main", SQLITE_FCNTL_JOURNAL_POINTER, &wal);
  if (rc != SQLITE_OK) return rc;
  if (wal == nullptr || wal->pMethods == nullptr) return SQLITE_IOERR_FSYNC;  // no WAL open
  return wal->pMethods->xSync(wal, SQLITE_SYNC_NORMAL);
}

}  // namespace

void Database::WriterQueue::RunGroup(Database& database, const std::vector<Job*>& batch,
                                     const std::function<void()>& give_back_lead) {
  OnceAtTheLatestOnExit lead(give_back_lead);
  auto fail_all = [&](const Problem& problem) {
    for (Job* job : batch) job->result = problem;
  };
  if (sync_failed_) {
    return fail_all(Problem::Unavailable("database: an earlier sync of the WAL failed"));
  }
  std::size_t position = 0;
  if (!database.pool_->try_lease(position, kLeaseTimeoutMs)) {
    return fail_all(Problem::Unavailable("no database connection free within 5 s"));
  }
  Lease lease(*database.pool_, position);
  soci::session& sql = lease.session();
  for (int attempt = 1;; ++attempt) {
    try {
      if (sql.get_backend() == nullptr) {
        sql.reconnect();
        Configure(sql, database.url_.backend);
      }
      // Busy only while another process writes, for longer than the busy
      // timeout: nothing has run yet, so the group may start again.
      Tx begin(sql, database.url_.backend);
      ExecutePrepared(begin, "BEGIN IMMEDIATE");
      break;
    } catch (const std::exception& error) {
      if (Classify(error) != FailureKind::kRetryable || attempt >= kMaxAttempts) {
        return fail_all(Problem::Unavailable("database: " + DescribeSafely(error)));
      }
    }
  }
  Tx tx(sql, database.url_.backend);
  const bool alone = batch.size() == 1;
  for (Job* job : batch) {
    try {
      if (!alone) ExecutePrepared(tx, "SAVEPOINT roster_write");
      job->result = (*job->fn)(tx);
      if (alone && !job->result.ok()) {
        sql << "ROLLBACK";
        return;
      }
      if (!alone && job->result.ok()) ExecutePrepared(tx, "RELEASE roster_write");
      if (!alone && !job->result.ok()) {
        sql << "ROLLBACK TO roster_write";
        sql << "RELEASE roster_write";
      }
    } catch (const std::exception& error) {
      FailureKind kind = Classify(error);
      std::string what = "database: " + DescribeSafely(error);
      // A constraint the code did not see coming is a bug, not an outage.
      job->result = kind == FailureKind::kBug || kind == FailureKind::kConstraint
                        ? Problem::Internal(what)
                        : Problem::Unavailable(what);
      try {
        if (alone) {
          sql << "ROLLBACK";
          if (kind == FailureKind::kConnectionLost) {
            ForgetStatements(sql);
            sql.close();
          }
          return;
        }
        sql << "ROLLBACK TO roster_write";
        sql << "RELEASE roster_write";
      } catch (const std::exception&) {
        // The transaction is gone (an I/O error ends it): so is the group's work.
        fail_all(Problem::Unavailable(what));
        try {
          sql << "ROLLBACK";
        } catch (const std::exception&) {
        }
        if (kind == FailureKind::kConnectionLost) {
          ForgetStatements(sql);
          sql.close();
        }
        return;
      }
    }
  }
  try {
    ExecutePrepared(tx, "COMMIT");
  } catch (const std::exception& error) {
    fail_all(Problem::Unavailable("database: " + DescribeSafely(error)));
    try {
      sql << "ROLLBACK";
    } catch (const std::exception&) {
    }
    return;
  }
  lead.Now();
  // Committed and visible, not yet durable: the sync decides the answers.
  if (int rc = SyncWal(sql); rc != SQLITE_OK) {
    sync_failed_ = true;
    spdlog::critical("event=wal_sync_failed code={} detail=\"the SQLite WAL could not be synced; "
                     "writes answer 503 until the server is restarted\"",
                     rc);
    fail_all(Problem::Unavailable("database: the WAL could not be synced"));
  }
}

void Tx::SendAhead(std::string statement) {
  if (defers_to_commit_) {
    ahead_.push_back(std::move(statement));
  } else {
    sql() << statement;
  }
}

void Tx::SendWaiting() {
  if (std::exchange(answers_left_, false)) ReadAnswersLeft(session_);
  std::string begin = std::exchange(begin_, {});
  std::vector<std::string> ahead = std::exchange(ahead_, {});
  if (!begin.empty()) session_ << begin;
  for (const std::string& statement : ahead) session_ << statement;
}

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
    parsed.connection_string = ROSTER_TRY(PostgresKeywords(url));
    return parsed;
  }
  // Only a scheme is repeated: what follows it may hold a password.
  std::size_t colon = url.find(':');
  std::string shown = colon == std::string::npos ? url : url.substr(0, colon + 1);
  return Problem::Validation(
      "ROSTER_DB", "ROSTER_DB must start with sqlite: or postgresql:// (got \"" + shown + "\")");
}

Database::Database(DatabaseUrl url, std::size_t pool_size)
    : url_(std::move(url)),
      pool_size_(pool_size),
      pool_(std::make_unique<soci::connection_pool>(pool_size)),
      writers_(std::make_unique<WriterQueue>()) {}

Database::~Database() {
  // SQLite refuses to close a connection with statements left prepared.
  for (std::size_t i = 0; i < pool_size_; ++i) ForgetStatements(pool_->at(i));
}

Status CreateOwnerOnlyFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd >= 0) {
    ::close(fd);
    return {};
  }
  if (errno == EEXIST) return {};
  return Problem::Invalid("cannot_open", "cannot create " + path + ": " + std::strerror(errno));
}

Result<std::unique_ptr<Database>> Database::Open(const std::string& url, std::size_t pool_size) {
  auto parsed = ROSTER_TRY(DatabaseUrl::Parse(url));
  // A new SQLite file is its owner's alone, whatever the umask (SQLite's own
  // would be 0644); where it cannot be made, SQLite's error says why.
  if (parsed.backend == Backend::kSqlite) (void)CreateOwnerOnlyFile(parsed.sqlite_path);
  if (pool_size == 0) pool_size = 1;
  std::unique_ptr<Database> database(new Database(parsed, pool_size));
  for (std::size_t i = 0; i < pool_size; ++i) {
    try {
      OpenOne(database->pool_->at(i), parsed);
      if (i == 0 && parsed.backend == Backend::kPostgres) {
        database->release_locks_before_flush_ = CanFlushAfterCommit(database->pool_->at(0));
        if (!database->release_locks_before_flush_) {
          spdlog::warn("event=flush_barrier_unavailable detail=\"the database role may not run "
                       "pg_logical_emit_message; contended commits hold their locks until "
                       "flushed\"");
        }
      }
    } catch (const std::exception& error) {
      std::string where = parsed.backend == Backend::kSqlite ? parsed.sqlite_path : "PostgreSQL";
      Problem problem = Problem::Unavailable("database: " + DescribeSafely(error));
      problem.detail = "cannot open the database (" + where + "): " + DescribeSafely(error);
      return problem;
    }
  }
  return database;
}

Status Database::Ping() {
  return RunErased(Mode::kRead, [](Tx& tx) -> Status {
    // A standby, or a point-in-time recovery that paused at its target
    // (PostgreSQL's default), answers reads and refuses every write.
    Query writable(tx,
                   tx.backend == Backend::kPostgres
                       ? "SELECT CASE WHEN pg_is_in_recovery() OR "
                         "current_setting('default_transaction_read_only') = 'on' THEN 0 ELSE 1 END"
                       : "SELECT 1");
    if (!writable.Next() || writable.Int64(0) != 1) {
      Problem read_only = Problem::Unavailable(
          "the database is read-only: a standby, or a recovery not promoted yet");
      read_only.slug = kReadOnlySlug;
      return read_only;
    }
    return {};
  });
}

Status Database::QuickCheck() {
  return RunErased(Mode::kRead, [](Tx& tx) -> Status {
    if (tx.backend != Backend::kSqlite) return {};
    std::string answer;
    tx.sql() << "PRAGMA quick_check(1)", soci::into(answer);
    if (answer == "ok") return {};
    return Problem::Invalid("database_damaged", "PRAGMA quick_check: " + answer);
  });
}

namespace {

void WarnOnceOfStatisticsLeftToAutovacuum() {
  static std::atomic<bool> warned{false};
  if (warned.exchange(true)) return;
  spdlog::warn(
      "event=statistics_left_to_autovacuum detail=\"the database role does not own roster's "
      "tables and may not ANALYZE them after an import or a bulk invitation; PostgreSQL's "
      "autovacuum refreshes their statistics later\"");
}

}  // namespace

Status Database::Analyze() {
  return RunErased(Mode::kWrite, [](Tx& tx) -> Status {
    // PostgreSQL plans by its statistics, which a fresh or freshly loaded
    // database lacks until autovacuum comes by; SQLite's optimize analyzes
    // only the tables whose statistics are missing or stale.
    if (tx.backend != Backend::kPostgres) {
      tx.sql() << "PRAGMA optimize";
      return {};
    }
    // Roster's tables only, those of its schema: a bare ANALYZE would go
    // through every schema of a database roster shares with others. Only
    // their owner may analyze them; a serving role that is not
    // (docs/deploy.md) leaves them to autovacuum.
    Query tables(tx,
                 "SELECT string_agg(quote_ident(tablename), ', ' ORDER BY tablename) "
                 "FILTER (WHERE pg_has_role(tableowner, 'USAGE')), "
                 "COUNT(*) FILTER (WHERE NOT pg_has_role(tableowner, 'USAGE')) "
                 "FROM pg_tables WHERE schemaname = current_schema()",
                 Query::Reuse::kOnce);
    tables.Next();  // an aggregate: always one row
    if (tables.Int64(1) > 0) WarnOnceOfStatisticsLeftToAutovacuum();
    if (tables.IsNull(0)) return {};
    Query(tx, "ANALYZE " + tables.Text(0), Query::Reuse::kOnce).Execute();
    return {};
  });
}

Result<std::shared_ptr<void>> Database::HoldLock(const std::string& name) {
  if (url_.backend != Backend::kPostgres) return std::shared_ptr<void>();
  try {
    auto holder = std::make_shared<soci::session>();
    OpenOne(*holder, url_);
    // Tried, not waited for inside pg_advisory_lock: a statement waiting
    // holds a snapshot, and the holder's CREATE INDEX CONCURRENTLY waits
    // for every older snapshot to go; neither would ever finish.
    for (int got = 0;;) {
      *holder << "SELECT CASE WHEN pg_try_advisory_lock(hashtext(:name || ' ' || "
                 "current_schema())) THEN 1 ELSE 0 END",
          soci::use(name), soci::into(got);
      if (got == 1) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return std::shared_ptr<void>(std::move(holder));
  } catch (const std::exception& error) {
    return Problem::Unavailable("database: " + DescribeSafely(error));
  }
}

std::size_t Database::QueuedWriters() const { return writers_->waiting(); }

Status Database::RunErased(Mode mode, const std::function<Status(Tx&)>& fn) {
  bool writes = mode != Mode::kRead && mode != Mode::kOneStatement;
  if (url_.backend == Backend::kSqlite && writes) return writers_->Submit(*this, fn);
  int lost_connections = 0;
  int constraint_retries = 0;
  for (int attempt = 1;; ++attempt) {
    Attempt result = RunOnce(mode, fn, attempt, lost_connections);
    switch (result.next) {
      case Next::kDone:
        return std::move(result.status);
      case Next::kReconnect:
        ++lost_connections;  // the next attempt reopens the connection
        break;
      case Next::kRetryConstraint:
        if (++constraint_retries > kMaxConstraintRetries) return std::move(result.status);
        break;
      case Next::kRetryAfterPause:
        if (attempt >= kMaxAttempts) return std::move(result.status);
        // No connection is held here (RunOnce gave it back).
        std::this_thread::sleep_for(RetryPause(attempt));
        break;
    }
  }
}

Database::Attempt Database::RunOnce(Mode mode, const std::function<Status(Tx&)>& fn, int attempt,
                                    int lost_connections) {
  std::size_t position = 0;
  if (!pool_->try_lease(position, kLeaseTimeoutMs)) {
    return {Next::kDone, Problem::Unavailable("no database connection free within 5 s")};
  }
  Lease lease(*pool_, position);
  soci::session& sql = lease.session();
  // A connection that failed before was closed then; it is reopened here.
  // An open one is trusted without a round trip: if the server went away
  // meanwhile, the first statement fails, the connection is closed, and the
  // transaction is tried once more on a fresh one.
  if (sql.get_backend() == nullptr) {
    try {
      sql.reconnect();
      Configure(sql, url_.backend);
    } catch (const std::exception& error) {
      try {
        ForgetStatements(sql);
        sql.close();
      } catch (const std::exception&) {
        // Half-open; the next attempt reconnects again.
      }
      // Refused or unreachable (the driver's error carries no SQLSTATE): 503 now.
      return {Next::kDone,
              Problem::Unavailable("database: reconnect failed: " + DescribeSafely(error))};
    }
  }
  bool began = false;
  bool committing = false;
  Tx tx(sql, url_.backend);
  if (url_.backend == Backend::kPostgres) tx.SetAnswersLeft(HasAnswersLeft(sql));
  if (mode == Mode::kRead) tx.MarkReadOnly();
  try {
    if (mode == Mode::kOneStatement || mode == Mode::kOneStatementWrite) {
      // A write's statement is its own commit: lost under way, it may have
      // committed.
      committing = mode == Mode::kOneStatementWrite;
      return {Next::kDone, fn(tx)};
    }
    // SQLite parses a one-time statement on every call: its reads' BEGIN
    // and COMMIT are prepared once per connection, as the writers' are.
    // PostgreSQL's BEGIN goes with the transaction's first statement, in
    // its round trip (Tx::sql and store::Query send it first).
    bool prepared = url_.backend == Backend::kSqlite;
    if (prepared) {
      ExecutePrepared(tx, BeginStatement(url_.backend, mode));
    } else {
      tx.BeginLazily(BeginStatement(url_.backend, mode));
    }
    began = true;
    Status status = fn(tx);
    if (!status.ok()) {
      if (tx.begin().empty()) sql << "ROLLBACK";  // else no statement ran
      return {Next::kDone, std::move(status)};
    }
    // A failed COMMIT ends a PostgreSQL transaction (a ROLLBACK after it only
    // prints "there is no transaction in progress"); SQLite's stays open.
    began = url_.backend == Backend::kSqlite;
    committing = true;
    bool release_locks_first = tx.contended() && release_locks_before_flush_;
    bool nothing_sent = !tx.begin().empty() && tx.ahead().empty() && tx.at_commit().empty();
    if (nothing_sent) {
      // No statement ran: there is no transaction to end.
    } else if (prepared) {
      ExecutePrepared(tx, "COMMIT");  // SQLite: nothing waits, nothing is sent ahead
    } else if (mode == Mode::kRead) {
      CommitReadOnly(tx);
    } else {
      bool committed = false;
      try {
        Commit(tx, release_locks_first, committed);
      } catch (const std::exception& error) {
        if (!committed) throw;
        // Committed, but the flush barrier failed: the commit's durability
        // is unknown, as after a COMMIT whose answer was lost.
        try {
          ForgetStatements(sql);
          sql.close();
        } catch (const std::exception&) {
        }
        return {Next::kDone, Problem::Unavailable("database: flush after commit: " +
                                                  DescribeSafely(error))};
      }
    }
    return {Next::kDone, {}};
  } catch (const std::exception& error) {
    FailureKind kind = Classify(error);
    if (began && tx.begin().empty()) {
      try {
        sql << "ROLLBACK";
      } catch (const std::exception&) {
        // The connection is gone; the transaction died with it.
      }
    }
    // What reads as a bug on a connection that turns out broken (the
    // server's FATAL read before its close) is a lost connection.
    if (kind == FailureKind::kBug && url_.backend == Backend::kPostgres && ConnectionBroke(sql))
      kind = FailureKind::kConnectionLost;
    std::string what = "database: " + DescribeSafely(error);
    switch (kind) {
      case FailureKind::kRetryable:
        return {Next::kRetryAfterPause, Problem::Unavailable(what)};
      case FailureKind::kConnectionLost:
      case FailureKind::kUnanswered:
        try {
          ForgetStatements(sql);
          sql.close();
        } catch (const std::exception&) {
        }
        // Once at once on a fresh connection; not when COMMIT was under way
        // (it may have committed), nor after a server that answered nothing
        // (a new connection would wait connect_timeout on top: the next
        // request opens it), and a second loss answers 503.
        if (kind == FailureKind::kConnectionLost && !committing && lost_connections == 0)
          return {Next::kReconnect, Problem::Unavailable(what)};
        return {Next::kDone, Problem::Unavailable(what)};
      case FailureKind::kReadOnly:
        // Not a bug, and not this connection's: every server of the
        // database answers 503 until it takes writes again.
        return {Next::kDone, Problem::Unavailable(what)};
      case FailureKind::kConstraint:
        if (url_.backend == Backend::kPostgres && mode == Mode::kWrite) {
          return {Next::kRetryConstraint, Problem::Internal(what)};
        }
        // A constraint the code did not see coming is a bug, not an outage.
        return {Next::kDone, Problem::Internal(what)};
      case FailureKind::kBug:
        return {Next::kDone, Problem::Internal(what)};
    }
    return {Next::kDone, Problem::Internal(what)};
  }
}

}  // namespace roster::store
