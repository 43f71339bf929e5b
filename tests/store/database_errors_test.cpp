// SPEC 6: logs never contain passwords or one-time passwords. A driver error
// becomes a Problem whose `internal` text is logged, so that text must not
// carry the statement's bound values (SOCI appends them to what(), and
// PostgreSQL's DETAIL quotes key values).
#include <soci/soci.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <memory>
#include <sstream>

#include "store/accounts.hpp"
#include "store_fixture.hpp"

namespace roster::testing {
namespace {

TEST_F(StoreTest, ADatabaseErrorNamesItsCodeButNotTheBoundValues) {
  const std::string secret_email = "otp-7kqm-r2xd-9zzz@example.test";
  const std::string secret_body = "One-time password: 7KQM-R2XD-ABCD-EFGH";
  Status failed = database_->Write<void>([&](store::Tx& tx) -> Status {
    for (int i = 0; i < 2; ++i) {  // the second insert breaks the unique e-mail
      tx.sql() << "INSERT INTO users (email, name, created_at) VALUES (:email, :name, 0)",
          soci::use(secret_email), soci::use(secret_body);
    }
    return {};
  });
  ASSERT_FALSE(failed.ok());
  const std::string& logged = failed.problem().internal;
  EXPECT_EQ(logged.find("7kqm"), std::string::npos) << logged;
  EXPECT_EQ(logged.find("7KQM"), std::string::npos) << logged;
  EXPECT_EQ(logged.find("INSERT"), std::string::npos) << logged;
  // Still useful to an operator: which driver, which code, what kind.
  EXPECT_NE(logged.find(is_postgres() ? "postgresql error 23505" : "sqlite error"),
            std::string::npos)
      << logged;
  EXPECT_NE(logged.find(is_postgres() ? "unique constraint" : "UNIQUE constraint failed"),
            std::string::npos)
      << logged;
}

// A database that takes no writes (a standby, a point-in-time recovery left
// paused at its target, SQLite's query_only): readiness says so, and a
// write is 503, not a 500 that reads as a bug of roster's.
TEST_F(StoreTest, ADatabaseThatTakesNoWritesIsUnavailableNotABug) {
  auto opened = store::Database::Open(url_, 1);
  ASSERT_TRUE(opened.ok()) << opened.problem().internal;
  store::Database& database = **opened;
  EXPECT_TRUE(database.Ping().ok());
  Status set = database.Write<void>([&](store::Tx& tx) -> Status {
    tx.sql() << (is_postgres() ? "SET default_transaction_read_only = on"
                               : "PRAGMA query_only = 1");
    return {};
  });
  ASSERT_TRUE(set.ok()) << set.problem().internal;
  Status write = database.Write<void>([&](store::Tx& tx) -> Status {
    tx.sql() << "INSERT INTO users (email, name, created_at) VALUES ('a@b.test', 'A', 0)";
    return {};
  });
  ASSERT_FALSE(write.ok());
  EXPECT_EQ(write.problem().category, ProblemCode::kUnavailable) << write.problem().internal;
  if (is_postgres()) {  // SQLite's pragma holds on its writing connection only
    Status ready = database.Ping();
    ASSERT_FALSE(ready.ok());
    EXPECT_EQ(ready.problem().slug, store::Database::kReadOnlySlug) << ready.problem().internal;
  }
}

// A server's notice (a WARNING as it shuts down, for one) is a log event
// like any other: libpq's own handler wrote it bare on stderr, a line that
// broke the log's logfmt or JSON.
TEST_F(StoreTest, ADatabaseServersNoticeIsALogEvent) {
  ASSERT_TRUE(is_postgres()) << "registered for PostgreSQL only: SQLite sends no notices";
  std::ostringstream log;
  auto previous = spdlog::default_logger();
  spdlog::set_default_logger(std::make_shared<spdlog::logger>(
      "capture", std::make_shared<spdlog::sinks::ostream_sink_mt>(log)));
  ::testing::internal::CaptureStderr();
  Status warned = database_->Write<void>([](store::Tx& tx) -> Status {
    tx.sql() << "DO $$ BEGIN RAISE WARNING 'roster \"notice\"\nsecond line'; END $$";
    return {};
  });
  std::string stderr_text = ::testing::internal::GetCapturedStderr();
  spdlog::set_default_logger(previous);
  ASSERT_TRUE(warned.ok()) << warned.problem().internal;
  EXPECT_EQ(stderr_text.find("roster"), std::string::npos) << stderr_text;
  EXPECT_NE(log.str().find("event=database_notice detail=\"WARNING:  roster 'notice' second line"),
            std::string::npos)
      << log.str();
}

}  // namespace
}  // namespace roster::testing
