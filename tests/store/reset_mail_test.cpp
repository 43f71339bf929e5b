// A password reset e-mail still in the outbox when its reset ends (a newer
// one was asked for, a new password was set with it, or it expired) carries a one-time
// password that signs no one in: the claim says so (store/outbox.hpp
// password_ended), and the sender withdraws it instead of sending it (V019).
#include <regex>

#include "app/recovery.hpp"
#include "app/sign_in.hpp"
#include "store/outbox.hpp"
#include "store/query.hpp"
#include "store_fixture.hpp"

namespace roster::testing {
namespace {

constexpr int kLease = 60;

class ResetMailTest : public InvitingTeamTest {
 protected:
  void SetUp() override {
    InvitingTeamTest::SetUp();
    if (HasFatalFailure()) return;
    // A reset is for an account with a password.
    auto hash = hasher_->Hash("violet umbrella marches north 1847");
    ASSERT_TRUE(hash.ok());
    Execute("UPDATE users SET password_hash = '" + *hash + "' WHERE email = 'ada@acme.test'");
    Execute("DELETE FROM outbox_messages");
  }

  void AskForReset() {
    Status asked = app::RequestPasswordReset(*context_, {"ada@acme.test", "192.0.2.1"});
    ASSERT_TRUE(asked.ok()) << asked.problem().internal;
  }

  // Ada's reset e-mails as a claim at `now` returns them, oldest first: for
  // each, whether its one-time password has ended (a new password's notice
  // carries none).
  std::vector<bool> ClaimAdasMail(UnixSeconds now) {
    auto claimed = store::outbox::ClaimDue(*database_, now, kLease, 100);
    EXPECT_TRUE(claimed.ok()) << claimed.problem().internal;
    std::vector<bool> ended;
    if (!claimed.ok()) return ended;
    for (const store::outbox::OutboxMessage& message : *claimed) {
      if (message.recipient != "ada@acme.test" || !message.reset) continue;
      ended.push_back(message.password_ended);
    }
    return ended;
  }

  std::string NewestOneTimePassword() {
    auto text = database_->Read<std::string>([&](store::Tx& tx) -> Result<std::string> {
      store::Query row(tx, "SELECT message FROM outbox_messages ORDER BY id DESC LIMIT 1");
      EXPECT_TRUE(row.Next());
      return row.Text(0);
    });
    EXPECT_TRUE(text.ok());
    std::smatch match;
    std::string message = text.ok() ? *text : "";
    EXPECT_TRUE(std::regex_search(message, match, std::regex("One-time password: ([A-Z0-9-]+)")));
    return match.size() > 1 ? match[1].str() : "";
  }
};

TEST_F(ResetMailTest, AStandingResetsEmailHasNotEnded) {
  AskForReset();
  EXPECT_EQ(ClaimAdasMail(clock_.Now()), std::vector<bool>({false}));
}

TEST_F(ResetMailTest, ANewerResetEndsTheEarlierEmailOnly) {
  AskForReset();
  AskForReset();
  EXPECT_EQ(ClaimAdasMail(clock_.Now()), std::vector<bool>({true, false}));
}

TEST_F(ResetMailTest, UsingTheResetEndsItsEmail) {
  AskForReset();
  std::string one_time_password = NewestOneTimePassword();
  auto signed_in = app::Login(*context_, {"ada@acme.test", one_time_password, "192.0.2.1", ""});
  ASSERT_TRUE(signed_in.ok()) << signed_in.problem().internal;
  ASSERT_TRUE(signed_in->must_change_password);
  auto session = app::Authenticate(*context_, signed_in->session_token);
  ASSERT_TRUE(session.ok()) << session.problem().internal;
  auto changed = app::ChangePassword(*context_, *session, one_time_password,
                                     "quiet harbor lantern 92 sings");
  ASSERT_TRUE(changed.ok()) << changed.problem().internal;
  EXPECT_EQ(ClaimAdasMail(clock_.Now()), std::vector<bool>({true}));
}

TEST_F(ResetMailTest, AnExpiredResetsEmailHasEnded) {
  AskForReset();
  UnixSeconds expires_at = clock_.Now() + context_->settings.reset_ttl;
  EXPECT_EQ(ClaimAdasMail(expires_at - 5), std::vector<bool>({false}));
  EXPECT_EQ(ClaimAdasMail(expires_at + kLease), std::vector<bool>({true}))
      << "claimed again once the lease ended, now past the expiry";
}

// A message queued by an older server carries no reset and is sent.
TEST_F(ResetMailTest, AnEmailOfAnOlderServerIsSent) {
  AskForReset();
  Execute("UPDATE outbox_messages SET reset_user_id = NULL, reset_otp_hash = NULL");
  AskForReset();
  auto claimed = store::outbox::ClaimDue(*database_, clock_.Now(), kLease, 100);
  ASSERT_TRUE(claimed.ok());
  ASSERT_EQ(claimed->size(), 2u);
  EXPECT_FALSE(claimed->at(0).reset.has_value());
  EXPECT_FALSE(claimed->at(0).password_ended);
  EXPECT_FALSE(claimed->at(1).password_ended);
}

}  // namespace
}  // namespace roster::testing
