// Two-factor sign-in (SPEC 9) through the use cases, on a real database
// (SQLite, and PostgreSQL under the postgres. prefix) with a clock the test
// moves: the ±1-step window, replays, recovery codes, the lockout, and the
// secret sealed at rest.
#include <soci/soci.h>

#include <cctype>
#include <set>

#include "app/members.hpp"
#include "app/sign_in.hpp"
#include "app/two_factor.hpp"
#include "auth/secret_box.hpp"
#include "auth/totp.hpp"
#include "store_fixture.hpp"

namespace roster::testing {
namespace {

constexpr const char* kPassword = "copper meadow violin 4471 drifts";

class ManualClock final : public Clock {
 public:
  UnixSeconds Now() const override { return now_; }
  void Advance(UnixSeconds seconds) { now_ += seconds; }

 private:
  UnixSeconds now_ = 1'800'000'010;  // 10 s into a step
};

class TwoFactorTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (HasFatalFailure()) return;
    app_ = std::make_unique<app::Context>(app::Context{*database_, *hasher_, clock_now_, {}});
    app_->secret_box = &box_;
    auto created = app::CreateOrganization(*app_, "Acme", "ada@acme.test", "Ada Admin");
    ASSERT_TRUE(created.ok());
    organization_id_ = created->organization.id;
    ada_ = app::Principal::Person(created->admin.user_id, 0, "ada@acme.test", "Ada Admin", true);
    ASSERT_TRUE(app::ChangePassword(*app_, ada_, created->one_time_password, kPassword).ok());
    ada_.must_change_password = false;
    ada_.signed_in_at = clock_now_.Now();
  }

  std::int64_t Step() const { return TotpStep(clock_now_.Now()); }

  // Sets TOTP up for Ada; returns the raw secret and fills the recovery codes.
  std::string TurnOn(std::vector<std::string>* recovery_codes = nullptr) {
    auto setup = app::SetUpTotp(*app_, ada_, "");
    EXPECT_TRUE(setup.ok());
    std::string secret = DecodeBase32(setup->secret).value_or("");
    auto codes = app::ConfirmTotp(*app_, ada_, TotpCode(secret, Step()));
    EXPECT_TRUE(codes.ok()) << codes.problem().detail;
    if (recovery_codes && codes.ok()) *recovery_codes = *codes;
    return secret;
  }

  // Signs in with the password; answers the challenge's principal.
  app::Principal Challenge() {
    auto signed_in = app::Login(*app_, {"ada@acme.test", kPassword, "203.0.113.9", ""});
    EXPECT_TRUE(signed_in.ok());
    EXPECT_TRUE(signed_in->mfa_required);
    auto principal = app::Authenticate(*app_, signed_in->session_token);
    EXPECT_TRUE(principal.ok());
    EXPECT_TRUE(principal->second_factor_pending);
    return *principal;
  }

  // A code that none of the window's steps has.
  std::string WrongCode(const std::string& secret) const {
    for (std::string candidate : {"000000", "111111", "222222", "333333"}) {
      bool valid = false;
      for (int offset = -1; offset <= 1; ++offset)
        valid = valid || TotpCode(secret, Step() + offset) == candidate;
      if (!valid) return candidate;
    }
    return "444444";
  }

  Result<app::SignedIn> WithCode(const app::Principal& challenge, const std::string& code) {
    return app::CompleteSignIn(*app_, challenge, {code, ""});
  }

  std::int64_t CountAudit(const std::string& action) {
    long long count = 0;
    EXPECT_TRUE(database_
                    ->Read<void>([&](store::Tx& tx) -> Status {
                      tx.sql() << "SELECT COUNT(*) FROM audit_events WHERE action = :action",
                          soci::use(action), soci::into(count);
                      return {};
                    })
                    .ok());
    return count;
  }

  ManualClock clock_now_;
  SecretBox box_ = SecretBox::Generate();
  std::unique_ptr<app::Context> app_;
  Id organization_id_ = 0;
  app::Principal ada_;
};

TEST_F(TwoFactorTest, TheSecretAtRestIsSealedWithTheKey) {
  auto setup = app::SetUpTotp(*app_, ada_, "");
  ASSERT_TRUE(setup.ok());
  std::string secret = *DecodeBase32(setup->secret);
  std::string stored;
  ASSERT_TRUE(database_
                  ->Read<void>([&](store::Tx& tx) -> Status {
                    tx.sql() << "SELECT secret_box FROM totp_factors WHERE user_id = :user",
                        soci::use(ada_.user_id), soci::into(stored);
                    return {};
                  })
                  .ok());
  EXPECT_EQ(stored.find(setup->secret), std::string::npos);
  EXPECT_EQ(stored.find(secret), std::string::npos);
  auto opened = box_.Open(stored);
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(*opened, secret);
  EXPECT_FALSE(SecretBox::Generate().Open(stored).ok());
}

TEST_F(TwoFactorTest, WithoutAKeySetUpAndCodesAnswer503) {
  app_->secret_box = nullptr;
  auto setup = app::SetUpTotp(*app_, ada_, "");
  ASSERT_FALSE(setup.ok());
  EXPECT_EQ(setup.problem().category, ProblemCode::kUnavailable);
  EXPECT_EQ(setup.problem().slug, "secret_key_missing");
}

TEST_F(TwoFactorTest, APasswordAloneOpensOnlyAChallenge) {
  TurnOn();
  auto signed_in = app::Login(*app_, {"ada@acme.test", kPassword, "203.0.113.9", ""});
  ASSERT_TRUE(signed_in.ok());
  EXPECT_TRUE(signed_in->mfa_required);
  auto principal = app::Authenticate(*app_, signed_in->session_token);
  ASSERT_TRUE(principal.ok());
  EXPECT_TRUE(principal->second_factor_pending);
  // It expires after ten minutes.
  clock_now_.Advance(601);
  EXPECT_EQ(app::Authenticate(*app_, signed_in->session_token).problem().category,
            ProblemCode::kUnauthenticated);
}

TEST_F(TwoFactorTest, OneStepEitherSideIsAcceptedTwoAreNot) {
  std::string secret = TurnOn();
  clock_now_.Advance(kTotpStepSeconds * 10);  // away from the confirmation's step
  app::Principal challenge = Challenge();
  EXPECT_EQ(WithCode(challenge, TotpCode(secret, Step() - 2)).problem().slug, "invalid_code");
  EXPECT_EQ(WithCode(challenge, TotpCode(secret, Step() + 2)).problem().slug, "invalid_code");
  EXPECT_TRUE(WithCode(challenge, TotpCode(secret, Step() - 1)).ok());

  clock_now_.Advance(kTotpStepSeconds * 10);
  auto session = WithCode(Challenge(), TotpCode(secret, Step() + 1));
  ASSERT_TRUE(session.ok());
  EXPECT_FALSE(session->mfa_required);
  auto principal = app::Authenticate(*app_, session->session_token);
  ASSERT_TRUE(principal.ok());
  EXPECT_FALSE(principal->second_factor_pending);
}

TEST_F(TwoFactorTest, ACodeIsAcceptedOnceInItsStep) {
  std::string secret = TurnOn();
  // The confirmation used this step's code already.
  EXPECT_EQ(WithCode(Challenge(), TotpCode(secret, Step())).problem().slug, "invalid_code");
  clock_now_.Advance(kTotpStepSeconds);
  std::string code = TotpCode(secret, Step());
  ASSERT_TRUE(WithCode(Challenge(), code).ok());
  EXPECT_EQ(WithCode(Challenge(), code).problem().slug, "invalid_code");
  // An older step's code is no good after a newer one was used.
  EXPECT_EQ(WithCode(Challenge(), TotpCode(secret, Step() - 1)).problem().slug, "invalid_code");
  EXPECT_TRUE(WithCode(Challenge(), TotpCode(secret, Step() + 1)).ok());
}

TEST_F(TwoFactorTest, RecoveryCodesWorkOnceEach) {
  std::vector<std::string> codes;
  TurnOn(&codes);
  ASSERT_EQ(codes.size(), 10u);
  EXPECT_EQ(std::set<std::string>(codes.begin(), codes.end()).size(), 10u);
  ASSERT_TRUE(app::CompleteSignIn(*app_, Challenge(), {"", codes[0]}).ok());
  EXPECT_EQ(app::CompleteSignIn(*app_, Challenge(), {"", codes[0]}).problem().slug,
            "invalid_code");
  // Typed in lower case, without dashes, the next one works.
  std::string typed;
  for (char c : codes[1]) {
    if (c != '-') typed += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  EXPECT_TRUE(app::CompleteSignIn(*app_, Challenge(), {"", typed}).ok());
  EXPECT_EQ(app::DescribeTotp(*app_, ada_)->recovery_codes_left, 8);
  EXPECT_EQ(CountAudit("mfa_recovery_code_used"), 2);
  EXPECT_EQ(CountAudit("mfa_enabled"), 1);

  // Stored as SHA-256, never as typed.
  long long plain = -1;
  ASSERT_TRUE(database_
                  ->Read<void>([&](store::Tx& tx) -> Status {
                    tx.sql() << "SELECT COUNT(*) FROM recovery_codes WHERE code_hash = :code",
                        soci::use(codes[2]), soci::into(plain);
                    return {};
                  })
                  .ok());
  EXPECT_EQ(plain, 0);
}

TEST_F(TwoFactorTest, TenWrongCodesLockTheAccount) {
  std::string secret = TurnOn();
  clock_now_.Advance(kTotpStepSeconds * 5);
  app::Principal challenge = Challenge();
  std::string wrong = WrongCode(secret);
  // As with passwords: ten failures are answered as such, and lock the account.
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(WithCode(challenge, wrong).problem().slug, "invalid_code") << i;
  }
  auto locked = WithCode(challenge, TotpCode(secret, Step()));
  ASSERT_FALSE(locked.ok());
  EXPECT_EQ(locked.problem().category, ProblemCode::kRateLimited);
  EXPECT_GT(locked.problem().retry_after_seconds.value_or(0), 800);
  // The password alone does not clear the count: signing in again is refused too.
  EXPECT_EQ(app::Login(*app_, {"ada@acme.test", kPassword, "203.0.113.9", ""}).problem().category,
            ProblemCode::kRateLimited);
}

TEST_F(TwoFactorTest, TurningItOffNeedsThePasswordAndACode) {
  std::string secret = TurnOn();
  clock_now_.Advance(kTotpStepSeconds);
  EXPECT_EQ(app::RemoveTotp(*app_, ada_, "not the password at all", {TotpCode(secret, Step()), ""})
                .problem()
                .slug,
            "invalid_credentials");
  EXPECT_EQ(app::RemoveTotp(*app_, ada_, kPassword, {WrongCode(secret), ""}).problem().slug,
            "invalid_code");
  ASSERT_TRUE(app::RemoveTotp(*app_, ada_, kPassword, {TotpCode(secret, Step()), ""}).ok());
  EXPECT_FALSE(app::DescribeTotp(*app_, ada_)->enabled);
  EXPECT_EQ(CountAudit("mfa_disabled"), 1);
  auto signed_in = app::Login(*app_, {"ada@acme.test", kPassword, "203.0.113.9", ""});
  ASSERT_TRUE(signed_in.ok());
  EXPECT_FALSE(signed_in->mfa_required);
}

// Adding a factor to an account whose session is not fresh takes the
// password: a stolen session must not bind the thief's authenticator.
TEST_F(TwoFactorTest, AnOlderSessionTurnsItOnOnlyWithThePassword) {
  EXPECT_TRUE(app::SetUpTotp(*app_, ada_, "").ok()) << "a fresh sign-in needs no password";
  clock_now_.Advance(app::kRecentSignInSeconds + 1);
  auto without = app::SetUpTotp(*app_, ada_, "");
  ASSERT_FALSE(without.ok());
  EXPECT_EQ(without.problem().slug, "password_required");
  auto wrong = app::SetUpTotp(*app_, ada_, "not the password of anyone 77");
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.problem().slug, "invalid_credentials");
  EXPECT_TRUE(app::SetUpTotp(*app_, ada_, kPassword).ok());
}

}  // namespace
}  // namespace roster::testing
