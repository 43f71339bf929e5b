// Role changes queue on the member's row (and, for demotions, on the
// organization's membership lock). On PostgreSQL such a contended
// transaction gives its locks back before its WAL flush and is acknowledged
// only after it (store::Database::Run): racing writers all succeed, the
// audit trail follows the order of the commits, and what was acknowledged
// is on disk.
#include <soci/soci.h>

#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "app/members.hpp"
#include "store/accounts.hpp"
#include "store/organizations.hpp"
#include "store_fixture.hpp"

namespace roster::testing {
namespace {

class ContendedCommitTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (HasFatalFailure()) return;
    Seed([&](store::Tx& tx, UnixSeconds now) {
      org_ = store::InsertOrganization(tx, "Acme", now);
      admin_ = AddMember(tx, "ada@acme.test", "Ada", domain::Role::kAdmin, now);
      target_ = AddMember(tx, "hot@acme.test", "Hot Row", domain::Role::kUser, now);
    });
  }

  Id AddMember(store::Tx& tx, const std::string& email, const std::string& name, domain::Role role,
               UnixSeconds now) {
    return AddActiveMember(tx, org_, email, name, role, now);
  }

  app::Principal Admin() const {
    return app::Principal::Person(admin_, 0, "ada@acme.test", "Ada");
  }

  Id org_ = 0, admin_ = 0, target_ = 0;
};

TEST_F(ContendedCommitTest, RacingRoleChangesOfOneMemberAllSucceedAndAuditInCommitOrder) {
  constexpr int kThreads = 8;
  constexpr int kChangesEach = 25;
  std::vector<std::string> failures(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int n = 0; n < kChangesEach; ++n) {
        domain::Role role = (t + n) % 2 == 0 ? domain::Role::kAdmin : domain::Role::kUser;
        Result<app::MemberView> changed = app::ChangeRole(*context_, Admin(), org_, target_, role);
        if (!changed.ok()) {
          failures[t] = changed.problem().slug + ": " + changed.problem().internal;
          return;
        }
        if (changed->role != role) {
          failures[t] = "answered the member with the other role";
          return;
        }
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (const std::string& failure : failures) EXPECT_EQ(failure, "");

  // Each event changes the role the one before it left: no change was
  // recorded twice, none lost, and the last one is the member's role now.
  std::vector<std::string> changes;
  std::string role_now;
  Status read = database_->Read<void>([&](store::Tx& tx) -> Status {
    soci::rowset<std::string> rows =
        (tx.sql().prepare << "SELECT details FROM audit_events WHERE organization_id = :org "
                           "AND action = 'role_changed' AND target_user_id = :user ORDER BY id",
         soci::use(org_), soci::use(target_));
    for (const std::string& details : rows) changes.push_back(details);
    tx.sql() << "SELECT role FROM memberships WHERE organization_id = :org AND user_id = :user",
        soci::use(org_), soci::use(target_), soci::into(role_now);
    return {};
  });
  ASSERT_TRUE(read.ok()) << read.problem().internal;
  ASSERT_FALSE(changes.empty());
  std::string previous = "user";
  for (std::size_t i = 0; i < changes.size(); ++i) {
    nlohmann::json change = nlohmann::json::parse(changes[i]);
    EXPECT_EQ(change["from"], previous) << "event " << i;
    EXPECT_NE(change["to"], change["from"]) << "event " << i;
    previous = change["to"].get<std::string>();
  }
  EXPECT_EQ(role_now, previous);
}

// The flush is only moved after the locks, never skipped: when the write
// returns, its commit record is in the flushed WAL (read with pg_walinspect,
// which reads no further than the flush position).
TEST_F(ContendedCommitTest, AnAcknowledgedContendedCommitIsFlushed) {
  if (!is_postgres()) GTEST_SKIP() << "SQLite commits with synchronous=FULL, contended or not";
  Execute("CREATE EXTENSION IF NOT EXISTS pg_walinspect SCHEMA public");
  // The test cluster runs with synchronous_commit off for speed; this test
  // needs the shipped default, under which every other commit is flushed.
  auto durable = store::Database::Open(server_url_ + "?options=-csearch_path%3D" + schema_ +
                                           "%20-csynchronous_commit%3Don",
                                       2);
  ASSERT_TRUE(durable.ok()) << durable.problem().detail;
  database_ = std::move(durable).value();
  for (int round = 0; round < 20; ++round) {
    std::string xid, start;
    Status written = database_->Write<void>([&](store::Tx& tx) -> Status {
      tx.sql() << "SELECT CAST(pg_current_wal_flush_lsn() AS text)", soci::into(start);
      store::LockOrganization(tx, org_);
      std::string name = "Acme " + std::to_string(round);  // soci::use keeps a reference
      tx.sql() << "UPDATE organizations SET name = :name WHERE id = :org", soci::use(name),
          soci::use(org_);
      tx.sql() << "SELECT CAST(pg_current_xact_id() AS text)", soci::into(xid);
      return {};
    });
    ASSERT_TRUE(written.ok()) << written.problem().internal;
    int flushed_commits = -1;
    Status read = database_->Read<void>([&](store::Tx& tx) -> Status {
      // Nothing flushed since the start: no record to read, none flushed.
      tx.sql() << "SELECT CASE WHEN pg_current_wal_flush_lsn() <= CAST(:start AS pg_lsn) THEN 0 "
                "ELSE (SELECT COUNT(*) FROM public.pg_get_wal_records_info("
                "CAST(:start2 AS pg_lsn), pg_current_wal_flush_lsn()) "
                "WHERE resource_manager = 'Transaction' AND record_type LIKE 'COMMIT%' "
                "AND CAST(xid AS text) = :xid AND end_lsn <= pg_current_wal_flush_lsn()) END",
          soci::use(start), soci::use(start), soci::use(xid), soci::into(flushed_commits);
      return {};
    });
    ASSERT_TRUE(read.ok()) << "round " << round << " from " << start << ": "
                           << read.problem().internal;
    EXPECT_EQ(flushed_commits, 1) << "round " << round << ": transaction " << xid
                                  << " was acknowledged before its commit was flushed";
  }
}

}  // namespace
}  // namespace roster::testing
