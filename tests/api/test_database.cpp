#include "test_database.hpp"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <stdexcept>

#include <libpq-fe.h>

namespace roster::testing {
namespace {

std::string AdminUrl() {
  const char* url = std::getenv("ROSTER_TEST_PG_URL");
  if (url == nullptr || *url == '\0') {
    throw std::runtime_error("ROSTER_TEST_BACKEND=postgres needs ROSTER_TEST_PG_URL (scripts/with-postgres.sh sets it)");
  }
  return url;
}

// Runs `sql` on the database at `url`; returns the first value of its
// answer ("" when there is none).
std::string Execute(const std::string& sql, const std::string& url = AdminUrl()) {
  PGconn* connection = PQconnectdb(url.c_str());
  if (PQstatus(connection) != CONNECTION_OK) {
    std::string message = PQerrorMessage(connection);
    PQfinish(connection);
    throw std::runtime_error("cannot reach the test PostgreSQL: " + message);
  }
  PGresult* result = PQexec(connection, sql.c_str());
  ExecStatusType status = PQresultStatus(result);
  bool ok = status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
  std::string value = ok && PQntuples(result) > 0 ? PQgetvalue(result, 0, 0) : "";
  std::string message = PQerrorMessage(connection);
  PQclear(result);
  PQfinish(connection);
  if (!ok) throw std::runtime_error(sql + ": " + message);
  return value;
}

}  // namespace

bool TestDatabase::PostgresRequested() {
  const char* backend = std::getenv("ROSTER_TEST_BACKEND");
  return backend != nullptr && std::string(backend) == "postgres";
}

TestDatabase::TestDatabase(const std::string& directory) {
  if (!PostgresRequested()) {
    url_ = "sqlite:" + directory + "/roster.db";
    return;
  }
  static std::atomic<int> counter{0};
  postgres_name_ = "roster_test_" + std::to_string(getpid()) + "_" + std::to_string(counter++);
  Execute("CREATE DATABASE " + postgres_name_);
  std::string admin = AdminUrl();
  url_ = admin.substr(0, admin.rfind('/') + 1) + postgres_name_;
}

std::string TestDatabase::QueryValue(const std::string& sql) const {
  if (!is_postgres()) throw std::logic_error("QueryValue is for PostgreSQL");
  return Execute(sql, url_);
}

TestDatabase::~TestDatabase() {
  if (postgres_name_.empty()) return;
  try {
    Execute("DROP DATABASE IF EXISTS " + postgres_name_ + " WITH (FORCE)");
  } catch (const std::exception&) {
    // A leftover database dies with the throw-away cluster.
  }
}

}  // namespace roster::testing
