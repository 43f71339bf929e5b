#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/database.hpp"

// SOCI includes sqlite3.h inside namespace sqlite_api.
namespace sqlite_api {
struct sqlite3;
struct sqlite3_stmt;
}
struct pg_conn;
struct pg_result;

// The store's statements of fixed text, prepared once per connection and
// reused: no parsing and planning per request on SQLite, one round trip per
// statement on PostgreSQL (SOCI's rowsets prepare, execute and deallocate:
// three; its one-time statements are parsed and planned on every call, ~50
// us of PostgreSQL's CPU), and typed reads without a soci::row per row; and
// statements whose text is assembled per call (the list pages' filters),
// run once in one round trip. Store code only.
namespace roster::store {

class Query {
 public:
  // kPrepared: prepared on this connection the first time its text is
  // seen, then reused. kOnce: for text assembled per call (filters, lists
  // of ids), which would fill the connection's cache: SQLite prepares it
  // and finalizes it after use; PostgreSQL gets the text and its
  // parameters in one round trip (an unnamed statement, planned for these
  // values), where SOCI's rowsets take three (parse, execute, deallocate).
  enum class Reuse { kPrepared, kOnce };

  // `sql` numbers its parameters $1, $2, ... and works on both databases.
  Query(Tx& tx, std::string sql, Reuse reuse = Reuse::kPrepared);
  ~Query();
  Query(const Query&) = delete;
  Query& operator=(const Query&) = delete;

  // Parameters in the order of their numbers.
  Query& Bind(std::int64_t value);
  Query& Bind(std::string_view value);
  Query& Bind(const std::optional<std::int64_t>& value);

  // On PostgreSQL, `next` goes out in this statement's round trip, and its
  // rows are there when it is read: for a statement of the same transaction
  // that does not need this one's rows. Elsewhere `next` runs when it is
  // read. Both bound before this one runs; `next` outlives that.
  Query& With(Query& next);

  // Runs the statement (on the first call) and moves to the next row; false
  // when there is none. Driver errors throw, as SOCI's do.
  bool Next();
  // Runs a statement that yields no rows; returns the rows it changed.
  std::int64_t Execute();
  // A write whose rows nothing in the transaction reads back, and which is
  // not expected to fail (an e-mail queued in the outbox): on PostgreSQL,
  // inside a transaction, it is sent with the COMMIT in one round trip
  // (a failure then fails the commit, and the transaction rolls back as a
  // whole); elsewhere it runs now. kPrepared only.
  void ExecuteAtCommit();

  // Reads of the current row.
  bool IsNull(int column) const;
  std::int64_t Int64(int column) const;
  std::optional<std::int64_t> OptionalInt64(int column) const;
  std::string Text(int column) const;  // "" for NULL
  std::optional<std::string> OptionalText(int column) const;

 private:
  void Run();

  Tx& tx_;
  std::string sql_;
  Reuse reuse_;
  std::vector<std::optional<std::string>> parameters_;  // PostgreSQL: text form
  sqlite_api::sqlite3_stmt* statement_ = nullptr;       // SQLite: cached, reset on destruction
  bool owned_ = false;  // SQLite: not the cached one (in use, or kOnce): finalized after use
  bool* taken_ = nullptr;  // SQLite: the cached one's mark of being held, cleared after use
  int bound_ = 0;
  bool ran_ = false;
  pg_result* result_ = nullptr;  // PostgreSQL: every row at once
  Query* with_ = nullptr;        // PostgreSQL: sent in the same round trip
  int row_ = -1;
  int rows_ = 0;
};

// PostgreSQL: commits the open transaction, its deferred statements
// (Query::ExecuteAtCommit) and the COMMIT in one round trip (libpq's
// pipeline mode). With `release_locks_first` (a contended transaction), the
// COMMIT does not wait for its WAL flush, so that its locks are released at
// once, and is followed, in the same round trip, by a one-statement
// transaction that writes a WAL record and commits synchronously: its flush
// covers the first commit. A failed deferred statement rolls the transaction
// back. Throws like a failed statement; `committed` tells whether the COMMIT
// went through (a failure after it is a failed flush, whose outcome is
// unknown).
void Commit(Tx& tx, bool release_locks_first, bool& committed);

// A connection's native handle, for the driver calls SOCI has no word for.
sqlite_api::sqlite3* SqliteHandle(soci::session& sql);
pg_conn* PostgresHandle(soci::session& sql);

// PostgreSQL: ends a read-only transaction (what waits to be sent, then
// its COMMIT) without waiting for the answer, which stays on the
// connection for its next user: the caller answers one round trip sooner,
// and the next user's first statement goes out at once, its answer read
// after the COMMIT's (or a SOCI statement's after ReadAnswersLeft). Such a
// COMMIT has nothing to make durable and nothing to fail on but a lost
// connection, and what the transaction read is already read. It is sent
// at once, so the connection holds no snapshot or lock while it waits in
// the pool.
void CommitReadOnly(Tx& tx);

// PostgreSQL: whether `sql`'s connection holds answers CommitReadOnly left,
// and reading them (before a SOCI statement). A failed one or a broken
// connection throws as a lost connection.
bool HasAnswersLeft(soci::session& sql);
void ReadAnswersLeft(soci::session& sql);

// PostgreSQL: whether `sql`'s connection broke. A server that ends a session
// (an administrator's pg_terminate_backend, a shutdown) sends a FATAL error
// and then closes it; libpq may have read the error and not yet the close,
// and still calls the connection good, so a failure then reads as anything
// but a lost connection. This reads what is waiting, after up to 50 ms for
// the close that follows such an error. For a connection that just failed.
bool ConnectionBroke(soci::session& sql);

// Whether the connected role may write the flush barrier of CommitThenFlush.
bool CanFlushAfterCommit(soci::session& sql);

// PostgreSQL: the transaction's next statements, until RestoreSorts, are
// planned without a sort wherever another plan exists (SET LOCAL
// enable_sort = off, sent with the next statement; RestoreSorts likewise).
// For a page whose range an index holds in the page's order: PostgreSQL
// without statistics (a new database, autovacuum not yet round) guesses a
// range of any size at ~80 rows and reads it whole through a bitmap to
// sort it. Nothing on SQLite.
void AvoidSorts(Tx& tx);
void RestoreSorts(Tx& tx);

// Forgets (and on SQLite finalizes) the statements prepared on `sql`'s
// connection; before it is closed or reopened.
void ForgetStatements(soci::session& sql);

}  // namespace roster::store
