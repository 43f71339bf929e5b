// An invitation that has expired stays expired: setting a password through
// another organization's invitation must not revive it (SPEC 1, membership
// status; invariant 4). Use cases on a real database with a clock the test
// moves, so expiry needs no waiting.
#include <soci/soci.h>

#include <regex>

#include "app/members.hpp"
#include "app/sign_in.hpp"
#include "auth/secrets.hpp"
#include "store/organizations.hpp"
#include "store/outbox.hpp"
#include "store_fixture.hpp"

namespace roster::testing {
namespace {

constexpr const char* kNewPassword = "copper meadow violin 4471 drifts";

class ManualClock final : public Clock {
 public:
  UnixSeconds Now() const override { return now_; }
  void Advance(UnixSeconds seconds) { now_ += seconds; }

 private:
  UnixSeconds now_ = 1'800'000'000;
};

class InvitationExpiryTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (HasFatalFailure()) return;
    app_ = std::make_unique<app::Context>(app::Context{*database_, *hasher_, clock_now_, {}});
  }

  // The one-time password of the newest e-mail to `email` not read yet ("" if
  // it has none); every waiting e-mail counts as read afterwards.
  std::string OneTimePasswordOf(const std::string& email) {
    auto due = store::outbox::ClaimDue(*database_, clock_now_.Now() + 1, 60, 1000);
    EXPECT_TRUE(due.ok());
    std::string otp;
    std::smatch match;
    for (const auto& message : *due) {
      if (message.recipient == email &&
          std::regex_search(message.message, match, std::regex("One-time password: (\\S+)")))
        otp = match[1];
      EXPECT_TRUE(store::outbox::MarkSent(*database_, message.id, clock_now_.Now()).ok());
    }
    return otp;
  }

  // An organization whose admin has set his password; returns its admin.
  app::Principal ActiveOrganization(const std::string& name, const std::string& admin_email,
                                    Id* organization_id) {
    auto created = app::CreateOrganization(*app_, name, admin_email, "");
    EXPECT_TRUE(created.ok());
    *organization_id = created->organization.id;
    app::Principal admin =
        app::Principal::Person(created->admin.user_id, 0, admin_email, created->admin.name, true);
    EXPECT_TRUE(app::ChangePassword(*app_, admin, created->one_time_password, kNewPassword).ok());
    return admin;
  }

  domain::MemberStatus StatusIn(Id organization_id, Id user_id) {
    auto member = database_->Read<domain::Member>([&](store::Tx& tx) -> Result<domain::Member> {
      auto found = store::FindMember(tx, organization_id, user_id);
      if (!found) return Problem::NotFound();
      return *found;
    });
    EXPECT_TRUE(member.ok());
    return member->StatusAt(clock_now_.Now());
  }

  ManualClock clock_now_;
  std::unique_ptr<app::Context> app_;
};

TEST_F(InvitationExpiryTest, APasswordSetThroughAnotherOrganizationDoesNotReviveAnExpiredOne) {
  Id acme = 0, globex = 0;
  app::Principal ada = ActiveOrganization("Acme", "ada@acme.test", &acme);
  app::Principal gina = ActiveOrganization("Globex", "gina@globex.test", &globex);

  auto invited = app::InviteMember(*app_, ada, acme, {"una@example.test", "Una", {}, {}});
  ASSERT_TRUE(invited.ok());
  Id una = invited->user_id;
  clock_now_.Advance(app_->settings.invite_ttl + 1);  // Acme's invitation expires
  ASSERT_EQ(StatusIn(acme, una), domain::MemberStatus::kInviteExpired);

  ASSERT_TRUE(app::InviteMember(*app_, gina, globex, {"una@example.test", "Una", {}, {}}).ok());
  std::string globex_otp = OneTimePasswordOf("una@example.test");
  ASSERT_FALSE(globex_otp.empty());
  auto signed_in = app::Login(*app_, {"una@example.test", globex_otp, "203.0.113.9", ""});
  ASSERT_TRUE(signed_in.ok()) << signed_in.problem().detail;

  // While she holds the one-time-password session, /me tells the two apart.
  app::Principal una_principal = app::Principal::Person(una, 0, "una@example.test", "Una", true);
  auto me = app::DescribeMe(*app_, una_principal);
  ASSERT_TRUE(me.ok());
  ASSERT_EQ(me->memberships.size(), 2u);
  EXPECT_EQ(me->memberships[0].organization.name, "Acme");
  EXPECT_EQ(me->memberships[0].status, domain::MemberStatus::kInviteExpired);
  EXPECT_EQ(me->memberships[1].status, domain::MemberStatus::kInvited);

  ASSERT_TRUE(app::ChangePassword(*app_, una_principal, globex_otp, kNewPassword).ok());
  EXPECT_EQ(StatusIn(globex, una), domain::MemberStatus::kActive);
  EXPECT_EQ(StatusIn(acme, una), domain::MemberStatus::kInviteExpired);

  // Acme's admin resends: she has an account now, so she is added at once,
  // as an invitation of an existing account would.
  auto resent = app::ResendInvitation(*app_, ada, acme, una);
  ASSERT_TRUE(resent.ok()) << resent.problem().detail;
  EXPECT_EQ(resent->status, domain::MemberStatus::kActive);
  EXPECT_TRUE(OneTimePasswordOf("una@example.test").empty());  // "you were added", no password
}

TEST_F(InvitationExpiryTest, OneTimePasswordsAreStoredAsSha256AndIssuedWithoutArgon2) {
  Id acme = 0;
  app::Principal ada = ActiveOrganization("Acme", "ada@acme.test", &acme);
  std::uint64_t hashes_before = hasher_->HashesComputed();
  auto invited = app::InviteMember(*app_, ada, acme, {"una@example.test", "Una", {}, {}});
  ASSERT_TRUE(invited.ok());
  ASSERT_TRUE(app::ResendInvitation(*app_, ada, acme, invited->user_id).ok());
  EXPECT_EQ(hasher_->HashesComputed(), hashes_before);  // SPEC 6: no argon2 work

  std::string otp = OneTimePasswordOf("una@example.test");
  ASSERT_EQ(NormalizeOneTimePassword(otp).size(), kOneTimePasswordSymbols);
  std::string stored;
  ASSERT_TRUE(database_
                  ->Read<void>([&](store::Tx& tx) -> Status {
                    tx.sql() << "SELECT otp_hash FROM invitations WHERE user_id = :user",
                        soci::use(invited->user_id), soci::into(stored);
                    return {};
                  })
                  .ok());
  EXPECT_EQ(stored, HashOneTimePassword(otp));
  EXPECT_EQ(stored.find(NormalizeOneTimePassword(otp)), std::string::npos);
}

}  // namespace
}  // namespace roster::testing
