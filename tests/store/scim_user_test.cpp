// A SCIM User's meta.lastModified (RFC 7643 3.1) is the latest change of
// what he is answered with: his SCIM attributes, and his role and active
// however they were changed, not only through SCIM.
#include <gtest/gtest.h>

#include "app/lifecycle.hpp"
#include "app/members.hpp"
#include "store/scim.hpp"
#include "store_fixture.hpp"

namespace roster::testing {
namespace {

constexpr UnixSeconds kLongAgo = 1'000'000'000;  // September 2001

class ScimUserTest : public InvitingTeamTest {
 protected:
  void SetUp() override {
    InvitingTeamTest::SetUp();
    if (HasFatalFailure()) return;
    Execute("UPDATE memberships SET status = 'active', joined_at = 1 WHERE user_id = " +
            std::to_string(bea_));
    Backdate();
  }

  // Every date Bea's lastModified could come from, long ago.
  void Backdate() {
    const std::string at = std::to_string(kLongAgo);
    Execute("UPDATE memberships SET created_at = " + at);
    Execute("UPDATE audit_events SET at = " + at);
    Execute("UPDATE scim_users SET created_at = " + at + ", updated_at = " + at);
  }

  UnixSeconds LastModified() {
    auto user = database_->Read<domain::ScimUser>([&](store::Tx& tx) -> Result<domain::ScimUser> {
      auto found = store::FindScimUser(tx, org_, bea_);
      EXPECT_TRUE(found.has_value());
      return found.value_or(domain::ScimUser{});
    });
    EXPECT_TRUE(user.ok());
    return user.ok() ? user->updated_at : 0;
  }
};

TEST_F(ScimUserTest, IsTheMembershipsCreationUntilSomethingChanges) {
  EXPECT_EQ(LastModified(), kLongAgo);
}

TEST_F(ScimUserTest, FollowsHisSCIMAttributes) {
  domain::ScimName name;
  name.display_name = "Bea B.";
  Seed([&](store::Tx& tx, UnixSeconds now) {
    store::SaveScimAttributes(tx, org_, bea_, "ext-1", name, now);
  });
  EXPECT_GT(LastModified(), kLongAgo);
}

TEST_F(ScimUserTest, FollowsARoleChangeMadeOutsideSCIM) {
  ASSERT_TRUE(app::ChangeRole(*context_, admin_, org_, bea_, domain::Role::kAdmin).ok());
  EXPECT_GT(LastModified(), kLongAgo);
}

TEST_F(ScimUserTest, FollowsDeactivationAndReactivation) {
  ASSERT_TRUE(app::DeactivateMember(*context_, admin_, org_, bea_, std::nullopt).ok());
  EXPECT_GT(LastModified(), kLongAgo);
  Backdate();
  ASSERT_TRUE(app::ReactivateMember(*context_, admin_, org_, bea_).ok());
  EXPECT_GT(LastModified(), kLongAgo);
}

TEST_F(ScimUserTest, IgnoresWhatIsNotPartOfTheUser) {
  // A resend changes no attribute of his (and an older event targeting
  // him, from before the membership, is older than the membership).
  Execute("UPDATE memberships SET status = 'invited' WHERE user_id = " + std::to_string(bea_));
  ASSERT_TRUE(app::ResendInvitation(*context_, admin_, org_, bea_).ok());
  EXPECT_EQ(LastModified(), kLongAgo);
}

}  // namespace
}  // namespace roster::testing
