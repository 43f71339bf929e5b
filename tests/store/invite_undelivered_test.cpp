// An invitation whose e-mail the mail server refused for good (V017): the
// sender's give-up marks the member with a reason an admin can act on, as
// long as that e-mail is his pending invitation's, and writes the audit
// event; a resend, by this release or by SQL as an older server still
// running during a rolling upgrade resends, ends the mark.
#include "app/members.hpp"
#include "app/undelivered_mail.hpp"
#include "store/outbox.hpp"
#include "store/query.hpp"
#include "store_fixture.hpp"

namespace roster::testing {
namespace {

constexpr const char* kRefused = "smtp://relay.internal:25: RCPT failed: 550 (last reply 550)";

class InviteUndeliveredTest : public InvitingTeamTest {
 protected:
  // The newest e-mail to Bea, as the sender claims it.
  store::outbox::OutboxMessage NewestToBea() {
    auto id = database_->Read<Id>([&](store::Tx& tx) -> Result<Id> {
      store::Query row(tx, "SELECT MAX(id) FROM outbox_messages WHERE recipient = 'bea@acme.test'");
      EXPECT_TRUE(row.Next());
      return row.Int64(0);
    });
    EXPECT_TRUE(id.ok());
    auto found = store::outbox::Find(*database_, id.ok() ? *id : 0);
    EXPECT_TRUE(found.ok() && found->has_value());
    return found.ok() && found->has_value() ? **found : store::outbox::OutboxMessage{};
  }

  void GiveUp(const store::outbox::OutboxMessage& message) {
    Status done = database_->Write<void>([&](store::Tx& tx) -> Status {
      app::RecordUndeliveredMail(tx, message, kRefused, clock_.Now());
      return {};
    });
    ASSERT_TRUE(done.ok()) << done.problem().internal;
  }

  // Bea's reason as the member and as a row of the members page.
  std::pair<std::optional<std::string>, std::optional<std::string>> Reasons() {
    auto member = app::GetMember(*context_, admin_, org_, bea_);
    EXPECT_TRUE(member.ok());
    domain::MemberFilter filter;
    filter.status = domain::MemberStatus::kInvited;
    auto page = app::ListMembers(*context_, admin_, org_, filter);
    EXPECT_TRUE(page.ok() && page->items.size() == 1u);
    if (!member.ok() || !page.ok() || page->items.size() != 1u) return {"?", "?"};
    return {member->details->invite_undelivered, page->items[0].details->invite_undelivered};
  }

  std::size_t AuditEvents() {
    domain::AuditFilter filter;
    filter.action = "invite_undelivered";
    filter.target_user_id = bea_;
    auto events = app::ListAuditEvents(*context_, admin_, org_, 50, std::nullopt, filter);
    EXPECT_TRUE(events.ok());
    return events.ok() ? events->items.size() : 99;
  }

  // Webhook deliveries of `type` queued so far.
  std::int64_t Deliveries(const std::string& type) {
    auto count = database_->Read<std::int64_t>([&](store::Tx& tx) -> Result<std::int64_t> {
      store::Query row(tx, "SELECT COUNT(*) FROM webhook_deliveries WHERE event_type = $1");
      row.Bind(std::string_view(type));
      EXPECT_TRUE(row.Next());
      return row.Int64(0);
    });
    EXPECT_TRUE(count.ok());
    return count.ok() ? *count : -1;
  }
};

TEST_F(InviteUndeliveredTest, TheEmailNamesTheInvitationItCarries) {
  store::outbox::OutboxMessage message = NewestToBea();
  ASSERT_TRUE(message.invitation.has_value());
  EXPECT_EQ(message.invitation->user_id, bea_);
  auto member = app::GetMember(*context_, admin_, org_, bea_);
  ASSERT_TRUE(member.ok());
  EXPECT_EQ(message.invitation->expires_at, member->details->invite_expires_at);
  EXPECT_EQ(Reasons(), std::pair(std::optional<std::string>(), std::optional<std::string>()));
}

TEST_F(InviteUndeliveredTest, AGivenUpInvitationShowsWithItsReasonUntilItIsSentAgain) {
  Seed([&](store::Tx& tx, UnixSeconds now) {
    AddWebhookEndpoint(tx, org_, {"member.invite_undelivered"}, now);
  });
  GiveUp(NewestToBea());
  const std::optional<std::string> reason = "The mail server refused the address (550).";
  EXPECT_EQ(Reasons(), std::pair(reason, reason)) << "no relay host for an admin";
  EXPECT_EQ(AuditEvents(), 1u);
  EXPECT_EQ(Deliveries("member.invite_undelivered"), 1);

  auto resent = app::ResendInvitation(*context_, admin_, org_, bea_);
  ASSERT_TRUE(resent.ok()) << resent.problem().internal;
  EXPECT_FALSE(resent->details->invite_undelivered);
  EXPECT_EQ(Reasons().first, std::nullopt);

  // The new e-mail refused too, then a resend as an older server writes it:
  // only the expiry moves.
  GiveUp(NewestToBea());
  EXPECT_EQ(Reasons().first, reason);
  Execute("UPDATE invitations SET expires_at = expires_at + 60 WHERE organization_id = " +
          std::to_string(org_) + " AND user_id = " + std::to_string(bea_));
  EXPECT_EQ(Reasons(), std::pair(std::optional<std::string>(), std::optional<std::string>()));
}

// An e-mail given up after its invitation was sent again, accepted or
// revoked is no longer the member's invitation's: nothing is marked.
TEST_F(InviteUndeliveredTest, AnOlderInvitationsEmailMarksNothing) {
  store::outbox::OutboxMessage first = NewestToBea();
  Execute("UPDATE invitations SET expires_at = expires_at + 60 WHERE organization_id = " +
          std::to_string(org_) + " AND user_id = " + std::to_string(bea_));
  GiveUp(first);
  EXPECT_EQ(Reasons().first, std::nullopt);
  EXPECT_EQ(AuditEvents(), 0u);
}

TEST_F(InviteUndeliveredTest, OtherEmailsMarkNothing) {
  store::outbox::OutboxMessage message = NewestToBea();
  message.invitation.reset();
  GiveUp(message);
  EXPECT_EQ(Reasons().first, std::nullopt);
  EXPECT_EQ(AuditEvents(), 0u);
}

TEST(UndeliveredReasonTest, NamesTheRefusalAndItsCodeNeverTheRelay) {
  EXPECT_EQ(app::UndeliveredReason(kRefused), "The mail server refused the address (550).");
  EXPECT_EQ(app::UndeliveredReason("smtp://relay.internal:25: Failed sending data to the peer "
                                   "(last reply 552)"),
            "The mail server refused the e-mail (552).");
  EXPECT_EQ(app::UndeliveredReason("the sender or recipient is not a valid e-mail address"),
            "The mail server refused the e-mail.");
}

}  // namespace
}  // namespace roster::testing
