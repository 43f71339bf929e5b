#pragma once

#include <string>

namespace roster::testing {

// The database a test runs on. SQLite by default: a file in the test's
// directory. With ROSTER_TEST_BACKEND=postgres: a new database created on the
// cluster at ROSTER_TEST_PG_URL and dropped again on destruction.
class TestDatabase {
 public:
  explicit TestDatabase(const std::string& directory);
  ~TestDatabase();
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  const std::string& url() const { return url_; }
  bool is_postgres() const { return !postgres_name_.empty(); }

  // True when the tests were asked to run on PostgreSQL.
  static bool PostgresRequested();

  // PostgreSQL only: the first value of `sql`'s answer, as text.
  std::string QueryValue(const std::string& sql) const;

 private:
  std::string url_;
  std::string postgres_name_;
};

}  // namespace roster::testing
