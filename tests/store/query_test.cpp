// store::Query's two kinds of statement: prepared once per connection and
// reused, or of one call (text assembled per call) and gone after it.
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
      tx.sql << "SELECT COUNT(*) FROM pg_prepared_statements", soci::into(held);
      return held;
    }
    auto* db = static_cast<soci::sqlite3_session_backend*>(tx.sql.get_backend())->conn_;
    for (auto* s = sqlite_api::sqlite3_next_stmt(db, nullptr); s != nullptr;
         s = sqlite_api::sqlite3_next_stmt(db, s)) {
      ++held;
    }
    return held;
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

}  // namespace
}  // namespace roster::testing
