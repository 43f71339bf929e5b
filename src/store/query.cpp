#include "store/query.hpp"

#include <libpq-fe.h>
#include <poll.h>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>
#include <sys/socket.h>

#include <cerrno>
#include <charconv>
#include <chrono>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <utility>

#include "store/errors.hpp"

namespace roster::store {
namespace {

// SOCI has sqlite3.h's declarations in namespace sqlite_api (a second
// #include <sqlite3.h> adds nothing: its include guard is set).
using namespace sqlite_api;  // NOLINT: the C API's names, in this file only

using Parameters = std::vector<std::optional<std::string>>;  // text form

// One connection's prepared statements, by SQL text. Only the thread that
// holds the connection's lease uses them.
struct Statements {
  // `taken` while a Query holds the statement: SQLite's own "busy" ends
  // when a statement is read to its end, but its Query may still live,
  // and resets the statement when it goes.
  struct Cached {
    sqlite3_stmt* statement = nullptr;
    bool taken = false;
  };
  std::unordered_map<std::string, Cached> sqlite;
  std::unordered_map<std::string, std::string> postgres;  // SQL -> statement name
  // PostgreSQL: entries of a pipeline whose answers wait on the connection
  // (CommitReadOnly), read by its next user (its Pipeline or ReadAnswersLeft).
  std::size_t answers_left = 0;
};

std::mutex registry_mutex;
// By native connection handle (sqlite3*, PGconn*).
std::unordered_map<const void*, std::unique_ptr<Statements>>
    registry;  // GUARDED_BY(registry_mutex)

Statements& StatementsOf(const void* handle) {
  std::lock_guard lock(registry_mutex);
  std::unique_ptr<Statements>& statements = registry[handle];
  if (!statements) statements = std::make_unique<Statements>();
  return *statements;
}

// $1, $2 ... become ?1, ?2 ...: SQLite numbers parameters that way.
std::string SqliteText(const std::string& sql) {
  std::string text = sql;
  for (std::size_t i = 0; i + 1 < text.size(); ++i) {
    if (text[i] == '$' && text[i + 1] >= '0' && text[i + 1] <= '9') text[i] = '?';
  }
  return text;
}

[[noreturn]] void ThrowSqlite(sqlite3* db, int code) {
  throw soci::sqlite3_soci_error(sqlite3_errmsg(db), code);
}

// The SQLSTATE of a failed result. An error libpq made itself has none: a
// connection that broke reads as 08006 (connection_failure), so that it is
// treated as lost; anything else as XX000 (internal_error), which
// Database checks again (ConnectionBroke).
[[noreturn]] void ThrowPostgres(PGconn* conn, PGresult* result) {
  const char* state = result != nullptr ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  std::string message = result != nullptr ? PQresultErrorMessage(result) : PQerrorMessage(conn);
  if (message.empty()) message = PQerrorMessage(conn);
  std::string sqlstate =
      state != nullptr ? state : (PQstatus(conn) == CONNECTION_BAD ? "08006" : "XX000");
  if (result != nullptr) PQclear(result);
  throw soci::postgresql_soci_error(message, sqlstate.c_str());
}

// A PostgreSQL round trip silent this long makes Roster ask the server, on
// a new connection, whether it is there at all; a server that does not
// answer that within kProbeMs is given up. Together under SPEC's 5 seconds
// for "database lost", while a statement that works for minutes (a removal
// moving a million leads) goes on as long as the server answers others.
constexpr int kSilenceMs = 2000;
constexpr int kProbeMs = 1500;

int MillisecondsLeft(std::chrono::steady_clock::time_point deadline) {
  auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      deadline - std::chrono::steady_clock::now());
  return static_cast<int>(std::max<std::int64_t>(left.count(), 0));
}

// Opens a second connection with `conn`'s settings: true when the server
// completes it (or refuses it in words, e.g. too many clients) within
// kProbeMs. A frozen server's kernel still accepts the TCP connection, so
// only the server's own answer counts.
bool ServerAnswers(PGconn* conn) {
  std::vector<const char*> keywords, values;
  PQconninfoOption* options = PQconninfo(conn);
  for (PQconninfoOption* option = options; option != nullptr && option->keyword != nullptr;
       ++option) {
    if (option->val == nullptr) continue;
    keywords.push_back(option->keyword);
    values.push_back(option->val);
  }
  keywords.push_back(nullptr);
  values.push_back(nullptr);
  PGconn* probe = PQconnectStartParams(keywords.data(), values.data(), 0);
  PQconninfoFree(options);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(kProbeMs);
  PostgresPollingStatusType status =
      PQstatus(probe) == CONNECTION_BAD ? PGRES_POLLING_FAILED : PGRES_POLLING_WRITING;
  while (status == PGRES_POLLING_READING || status == PGRES_POLLING_WRITING) {
    pollfd socket{PQsocket(probe),
                  static_cast<short>(status == PGRES_POLLING_READING ? POLLIN : POLLOUT), 0};
    int ready = poll(&socket, 1, MillisecondsLeft(deadline));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) break;
    status = PQconnectPoll(probe);
  }
  bool answered =
      status == PGRES_POLLING_OK ||
      (status == PGRES_POLLING_FAILED &&
       std::string_view(PQerrorMessage(probe)).find("FATAL:") != std::string_view::npos);
  PQfinish(probe);
  return answered;
}

// Waits until PQgetResult would not block: while bytes come, or the server
// answers a probe after each kSilenceMs without any. A server that answers
// neither is given up: the socket is shut, so that what libpq or SOCI sends
// next on the connection (a ROLLBACK) fails at once instead of waiting too.
void AwaitAnswer(PGconn* conn) {
  while (PQisBusy(conn) == 1) {
    pollfd socket{PQsocket(conn), POLLIN, 0};
    if (socket.fd < 0) return;  // broken: PQgetResult says so
    int ready = poll(&socket, 1, kSilenceMs);
    if (ready < 0 && errno == EINTR) continue;
    if (ready == 0) {
      if (ServerAnswers(conn)) continue;
      ::shutdown(socket.fd, SHUT_RDWR);
      throw Unanswered("database: PostgreSQL answered nothing for " + std::to_string(kSilenceMs) +
                       " ms, nor a new connection within " + std::to_string(kProbeMs) + " ms");
    }
    if (PQconsumeInput(conn) == 0) return;  // broken: PQgetResult says so
  }
}

// PQgetResult, with AwaitAnswer's bound on the wait.
PGresult* NextResult(PGconn* conn) {
  AwaitAnswer(conn);
  return PQgetResult(conn);
}

sqlite3_stmt* PrepareSqlite(sqlite3* db, const std::string& sql, unsigned flags) {
  std::string text = SqliteText(sql);
  sqlite3_stmt* prepared = nullptr;
  int code =
      sqlite3_prepare_v3(db, text.c_str(), static_cast<int>(text.size()), flags, &prepared, nullptr);
  if (code != SQLITE_OK) ThrowSqlite(db, code);
  return prepared;
}

}  // namespace

Query::Query(Tx& tx, std::string sql, Reuse reuse)
    : tx_(tx), sql_(std::move(sql)), reuse_(reuse) {
  if (tx_.backend != Backend::kSqlite) return;
  sqlite3* db = SqliteHandle(tx_.session());
  if (reuse_ == Reuse::kOnce) {
    statement_ = PrepareSqlite(db, sql_, 0);
    owned_ = true;
    return;
  }
  Statements::Cached& cached = StatementsOf(db).sqlite[sql_];
  if (cached.statement == nullptr) {
    cached.statement = PrepareSqlite(db, sql_, SQLITE_PREPARE_PERSISTENT);
  } else if (cached.taken) {
    // The same text is held further up the stack.
    statement_ = PrepareSqlite(db, sql_, SQLITE_PREPARE_PERSISTENT);
    owned_ = true;
    return;
  }
  statement_ = cached.statement;
  cached.taken = true;
  taken_ = &cached.taken;  // an entry of an unordered_map stays where it is
}

Query::~Query() {
  if (owned_) {
    sqlite3_finalize(statement_);
  } else if (statement_ != nullptr) {
    sqlite3_reset(statement_);
    sqlite3_clear_bindings(statement_);
    *taken_ = false;
  }
  if (result_ != nullptr) PQclear(result_);
}

Query& Query::Bind(std::int64_t value) {
  if (statement_ != nullptr) {
    sqlite3_bind_int64(statement_, ++bound_, value);
  } else {
    char buffer[24];
    auto end = std::to_chars(buffer, buffer + sizeof buffer, value).ptr;
    parameters_.emplace_back(std::string(buffer, end));
  }
  return *this;
}

Query& Query::Bind(std::string_view value) {
  if (statement_ != nullptr) {
    sqlite3_bind_text(statement_, ++bound_, value.data(), static_cast<int>(value.size()),
                      SQLITE_TRANSIENT);
  } else {
    parameters_.emplace_back(std::string(value));
  }
  return *this;
}

Query& Query::Bind(const std::optional<std::int64_t>& value) {
  if (value) return Bind(*value);
  if (statement_ != nullptr) {
    sqlite3_bind_null(statement_, ++bound_);
  } else {
    parameters_.emplace_back(std::nullopt);
  }
  return *this;
}

Query& Query::With(Query& next) {
  with_ = &next;
  return *this;
}

bool Query::Next() {
  if (statement_ != nullptr) {
    int code = sqlite3_step(statement_);
    if (code == SQLITE_ROW) return true;
    if (code == SQLITE_DONE) return false;
    ThrowSqlite(SqliteHandle(tx_.session()), code);
  }
  if (!ran_) Run();
  return ++row_ < rows_;
}

std::int64_t Query::Execute() {
  if (statement_ != nullptr) {
    while (Next()) {
    }
    return sqlite3_changes64(SqliteHandle(tx_.session()));
  }
  if (!ran_) Run();
  const char* changed = PQcmdTuples(result_);
  std::int64_t count = 0;
  std::from_chars(changed, changed + std::char_traits<char>::length(changed), count);
  return count;
}

bool Query::IsNull(int column) const {
  if (statement_ != nullptr) return sqlite3_column_type(statement_, column) == SQLITE_NULL;
  return PQgetisnull(result_, row_, column) != 0;
}

std::int64_t Query::Int64(int column) const {
  if (statement_ != nullptr) return sqlite3_column_int64(statement_, column);
  const char* text = PQgetvalue(result_, row_, column);
  std::int64_t value = 0;
  std::from_chars(text, text + PQgetlength(result_, row_, column), value);
  return value;
}

std::optional<std::int64_t> Query::OptionalInt64(int column) const {
  if (IsNull(column)) return std::nullopt;
  return Int64(column);
}

std::string Query::Text(int column) const {
  if (statement_ != nullptr) {
    const unsigned char* text = sqlite3_column_text(statement_, column);
    if (text == nullptr) return {};
    return std::string(reinterpret_cast<const char*>(text),
                       sqlite3_column_bytes(statement_, column));
  }
  return std::string(PQgetvalue(result_, row_, column), PQgetlength(result_, row_, column));
}

std::optional<std::string> Query::OptionalText(int column) const {
  if (IsNull(column)) return std::nullopt;
  return Text(column);
}

void Query::ExecuteAtCommit() {
  if (statement_ != nullptr || !tx_.defers_to_commit()) {
    Execute();
    return;
  }
  ran_ = true;
  tx_.at_commit().push_back({std::move(sql_), std::move(parameters_)});
}

namespace {

// Statements sent in one round trip (libpq's pipeline mode), each with its
// result once the trip is over; after a failed one, the rest up to the
// end did not run (PGRES_PIPELINE_ABORTED).
class Pipeline {
 public:
  // Enters pipeline mode, unless the connection's last user left answers
  // unread (CommitReadOnly): it is still in it, and they are read first.
  explicit Pipeline(PGconn* conn)
      : conn_(conn), statements_(StatementsOf(conn)), left_(std::exchange(statements_.answers_left, 0)) {
    if (left_ == 0 && PQenterPipelineMode(conn_) != 1) ThrowPostgres(conn_, nullptr);
  }
  ~Pipeline() {
    for (PGresult* result : results_) PQclear(result);
    // After a failed send; a no-op after RoundTrip; not after SendOnly,
    // whose answers are still to come.
    if (statements_.answers_left == 0) PQexitPipelineMode(conn_);
  }

  // Returns the entry's index among the results.
  std::size_t Text(const std::string& sql, const Parameters& parameters = {}) {
    std::vector<const char*> values = Values(parameters);
    Check(PQsendQueryParams(conn_, sql.c_str(), static_cast<int>(values.size()), nullptr,
                            values.data(), nullptr, nullptr, 0));
    return Sent(nullptr);
  }
  // Prepares `sql` on the connection first if it is new there.
  std::size_t Prepared(const std::string& sql, const Parameters& parameters) {
    auto [slot, inserted] = statements_.postgres.try_emplace(sql);
    if (inserted) {
      slot->second = "roster_" + std::to_string(statements_.postgres.size());
      Check(PQsendPrepare(conn_, slot->second.c_str(), sql.c_str(), 0, nullptr));
      Sent(&slot->first);
    }
    std::vector<const char*> values = Values(parameters);
    Check(PQsendQueryPrepared(conn_, slot->second.c_str(), static_cast<int>(values.size()),
                              values.data(), nullptr, nullptr, 0));
    return Sent(nullptr);
  }

  // Sends everything and reads every result. Throws the first failure
  // (the connection's, if it broke), after a statement failed too.
  void RoundTrip() {
    if (PQpipelineSync(conn_) != 1) ThrowPostgres(conn_, nullptr);
    ReadLeft();
    bool complete = true;
    for (std::size_t i = 0; i < preparing_.size(); ++i) {
      PGresult* result = NextResult(conn_);
      if (result == nullptr) {
        complete = false;
        break;
      }
      results_.push_back(result);
      ExecStatusType status = PQresultStatus(result);
      if (status == PGRES_FATAL_ERROR && failed_ == npos) failed_ = i;
      if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK && preparing_[i] != nullptr) {
        std::string not_prepared = *preparing_[i];  // the key of the entry erased
        statements_.postgres.erase(not_prepared);
      }
      while (PGresult* rest = NextResult(conn_)) PQclear(rest);  // the entry's end
    }
    if (complete) complete = ReadSync(conn_);
    if (PQexitPipelineMode(conn_) != 1) complete = false;
    if (!complete && failed_ == npos) ThrowPostgres(conn_, nullptr);  // the connection broke
    complete_ = complete;
  }

  // Sends everything and leaves the answers on the connection, for its
  // next user to read first (ReadAnswersLeft).
  void SendOnly() {
    if (PQpipelineSync(conn_) != 1) ThrowPostgres(conn_, nullptr);  // sends, as it flushes
    ReadLeft();
    statements_.answers_left = preparing_.size();
  }

  // Reads what the connection's last user left (`left` entries, then their
  // end); throws as a lost connection when one failed or it broke.
  static void ReadLeft(PGconn* conn, std::size_t left) {
    if (left == 0) return;
    bool complete = true;
    for (std::size_t i = 0; i < left && complete; ++i) {
      PGresult* result = NextResult(conn);
      complete = result != nullptr && PQresultStatus(result) == PGRES_COMMAND_OK;
      if (result != nullptr) PQclear(result);
      while (PGresult* rest = NextResult(conn)) PQclear(rest);  // the entry's end
    }
    if (complete) complete = ReadSync(conn);
    if (!complete) {
      PQexitPipelineMode(conn);
      throw soci::postgresql_soci_error("an earlier read's COMMIT did not answer: " +
                                            std::string(PQerrorMessage(conn)),
                                        "08006");
    }
  }

  void ReadLeft() { ReadLeft(conn_, std::exchange(left_, 0)); }

  static constexpr std::size_t npos = static_cast<std::size_t>(-1);
  // The first entry that failed, or npos.
  std::size_t failed() const { return failed_; }
  bool complete() const { return complete_; }
  bool ok(std::size_t entry) const {
    if (entry >= results_.size()) return false;
    ExecStatusType status = PQresultStatus(results_[entry]);
    return status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
  }
  // Hands the result over to the caller.
  PGresult* Take(std::size_t entry) { return std::exchange(results_[entry], nullptr); }
  [[noreturn]] void ThrowFailure() { ThrowPostgres(conn_, Take(failed_)); }

 private:
  // Reads the end of a pipeline's answers; false when it is not there.
  static bool ReadSync(PGconn* conn) {
    PGresult* sync = NextResult(conn);
    bool read = sync != nullptr && PQresultStatus(sync) == PGRES_PIPELINE_SYNC;
    if (sync != nullptr) PQclear(sync);
    return read;
  }

  static std::vector<const char*> Values(const Parameters& parameters) {
    std::vector<const char*> values;
    values.reserve(parameters.size());
    for (const auto& parameter : parameters)
      values.push_back(parameter ? parameter->c_str() : nullptr);
    return values;
  }
  void Check(int accepted) {
    if (accepted != 1) ThrowPostgres(conn_, nullptr);
  }
  std::size_t Sent(const std::string* preparing) {
    preparing_.push_back(preparing);
    return preparing_.size() - 1;
  }

  PGconn* conn_;
  Statements& statements_;
  std::size_t left_;  // answers the connection's last user left unread
  bool complete_ = false;
  std::vector<const std::string*> preparing_;  // per entry: the SQL it prepares, or null
  std::vector<PGresult*> results_;
  std::size_t failed_ = npos;
};

// The lazy BEGIN and the statements sent ahead, first in the pipeline.
void SendWaiting(Tx& tx, Pipeline& pipeline) {
  tx.SetAnswersLeft(false);  // the pipeline reads them
  if (!tx.begin().empty()) pipeline.Text(std::exchange(tx.begin(), {}));
  for (const std::string& ahead : tx.ahead()) pipeline.Text(ahead);
  tx.ahead().clear();
}

}  // namespace

// PostgreSQL: one round trip that also carries what waits (the lazy BEGIN,
// statements sent ahead) and, the first time this connection sees the
// statement, its preparation.
void Query::Run() {
  Pipeline pipeline(PostgresHandle(tx_.session()));
  SendWaiting(tx_, pipeline);
  std::vector<std::pair<Query*, std::size_t>> sent;
  for (Query* query = this; query != nullptr && !query->ran_; query = query->with_) {
    query->ran_ = true;
    sent.emplace_back(query, query->reuse_ == Reuse::kOnce
                                 ? pipeline.Text(query->sql_, query->parameters_)
                                 : pipeline.Prepared(query->sql_, query->parameters_));
  }
  try {
    pipeline.RoundTrip();
    if (pipeline.failed() != Pipeline::npos) pipeline.ThrowFailure();
  } catch (...) {
    // None of them has rows to read: a later read sends it again, and it
    // fails with its transaction instead of reading as empty.
    for (auto [query, entry] : sent) query->ran_ = false;
    throw;
  }
  for (auto [query, entry] : sent) {
    query->result_ = pipeline.Take(entry);
    query->rows_ = PQntuples(query->result_);
  }
}

void Commit(Tx& tx, bool release_locks_first, bool& committed) {
  committed = false;
  PGconn* conn = PostgresHandle(tx.session());
  Pipeline pipeline(conn);
  SendWaiting(tx, pipeline);
  for (const Tx::Statement& statement : tx.at_commit())
    pipeline.Prepared(statement.sql, statement.parameters);
  // synchronous_commit applies at COMMIT, so SET LOCAL just before it is
  // enough. The SELECT after the COMMIT is a transaction of its own (the
  // session's synchronous_commit again): it writes a logical-decoding
  // message, which gives it an xid and a WAL record, so its commit flushes
  // the WAL up to its end, past the first commit's record. A WAL writer or
  // another backend's flush may get there first; the wait is then short.
  static const std::string kAsynchronous = "SET LOCAL synchronous_commit = off";
  static const std::string kCommit = "COMMIT";
  static const std::string kFlushBarrier =
      "SELECT pg_logical_emit_message(true, 'roster', 'flush')";
  if (release_locks_first) pipeline.Text(kAsynchronous);
  std::size_t commit = pipeline.Text(kCommit);
  if (release_locks_first) pipeline.Text(kFlushBarrier);
  pipeline.RoundTrip();
  committed = pipeline.ok(commit);
  if (pipeline.failed() == Pipeline::npos) return;
  if (pipeline.failed() < commit && pipeline.complete()) {
    // A statement before the COMMIT failed, so the COMMIT did not run: the
    // transaction is still open, and aborted.
    PQclear(PQexec(conn, "ROLLBACK"));
  }
  pipeline.ThrowFailure();
}

void AvoidSorts(Tx& tx) {
  if (tx.backend == Backend::kPostgres) tx.SendAhead("SET LOCAL enable_sort = off");
}

void RestoreSorts(Tx& tx) {
  if (tx.backend == Backend::kPostgres) tx.SendAhead("SET LOCAL enable_sort TO DEFAULT");
}

void CommitReadOnly(Tx& tx) {
  Pipeline pipeline(PostgresHandle(tx.session()));
  SendWaiting(tx, pipeline);
  pipeline.Text("COMMIT");
  pipeline.SendOnly();
}

void ReadAnswersLeft(soci::session& sql) {
  PGconn* conn = PostgresHandle(sql);
  std::size_t left = std::exchange(StatementsOf(conn).answers_left, 0);
  if (left == 0) return;  // (answered in a round trip since)
  Pipeline::ReadLeft(conn, left);
  if (PQexitPipelineMode(conn) != 1) ThrowPostgres(conn, nullptr);
}

bool HasAnswersLeft(soci::session& sql) {
  return sql.get_backend() != nullptr && StatementsOf(PostgresHandle(sql)).answers_left > 0;
}

bool ConnectionBroke(soci::session& sql) {
  constexpr int kCloseAfterFatalMs = 50;
  if (sql.get_backend() == nullptr) return true;
  PGconn* conn = PostgresHandle(sql);
  if (PQstatus(conn) == CONNECTION_BAD) return true;
  pollfd socket{PQsocket(conn), POLLIN, 0};
  if (socket.fd >= 0) poll(&socket, 1, kCloseAfterFatalMs);
  return PQconsumeInput(conn) == 0 || PQstatus(conn) == CONNECTION_BAD;
}

bool CanFlushAfterCommit(soci::session& sql) {
  int allowed = 0;
  sql << "SELECT CASE WHEN has_function_privilege("
         "'pg_logical_emit_message(boolean, text, text)', 'EXECUTE') THEN 1 ELSE 0 END",
      soci::into(allowed);
  return allowed == 1;
}

void ForgetStatements(soci::session& sql) {
  if (sql.get_backend() == nullptr) return;
  const void* handle = nullptr;
  bool is_sqlite = sql.get_backend_name() == "sqlite3";
  handle = is_sqlite ? static_cast<const void*>(SqliteHandle(sql))
                     : static_cast<const void*>(PostgresHandle(sql));
  std::unique_ptr<Statements> statements;
  {
    std::lock_guard lock(registry_mutex);
    auto found = registry.find(handle);
    if (found == registry.end()) return;
    statements = std::move(found->second);
    registry.erase(found);
  }
  for (auto& [text, cached] : statements->sqlite) sqlite3_finalize(cached.statement);
}

sqlite_api::sqlite3* SqliteHandle(soci::session& sql) {
  return static_cast<soci::sqlite3_session_backend*>(sql.get_backend())->conn_;
}

pg_conn* PostgresHandle(soci::session& sql) {
  return static_cast<soci::postgresql_session_backend*>(sql.get_backend())->conn_;
}

}  // namespace roster::store
