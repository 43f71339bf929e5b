// An invitation e-mail still in the outbox when its invitation ends (sent
// again, revoked, expired, accepted) carries a one-time password that signs
// no one in: the claim says so (store/outbox.hpp password_ended), and the
// sender withdraws it instead of sending it.
#include "app/members.hpp"
#include "store/outbox.hpp"
#include "store/query.hpp"
#include "store_fixture.hpp"

namespace roster::testing {
namespace {

constexpr int kLease = 60;

class InvitationMailTest : public InvitingTeamTest {
 protected:
  // Bea's e-mails as a claim at `now` returns them, oldest first: for each,
  // whether its invitation has ended.
  std::vector<bool> ClaimBeasMail(UnixSeconds now) {
    auto claimed = store::outbox::ClaimDue(*database_, now, kLease, 100);
    EXPECT_TRUE(claimed.ok()) << claimed.problem().internal;
    std::vector<bool> ended;
    if (!claimed.ok()) return ended;
    for (const store::outbox::OutboxMessage& message : *claimed) {
      if (message.recipient != "bea@acme.test") continue;
      EXPECT_TRUE(message.invitation.has_value());
      ended.push_back(message.password_ended);
    }
    return ended;
  }
};

TEST_F(InvitationMailTest, APendingInvitationsEmailHasNotEnded) {
  EXPECT_EQ(ClaimBeasMail(clock_.Now()), std::vector<bool>({false}));
}

TEST_F(InvitationMailTest, ResendingEndsTheEarlierEmailOnly) {
  auto resent = app::ResendInvitation(*context_, admin_, org_, bea_);
  ASSERT_TRUE(resent.ok()) << resent.problem().internal;
  EXPECT_EQ(ClaimBeasMail(clock_.Now()), std::vector<bool>({true, false}));
}

TEST_F(InvitationMailTest, RevokingTheInvitationEndsItsEmail) {
  auto removed = app::RemoveMember(*context_, admin_, org_, bea_, std::nullopt);
  ASSERT_TRUE(removed.ok()) << removed.problem().internal;
  EXPECT_EQ(ClaimBeasMail(clock_.Now()), std::vector<bool>({true}));
}

TEST_F(InvitationMailTest, AnExpiredInvitationsEmailHasEnded) {
  auto member = app::GetMember(*context_, admin_, org_, bea_);
  ASSERT_TRUE(member.ok() && member->details->invite_expires_at.has_value());
  UnixSeconds expires_at = *member->details->invite_expires_at;
  EXPECT_EQ(ClaimBeasMail(expires_at - 1), std::vector<bool>({false}));
  EXPECT_EQ(ClaimBeasMail(expires_at + kLease), std::vector<bool>({true}))
      << "claimed again once the lease ended, now past the expiry";
}

// Accepting (the password set) ends the invitation as the sign-in does.
TEST_F(InvitationMailTest, AnAcceptedInvitationsEmailHasEnded) {
  Execute("DELETE FROM invitations WHERE user_id = " + std::to_string(bea_));
  Execute("UPDATE memberships SET status = 'active', joined_at = 1 WHERE user_id = " +
          std::to_string(bea_));
  EXPECT_EQ(ClaimBeasMail(clock_.Now()), std::vector<bool>({true}));
}

TEST_F(InvitationMailTest, AWithdrawnEmailLeavesTheOutboxUnlessItWasSent) {
  ASSERT_TRUE(app::ResendInvitation(*context_, admin_, org_, bea_).ok());
  auto claimed = store::outbox::ClaimDue(*database_, clock_.Now(), kLease, 100);
  ASSERT_TRUE(claimed.ok() && !claimed->empty());
  Id id = claimed->back().id;
  ASSERT_TRUE(store::outbox::Withdraw(*database_, id).ok());
  auto found = store::outbox::Find(*database_, id);
  ASSERT_TRUE(found.ok());
  EXPECT_FALSE(found->has_value());

  Id sent = claimed->front().id;
  ASSERT_NE(sent, id);
  ASSERT_TRUE(store::outbox::MarkSent(*database_, sent, clock_.Now()).ok());
  ASSERT_TRUE(store::outbox::Withdraw(*database_, sent).ok());
  found = store::outbox::Find(*database_, sent);
  ASSERT_TRUE(found.ok());
  EXPECT_TRUE(found->has_value()) << "a sent message is history, not withdrawn";
}

}  // namespace
}  // namespace roster::testing
