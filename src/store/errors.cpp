#include "store/errors.hpp"

#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>
#include <sqlite3.h>

namespace roster::store {

FailureKind Classify(const std::exception& error) {
  if (dynamic_cast<const Unanswered*>(&error) != nullptr) return FailureKind::kUnanswered;
  if (auto* sqlite = dynamic_cast<const soci::sqlite3_soci_error*>(&error)) {
    int code = sqlite->result() & 0xFF;
    if (code == SQLITE_BUSY || code == SQLITE_LOCKED) return FailureKind::kRetryable;
    if (code == SQLITE_CONSTRAINT) return FailureKind::kConstraint;
    if (code == SQLITE_READONLY) return FailureKind::kReadOnly;
    if (code == SQLITE_IOERR || code == SQLITE_CANTOPEN || code == SQLITE_FULL)
      return FailureKind::kConnectionLost;
    return FailureKind::kBug;
  }
  if (auto* postgres = dynamic_cast<const soci::postgresql_soci_error*>(&error)) {
    std::string state = postgres->sqlstate();
    if (state == "40001" || state == "40P01") return FailureKind::kRetryable;
    if (state.rfind("23", 0) == 0) return FailureKind::kConstraint;
    // read_only_sql_transaction; a SERIALIZABLE transaction on a standby is
    // refused before that, as a feature not supported.
    if (state == "25006" || (state == "0A000" && postgres->get_error_message().find(
                                                     "hot standby") != std::string::npos)) {
      return FailureKind::kReadOnly;
    }
    if (state.rfind("08", 0) == 0 || state.rfind("57P", 0) == 0)
      return FailureKind::kConnectionLost;
    if (postgres->get_error_category() == soci::soci_error::connection_error)
      return FailureKind::kConnectionLost;
    return FailureKind::kBug;
  }
  if (auto* soci_error = dynamic_cast<const soci::soci_error*>(&error)) {
    switch (soci_error->get_error_category()) {
      case soci::soci_error::connection_error:
      case soci::soci_error::unknown_transaction_state:
      case soci::soci_error::system_error:
        return FailureKind::kConnectionLost;
      case soci::soci_error::constraint_violation:
        return FailureKind::kConstraint;
      default:
        break;
    }
    // libpq reports a dead server in its message without an SQLSTATE.
    std::string message = soci_error->what();
    if (message.find("server closed the connection") != std::string::npos ||
        message.find("no connection to the server") != std::string::npos ||
        message.find("Connection refused") != std::string::npos) {
      return FailureKind::kConnectionLost;
    }
  }
  return FailureKind::kBug;
}

bool IsUniqueViolation(const std::exception& error) {
  if (auto* sqlite = dynamic_cast<const soci::sqlite3_soci_error*>(&error)) {
    return sqlite->result() == SQLITE_CONSTRAINT_UNIQUE ||
           sqlite->result() == SQLITE_CONSTRAINT_PRIMARYKEY ||
           (sqlite->result() == SQLITE_CONSTRAINT &&
            std::string(error.what()).find("UNIQUE") != std::string::npos);
  }
  if (auto* postgres = dynamic_cast<const soci::postgresql_soci_error*>(&error)) {
    return postgres->sqlstate() == "23505";
  }
  return false;
}

std::string FirstLine(const std::string& text) {
  // Drivers spread one error over several lines; an operator wants one.
  std::string line;
  for (char c : text) {
    if (c == '\n' || c == '\r') {
      if (!line.empty() && line.back() != ' ') line += ' ';
    } else {
      line += c;
    }
  }
  while (!line.empty() && line.back() == ' ') line.pop_back();
  return line;
}

namespace {

// PostgreSQL's message without its DETAIL/HINT/CONTEXT lines and without a
// quoted value ("invalid input syntax for type bigint: \"x\"").
std::string PrimaryMessage(const std::string& message) {
  std::string primary = message.substr(0, message.find('\n'));
  if (std::size_t quoted = primary.find(": \""); quoted != std::string::npos) primary.erase(quoted);
  return FirstLine(primary);
}

}  // namespace

std::string DescribeSafely(const std::exception& error) {
  if (dynamic_cast<const Unanswered*>(&error) != nullptr) return error.what();
  if (auto* sqlite = dynamic_cast<const soci::sqlite3_soci_error*>(&error)) {
    // SQLite's own messages name tables and columns, never values.
    return "sqlite error " + std::to_string(sqlite->result()) + ": " +
           PrimaryMessage(sqlite->get_error_message());
  }
  if (auto* postgres = dynamic_cast<const soci::postgresql_soci_error*>(&error)) {
    return "postgresql error " + postgres->sqlstate() + ": " +
           PrimaryMessage(postgres->get_error_message());
  }
  if (auto* soci_error = dynamic_cast<const soci::soci_error*>(&error)) {
    // A connection that could not be made: the reason is libpq's, on the
    // lines after SOCI's own sentence (refused, no such database, a refused
    // login, a certificate). It names hosts, ports, users and databases,
    // never a password or a value.
    static const std::string kCannotConnect = "Cannot establish connection to the database.";
    const std::string& message = soci_error->get_error_message();
    if (message.rfind(kCannotConnect, 0) == 0) return "database error: " + FirstLine(message);
    return "database error: " + PrimaryMessage(message);
  }
  return "error: " + PrimaryMessage(error.what());
}

}  // namespace roster::store
