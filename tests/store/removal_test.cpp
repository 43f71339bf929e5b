// Removing a member hands every lead he owns to the receiver in one
// transaction: all of them move, or none does.
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>

#include "app/members.hpp"
#include "store/accounts.hpp"
#include "store/assistants.hpp"
#include "store/leads.hpp"
#include "store/organizations.hpp"
#include "store/scan_cache.hpp"
#include "store_fixture.hpp"

namespace roster::testing {
namespace {

class RemovalTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (HasFatalFailure()) return;
    Seed([&](store::Tx& tx, UnixSeconds now) {
      org_ = store::InsertOrganization(tx, "Acme", now);
      admin_ = AddMember(tx, "ada@acme.test", "Ada", domain::Role::kAdmin, now);
      seller_ = AddMember(tx, "sam@acme.test", "Sam", domain::Role::kUser, now);
      receiver_ = AddMember(tx, "rita@acme.test", "Rita", domain::Role::kUser, now);
      for (const char* name : {"North", "South"}) {
        Id assistant = *store::InsertAssistant(tx, org_, name, now);
        assistants_.push_back(assistant);
        store::AssignUser(tx, org_, assistant, seller_, false, now);
      }
      store::AssignUser(tx, org_, assistants_[0], receiver_, false, now);  // not on South
    });
  }

  Id AddMember(store::Tx& tx, const std::string& email, const std::string& name, domain::Role role,
               UnixSeconds now) {
    return AddActiveMember(tx, org_, email, name, role, now);
  }

  void SeedLeads(int count) {
    Status seeded = database_->Write<void>([&](store::Tx& tx) -> Status {
      store::LeadBulkInserter inserter(tx, org_, clock_.Now());
      for (int i = 0; i < count; ++i) {
        store::NewLead lead;
        lead.assistant_id = assistants_[i % 2];
        lead.owner_id = seller_;
        lead.name = "Lead " + std::to_string(i);
        lead.email = "lead" + std::to_string(i) + "@prospect.test";
        inserter.Add(lead);
      }
      inserter.Finish();
      return {};
    });
    ASSERT_TRUE(seeded.ok()) << seeded.problem().internal;
  }

  long long CountOwnedBy(Id owner) {
    long long count = -1;
    Status read = database_->Read<void>([&](store::Tx& tx) -> Status {
      tx.sql() << "SELECT COUNT(*) FROM leads WHERE organization_id = :org AND owner_id = :owner",
          soci::use(org_), soci::use(owner), soci::into(count);
      return {};
    });
    EXPECT_TRUE(read.ok()) << read.problem().internal;
    return count;
  }

  bool IsAssigned(Id assistant, Id user) {
    bool assigned = false;
    Status read = database_->Read<void>([&](store::Tx& tx) -> Status {
      assigned = store::FindAssistantUser(tx, org_, assistant, user).has_value();
      return {};
    });
    EXPECT_TRUE(read.ok()) << read.problem().internal;
    return assigned;
  }

  app::Principal Admin() const {
    app::Principal admin;
    admin.user_id = admin_;
    admin.email = "ada@acme.test";
    admin.name = "Ada";
    return admin;
  }

  Id org_ = 0, admin_ = 0, seller_ = 0, receiver_ = 0;
  std::vector<Id> assistants_;
};

TEST_F(RemovalTest, MovesEveryLeadAndAssignsTheReceiver) {
  SeedLeads(1000);
  auto preview = app::PreviewRemoval(*context_, Admin(), org_, seller_);
  ASSERT_TRUE(preview.ok());
  EXPECT_EQ(preview->lead_count, 1000);
  ASSERT_EQ(preview->by_assistant.size(), 2u);
  EXPECT_EQ(preview->by_assistant[0].lead_count, 500);

  auto removal = app::RemoveMember(*context_, Admin(), org_, seller_, receiver_);
  ASSERT_TRUE(removal.ok()) << removal.problem().internal;
  EXPECT_EQ(removal->reassigned_lead_count, 1000);
  EXPECT_EQ(CountOwnedBy(seller_), 0);
  EXPECT_EQ(CountOwnedBy(receiver_), 1000);
  EXPECT_TRUE(IsAssigned(assistants_[1], receiver_));
  Status checked = database_->Read<void>([&](store::Tx& tx) -> Status {
    EXPECT_FALSE(store::FindMember(tx, org_, seller_).has_value());
    return {};
  });
  EXPECT_TRUE(checked.ok());
}

TEST_F(RemovalTest, OneHundredThousandLeadsInOneTransaction) {
  SeedLeads(100000);
  auto removal = app::RemoveMember(*context_, Admin(), org_, seller_, receiver_);
  ASSERT_TRUE(removal.ok()) << removal.problem().internal;
  EXPECT_EQ(removal->reassigned_lead_count, 100000);
  EXPECT_EQ(CountOwnedBy(receiver_), 100000);
}

// The moved leads rewrite every index of leads; on SQLite the connection
// keeps no more of those pages than its scan cache (the process grew by the
// rewritten indexes with the connection's 64 MiB cache).
TEST_F(RemovalTest, AMoveLeavesTheConnectionsPageCacheSmall) {
  ASSERT_FALSE(is_postgres()) << "registered for SQLite only: PostgreSQL's cache is the server's";
  SeedLeads(30000);
  Status moved = database_->Write<void>([&](store::Tx& tx) -> Status {
    EXPECT_EQ(store::ReassignLeadsOnAssistant(tx, org_, assistants_[0], seller_, receiver_), 15000);
    int used = 0, highwater = 0;
    sqlite_api::sqlite3* handle =
        static_cast<soci::sqlite3_session_backend*>(tx.sql().get_backend())->conn_;
    sqlite_api::sqlite3_db_status(handle, SQLITE_DBSTATUS_CACHE_USED, &used, &highwater, 0);
    EXPECT_LE(used, 2 * store::ScanCache::kScanCacheKiB * 1024);
    int cache_size = 0;
    tx.sql() << "PRAGMA cache_size", soci::into(cache_size);
    EXPECT_EQ(cache_size, -65536);  // back for the connection's next reads
    return {};
  });
  ASSERT_TRUE(moved.ok()) << moved.problem().internal;
  EXPECT_EQ(CountOwnedBy(receiver_), 15000);
}

TEST_F(RemovalTest, AFailureInTheMiddleLeavesEverythingAsItWas) {
  SeedLeads(5000);
  // The store fails after the leads moved, when the membership is deleted.
  if (is_postgres()) {
    Execute("CREATE FUNCTION refuse_delete() RETURNS trigger LANGUAGE plpgsql AS "
            "$$ BEGIN RAISE EXCEPTION 'injected failure'; END $$");
    Execute("CREATE TRIGGER injected BEFORE DELETE ON memberships FOR EACH ROW EXECUTE FUNCTION refuse_delete()");
  } else {
    Execute("CREATE TRIGGER injected BEFORE DELETE ON memberships "
            "BEGIN SELECT RAISE(ABORT, 'injected failure'); END");
  }
  auto removal = app::RemoveMember(*context_, Admin(), org_, seller_, receiver_);
  ASSERT_FALSE(removal.ok());
  EXPECT_EQ(removal.problem().category, ProblemCode::kInternal);
  EXPECT_EQ(CountOwnedBy(seller_), 5000);
  EXPECT_EQ(CountOwnedBy(receiver_), 0);
  Status checked = database_->Read<void>([&](store::Tx& tx) -> Status {
    EXPECT_TRUE(store::FindMember(tx, org_, seller_).has_value());
    EXPECT_FALSE(store::FindAssistantUser(tx, org_, assistants_[1], receiver_).has_value());
    return {};
  });
  EXPECT_TRUE(checked.ok());
}

TEST_F(RemovalTest, ReceiverRemovedFirstMeansNothingMoves) {
  SeedLeads(100);
  ASSERT_TRUE(app::RemoveMember(*context_, Admin(), org_, receiver_, std::nullopt).ok());
  auto removal = app::RemoveMember(*context_, Admin(), org_, seller_, receiver_);
  ASSERT_FALSE(removal.ok());
  EXPECT_EQ(removal.problem().slug, "invalid_reassign_target");
  EXPECT_EQ(CountOwnedBy(seller_), 100);
}

TEST_F(RemovalTest, OwnerOfLeadsNeedsAReceiver) {
  SeedLeads(3);
  auto removal = app::RemoveMember(*context_, Admin(), org_, seller_, std::nullopt);
  ASSERT_FALSE(removal.ok());
  EXPECT_EQ(removal.problem().slug, "reassign_target_required");
}

// The receiver joins the assistants his new leads are on, not every
// assistant the removed member happened to be on.
TEST_F(RemovalTest, ReceiverJoinsOnlyTheAssistantsOfTheMovedLeads) {
  SeedLeads(1);  // on North; South has none
  auto removal = app::RemoveMember(*context_, Admin(), org_, seller_, receiver_);
  ASSERT_TRUE(removal.ok()) << removal.problem().internal;
  EXPECT_EQ(removal->reassigned_lead_count, 1);
  EXPECT_FALSE(IsAssigned(assistants_[1], receiver_));
}

TEST_F(RemovalTest, AReceiverForAMemberWithoutLeadsMovesNothing) {
  auto removal = app::RemoveMember(*context_, Admin(), org_, seller_, receiver_);
  ASSERT_TRUE(removal.ok()) << removal.problem().internal;
  EXPECT_EQ(removal->reassigned_lead_count, 0);
  EXPECT_FALSE(IsAssigned(assistants_[1], receiver_));
}

}  // namespace
}  // namespace roster::testing
