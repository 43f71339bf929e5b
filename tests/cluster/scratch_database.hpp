#pragma once

#include <filesystem>
#include <ostream>
#include <string>

namespace roster::cluster_test {

enum class Backend { kSqlite, kPostgres };
std::string ToString(Backend backend);
// For GoogleTest's messages about parameterized tests.
inline void PrintTo(Backend backend, std::ostream* out) { *out << ToString(backend); }

// ROSTER_TEST_PG_URL: a superuser URL of a throw-away cluster's `postgres`
// database (scripts/with-postgres.sh sets it). Empty when absent.
std::string PostgresAdminUrl();

// Runs `sql` on ROSTER_TEST_PG_URL as the superuser and returns the first
// column of the first row ("" when there is none). Throws
// std::runtime_error when the server refuses the statement.
std::string ExecuteAsSuperuser(const std::string& sql);

// A database of the test's own: a SQLite file under `directory`, or a new
// PostgreSQL database on ROSTER_TEST_PG_URL, dropped again on destruction.
class ScratchDatabase {
 public:
  ScratchDatabase(Backend backend, const std::filesystem::path& directory);
  ~ScratchDatabase();
  ScratchDatabase(const ScratchDatabase&) = delete;
  ScratchDatabase& operator=(const ScratchDatabase&) = delete;

  Backend backend() const { return backend_; }
  const std::string& url() const { return url_; }
  // The PostgreSQL database's name; "" on SQLite.
  const std::string& postgres_name() const { return postgres_name_; }

 private:
  Backend backend_;
  std::string url_;
  std::string postgres_name_;
};

}  // namespace roster::cluster_test
