// PostgreSQL keeps each connection's plan of a prepared statement until
// statistics or the schema change. A new database must not start with
// statistics that call every table empty: the plans made while it is empty
// would scan whole tables for as long as the connection lives.
#include <string>

#include <soci/soci.h>

#include "store/accounts.hpp"
#include "store_fixture.hpp"

namespace roster::testing {
namespace {

class PostgresPlansTest : public StoreTest {};

TEST_F(PostgresPlansTest, LookupsOfANewDatabaseStayIndexLookupsAsItsTablesGrow) {
  ASSERT_TRUE(is_postgres()) << "registered for PostgreSQL only";
  // Each account looked up right after it is written: the connections plan
  // the lookup while the table is nearly empty.
  for (int i = 0; i < 300; ++i) {
    std::string email = "person" + std::to_string(i) + "@example.test";
    Status written = database_->Write<void>([&](store::Tx& tx) -> Status {
      store::InsertUser(tx, email, "Person", clock_.Now());
      EXPECT_TRUE(store::FindUserByEmail(tx, email).has_value());
      return {};
    });
    ASSERT_TRUE(written.ok()) << written.problem().internal;
  }
  Status looked = database_->Read<void>([&](store::Tx& tx) -> Status {
    // This transaction's own reads (counters not yet reported only grow).
    long long before = 0, after = 0;
    tx.sql() << "SELECT pg_stat_get_xact_tuples_returned('users'::regclass)", soci::into(before);
    EXPECT_TRUE(store::FindUserByEmail(tx, "person299@example.test").has_value());
    tx.sql() << "SELECT pg_stat_get_xact_tuples_returned('users'::regclass)", soci::into(after);
    EXPECT_EQ(after - before, 0) << "rows of users scanned to find one account by e-mail";
    return {};
  });
  ASSERT_TRUE(looked.ok()) << looked.problem().internal;
}

}  // namespace
}  // namespace roster::testing
