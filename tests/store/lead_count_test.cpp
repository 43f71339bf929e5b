// A member's lead count is kept in lead_counts by the database's triggers
// (V014) and read from there by the members list: it must stay what counting
// his leads says, whichever way a lead is written, by this release's store
// functions or by the plain statements of an older server.
#include <soci/soci.h>

#include <map>
#include <thread>

#include "app/members.hpp"
#include "store/assistants.hpp"
#include "store/leads.hpp"
#include "store/migrations.hpp"
#include "store/organizations.hpp"
#include "store/row.hpp"
#include "store_fixture.hpp"

namespace roster::testing {
namespace {

class LeadCountTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (HasFatalFailure()) return;
    StoreTest::Seed([&](store::Tx& tx, UnixSeconds now) {
      org_ = store::InsertOrganization(tx, "Acme", now);
      other_org_ = store::InsertOrganization(tx, "Globex", now);
      ada_ = AddActiveMember(tx, org_, "ada@acme.test", "Ada", domain::Role::kAdmin, now);
      sam_ = AddActiveMember(tx, org_, "sam@acme.test", "Sam", domain::Role::kUser, now);
      rita_ = AddActiveMember(tx, org_, "rita@acme.test", "Rita", domain::Role::kUser, now);
      north_ = *store::InsertAssistant(tx, org_, "North", now);
      south_ = *store::InsertAssistant(tx, org_, "South", now);
      for (Id user : {ada_, sam_, rita_}) store::AssignUser(tx, org_, north_, user, false, now);
      store::AssignUser(tx, org_, south_, sam_, false, now);
      // Sam is a member of a second organization, with leads there too.
      store::InsertMembership(tx, other_org_, sam_, domain::Role::kAdmin,
                              domain::MembershipState::kActive, "sam", now);
      other_assistant_ = *store::InsertAssistant(tx, other_org_, "West", now);
      store::AssignUser(tx, other_org_, other_assistant_, sam_, false, now);
    });
  }

  void Write(const std::function<void(store::Tx&)>& work) {
    Status written = database_->Write<void>([&](store::Tx& tx) -> Status {
      work(tx);
      return {};
    });
    ASSERT_TRUE(written.ok()) << written.problem().internal;
  }

  void Seed(Id organization, Id assistant, Id owner, int count) {
    Write([&](store::Tx& tx) {
      store::LeadBulkInserter inserter(tx, organization, clock_.Now());
      for (int i = 0; i < count; ++i) {
        inserter.Add({assistant, owner, "Lead " + std::to_string(i), "lead@prospect.test", "", {}});
      }
      inserter.Finish();
    });
  }

  // Every member's count as the members list shows it, and as counting
  // his leads says, in both organizations.
  void ExpectCountsKept(const std::string& after) {
    SCOPED_TRACE(after);
    Status read = database_->Read<void>([&](store::Tx& tx) -> Status {
      for (Id organization : {org_, other_org_}) {
        std::map<Id, long long> counted;
        soci::rowset<soci::row> rows =
            (tx.sql().prepare << "SELECT owner_id, COUNT(*) FROM leads WHERE organization_id = :org "
                               "GROUP BY owner_id",
             soci::use(organization));
        for (const soci::row& row : rows) counted[store::Int64(row, 0)] = store::Int64(row, 1);
        domain::MemberFilter by_leads;
        by_leads.sort = {domain::MemberSortField::kLeads, true};
        Result<Page<domain::Member>> page = store::ListMembers(tx, organization, by_leads);
        EXPECT_TRUE(page.ok());
        if (!page.ok()) continue;
        long long previous = -1;
        for (const domain::Member& member : page->items) {
          EXPECT_EQ(member.lead_count, counted[member.user_id]) << "member " << member.user_id;
          if (previous >= 0) {
            EXPECT_LE(member.lead_count, previous) << "sorted by leads, descending";
          }
          previous = member.lead_count;
          EXPECT_EQ(store::FindMember(tx, organization, member.user_id)->lead_count,
                    counted[member.user_id]);
        }
      }
      return {};
    });
    ASSERT_TRUE(read.ok()) << read.problem().internal;
  }

  std::vector<Id> LeadsOf(Id owner) {
    std::vector<Id> ids;
    Status read = database_->Read<void>([&](store::Tx& tx) -> Status {
      soci::rowset<soci::row> rows =
          (tx.sql().prepare << "SELECT id FROM leads WHERE owner_id = :owner ORDER BY id",
           soci::use(owner));
      for (const soci::row& row : rows) ids.push_back(store::Int64(row, 0));
      return {};
    });
    EXPECT_TRUE(read.ok());
    return ids;
  }

  Id org_ = 0, other_org_ = 0, ada_ = 0, sam_ = 0, rita_ = 0;
  Id north_ = 0, south_ = 0, other_assistant_ = 0;
};

TEST_F(LeadCountTest, FollowsEveryWriteOfThisRelease) {
  ExpectCountsKept("no leads");
  Seed(org_, north_, sam_, 300);
  Seed(org_, south_, sam_, 200);
  Seed(other_org_, other_assistant_, sam_, 70);
  ExpectCountsKept("bulk inserts");
  Write([&](store::Tx& tx) {
    for (int i = 0; i < 3; ++i) {
      store::InsertLead(tx, org_, {north_, rita_, "Single", "one@prospect.test", "", {}},
                        clock_.Now());
    }
  });
  ExpectCountsKept("single inserts");
  Write([&](store::Tx& tx) {
    EXPECT_EQ(store::ReassignLeadsOnAssistant(tx, org_, north_, sam_, rita_), 300);
  });
  ExpectCountsKept("an assistant's leads handed over");
  std::vector<Id> ritas = LeadsOf(rita_);
  std::vector<Id> some(ritas.begin(), ritas.begin() + 25);
  Write([&](store::Tx& tx) { EXPECT_EQ(store::ReassignLeads(tx, org_, some, ada_), 25); });
  ExpectCountsKept("chosen leads reassigned");
  Write([&](store::Tx& tx) {
    domain::Lead edited{};
    edited.id = some.front();
    edited.organization_id = org_;
    edited.assistant_id = north_;
    edited.owner_id = ada_;
    edited.name = "Renamed";
    edited.email = "renamed@prospect.test";
    store::UpdateLead(tx, edited);
  });
  ExpectCountsKept("an edit that keeps the owner");
}

TEST_F(LeadCountTest, FollowsTheStatementsOfAnOlderServer) {
  // A server of the release before, still running during a rolling
  // upgrade, writes leads with no idea of lead_counts.
  Seed(org_, north_, sam_, 40);
  std::string insert =
      "INSERT INTO leads (organization_id, assistant_id, owner_id, name, email, company, status, "
      "created_at) VALUES (" + std::to_string(org_) + ", " + std::to_string(north_) + ", " +
      std::to_string(ada_) + ", 'Old', 'old@prospect.test', '', 'new', 0)";
  Execute(insert);
  Execute(insert);
  ExpectCountsKept("inserted");
  Execute("UPDATE leads SET owner_id = " + std::to_string(rita_) + " WHERE owner_id = " +
          std::to_string(sam_) + " AND assistant_id = " + std::to_string(north_) + " AND id % 2 = 0");
  ExpectCountsKept("moved");
  Execute("UPDATE leads SET status = 'won' WHERE owner_id = " + std::to_string(rita_));
  ExpectCountsKept("edited");
  Execute("DELETE FROM leads WHERE owner_id = " + std::to_string(ada_));
  Execute("DELETE FROM leads WHERE id IN (SELECT id FROM leads WHERE owner_id = " +
          std::to_string(sam_) + " ORDER BY id LIMIT 3)");
  ExpectCountsKept("deleted");
}

TEST_F(LeadCountTest, FollowsARemoval) {
  Seed(org_, north_, sam_, 1000);
  Seed(org_, south_, sam_, 500);
  app::Principal admin;
  admin.user_id = ada_;
  admin.email = "ada@acme.test";
  admin.name = "Ada";
  auto removal = app::RemoveMember(*context_, admin, org_, sam_, rita_);
  ASSERT_TRUE(removal.ok()) << removal.problem().internal;
  EXPECT_EQ(removal->reassigned_lead_count, 1500);
  ExpectCountsKept("removed");
}

TEST_F(LeadCountTest, ConcurrentCreationsForOneOwnerAreAllCounted) {
  // On PostgreSQL each connection adds to a row of its own: none waits for
  // another's, and the rows add up.
  constexpr int kThreads = 6, kEach = 30;
  std::vector<std::thread> threads;
  std::atomic<int> failed = 0;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kEach; ++i) {
        Status written = database_->Write<void>([&](store::Tx& tx) -> Status {
          store::InsertLead(tx, org_, {north_, sam_, "Racer", "race@prospect.test", "", {}},
                            clock_.Now());
          return {};
        });
        if (!written.ok()) ++failed;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(failed, 0);
  ExpectCountsKept("concurrent creations");
  Status read = database_->Read<void>([&](store::Tx& tx) -> Status {
    EXPECT_EQ(store::FindMember(tx, org_, sam_)->lead_count, kThreads * kEach);
    return {};
  });
  EXPECT_TRUE(read.ok());
}

TEST_F(LeadCountTest, TheMigrationCountsTheLeadsAlreadyThere) {
  // A database upgraded with leads in it: V014 and those after it taken
  // back, leads written without it, then `roster migrate` again.
  Seed(org_, north_, sam_, 30);
  TakeBackMigrationsFrom(14);
  Seed(org_, south_, sam_, 12);
  Seed(other_org_, other_assistant_, sam_, 5);

  Result<int> migrated = store::Migrate(*database_);
  ASSERT_TRUE(migrated.ok()) << migrated.problem().internal;
  EXPECT_EQ(*migrated, store::LatestSchemaVersion());
  ExpectCountsKept("migrated");
  Seed(org_, north_, rita_, 4);
  ExpectCountsKept("written after the migration");
}

}  // namespace
}  // namespace roster::testing
