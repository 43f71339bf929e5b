// Database::WriteOneStatement: a write of exactly one statement, its own
// transaction. The mail sender claims and marks every e-mail this way, and
// authentication touches its session: on PostgreSQL one round trip each
// instead of BEGIN, the statement and COMMIT.
#include <soci/soci.h>

#include "store_fixture.hpp"

namespace roster::testing {
namespace {

class OneStatementWriteTest : public StoreTest {
 protected:
  static Result<long long> CountOrganizations(store::Tx& tx) {
    long long organizations = -1;
    tx.sql() << "SELECT COUNT(*) FROM organizations", soci::into(organizations);
    return organizations;
  }

  // 1 when the statement asking is the first of its transaction: PostgreSQL
  // gives a transaction's first statement the transaction's own timestamp.
  static Result<int> FirstOfItsTransaction(store::Tx& tx) {
    int first = -1;
    tx.sql() << "SELECT CASE WHEN statement_timestamp() = transaction_timestamp() "
              "THEN 1 ELSE 0 END",
        soci::into(first);
    return first;
  }
};

TEST_F(OneStatementWriteTest, ItsWriteIsCommittedWhenItAnswers) {
  Status written = database_->WriteOneStatement<void>([](store::Tx& tx) -> Status {
    tx.sql() << "INSERT INTO organizations (name, created_at) VALUES ('Acme', 1)";
    return {};
  });
  ASSERT_TRUE(written.ok()) << written.problem().internal;
  Result<long long> count = database_->Read<long long>(CountOrganizations);
  ASSERT_TRUE(count.ok()) << count.problem().internal;
  EXPECT_EQ(*count, 1);
}

// A failed statement is the problem of its caller, answered once, and it
// leaves no transaction open behind it on the connection.
TEST_F(OneStatementWriteTest, AFailedStatementLeavesTheConnectionsUsable) {
  auto insert_twice = [](store::Tx& tx) -> Status {
    tx.sql() << "INSERT INTO users (id, email, name, created_at) VALUES (7, 'a@x.test', 'A', 0)";
    return {};
  };
  ASSERT_TRUE(database_->WriteOneStatement<void>(insert_twice).ok());
  Status again = database_->WriteOneStatement<void>(insert_twice);
  ASSERT_FALSE(again.ok());
  EXPECT_EQ(again.problem().category, ProblemCode::kInternal) << again.problem().internal;
  for (int i = 0; i < 8; ++i) {  // more than the pool's connections
    Status written = database_->Write<void>([](store::Tx& tx) -> Status {
      tx.sql() << "INSERT INTO organizations (name, created_at) VALUES ('Acme', 1)";
      return {};
    });
    ASSERT_TRUE(written.ok()) << written.problem().internal;
  }
  Result<long long> count = database_->Read<long long>(CountOrganizations);
  ASSERT_TRUE(count.ok());
  EXPECT_EQ(*count, 8);
}

// PostgreSQL only (registered so): no BEGIN before it. Under Write the
// statement asking follows BEGIN; under WriteOneStatement it is alone.
TEST_F(OneStatementWriteTest, OnPostgresqlItIsItsOwnTransaction) {
  Result<int> alone = database_->WriteOneStatement<int>(FirstOfItsTransaction);
  ASSERT_TRUE(alone.ok()) << alone.problem().internal;
  EXPECT_EQ(*alone, 1);
  Result<int> inside = database_->Write<int>(FirstOfItsTransaction);
  ASSERT_TRUE(inside.ok()) << inside.problem().internal;
  EXPECT_EQ(*inside, 0);
}

// PostgreSQL only (registered so): a one-statement write whose connection
// is lost under it may have committed, so it is not run again; a
// transaction that lost its connection before COMMIT is, once, on a fresh
// one. The statement here ends its own connection.
TEST_F(OneStatementWriteTest, OnPostgresqlALostConnectionIsNotWrittenAgain) {
  int runs = 0;
  auto end_the_connection = [&runs](store::Tx& tx) -> Status {
    ++runs;
    tx.sql() << "SELECT pg_terminate_backend(pg_backend_pid())";
    return {};
  };
  Status alone = database_->WriteOneStatement<void>(end_the_connection);
  ASSERT_FALSE(alone.ok());
  EXPECT_EQ(alone.problem().category, ProblemCode::kUnavailable) << alone.problem().internal;
  EXPECT_EQ(runs, 1);
  runs = 0;
  Status inside = database_->Write<void>(end_the_connection);
  ASSERT_FALSE(inside.ok());
  EXPECT_EQ(runs, 2);
}

}  // namespace
}  // namespace roster::testing
