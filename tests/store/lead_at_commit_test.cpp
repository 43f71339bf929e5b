// A lead's creation takes its id ahead of the INSERT (store::LeadIdAhead),
// and on PostgreSQL the INSERT then goes with the COMMIT (one round trip
// fewer per lead). The lead must be there after the commit under the id
// the caller was given, never under another, and a lead the foreign keys
// refuse must fail the whole transaction.
#include "store/assistants.hpp"
#include "store/leads.hpp"
#include "store/organizations.hpp"
#include "store/query.hpp"
#include "store_fixture.hpp"

namespace roster::testing {
namespace {

class LeadAtCommitTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (HasFatalFailure()) return;
    Seed([&](store::Tx& tx, UnixSeconds now) {
      org_ = store::InsertOrganization(tx, "Acme", now);
      ada_ = AddActiveMember(tx, org_, "ada@acme.test", "Ada", domain::Role::kAdmin, now);
      sam_ = AddActiveMember(tx, org_, "sam@acme.test", "Sam", domain::Role::kUser, now);
      north_ = *store::InsertAssistant(tx, org_, "North", now);
      store::AssignUser(tx, org_, north_, ada_, false, now);  // Sam is not assigned
    });
  }

  static long long Count(store::Tx& tx, const std::string& sql) {
    store::Query count(tx, sql);
    EXPECT_TRUE(count.Next());
    return count.Int64(0);
  }

  long long CommittedCount(const std::string& sql) {
    Result<long long> count =
        database_->Read<long long>([&](store::Tx& tx) -> Result<long long> { return Count(tx, sql); });
    EXPECT_TRUE(count.ok()) << count.problem().internal;
    return count.ok() ? *count : -1;
  }

  // Writes one lead for `owner` through the id taken ahead; its id, or the
  // transaction's failure.
  Result<Id> WriteAhead(Id owner, const std::string& name) {
    return database_->Write<Id>([&](store::Tx& tx) -> Result<Id> {
      store::LeadIdAhead id(tx);
      Id written = store::InsertLeadAtCommit(
          tx, org_, {north_, owner, name, "lead@prospect.test", "", {}}, clock_.Now(), id);
      // Not written yet on PostgreSQL: it waits for the COMMIT.
      EXPECT_EQ(Count(tx, "SELECT COUNT(*) FROM leads WHERE name = '" + name + "'"),
                is_postgres() ? 0 : 1);
      return written;
    });
  }

  Id org_ = 0, ada_ = 0, sam_ = 0, north_ = 0;
};

TEST_F(LeadAtCommitTest, TheLeadIsThereAfterTheCommitUnderTheIdItWasGiven) {
  Result<Id> first = WriteAhead(ada_, "First");
  ASSERT_TRUE(first.ok()) << first.problem().internal;
  EXPECT_EQ(CommittedCount("SELECT COUNT(*) FROM leads WHERE id = " + std::to_string(*first) +
                           " AND name = 'First' AND owner_id = " + std::to_string(ada_)),
            1);
  // Ids taken ahead and ids the INSERT takes come from one sequence.
  Result<Id> plain = database_->Write<Id>([&](store::Tx& tx) -> Result<Id> {
    return store::InsertLead(tx, org_, {north_, ada_, "Plain", "plain@prospect.test", "", {}},
                             clock_.Now());
  });
  ASSERT_TRUE(plain.ok()) << plain.problem().internal;
  Result<Id> second = WriteAhead(ada_, "Second");
  ASSERT_TRUE(second.ok()) << second.problem().internal;
  EXPECT_LT(*first, *plain);
  EXPECT_LT(*plain, *second);
  EXPECT_EQ(CommittedCount("SELECT COUNT(*) FROM leads WHERE id = " + std::to_string(*second) +
                           " AND name = 'Second'"),
            1);
  // The lead-count trigger counted the leads written with the COMMIT too.
  EXPECT_EQ(CommittedCount("SELECT COALESCE(SUM(lead_count), 0) FROM lead_counts WHERE user_id = " +
                           std::to_string(ada_)),
            3);
}

// Sam is not assigned to the assistant: the foreign key refuses the lead,
// at the INSERT on SQLite, at the COMMIT on PostgreSQL. Either way the
// write fails and leaves nothing behind.
TEST_F(LeadAtCommitTest, ALeadTheForeignKeysRefuseFailsItsTransaction) {
  Result<Id> refused = WriteAhead(sam_, "Refused");
  EXPECT_FALSE(refused.ok());
  EXPECT_EQ(CommittedCount("SELECT COUNT(*) FROM leads"), 0);
  EXPECT_EQ(CommittedCount("SELECT COALESCE(SUM(lead_count), 0) FROM lead_counts"), 0);
}

// A role that serves on tables another role owns may lack USAGE on the
// leads' sequence, which the id taken ahead needs and the identity column's
// own default does not: its leads are inserted as before, id read back,
// where the nextval failed every lead creation.
TEST_F(LeadAtCommitTest, OnPostgresqlARoleWithoutUsageOfTheSequenceStillCreatesLeads) {
  const std::string role = "lead_writer_" + schema_;
  Execute("CREATE ROLE " + role + " LOGIN; GRANT USAGE ON SCHEMA " + schema_ + " TO " + role +
          "; GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA " + schema_ + " TO " +
          role);
  std::string url = server_url_;
  url.replace(url.find("://") + 3, url.find('@') - url.find("://") - 3, role);
  {
    auto served = store::Database::Open(url + "?options=-csearch_path%3D" + schema_, 1);
    ASSERT_TRUE(served.ok()) << served.problem().detail;
    for (const char* name : {"First", "Second"}) {
      Result<Id> id = (*served)->Write<Id>([&](store::Tx& tx) -> Result<Id> {
        store::LeadIdAhead ahead(tx);
        return store::InsertLeadAtCommit(
            tx, org_, {north_, ada_, name, "lead@prospect.test", "", {}}, clock_.Now(), ahead);
      });
      ASSERT_TRUE(id.ok()) << id.problem().internal;
      EXPECT_EQ(CommittedCount("SELECT COUNT(*) FROM leads WHERE id = " + std::to_string(*id) +
                               " AND name = '" + name + "'"),
                1);
    }
  }
  Execute("REVOKE ALL ON ALL TABLES IN SCHEMA " + schema_ + " FROM " + role +
          "; REVOKE USAGE ON SCHEMA " + schema_ + " FROM " + role + "; DROP ROLE " + role);
}

}  // namespace
}  // namespace roster::testing
