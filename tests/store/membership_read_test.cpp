// A GET under /orgs/{org} reads the person's membership of the organization
// with his session, in one statement (store::FindSessionAndUser). A read
// transaction's access check takes that membership for the organization it
// was read for; any other organization, and every write, reads it again in
// its own transaction (app::Enter).
#include "app/members.hpp"
#include "store/accounts.hpp"
#include "store/organizations.hpp"
#include "store_fixture.hpp"

namespace roster::testing {
namespace {

class MembershipReadTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (HasFatalFailure()) return;
    Seed([&](store::Tx& tx, UnixSeconds now) {
      org_ = store::InsertOrganization(tx, "Acme", now);
      other_org_ = store::InsertOrganization(tx, "Other", now);
      admin_ = AddActiveMember(tx, org_, "ada@acme.test", "Ada", domain::Role::kAdmin, now);
      seller_ = AddActiveMember(tx, org_, "sam@acme.test", "Sam", domain::Role::kUser, now);
      store::InsertSession(tx, "ada-token-hash", admin_, false, now, now + 3600);
    });
  }

  std::optional<store::SessionOfUser> SessionOfAda(Id organization_id) {
    Result<std::optional<store::SessionOfUser>> found =
        database_->ReadOneStatement<std::optional<store::SessionOfUser>>(
            [&](store::Tx& tx) -> Result<std::optional<store::SessionOfUser>> {
              return store::FindSessionAndUser(tx, "ada-token-hash", organization_id);
            });
    EXPECT_TRUE(found.ok()) << found.problem().internal;
    return found.ok() ? *found : std::nullopt;
  }

  // Ada, as a GET of `read_for` would see her: an admin of Acme.
  app::Principal AdaReadFor(Id read_for) const {
    app::Principal ada = app::Principal::Person(admin_, 0, "ada@acme.test", "Ada");
    store::CallerMembership admin{{domain::Role::kAdmin, domain::MembershipState::kActive},
                                  false,
                                  {org_, "Acme", 0, 0}};
    ada.membership_read = app::Principal::MembershipRead{read_for, admin};
    return ada;
  }

  Id org_ = 0, other_org_ = 0, admin_ = 0, seller_ = 0;
};

TEST_F(MembershipReadTest, TheSessionStatementReadsTheMembershipAsTheAccessCheckDoes) {
  auto in_org = SessionOfAda(org_);
  ASSERT_TRUE(in_org);
  EXPECT_EQ(in_org->user.id, admin_);
  ASSERT_TRUE(in_org->membership);
  EXPECT_EQ(in_org->membership->membership.role, domain::Role::kAdmin);
  EXPECT_EQ(in_org->membership->membership.state, domain::MembershipState::kActive);
  EXPECT_FALSE(in_org->membership->misses_required_mfa);
  EXPECT_EQ(in_org->membership->organization.name, "Acme");

  auto none_asked = SessionOfAda(0);
  ASSERT_TRUE(none_asked);
  EXPECT_EQ(none_asked->user.id, admin_);
  EXPECT_FALSE(none_asked->membership);
  auto not_a_member = SessionOfAda(other_org_);
  ASSERT_TRUE(not_a_member);
  EXPECT_FALSE(not_a_member->membership);

  Execute("UPDATE organizations SET require_mfa = 1 WHERE id = " + std::to_string(org_));
  Execute("UPDATE memberships SET deactivated_at = 1 WHERE user_id = " + std::to_string(admin_));
  auto changed = SessionOfAda(org_);
  ASSERT_TRUE(changed && changed->membership);
  EXPECT_EQ(changed->membership->membership.state, domain::MembershipState::kDeactivated);
  EXPECT_TRUE(changed->membership->misses_required_mfa);
}

// Ada was an admin when her session was read; her membership is gone since.
// The read she asked for answers by what was read with her session (as if
// it had come a moment earlier); anything else reads it again.
TEST_F(MembershipReadTest, OnlyAReadOfTheSameOrganizationTakesTheMembershipReadWithTheSession) {
  Execute("DELETE FROM memberships WHERE user_id = " + std::to_string(admin_));
  domain::MemberFilter filter;
  filter.now = clock_.Now();

  Result<app::MemberList> read = app::ListMembers(*context_, AdaReadFor(org_), org_, filter);
  ASSERT_TRUE(read.ok()) << read.problem().internal;
  EXPECT_EQ(read->items.size(), 1u);  // Sam

  Result<app::MemberList> other = app::ListMembers(*context_, AdaReadFor(other_org_), org_, filter);
  ASSERT_FALSE(other.ok());
  EXPECT_EQ(other.problem().category, ProblemCode::kNotFound);

  Result<app::MemberView> write =
      app::ChangeRole(*context_, AdaReadFor(org_), org_, seller_, domain::Role::kAdmin);
  ASSERT_FALSE(write.ok());
  EXPECT_EQ(write.problem().category, ProblemCode::kNotFound);
}

// A write's access check is the membership as it is inside the write's
// transaction: Ada, demoted since her session was read, may not promote.
TEST_F(MembershipReadTest, AWriteChecksTheMembershipInItsOwnTransaction) {
  Execute("UPDATE memberships SET role = 'user' WHERE user_id = " + std::to_string(admin_));
  Result<app::MemberView> write =
      app::ChangeRole(*context_, AdaReadFor(org_), org_, seller_, domain::Role::kAdmin);
  ASSERT_FALSE(write.ok());
  EXPECT_EQ(write.problem().category, ProblemCode::kForbidden);
}

}  // namespace
}  // namespace roster::testing
