// A membership carries the expiry of its pending invitation (V015), which
// the members page reads without probing invitations. The database keeps
// it, whoever writes the invitation: this release's use cases, or SQL as an
// older server still running during a rolling upgrade writes it; and the
// migration copies the invitations already there.
#include "app/members.hpp"
#include "store/migrations.hpp"
#include "store/query.hpp"
#include "store_fixture.hpp"

namespace roster::testing {
namespace {

class MembershipInviteExpiryTest : public InvitingTeamTest {
 protected:
  // Bea's membership's copy, and her invitation's expiry (-1: none).
  std::pair<std::int64_t, std::int64_t> Expiries() {
    Result<std::pair<std::int64_t, std::int64_t>> read =
        database_->ReadOneStatement<std::pair<std::int64_t, std::int64_t>>(
            [&](store::Tx& tx) -> Result<std::pair<std::int64_t, std::int64_t>> {
              store::Query row(tx,
                               "SELECT m.invite_expires_at, (SELECT i.expires_at FROM invitations i "
                               "WHERE i.organization_id = m.organization_id AND i.user_id = m.user_id) "
                               "FROM memberships m WHERE m.organization_id = $1 AND m.user_id = $2");
              row.Bind(static_cast<std::int64_t>(org_)).Bind(static_cast<std::int64_t>(bea_));
              EXPECT_TRUE(row.Next());
              return std::pair{row.OptionalInt64(0).value_or(-1), row.OptionalInt64(1).value_or(-1)};
            });
    EXPECT_TRUE(read.ok()) << read.problem().internal;
    return read.ok() ? *read : std::pair<std::int64_t, std::int64_t>{-2, -2};
  }

  static std::pair<std::int64_t, std::int64_t> Both(std::int64_t copied, std::int64_t invitation) {
    return {copied, invitation};
  }

  std::string Bea() const {
    return "organization_id = " + std::to_string(org_) + " AND user_id = " + std::to_string(bea_);
  }
};

TEST_F(MembershipInviteExpiryTest, TheMembershipFollowsItsInvitationWhoeverWritesIt) {
  auto [copied, invitation] = Expiries();
  EXPECT_GT(invitation, 0);
  EXPECT_EQ(copied, invitation);
  auto page = app::ListMembers(*context_, admin_, org_, {});
  ASSERT_TRUE(page.ok()) << page.problem().internal;
  ASSERT_EQ(page->items.size(), 2u);

  Execute("UPDATE invitations SET expires_at = 12345 WHERE " + Bea());  // a resend
  EXPECT_EQ(Expiries(), Both(12345, 12345));
  Execute("DELETE FROM invitations WHERE " + Bea());  // accepted or revoked
  EXPECT_EQ(Expiries(), Both(-1, -1));
  Execute("INSERT INTO invitations (organization_id, user_id, otp_hash, expires_at, created_at) "
          "VALUES (" + std::to_string(org_) + ", " + std::to_string(bea_) + ", 'h', 777, 1)");
  EXPECT_EQ(Expiries(), Both(777, 777));
}

// The members list's status filters (which read the copy) follow a changed
// expiry: an invitation past it is `invite_expired`, one before it `invited`.
TEST_F(MembershipInviteExpiryTest, TheStatusFiltersFollowAChangedExpiry) {
  auto count = [&](domain::MemberStatus status) -> std::size_t {
    domain::MemberFilter filter;
    filter.status = status;
    auto page = app::ListMembers(*context_, admin_, org_, filter);
    EXPECT_TRUE(page.ok()) << page.problem().internal;
    return page.ok() ? page->items.size() : 99;
  };
  EXPECT_EQ(count(domain::MemberStatus::kInvited), 1u);
  EXPECT_EQ(count(domain::MemberStatus::kInviteExpired), 0u);
  Execute("UPDATE invitations SET expires_at = 5 WHERE " + Bea());
  EXPECT_EQ(count(domain::MemberStatus::kInvited), 0u);
  EXPECT_EQ(count(domain::MemberStatus::kInviteExpired), 1u);
}

TEST_F(MembershipInviteExpiryTest, TheMigrationCopiesTheInvitationsAlreadyThere) {
  // A database upgraded with an invitation in it: V015 taken back, then
  // `roster migrate` again.
  TakeBackMigrationsFrom(15);
  Execute("UPDATE invitations SET expires_at = 4242 WHERE " + Bea());

  Result<int> migrated = store::Migrate(*database_);
  ASSERT_TRUE(migrated.ok()) << migrated.problem().internal;
  EXPECT_EQ(Expiries(), Both(4242, 4242));
}

}  // namespace
}  // namespace roster::testing
