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

void Execute(const std::string& sql) {
  PGconn* connection = PQconnectdb(AdminUrl().c_str());
  if (PQstatus(connection) != CONNECTION_OK) {
    std::string message = PQerrorMessage(connection);
    PQfinish(connection);
    throw std::runtime_error("cannot reach the test PostgreSQL: " + message);
  }
  PGresult* result = PQexec(connection, sql.c_str());
  bool ok = PQresultStatus(result) == PGRES_COMMAND_OK;
  std::string message = PQerrorMessage(connection);
  PQclear(result);
  PQfinish(connection);
  if (!ok) throw std::runtime_error(sql + ": " + message);
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

TestDatabase::~TestDatabase() {
  if (postgres_name_.empty()) return;
  try {
    Execute("DROP DATABASE IF EXISTS " + postgres_name_ + " WITH (FORCE)");
  } catch (const std::exception&) {
    // A leftover database dies with the throw-away cluster.
  }
}

}  // namespace roster::testing
