// store::Query's two kinds of statement: prepared once per connection and
// reused, or of one call (text assembled per call) and gone after it; and
// writes sent with the COMMIT (ExecuteAtCommit).
#include "store/query.hpp"

#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include "store_fixture.hpp"

namespace roster::testing {
namespace {

class QueryTest : public StoreTest {
 protected:
  // Statements the connection holds: PostgreSQL's named prepared
  // statements, or SQLite's prepared statements.
  long long Held(store::Tx& tx) {
    long long held = 0;
    if (is_postgres()) {
      tx.sql() << "SELECT COUNT(*) FROM pg_prepared_statements", soci::into(held);
      return held;
    }
    auto* db = static_cast<soci::sqlite3_session_backend*>(tx.sql().get_backend())->conn_;
    for (auto* s = sqlite_api::sqlite3_next_stmt(db, nullptr); s != nullptr;
         s = sqlite_api::sqlite3_next_stmt(db, s)) {
      ++held;
    }
    return held;
  }

  static long long CountOrganizations(store::Tx& tx) {
    long long organizations = -1;
    tx.sql() << "SELECT COUNT(*) FROM organizations", soci::into(organizations);
    return organizations;
  }

  static long long Answer(store::Tx& tx, long long value, store::Query::Reuse reuse) {
    store::Query query(tx, "SELECT $1 + " + std::to_string(value), reuse);
    query.Bind(std::int64_t{1});
    EXPECT_TRUE(query.Next());
    return query.Int64(0);
  }
};

TEST_F(QueryTest, AStatementOfOneCallLeavesNothingOnTheConnection) {
  Status ran = database_->Read<void>([&](store::Tx& tx) -> Status {
    long long before = Held(tx);
    EXPECT_EQ(Answer(tx, 41, store::Query::Reuse::kOnce), 42);
    EXPECT_EQ(Answer(tx, 41, store::Query::Reuse::kOnce), 42);
    EXPECT_EQ(Held(tx), before);
    return {};
  });
  ASSERT_TRUE(ran.ok()) << ran.problem().internal;
}

TEST_F(QueryTest, APreparedStatementIsKeptAndReused) {
  Status ran = database_->Read<void>([&](store::Tx& tx) -> Status {
    long long before = Held(tx);
    EXPECT_EQ(Answer(tx, 6, store::Query::Reuse::kPrepared), 7);
    long long after_first = Held(tx);
    EXPECT_EQ(after_first, before + 1);
    EXPECT_EQ(Answer(tx, 6, store::Query::Reuse::kPrepared), 7);
    EXPECT_EQ(Held(tx), after_first);
    return {};
  });
  ASSERT_TRUE(ran.ok()) << ran.problem().internal;
}

// On PostgreSQL the write goes with the COMMIT (the transaction does not see
// its row); on SQLite it runs at once. Either way it commits with the
// transaction, contended or not, on every connection of the pool.
TEST_F(QueryTest, AWriteAtCommitCommitsWithItsTransaction) {
  for (int i = 0; i < 8; ++i) {  // more than the pool's connections
    Status written = database_->Write<void>([&](store::Tx& tx) -> Status {
      if (i % 2 == 1) tx.MarkContended();  // COMMIT, then the flush barrier
      store::Query insert(tx, "INSERT INTO organizations (name, created_at) VALUES ($1, 1)");
      insert.Bind("Acme " + std::to_string(i)).ExecuteAtCommit();
      EXPECT_EQ(CountOrganizations(tx), is_postgres() ? i : i + 1);
      return {};
    });
    ASSERT_TRUE(written.ok()) << written.problem().internal;
  }
  Result<long long> count = database_->Read<long long>(CountOrganizations);
  ASSERT_TRUE(count.ok()) << count.problem().internal;
  EXPECT_EQ(*count, 8);
}

// A write at commit that fails fails its transaction as a whole: what the
// transaction wrote before it is rolled back, and the connections go on.
TEST_F(QueryTest, AFailedWriteAtCommitRollsBackItsTransaction) {
  Execute("INSERT INTO users (id, email, name, created_at) VALUES (7, 'a@x.test', 'A', 0)");
  Status failed = database_->Write<void>([&](store::Tx& tx) -> Status {
    tx.sql() << "INSERT INTO organizations (name, created_at) VALUES ('Lost', 1)";
    store::Query taken(tx, "INSERT INTO users (id, email, name, created_at) VALUES ($1, $2, 'B', 0)");
    taken.Bind(std::int64_t{7}).Bind("b@x.test").ExecuteAtCommit();
    return {};
  });
  ASSERT_FALSE(failed.ok());
  EXPECT_EQ(failed.problem().category, ProblemCode::kInternal) << failed.problem().internal;
  for (int i = 0; i < 8; ++i) {
    Status written = database_->Write<void>([&](store::Tx& tx) -> Status {
      store::Query insert(tx, "INSERT INTO organizations (name, created_at) VALUES ($1, 1)");
      insert.Bind("Kept").ExecuteAtCommit();
      return {};
    });
    ASSERT_TRUE(written.ok()) << written.problem().internal;
  }
  Result<long long> count = database_->Read<long long>(CountOrganizations);
  ASSERT_TRUE(count.ok()) << count.problem().internal;
  EXPECT_EQ(*count, 8);  // none of 'Lost'
}

// A statement sent ahead runs before the transaction's next Query, or
// before its COMMIT when no Query follows.
TEST_F(QueryTest, AStatementSentAheadRunsBeforeTheNextOne) {
  Status written = database_->Write<void>([&](store::Tx& tx) -> Status {
    tx.SendAhead("INSERT INTO organizations (name, created_at) VALUES ('Ahead', 1)");
    store::Query count(tx, "SELECT COUNT(*) FROM organizations WHERE name = $1");
    count.Bind("Ahead");
    EXPECT_TRUE(count.Next());
    EXPECT_EQ(count.Int64(0), 1);
    tx.SendAhead("INSERT INTO organizations (name, created_at) VALUES ('Last', 1)");
    return {};
  });
  ASSERT_TRUE(written.ok()) << written.problem().internal;
  Result<long long> count = database_->Read<long long>(CountOrganizations);
  ASSERT_TRUE(count.ok()) << count.problem().internal;
  EXPECT_EQ(*count, 2);
}

// On PostgreSQL the BEGIN goes with the transaction's first statement,
// whether a store::Query or SOCI's: what either writes before the
// transaction fails is rolled back with it. A transaction that runs no
// statement sends nothing.
TEST_F(QueryTest, TheFirstStatementOfATransactionIsInsideIt) {
  for (bool query_first : {true, false}) {
    Status failed = database_->Write<void>([&](store::Tx& tx) -> Status {
      if (query_first) {
        store::Query insert(tx, "INSERT INTO organizations (name, created_at) VALUES ($1, 1)");
        insert.Bind("First").Execute();
      } else {
        tx.sql() << "INSERT INTO organizations (name, created_at) VALUES ('First', 1)";
      }
      tx.sql() << "INSERT INTO organizations (name, created_at) VALUES ('Second', 1)";
      return Problem::Conflict("later_rule", "a rule checked after the writes");
    });
    ASSERT_FALSE(failed.ok());
    EXPECT_EQ(failed.problem().slug, "later_rule");
  }
  ASSERT_TRUE(database_->Write<void>([](store::Tx&) -> Status { return {}; }).ok());
  ASSERT_TRUE(database_->Read<void>([](store::Tx&) -> Status { return {}; }).ok());
  Result<long long> count = database_->Read<long long>(CountOrganizations);
  ASSERT_TRUE(count.ok()) << count.problem().internal;
  EXPECT_EQ(*count, 0);
}

// A statement first prepared in the COMMIT's round trip that fails to
// prepare is not taken for prepared the next time on that connection.
TEST_F(QueryTest, AWriteAtCommitThatFailedToPrepareIsPreparedAgain) {
  auto insert = [](store::Tx& tx) -> Status {
    store::Query later(tx, "INSERT INTO later_table (id) VALUES ($1)");
    later.Bind(std::int64_t{1}).ExecuteAtCommit();
    return {};
  };
  for (int i = 0; i < 8; ++i) EXPECT_FALSE(database_->Write<void>(insert).ok());
  Execute("CREATE TABLE later_table (id BIGINT)");
  for (int i = 0; i < 8; ++i) {
    Status written = database_->Write<void>(insert);
    ASSERT_TRUE(written.ok()) << written.problem().internal;
  }
}

}  // namespace
}  // namespace roster::testing
