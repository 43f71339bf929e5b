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

bool TestDatabase::ServingRoleRequested() {
  const char* serving = std::getenv("ROSTER_TEST_SERVING_ROLE");
  return serving != nullptr && std::string(serving) == "1";
}

std::string TestDatabase::AddServingRole() {
  if (!is_postgres()) throw std::logic_error("AddServingRole is for PostgreSQL");
  serving_role_ = postgres_name_ + "_serving";
  Execute("CREATE ROLE " + serving_role_ + " LOGIN", url_);
  Execute("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO " + serving_role_,
          url_);
  Execute("GRANT USAGE ON SEQUENCE leads_id_seq TO " + serving_role_, url_);
  // postgresql://OWNER@host:port/name -> postgresql://ROLE@host:port/name
  std::string::size_type scheme_end = url_.find("://") + 3;
  std::string::size_type at = url_.find('@', scheme_end);
  std::string host = at == std::string::npos ? url_.substr(scheme_end) : url_.substr(at + 1);
  return url_.substr(0, scheme_end) + serving_role_ + "@" + host;
}

TestDatabase::~TestDatabase() {
  if (postgres_name_.empty()) return;
  try {
    Execute("DROP DATABASE IF EXISTS " + postgres_name_ + " WITH (FORCE)");
    if (!serving_role_.empty()) Execute("DROP ROLE IF EXISTS " + serving_role_);
  } catch (const std::exception&) {
    // A leftover database or role dies with the throw-away cluster.
  }
}

}  // namespace roster::testing
