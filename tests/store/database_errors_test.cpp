// SPEC 6: logs never contain passwords or one-time passwords. A driver error
// becomes a Problem whose `internal` text is logged, so that text must not
// carry the statement's bound values (SOCI appends them to what(), and
// PostgreSQL's DETAIL quotes key values).
#include <soci/soci.h>

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

}  // namespace
}  // namespace roster::testing
