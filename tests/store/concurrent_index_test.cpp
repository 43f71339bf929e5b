// `roster migrate` during a rolling upgrade (docs/upgrades.md): an index a
// migration adds to a table with rows is built without stopping the writes
// of the servers still running. PostgreSQL's alone (registered for it only):
// SQLite's migration takes its turn as every writer does.
#include <soci/soci.h>

#include <chrono>
#include <future>
#include <thread>

#include "app/members.hpp"
#include "store/migrations.hpp"
#include "store_fixture.hpp"
#include "support/eventually.hpp"

namespace roster::testing {
namespace {

// V016's index, on the deliveries every audited change of an organization
// with a webhook writes.
constexpr const char* kIndex = "webhook_deliveries_by_status";

class ConcurrentIndexTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (!is_postgres()) GTEST_SKIP() << "PostgreSQL's concurrent index builds";
    auto created = app::CreateOrganization(*context_, "Acme", "ada@acme.test", "Ada Admin");
    ASSERT_TRUE(created.ok()) << created.problem().internal;
    org_ = created->organization.id;
    Status written = database_->Write<void>([&](store::Tx& tx) -> Status {
      tx.sql() << "INSERT INTO webhook_endpoints (organization_id, url, events, enabled, secret, "
                  "created_at) VALUES (:org, 'https://hooks.acme.test/roster', '*', 1, 's', 0) "
                  "RETURNING id",
          soci::use(org_), soci::into(endpoint_);
      return {};
    });
    ASSERT_TRUE(written.ok()) << written.problem().internal;
  }

  // A delivery as a server of the release before writes it.
  void AddDelivery(store::Tx& tx) {
    tx.sql() << "INSERT INTO webhook_deliveries (organization_id, endpoint_id, event_id, "
                "event_type, payload, status, created_at, next_attempt_at) "
                "VALUES (:org, :endpoint, 1, 'lead.created', '{}', 'delivered', 0, 0)",
        soci::use(org_), soci::use(endpoint_);
  }
  void AddDelivery() {
    Status written = database_->Write<void>([&](store::Tx& tx) -> Status {
      AddDelivery(tx);
      return {};
    });
    ASSERT_TRUE(written.ok()) << written.problem().internal;
  }

  // Leaves a server's write to the table open, as a running release does
  // while migrate starts, and starts `roster migrate`; returns once the
  // index's build waits for that write, which goes on until FinishWrite().
  std::future<Result<int>> MigrateBehindAnOpenWrite() {
    std::promise<void> written;
    std::future<void> row_written = written.get_future();
    std::shared_future<void> finish = finish_.get_future().share();
    server_ = std::thread([this, finish, written = std::move(written)]() mutable {
      Status done = database_->Write<void>([&](store::Tx& tx) -> Status {
        AddDelivery(tx);
        written.set_value();
        finish.wait();
        return {};
      });
      EXPECT_TRUE(done.ok()) << done.problem().internal;
    });
    row_written.wait();
    auto migrating = std::async(std::launch::async, [this] { return store::Migrate(*database_); });
    WaitFor(LockWait("CREATE INDEX%" + std::string(kIndex) + "%"));
    return migrating;
  }
  void FinishWrite() {
    if (!server_.joinable()) return;
    finish_.set_value();
    server_.join();
  }
  void TearDown() override {
    FinishWrite();  // also when a test stopped half-way
    StoreTest::TearDown();
  }

  // A migrate's answer: the newest schema, V016's index built and valid.
  void ExpectMigrated(const Result<int>& migrated) {
    ASSERT_TRUE(migrated.ok()) << migrated.problem().internal;
    EXPECT_EQ(*migrated, store::LatestSchemaVersion());
    EXPECT_NE(ValidIndex().find("(endpoint_id, status, id)"), std::string::npos) << ValidIndex();
  }

  // Waits until `condition` (an SQL expression over the backends of this
  // database, pg_stat_activity a) holds.
  void WaitFor(const std::string& condition) {
    Status read;
    bool held = test_support::Eventually(
        [&] {
          int holds = 0;
          read = database_->ReadOneStatement<void>([&](store::Tx& tx) -> Status {
            tx.sql() << "SELECT CASE WHEN " + condition + " THEN 1 ELSE 0 END", soci::into(holds);
            return {};
          });
          return !read.ok() || holds == 1;
        },
        std::chrono::seconds(60), std::chrono::milliseconds(20));
    ASSERT_TRUE(read.ok()) << read.problem().internal;
    EXPECT_TRUE(held) << "still not " << condition;
  }
  // A backend runs a statement like `pattern` and waits for a lock.
  static std::string LockWait(const std::string& pattern) {
    return "EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.datname = current_database() "
           "AND a.wait_event_type = 'Lock' AND a.query LIKE '" +
           pattern + "')";
  }

  // The index's definition when it is valid; empty when it is missing or
  // invalid.
  std::string ValidIndex() {
    std::string name = kIndex, definition;  // soci::use keeps a reference
    soci::indicator found = soci::i_null;
    Status read = database_->ReadOneStatement<void>([&](store::Tx& tx) -> Status {
      tx.sql() << "SELECT pg_get_indexdef(indexrelid) FROM pg_index "
                  "WHERE indexrelid = to_regclass(:name) AND indisvalid",
          soci::use(name), soci::into(definition, found);
      return {};
    });
    EXPECT_TRUE(read.ok()) << read.problem().internal;
    return found == soci::i_ok ? definition : "";
  }

  // The index's object id; 0 without one.
  long long IndexOid() {
    std::string name = kIndex;
    long long oid = -1;
    Status read = database_->ReadOneStatement<void>([&](store::Tx& tx) -> Status {
      tx.sql() << "SELECT COALESCE(CAST(CAST(to_regclass(:name) AS oid) AS bigint), 0)",
          soci::use(name), soci::into(oid);
      return {};
    });
    EXPECT_TRUE(read.ok()) << read.problem().internal;
    return oid;
  }

  Id org_ = 0;
  Id endpoint_ = 0;
  std::promise<void> finish_;
  std::thread server_;
};

TEST_F(ConcurrentIndexTest, WritesGoOnWhileMigrateBuildsAnIndexOnATableWithRows) {
  TakeBackMigrationsFrom(16);
  AddDelivery();
  // The build waits for the transaction already writing...
  std::future<Result<int>> migrating = MigrateBehindAnOpenWrite();
  // ...and a write that starts meanwhile goes on. Queued behind a plain
  // CREATE INDEX (a SHARE lock) it would wait for the whole build.
  Status meanwhile = database_->Write<void>([&](store::Tx& tx) -> Status {
    tx.sql() << "SET LOCAL lock_timeout = '5s'";
    AddDelivery(tx);
    return {};
  });
  FinishWrite();
  EXPECT_TRUE(meanwhile.ok()) << meanwhile.problem().internal;
  ExpectMigrated(migrating.get());
}

TEST_F(ConcurrentIndexTest, AnIndexLeftInvalidByAnInterruptedBuildIsBuiltAgain) {
  TakeBackMigrationsFrom(16);
  AddDelivery();
  AddDelivery();
  // What a build that did not finish leaves: an invalid index under the
  // migration's name (here a unique one the two deliveries break).
  Status failed = database_->WriteOneStatement<void>([&](store::Tx& tx) -> Status {
    tx.sql() << "CREATE UNIQUE INDEX CONCURRENTLY " + std::string(kIndex) +
                    " ON webhook_deliveries (endpoint_id)";
    return {};
  });
  ASSERT_FALSE(failed.ok());
  ASSERT_EQ(ValidIndex(), "");
  ExpectMigrated(store::Migrate(*database_));
}

TEST_F(ConcurrentIndexTest, TwoMigratesAtOnceTakeTurns) {
  TakeBackMigrationsFrom(15);
  AddDelivery();
  std::future<Result<int>> first = MigrateBehindAnOpenWrite();
  long long building = IndexOid();  // the first one's, invalid until built
  EXPECT_GT(building, 0);
  // A second migrate (another host's upgrade) starts while the first
  // builds: it waits for the first's turn to end, trying for it (the first's
  // and its own backends last ran the try), then finds nothing to do.
  // Without turns it would take the unfinished index for a leftover, and
  // wait to drop it and build it again.
  auto second = std::async(std::launch::async, [&] { return store::Migrate(*database_); });
  WaitFor(
      "(SELECT COUNT(*) FROM pg_stat_activity a WHERE a.datname = current_database() "
      "AND a.query LIKE '%pg_try_advisory_lock%') >= 2 OR " +
      LockWait("DROP INDEX%"));
  FinishWrite();
  ExpectMigrated(first.get());
  ExpectMigrated(second.get());
  EXPECT_EQ(IndexOid(), building);
}

}  // namespace
}  // namespace roster::testing
