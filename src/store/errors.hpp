#pragma once

#include <exception>
#include <stdexcept>
#include <string>

namespace roster::store {

// What a driver exception means for the caller.
enum class FailureKind {
  kRetryable,       // SQLite busy/locked, PostgreSQL serialization failure or deadlock
  kConnectionLost,  // the server went away: reconnect, answer 503 meanwhile
  kConstraint,      // a unique, foreign-key or check constraint refused the write
  kReadOnly,        // the database takes no writes: a standby, a recovery left paused
  kUnanswered,      // the server said nothing at all (frozen, cut off): see Unanswered
  kBug,             // anything else: a bad statement, a type mismatch
};

FailureKind Classify(const std::exception& error);

// PostgreSQL left a round trip without a byte of answer, and did not answer
// a new connection either: a server frozen (a stalled disk, a paused VM) or
// cut off without a reset, where TCP alone waits for minutes. The
// connection was given up; opening another now would wait as long again.
class Unanswered : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// True when `error` is a unique-constraint violation; store functions that
// expect a race on a unique key use it to answer 409 instead of 500.
bool IsUniqueViolation(const std::exception& error);

// A driver message folded onto one line, for one-line operator errors.
std::string FirstLine(const std::string& text);

// What a log line may say of a driver error: the driver, its error code
// (SQLite result code, PostgreSQL SQLSTATE) and the driver's own message on
// one line, but never the statement or the values bound to it (SOCI appends
// both to what(), and a value can be an e-mail carrying a one-time
// password) nor PostgreSQL's DETAIL (which quotes key values).
std::string DescribeSafely(const std::exception& error);

}  // namespace roster::store
