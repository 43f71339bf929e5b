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

  // True when ROSTER_TEST_SERVING_ROLE=1 asks the PostgreSQL tests to serve
  // as a role of its own (docs/deploy.md, "A separate serving role").
  static bool ServingRoleRequested();
  // PostgreSQL only, after `roster migrate`: a login role with the rights
  // docs/deploy.md gives a serving role and no more; returns the URL that
  // connects as it. It is dropped with the database.
  std::string AddServingRole();

 private:
  std::string url_;
  std::string postgres_name_;
  std::string serving_role_;
};

}  // namespace roster::testing
