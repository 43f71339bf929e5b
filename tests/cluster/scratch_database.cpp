#include "scratch_database.hpp"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <iostream>
#include <stdexcept>

#include <libpq-fe.h>

namespace roster::cluster_test {

std::string ToString(Backend backend) {
  return backend == Backend::kSqlite ? "sqlite" : "postgres";
}

std::string PostgresAdminUrl() {
  const char* url = std::getenv("ROSTER_TEST_PG_URL");
  return url == nullptr ? "" : url;
}

std::string ExecuteAsSuperuser(const std::string& sql) {
  std::string url = PostgresAdminUrl();
  if (url.empty()) throw std::runtime_error("ROSTER_TEST_PG_URL is not set");
  PGconn* connection = PQconnectdb(url.c_str());
  if (PQstatus(connection) != CONNECTION_OK) {
    std::string message = PQerrorMessage(connection);
    PQfinish(connection);
    throw std::runtime_error("cannot reach the test PostgreSQL: " + message);
  }
  PGresult* result = PQexec(connection, sql.c_str());
  ExecStatusType status = PQresultStatus(result);
  std::string first;
  if (status == PGRES_TUPLES_OK && PQntuples(result) > 0 && PQnfields(result) > 0) {
    first = PQgetvalue(result, 0, 0);
  }
  std::string message = PQerrorMessage(connection);
  PQclear(result);
  PQfinish(connection);
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK) {
    throw std::runtime_error(sql + ": " + message);
  }
  return first;
}

ScratchDatabase::ScratchDatabase(Backend backend, const std::filesystem::path& directory) : backend_(backend) {
  if (backend == Backend::kSqlite) {
    url_ = "sqlite:" + (directory / "roster.db").string();
    return;
  }
  static std::atomic<int> counter{0};
  postgres_name_ = "roster_cluster_" + std::to_string(::getpid()) + "_" + std::to_string(counter++);
  ExecuteAsSuperuser("CREATE DATABASE " + postgres_name_);
  std::string admin = PostgresAdminUrl();
  std::string base = admin.substr(0, admin.find('?'));
  url_ = base.substr(0, base.rfind('/') + 1) + postgres_name_;
}

ScratchDatabase::~ScratchDatabase() {
  if (postgres_name_.empty()) return;
  try {
    ExecuteAsSuperuser("DROP DATABASE IF EXISTS " + postgres_name_ + " WITH (FORCE)");
  } catch (const std::exception& error) {
    // A leftover database dies with the throw-away cluster; say so all the same.
    std::cerr << "could not drop " << postgres_name_ << ": " << error.what() << "\n";
  }
}

}  // namespace roster::cluster_test
