// Account recovery: SPEC section 11, as HTTP conversations with a real
// `roster serve` (on SQLite and on PostgreSQL).
#include <thread>

#include "api_fixture.hpp"
#include "team_fixture.hpp"

namespace roster::testing {
namespace {

constexpr const char* kNewPassword = "amber tractor whistles under 7 moons";

class RecoveryTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    if (!HasFatalFailure()) StartServer();
  }

  HttpResponse RequestReset(const std::string& email) {
    return NewClient()->Post("/api/v1/auth/password-reset", {{"email", email}});
  }

  // The actions of the organization's audit log, newest first.
  std::vector<std::string> AuditActions() {
    HttpResponse events = admin_->Get(OrgPath("/audit-events?limit=200"));
    EXPECT_EQ(events.status, 200) << events.body;
    std::vector<std::string> actions;
    for (const auto& event : events.json["items"]) actions.push_back(event["action"]);
    return actions;
  }

  // Waits until an e-mail queued after everything before it has arrived, so
  // that an e-mail that was (wrongly) queued earlier would have arrived too.
  void DrainOutbox() {
    static int sentinels = 0;
    std::string email = "sentinel" + std::to_string(++sentinels) + "@acme.test";
    Invite(email, "Sentinel Person");
    WaitForMessagesTo(email, 1);
  }
};

TEST_F(RecoveryTest, UnknownEmailsGetTheSameAnswer) {
  Invite("ivy@acme.test", "Ivy Invited");  // an account without a password
  HttpResponse known = RequestReset(kAdminEmail);
  HttpResponse unknown = RequestReset("nobody@acme.test");
  HttpResponse invited = RequestReset("ivy@acme.test");
  HttpResponse malformed = RequestReset("not an e-mail");
  for (const HttpResponse* answer : {&known, &unknown, &invited, &malformed}) {
    EXPECT_EQ(answer->status, 202) << answer->body;
    EXPECT_EQ(answer->body, known.body);
    EXPECT_EQ(answer->Header("content-type"), known.Header("content-type"));
    EXPECT_EQ(answer->Header("set-cookie"), "");
  }
  // How long the one-time password works, for the page to say (ROSTER_RESET_TTL).
  EXPECT_EQ(known.json["expires_in_seconds"], 3600);
  // Only the account with a password gets an e-mail.
  auto to_admin = WaitForMessagesTo(kAdminEmail, 2);  // the invitation, then the reset
  ASSERT_EQ(to_admin.size(), 2u);
  EXPECT_NE(to_admin[1].find("Reset your Roster password"), std::string::npos);
  EXPECT_TRUE(OneTimePasswordIn(to_admin[1]).has_value());
  EXPECT_NE(to_admin[1].find("Expires: "), std::string::npos);
  DrainOutbox();
  EXPECT_TRUE(MessagesTo("nobody@acme.test").empty());
  EXPECT_EQ(MessagesTo("ivy@acme.test").size(), 1u);  // its invitation only
}

TEST_F(RecoveryTest, RequestValidatesItsBody) {
  auto client = NewClient();
  HttpResponse missing = client->Post("/api/v1/auth/password-reset", nlohmann::json::object());
  EXPECT_EQ(missing.status, 422);
  EXPECT_EQ(missing.Code(), "validation");
  EXPECT_EQ(missing.json["errors"][0]["field"], "email");
  EXPECT_EQ(client->Post("/api/v1/auth/password-reset", {{"email", 7}}).status, 422);
  HttpResponse long_email =
      client->Post("/api/v1/auth/password-reset", {{"email", std::string(250, 'a') + "@x.test"}});
  EXPECT_EQ(long_email.status, 422);
  EXPECT_EQ(long_email.Code(), "validation");
  client->set_csrf_header(false);
  EXPECT_EQ(client->Post("/api/v1/auth/password-reset", {{"email", kAdminEmail}}).Code(), "csrf");
}

TEST_F(RecoveryTest, TheOneTimePasswordOpensASessionThatCanOnlySetAPassword) {
  auto bob = InviteAndJoin("bob@acme.test", "Bob Seller");
  ASSERT_EQ(RequestReset("BOB@acme.test ").status, 202);
  std::string otp = WaitForOneTimePassword("bob@acme.test", 1);
  ASSERT_FALSE(otp.empty());

  // The old password keeps working until a new one is set.
  HttpResponse with_old = NewClient()->Login("bob@acme.test", kMemberPassword);
  EXPECT_EQ(with_old.status, 200);
  EXPECT_EQ(with_old.json["must_change_password"], false);
  EXPECT_EQ(bob->Get("/api/v1/orgs").status, 200);

  auto reset = NewClient();
  HttpResponse login = reset->Login("bob@acme.test", otp);
  ASSERT_EQ(login.status, 200) << login.body;
  EXPECT_EQ(login.json["must_change_password"], true);
  EXPECT_EQ(reset->Get("/api/v1/orgs").Code(), "password_change_required");
  EXPECT_EQ(reset->Get(OrgPath("/members")).Code(), "password_change_required");
  HttpResponse me = reset->Get("/api/v1/me");
  EXPECT_EQ(me.status, 200);
  EXPECT_EQ(me.json["must_change_password"], true);
  // Not the one-time password as the new password.
  EXPECT_EQ(reset->Post("/api/v1/auth/password", {{"current_password", otp}, {"new_password", otp}})
                .status,
            422);
}

TEST_F(RecoveryTest, SettingTheNewPasswordEndsOtherSessionsAndKillsTheOneTimePassword) {
  auto laptop = InviteAndJoin("bob@acme.test", "Bob Seller");
  auto phone = NewClient();
  ASSERT_EQ(phone->Login("bob@acme.test", kMemberPassword).status, 200);
  ASSERT_EQ(RequestReset("bob@acme.test").status, 202);
  std::string otp = WaitForOneTimePassword("bob@acme.test", 1);

  auto reset = NewClient();
  ASSERT_EQ(reset->Login("bob@acme.test", otp).status, 200);
  std::string reset_session = reset->session_cookie();
  HttpResponse changed = reset->Post("/api/v1/auth/password",
                                     {{"current_password", otp}, {"new_password", kNewPassword}});
  ASSERT_EQ(changed.status, 204) << changed.body;
  EXPECT_NE(reset->session_cookie(), reset_session);
  EXPECT_EQ(reset->Get("/api/v1/orgs").status, 200);  // a full session now

  EXPECT_EQ(laptop->Get("/api/v1/me").status, 401);
  EXPECT_EQ(phone->Get("/api/v1/me").status, 401);
  auto replay = NewClient();
  replay->set_session_cookie(reset_session);
  EXPECT_EQ(replay->Get("/api/v1/me").status, 401);

  EXPECT_EQ(NewClient()->Login("bob@acme.test", otp).Code(), "invalid_credentials");
  EXPECT_EQ(NewClient()->Login("bob@acme.test", kMemberPassword).Code(), "invalid_credentials");
  EXPECT_EQ(NewClient()->Login("bob@acme.test", kNewPassword).status, 200);

  std::vector<std::string> actions = AuditActions();
  ASSERT_GE(actions.size(), 2u);
  EXPECT_EQ(actions[0], "password_reset_completed");
  EXPECT_EQ(actions[1], "password_reset_requested");
  HttpResponse events = admin_->Get(OrgPath("/audit-events?limit=2"));
  EXPECT_EQ(events.json["items"][1]["details"]["via"], "sign_in_page");
  EXPECT_TRUE(events.json["items"][1]["actor_user_id"].is_null());
  EXPECT_EQ(events.json["items"][0]["actor_email"], "bob@acme.test");
}

TEST_F(RecoveryTest, AnyNewPasswordKillsAPendingReset) {
  auto bob = InviteAndJoin("bob@acme.test", "Bob Seller");
  ASSERT_EQ(RequestReset("bob@acme.test").status, 202);
  std::string otp = WaitForOneTimePassword("bob@acme.test", 1);
  // He remembered his password and changed it the usual way.
  ASSERT_EQ(bob->Post("/api/v1/auth/password",
                      {{"current_password", kMemberPassword}, {"new_password", kNewPassword}})
                .status,
            204);
  EXPECT_EQ(NewClient()->Login("bob@acme.test", otp).Code(), "invalid_credentials");
}

TEST_F(RecoveryTest, ANewerResetReplacesTheOlderOneTimePassword) {
  InviteAndJoin("bob@acme.test", "Bob Seller");
  ASSERT_EQ(RequestReset("bob@acme.test").status, 202);
  std::string first = WaitForOneTimePassword("bob@acme.test", 1);
  ASSERT_EQ(RequestReset("bob@acme.test").status, 202);
  std::string second = WaitForOneTimePassword("bob@acme.test", 2);
  ASSERT_NE(first, second);
  EXPECT_EQ(NewClient()->Login("bob@acme.test", first).Code(), "invalid_credentials");
  EXPECT_EQ(NewClient()->Login("bob@acme.test", second).status, 200);
}

TEST_F(RecoveryTest, AtMostThreeResetEmailsPerAccountPerHour) {
  std::string bob_id;
  InviteAndJoin("bob@acme.test", "Bob Seller", "user", &bob_id);
  // Each e-mail is let out before the next reset: a reset still queued when
  // a newer one is asked for is withdrawn, not sent.
  for (std::size_t sent = 2; sent <= 4; ++sent) {
    EXPECT_EQ(RequestReset("bob@acme.test").status, 202);
    WaitForMessagesTo("bob@acme.test", sent);  // the invitation and the resets so far
  }
  EXPECT_EQ(RequestReset("bob@acme.test").status, 202);  // the fourth: no e-mail
  DrainOutbox();
  EXPECT_EQ(MessagesTo("bob@acme.test").size(), 4u);
  // The admin's reset counts toward the same limit, and says so.
  HttpResponse limited = admin_->Post(OrgPath("/members/" + bob_id + "/password-reset"));
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(limited.Code(), "rate_limited");
  EXPECT_GE(std::stoi(limited.Header("retry-after")), 3500);
  // Another account is not held up by Bob's.
  EXPECT_EQ(RequestReset(kAdminEmail).status, 202);
  WaitForMessagesTo(kAdminEmail, 2);
}

class RecoveryAddressLimitTest : public RecoveryTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    env()["ROSTER_LOGIN_ADDRESS_LIMIT"] = "6";
    if (!HasFatalFailure()) StartServer();
  }
};

TEST_F(RecoveryAddressLimitTest, ResetRequestsCountTowardThePerAddressLoginLimit) {
  // The admin's sign-in at start used one attempt of this address's minute.
  int accepted = 0;
  HttpResponse answer;
  for (int i = 0; i < 8; ++i) {
    answer = RequestReset("person" + std::to_string(i) + "@acme.test");
    if (answer.status != 202) break;
    ++accepted;
  }
  EXPECT_EQ(accepted, 5);
  EXPECT_EQ(answer.status, 429);
  EXPECT_EQ(answer.Code(), "rate_limited");
  EXPECT_FALSE(answer.Header("retry-after").empty());
  // Sign-ins from the address share the limit.
  EXPECT_EQ(NewClient()->Login(kAdminEmail, kAdminPassword).status, 429);
}

class RecoveryExpiryTest : public RecoveryTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    env()["ROSTER_RESET_TTL"] = "1";
    if (!HasFatalFailure()) StartServer();
  }
};

TEST_F(RecoveryExpiryTest, AnExpiredResetOneTimePasswordSaysSo) {
  InviteAndJoin("bob@acme.test", "Bob Seller");
  HttpResponse sent = RequestReset("bob@acme.test");
  ASSERT_EQ(sent.status, 202);
  EXPECT_EQ(sent.json["expires_in_seconds"], 1);
  std::string otp = WaitForOneTimePassword("bob@acme.test", 1);
  std::this_thread::sleep_for(std::chrono::milliseconds(2100));
  HttpResponse late = NewClient()->Login("bob@acme.test", otp);
  EXPECT_EQ(late.status, 401);
  EXPECT_EQ(late.Code(), "reset_expired");
  EXPECT_EQ(NewClient()->Login("bob@acme.test", kMemberPassword).status, 200);
}

TEST_F(RecoveryTest, AnAdminSendsAnActiveMemberAReset) {
  std::string bob_id;
  InviteAndJoin("bob@acme.test", "Bob Seller", "user", &bob_id);
  HttpResponse sent = admin_->Post(OrgPath("/members/" + bob_id + "/password-reset"));
  ASSERT_EQ(sent.status, 202) << sent.body;
  EXPECT_EQ(sent.json["user_id"], bob_id);
  auto messages = WaitForMessagesTo("bob@acme.test", 2);
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_NE(messages[1].find("Ada Admin"), std::string::npos);
  EXPECT_NE(messages[1].find("Expires: " + sent.json["expires_at"].get<std::string>()),
            std::string::npos);
  std::string otp = OneTimePasswordIn(messages[1]).value_or("");
  EXPECT_EQ(sent.body.find(otp), std::string::npos);
  auto reset = NewClient();
  ASSERT_EQ(reset->Login("bob@acme.test", otp).json["must_change_password"], true);

  HttpResponse events = admin_->Get(OrgPath("/audit-events?limit=1"));
  EXPECT_EQ(events.json["items"][0]["action"], "password_reset_requested");
  EXPECT_EQ(events.json["items"][0]["actor_user_id"], admin_id_);
  EXPECT_EQ(events.json["items"][0]["target_user_id"], bob_id);
  EXPECT_EQ(events.json["items"][0]["details"]["via"], "admin");
}

TEST_F(RecoveryTest, AnAdminResetIsForActiveMembersOnly) {
  std::string ivy_id = Invite("ivy@acme.test", "Ivy Invited");
  HttpResponse invited = admin_->Post(OrgPath("/members/" + ivy_id + "/password-reset"));
  EXPECT_EQ(invited.status, 409);
  EXPECT_EQ(invited.Code(), "not_active");
  EXPECT_EQ(admin_->Post(OrgPath("/members/987654/password-reset")).status, 404);
  EXPECT_EQ(admin_->Post(OrgPath("/members/not-an-id/password-reset")).status, 404);
  DrainOutbox();
  EXPECT_EQ(MessagesTo("ivy@acme.test").size(), 1u);  // its invitation only
}

class RecoveryPermissionsTest : public TeamTest {};

TEST_F(RecoveryPermissionsTest, OnlyAdminsOfTheOrganizationMaySendAReset) {
  const std::string path = OrgPath("/members/" + person("user_a").user_id + "/password-reset");
  for (const char* role : {"mgr_a", "user_a", "user_none"}) {
    HttpResponse refused = person(role).client->Post(path);
    EXPECT_EQ(refused.status, 403) << role;
    EXPECT_EQ(refused.Code(), "forbidden") << role;
  }
  HttpResponse outsider = person("outsider").client->Post(path);
  EXPECT_EQ(outsider.status, 404);
  EXPECT_EQ(outsider.Code(), "not_found");
  // An admin of another organization reaches no member of this one from his own.
  HttpResponse across = person("outsider").client->Post(
      "/api/v1/orgs/" + other_org_id_ + "/members/" + person("user_a").user_id + "/password-reset");
  EXPECT_EQ(across.status, 404);
  EXPECT_EQ(person("admin").client->Post(path).status, 202);
  HttpResponse unauthenticated = NewClient()->Post(path);
  EXPECT_EQ(unauthenticated.status, 401);
}

}  // namespace
}  // namespace roster::testing
