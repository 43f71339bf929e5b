// Sign-in, sessions and the password: SPEC sections 3 and 6, as HTTP
// conversations with a real `roster serve`.
#include <thread>

#include "api_fixture.hpp"

namespace roster::testing {
namespace {

class AuthTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    if (!HasFatalFailure()) StartServer();
  }
};

TEST_F(AuthTest, OneTimePasswordSessionCanOnlyChangeThePassword) {
  Invite("bob@acme.test", "Bob Seller");
  std::string otp = WaitForOneTimePassword("bob@acme.test");
  auto bob = NewClient();
  HttpResponse login = bob->Login("bob@acme.test", otp);
  ASSERT_EQ(login.status, 200) << login.body;
  EXPECT_EQ(login.json["must_change_password"], true);
  EXPECT_EQ(login.json["user"]["email"], "bob@acme.test");
  EXPECT_NE(login.Header("set-cookie").find("HttpOnly"), std::string::npos);
  EXPECT_NE(login.Header("set-cookie").find("SameSite=Lax"), std::string::npos);
  EXPECT_NE(login.Header("set-cookie").find("Secure"), std::string::npos);  // public URL is https
  EXPECT_EQ(login.Header("strict-transport-security"), "max-age=31536000; includeSubDomains");

  HttpResponse orgs = bob->Get("/api/v1/orgs");
  EXPECT_EQ(orgs.status, 403);
  EXPECT_EQ(orgs.Code(), "password_change_required");
  EXPECT_EQ(bob->Get(OrgPath("/members")).Code(), "password_change_required");
  HttpResponse me = bob->Get("/api/v1/me");
  EXPECT_EQ(me.status, 200);
  EXPECT_EQ(me.json["must_change_password"], true);
}

TEST_F(AuthTest, SettingThePasswordActivatesAndKillsTheOneTimePassword) {
  std::string bob_id = Invite("bob@acme.test", "Bob Seller");
  std::string otp = WaitForOneTimePassword("bob@acme.test");
  auto bob = NewClient();
  ASSERT_EQ(bob->Login("bob@acme.test", otp).status, 200);
  std::string otp_session = bob->session_cookie();
  HttpResponse changed = bob->Post("/api/v1/auth/password",
                                   {{"current_password", otp}, {"new_password", kMemberPassword}});
  ASSERT_EQ(changed.status, 204) << changed.body;
  EXPECT_NE(bob->session_cookie(), otp_session);  // rotated

  EXPECT_EQ(bob->Get("/api/v1/orgs").status, 200);
  HttpResponse member = admin_->Get(OrgPath("/members/" + bob_id));
  EXPECT_EQ(member.json["status"], "active");
  EXPECT_FALSE(member.json["joined_at"].is_null());

  // The one-time password is dead, and so is the session it opened.
  auto other = NewClient();
  EXPECT_EQ(other->Login("bob@acme.test", otp).Code(), "invalid_credentials");
  other->set_session_cookie(otp_session);
  EXPECT_EQ(other->Get("/api/v1/me").status, 401);
  EXPECT_EQ(NewClient()->Login("bob@acme.test", kMemberPassword).status, 200);
}

TEST_F(AuthTest, OneTimePasswordTypedWithoutDashesOrInLowerCaseWorks) {
  Invite("bob@acme.test", "Bob Seller");
  std::string otp = WaitForOneTimePassword("bob@acme.test");
  std::string typed;
  for (char c : otp) {
    if (c != '-') typed += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  EXPECT_EQ(NewClient()->Login("bob@acme.test", typed).status, 200);
}

TEST_F(AuthTest, WrongPasswordAndUnknownEmailGetTheSameAnswer) {
  HttpResponse wrong = NewClient()->Login(kAdminEmail, "not the password at all");
  HttpResponse unknown = NewClient()->Login("nobody@acme.test", "not the password at all");
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(unknown.status, 401);
  EXPECT_EQ(wrong.Code(), "invalid_credentials");
  EXPECT_EQ(wrong.body, unknown.body);
  EXPECT_EQ(wrong.Header("content-type"), "application/problem+json");
}

TEST_F(AuthTest, LoginValidatesItsBody) {
  auto client = NewClient();
  HttpResponse missing = client->Post("/api/v1/auth/login", {{"email", kAdminEmail}});
  EXPECT_EQ(missing.status, 422);
  EXPECT_EQ(missing.Code(), "validation");
  EXPECT_EQ(missing.json["errors"][0]["field"], "password");
  EXPECT_EQ(client->Post("/api/v1/auth/login", nlohmann::json::array()).status, 422);
  EXPECT_EQ(client->Post("/api/v1/auth/login", {{"email", 5}, {"password", "x"}}).status, 422);
}

TEST_F(AuthTest, LogoutEndsTheSession) {
  auto client = NewClient();
  ASSERT_EQ(client->Login(kAdminEmail, kAdminPassword).status, 200);
  std::string cookie = client->session_cookie();
  EXPECT_EQ(client->Post("/api/v1/auth/logout").status, 204);
  // Again, or without any session: nothing to end, and the same answer.
  EXPECT_EQ(client->Post("/api/v1/auth/logout").status, 204);
  EXPECT_EQ(NewClient()->Post("/api/v1/auth/logout").status, 204);
  auto replay = NewClient();
  replay->set_session_cookie(cookie);
  HttpResponse me = replay->Get("/api/v1/me");
  EXPECT_EQ(me.status, 401);
  EXPECT_EQ(me.Code(), "unauthenticated");
}

TEST_F(AuthTest, PasswordChangeEndsTheUsersOtherSessions) {
  auto laptop = NewClient();
  auto phone = NewClient();
  ASSERT_EQ(laptop->Login(kAdminEmail, kAdminPassword).status, 200);
  ASSERT_EQ(phone->Login(kAdminEmail, kAdminPassword).status, 200);
  const std::string next = "seven purple kites over lisbon";
  ASSERT_EQ(laptop
                ->Post("/api/v1/auth/password",
                       {{"current_password", kAdminPassword}, {"new_password", next}})
                .status,
            204);
  EXPECT_EQ(laptop->Get("/api/v1/me").status, 200);
  EXPECT_EQ(phone->Get("/api/v1/me").status, 401);
  EXPECT_EQ(admin_->Get("/api/v1/me").status, 401);
  EXPECT_EQ(NewClient()->Login(kAdminEmail, kAdminPassword).status, 401);
  EXPECT_EQ(NewClient()->Login(kAdminEmail, next).status, 200);
}

TEST_F(AuthTest, PasswordPolicyExplainsEveryReason) {
  auto post = [&](const std::string& current, const std::string& next) {
    return admin_->Post("/api/v1/auth/password",
                        {{"current_password", current}, {"new_password", next}});
  };
  HttpResponse wrong_current = post("not my password", "a perfectly fine passphrase 42");
  EXPECT_EQ(wrong_current.status, 422);
  EXPECT_EQ(wrong_current.json["errors"][0]["field"], "current_password");

  HttpResponse too_short = post(kAdminPassword, "Sh0rt!xY");
  EXPECT_EQ(too_short.status, 422);
  EXPECT_EQ(too_short.Code(), "validation");
  EXPECT_EQ(too_short.json["errors"][0]["field"], "new_password");

  EXPECT_EQ(post(kAdminPassword, std::string(129, 'x') + "Q9").status, 422);  // too long
  EXPECT_EQ(post(kAdminPassword, "passwordpassword123").status, 422);         // guessable
  EXPECT_EQ(post(kAdminPassword, "ada-loves-secret-gardens-91").status,
            422);  // contains e-mail name
  EXPECT_EQ(post(kAdminPassword, "acme sales forever and ever 7").status,
            422);  // organization name
  HttpResponse unchanged = post(kAdminPassword, kAdminPassword);
  EXPECT_EQ(unchanged.status, 422);
  EXPECT_EQ(unchanged.json["errors"][0]["field"], "new_password");
  EXPECT_NE(unchanged.json["errors"][0]["message"].get<std::string>().find("current one"),
            std::string::npos);
  // Nothing was changed by the refusals.
  EXPECT_EQ(NewClient()->Login(kAdminEmail, kAdminPassword).status, 200);
}

TEST_F(AuthTest, OneTimePasswordCannotBecomeThePassword) {
  Invite("bob@acme.test", "Bob Seller");
  std::string otp = WaitForOneTimePassword("bob@acme.test");
  auto bob = NewClient();
  ASSERT_EQ(bob->Login("bob@acme.test", otp).status, 200);
  HttpResponse same =
      bob->Post("/api/v1/auth/password", {{"current_password", otp}, {"new_password", otp}});
  EXPECT_EQ(same.status, 422);
}

TEST_F(AuthTest, MeListsMemberships) {
  HttpResponse me = admin_->Get("/api/v1/me");
  ASSERT_EQ(me.status, 200);
  EXPECT_EQ(me.json["user"]["email"], kAdminEmail);
  EXPECT_EQ(me.json["must_change_password"], false);
  ASSERT_EQ(me.json["memberships"].size(), 1u);
  EXPECT_EQ(me.json["memberships"][0]["org"]["id"], org_id_);
  EXPECT_EQ(me.json["memberships"][0]["org"]["name"], "Acme Sales");
  EXPECT_EQ(me.json["memberships"][0]["role"], "admin");
  EXPECT_TRUE(me.json["memberships"][0]["managed_assistant_ids"].is_array());
  EXPECT_EQ(me.Header("cache-control"), "no-store");
}

TEST_F(AuthTest, UnauthenticatedRequestsGet401) {
  auto anonymous = NewClient();
  for (const std::string path : {"/api/v1/me", "/api/v1/orgs", "/api/v1/orgs/1/members"}) {
    HttpResponse response = anonymous->Get(path);
    EXPECT_EQ(response.status, 401) << path;
    EXPECT_EQ(response.Code(), "unauthenticated") << path;
  }
  anonymous->set_session_cookie("forged-token");
  EXPECT_EQ(anonymous->Get("/api/v1/me").status, 401);
}

TEST_F(AuthTest, StateChangesWithoutTheCsrfHeaderAre403) {
  auto client = NewClient();
  ASSERT_EQ(client->Login(kAdminEmail, kAdminPassword).status, 200);
  client->set_csrf_header(false);
  HttpResponse invite =
      client->Post(OrgPath("/invitations"), {{"email", "x@acme.test"}, {"name", "X"}});
  EXPECT_EQ(invite.status, 403);
  EXPECT_EQ(invite.Code(), "csrf");
  EXPECT_EQ(client->Post("/api/v1/auth/logout").Code(), "csrf");
  EXPECT_EQ(client->Get("/api/v1/me").status, 200);  // reads need no header
}

TEST_F(AuthTest, TenFailuresLockTheAccountAndUnknownEmailsAlike) {
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(NewClient()->Login(kAdminEmail, "wrong password number " + std::to_string(i)).status,
              401);
    EXPECT_EQ(
        NewClient()->Login("ghost@acme.test", "wrong password number " + std::to_string(i)).status,
        401);
  }
  HttpResponse locked = NewClient()->Login(kAdminEmail, kAdminPassword);
  EXPECT_EQ(locked.status, 429);
  EXPECT_EQ(locked.Code(), "rate_limited");
  int retry_after = std::stoi(locked.Header("retry-after"));
  EXPECT_GT(retry_after, 800);
  EXPECT_LE(retry_after, 900);
  HttpResponse ghost = NewClient()->Login("ghost@acme.test", "anything at all");
  EXPECT_EQ(ghost.status, 429);
  // Another account is not affected.
  EXPECT_EQ(NewClient()->Login("someone@acme.test", "wrong").status, 401);
}

TEST_F(AuthTest, SuccessfulLoginResetsTheFailureCount) {
  for (int i = 0; i < 9; ++i) NewClient()->Login(kAdminEmail, "wrong");
  ASSERT_EQ(NewClient()->Login(kAdminEmail, kAdminPassword).status, 200);
  for (int i = 0; i < 9; ++i) EXPECT_EQ(NewClient()->Login(kAdminEmail, "wrong").status, 401);
  EXPECT_EQ(NewClient()->Login(kAdminEmail, kAdminPassword).status, 200);
}

class AuthLimitsTest : public ApiTest {};

TEST_F(AuthLimitsTest, ClientAddressLimit) {
  env()["ROSTER_LOGIN_ADDRESS_LIMIT"] = "5";
  StartServer();  // its own login counts as the first attempt
  for (int i = 0; i < 4; ++i) NewClient()->Login("x" + std::to_string(i) + "@acme.test", "nope");
  HttpResponse limited = NewClient()->Login(kAdminEmail, kAdminPassword);
  EXPECT_EQ(limited.status, 429);
  EXPECT_FALSE(limited.Header("retry-after").empty());
}

TEST_F(AuthLimitsTest, ExpiredOneTimePasswordSaysSo) {
  env()["ROSTER_INVITE_TTL"] = "2";
  StartServer();
  Invite("bob@acme.test", "Bob Seller");
  std::string otp = WaitForOneTimePassword("bob@acme.test");
  std::this_thread::sleep_for(std::chrono::milliseconds(2100));  // the TTL itself is the subject
  HttpResponse expired = NewClient()->Login("bob@acme.test", otp);
  EXPECT_EQ(expired.status, 401);
  EXPECT_EQ(expired.Code(), "invite_expired");
  EXPECT_EQ(NewClient()->Login("bob@acme.test", "WRONG-WRONG").Code(), "invalid_credentials");
}

TEST_F(AuthLimitsTest, IdleSessionExpires) {
  // Sessions keep whole seconds, and one idle for 1 s expired whenever the
  // fixture's sign-in and password change straddled a second (seen under
  // the sanitizers): 3 s leaves the set-up two seconds.
  env()["ROSTER_SESSION_IDLE"] = "3";
  StartServer();
  auto client = NewClient();
  ASSERT_EQ(client->Login(kAdminEmail, kAdminPassword).status, 200);
  std::this_thread::sleep_for(std::chrono::milliseconds(4100));  // idle time is the subject
  EXPECT_EQ(client->Get("/api/v1/me").status, 401);
}

// The idle time is written at most every 10 s, but a shorter timeout must
// not end a session that is in use.
TEST_F(AuthLimitsTest, ASessionInUseOutlivesAShortIdleTimeout) {
  env()["ROSTER_SESSION_IDLE"] = "4";
  StartServer();
  auto client = NewClient();
  ASSERT_EQ(client->Login(kAdminEmail, kAdminPassword).status, 200);
  for (int i = 0; i < 4; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));  // in use, never idle 4 s
    ASSERT_EQ(client->Get("/api/v1/me").status, 200) << "after " << (i + 1) * 1.5 << " s";
  }
}

TEST_F(AuthLimitsTest, AbsoluteSessionLifetime) {
  env()["ROSTER_SESSION_MAX"] = "2";
  StartServer();
  auto client = NewClient();
  ASSERT_EQ(client->Login(kAdminEmail, kAdminPassword).status, 200);
  for (int i = 0; i < 6; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(400));  // keep it busy, never idle
    if (client->Get("/api/v1/me").status == 401) return;
  }
  ADD_FAILURE() << "session outlived ROSTER_SESSION_MAX";
}

}  // namespace
}  // namespace roster::testing
