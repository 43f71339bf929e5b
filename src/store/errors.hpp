#pragma once

#include <exception>
#include <string>

namespace roster::store {

// What a driver exception means for the caller.
enum class FailureKind {
  kRetryable,       // SQLite busy/locked, PostgreSQL serialization failure or deadlock
  kConnectionLost,  // the server went away: reconnect, answer 503 meanwhile
  kConstraint,      // a unique, foreign-key or check constraint refused the write
  kReadOnly,        // the database takes no writes: a standby, a recovery left paused
  kBug,             // anything else: a bad statement, a type mismatch
};

FailureKind Classify(const std::exception& error);

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
