// Two-factor sign-in (SPEC section 9) as HTTP conversations with a real
// `roster serve`: set-up, the limited session of a half-finished sign-in,
// recovery codes, the lockout, an organization's requirement and an admin's
// reset. Codes are computed as an authenticator app would, from the secret
// the set-up answers, at the real time (the window and replay rules with a
// moved clock are in tests/store/two_factor_test.cpp).
#include <sys/stat.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <filesystem>
#include <regex>
#include <set>
#include <thread>

#include "api_fixture.hpp"
#include "auth/totp.hpp"

namespace roster::testing {
namespace {

class TwoFactorTest : public ApiTest {
 protected:
  // The current step, chosen so that the test has at least 8 seconds
  // before the step ends: codes of step-1, step and step+1 all work.
  static std::int64_t FreshStep() {
    UnixSeconds now = std::time(nullptr);
    if (now % kTotpStepSeconds > kTotpStepSeconds - 8) {
      std::this_thread::sleep_for(std::chrono::seconds(kTotpStepSeconds - now % kTotpStepSeconds));
      now = std::time(nullptr);
    }
    return TotpStep(now);
  }

  // Turns TOTP on for the client's person; answers the raw secret and fills
  // the recovery codes. The confirmation uses the code of `step - 1`.
  std::string TurnOn(HttpClient& client, std::int64_t step,
                     std::vector<std::string>* recovery_codes = nullptr) {
    HttpResponse setup = client.Post("/api/v1/auth/mfa/totp/setup");
    EXPECT_EQ(setup.status, 200) << setup.body;
    std::string secret = DecodeBase32(setup.json.value("secret", "")).value_or("");
    EXPECT_EQ(secret.size(), 20u);
    HttpResponse confirmed =
        client.Post("/api/v1/auth/mfa/totp/confirm", {{"code", TotpCode(secret, step - 1)}});
    EXPECT_EQ(confirmed.status, 200) << confirmed.body;
    if (recovery_codes) *recovery_codes = confirmed.json.value("recovery_codes", std::vector<std::string>{});
    return secret;
  }

  HttpResponse DeleteWithBody(HttpClient& client, const std::string& path,
                              const nlohmann::json& body) {
    return client.Send("DELETE", path, body.dump(), {{"Content-Type", "application/json"}});
  }
};

TEST_F(TwoFactorTest, SetUpThenSignInWithPasswordAndCode) {
  StartServer();
  std::int64_t step = FreshStep();
  HttpResponse before = admin_->Get("/api/v1/auth/mfa/totp");
  ASSERT_EQ(before.status, 200);
  EXPECT_EQ(before.json["enabled"], false);

  HttpResponse setup = admin_->Post("/api/v1/auth/mfa/totp/setup");
  ASSERT_EQ(setup.status, 200) << setup.body;
  std::string base32 = setup.json["secret"];
  EXPECT_EQ(setup.json["otpauth_uri"],
            "otpauth://totp/Roster:ada%40acme.test?secret=" + base32 +
                "&issuer=Roster&algorithm=SHA1&digits=6&period=30");
  std::string secret = *DecodeBase32(base32);
  HttpResponse wrong = admin_->Post("/api/v1/auth/mfa/totp/confirm", {{"code", "12345"}});
  EXPECT_EQ(wrong.status, 422);
  EXPECT_EQ(wrong.Code(), "invalid_code");
  HttpResponse confirmed =
      admin_->Post("/api/v1/auth/mfa/totp/confirm", {{"code", TotpCode(secret, step - 1)}});
  ASSERT_EQ(confirmed.status, 200) << confirmed.body;
  EXPECT_EQ(confirmed.json["recovery_codes"].size(), 10u);
  EXPECT_EQ(admin_->Post("/api/v1/auth/mfa/totp/setup").Code(), "mfa_already_enabled");
  HttpResponse status = admin_->Get("/api/v1/auth/mfa/totp");
  EXPECT_EQ(status.json["enabled"], true);
  EXPECT_EQ(status.json["recovery_codes_left"], 10);
  EXPECT_EQ(status.body.find(base32), std::string::npos);  // never answered again

  auto ada = NewClient();
  HttpResponse login = ada->Login(kAdminEmail, kAdminPassword);
  ASSERT_EQ(login.status, 200) << login.body;
  EXPECT_EQ(login.json, nlohmann::json({{"mfa_required", true}}));
  // The challenge's cookie lives as long as the challenge, ten minutes.
  EXPECT_NE(login.Header("set-cookie").find("; Max-Age=600"), std::string::npos)
      << login.Header("set-cookie");
  std::string challenge_cookie = ada->session_cookie();

  // The half-signed-in session reaches nothing but POST /auth/mfa and logout.
  for (HttpResponse refused :
       {ada->Get("/api/v1/me"), ada->Get("/api/v1/orgs"), ada->Get(OrgPath("/members")),
        ada->Get(OrgPath()), ada->Get("/api/v1/auth/mfa/totp"),
        ada->Post("/api/v1/auth/mfa/totp/setup"),
        ada->Post("/api/v1/auth/password",
                  {{"current_password", kAdminPassword}, {"new_password", kMemberPassword}}),
        ada->Post(OrgPath("/invitations"), {{"email", "x@acme.test"}, {"name", "X"}})}) {
    EXPECT_EQ(refused.status, 401) << refused.body;
    EXPECT_EQ(refused.Code(), "mfa_required");
  }
  // The confirmation's code is spent; so is its step.
  HttpResponse replayed = ada->Post("/api/v1/auth/mfa", {{"code", TotpCode(secret, step - 1)}});
  EXPECT_EQ(replayed.status, 401);
  EXPECT_EQ(replayed.Code(), "invalid_code");
  EXPECT_EQ(ada->Post("/api/v1/auth/mfa", {{"code", "1"}, {"recovery_code", "2"}}).status, 422);
  HttpResponse done = ada->Post("/api/v1/auth/mfa", {{"code", TotpCode(secret, step)}});
  ASSERT_EQ(done.status, 200) << done.body;
  EXPECT_EQ(done.json["user"]["email"], kAdminEmail);
  EXPECT_EQ(done.json["mfa_required"], false);
  EXPECT_NE(done.Header("set-cookie").find("; Max-Age=43200"), std::string::npos);
  EXPECT_NE(ada->session_cookie(), challenge_cookie);  // rotated
  EXPECT_EQ(ada->Get("/api/v1/me").status, 200);
  EXPECT_EQ(ada->Get(OrgPath("/members")).status, 200);
  EXPECT_EQ(ada->Post("/api/v1/auth/mfa", {{"code", TotpCode(secret, step)}}).Code(),
            "no_sign_in_pending");

  // The same code again, in a new sign-in: refused.
  auto again = NewClient();
  ASSERT_EQ(again->Login(kAdminEmail, kAdminPassword).status, 200);
  EXPECT_EQ(again->Post("/api/v1/auth/mfa", {{"code", TotpCode(secret, step)}}).Code(),
            "invalid_code");
  auto old = NewClient();
  old->set_session_cookie(challenge_cookie);
  EXPECT_EQ(old->Post("/api/v1/auth/mfa", {{"code", TotpCode(secret, step + 1)}}).status, 401);
}

TEST_F(TwoFactorTest, LogoutEndsAHalfFinishedSignIn) {
  StartServer();
  std::int64_t step = FreshStep();
  std::string secret = TurnOn(*admin_, step);
  auto ada = NewClient();
  ASSERT_EQ(ada->Login(kAdminEmail, kAdminPassword).json["mfa_required"], true);
  std::string cookie = ada->session_cookie();
  EXPECT_EQ(ada->Post("/api/v1/auth/logout").status, 204);
  ada->set_session_cookie(cookie);
  HttpResponse after = ada->Post("/api/v1/auth/mfa", {{"code", TotpCode(secret, step)}});
  EXPECT_EQ(after.status, 401);
  EXPECT_EQ(after.Code(), "unauthenticated");
}

TEST_F(TwoFactorTest, ARecoveryCodeWorksOnceAndIsAudited) {
  StartServer();
  std::vector<std::string> codes;
  TurnOn(*admin_, FreshStep(), &codes);
  ASSERT_EQ(codes.size(), 10u);
  auto ada = NewClient();
  ASSERT_EQ(ada->Login(kAdminEmail, kAdminPassword).status, 200);
  HttpResponse used = ada->Post("/api/v1/auth/mfa", {{"recovery_code", codes[3]}});
  ASSERT_EQ(used.status, 200) << used.body;
  auto again = NewClient();
  ASSERT_EQ(again->Login(kAdminEmail, kAdminPassword).status, 200);
  HttpResponse reused = again->Post("/api/v1/auth/mfa", {{"recovery_code", codes[3]}});
  EXPECT_EQ(reused.status, 401);
  EXPECT_EQ(reused.Code(), "invalid_code");
  EXPECT_EQ(ada->Get("/api/v1/auth/mfa/totp").json["recovery_codes_left"], 9);
  HttpResponse audit = ada->Get(OrgPath("/audit-events"));
  ASSERT_EQ(audit.status, 200);
  std::vector<std::string> actions;
  for (const auto& event : audit.json["items"]) actions.push_back(event["action"]);
  EXPECT_EQ(actions[0], "mfa_recovery_code_used");
  EXPECT_NE(std::find(actions.begin(), actions.end(), "mfa_enabled"), actions.end());
}

// A half-finished sign-in completes once: requests that carry the same
// challenge cookie at once, each with another recovery code, open one
// session and use one code (on PostgreSQL each opened a session).
TEST_F(TwoFactorTest, OneChallengeCompletesOnceWhateverArrivesAtOnce) {
  StartServer();
  std::vector<std::string> codes;
  TurnOn(*admin_, FreshStep(), &codes);
  ASSERT_EQ(codes.size(), 10u);
  for (int round = 0; round < 2; ++round) {
    auto challenged = NewClient();
    ASSERT_EQ(challenged->Login(kAdminEmail, kAdminPassword).json["mfa_required"], true);
    constexpr int kAtOnce = 4;
    std::vector<std::unique_ptr<HttpClient>> clients;
    for (int i = 0; i < kAtOnce; ++i) {
      clients.push_back(NewClient());
      clients.back()->set_session_cookie(challenged->session_cookie());
    }
    std::vector<int> statuses(kAtOnce);
    std::vector<std::thread> threads;
    for (int i = 0; i < kAtOnce; ++i) {
      threads.emplace_back([&, i] {
        statuses[i] =
            clients[i]
                ->Post("/api/v1/auth/mfa", {{"recovery_code", codes[round * kAtOnce + i]}})
                .status;
      });
    }
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(std::count(statuses.begin(), statuses.end(), 200), 1) << "round " << round;
    EXPECT_EQ(std::count(statuses.begin(), statuses.end(), 401), kAtOnce - 1) << "round " << round;
    EXPECT_EQ(admin_->Get("/api/v1/auth/mfa/totp").json["recovery_codes_left"], 9 - round);
  }
}

// SPEC 11: a password reset proves the mailbox only. Setting the new
// password opens no session; signing in with it still asks for the code.
TEST_F(TwoFactorTest, APasswordResetStillAsksForTheSecondFactor) {
  StartServer();
  std::int64_t step = FreshStep();
  std::string secret = TurnOn(*admin_, step);
  // The invitation, and the notice that two-factor sign-in is on.
  std::size_t earlier = WaitForMessagesTo(kAdminEmail, 2).size();
  ASSERT_EQ(NewClient()->Post("/api/v1/auth/password-reset", {{"email", kAdminEmail}}).status, 202);
  std::string otp = WaitForOneTimePassword(kAdminEmail, earlier);

  auto reset = NewClient();
  ASSERT_EQ(reset->Login(kAdminEmail, otp).status, 200);
  // The mailbox alone learns nothing of his organizations.
  HttpResponse me = reset->Get("/api/v1/me");
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(me.json["must_change_password"], true);
  EXPECT_EQ(me.json["memberships"], nlohmann::json::array()) << me.body;
  const std::string new_password = "a fresh passphrase after the reset 41";
  HttpResponse changed = reset->Post("/api/v1/auth/password",
                                     {{"current_password", otp}, {"new_password", new_password}});
  ASSERT_EQ(changed.status, 204) << changed.body;
  EXPECT_EQ(reset->session_cookie(), "");
  EXPECT_EQ(reset->Get("/api/v1/me").status, 401);

  auto again = NewClient();
  HttpResponse login = again->Login(kAdminEmail, new_password);
  ASSERT_EQ(login.status, 200) << login.body;
  EXPECT_EQ(login.json["mfa_required"], true);
  EXPECT_EQ(again->Get(OrgPath("/members")).status, 401);
  ASSERT_EQ(again->Post("/api/v1/auth/mfa", {{"code", TotpCode(secret, step)}}).status, 200);
  EXPECT_EQ(again->Get(OrgPath("/members")).status, 200);
}

TEST_F(TwoFactorTest, TenWrongCodesAnswer429WithRetryAfter) {
  StartServer();
  std::int64_t step = FreshStep();
  std::string secret = TurnOn(*admin_, step);
  auto ada = NewClient();
  ASSERT_EQ(ada->Login(kAdminEmail, kAdminPassword).status, 200);
  std::string wrong = "000000";
  for (int offset = -1; offset <= 1; ++offset)
    if (TotpCode(secret, step + offset) == wrong) wrong = "111111";
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(ada->Post("/api/v1/auth/mfa", {{"code", wrong}}).Code(), "invalid_code") << i;
  }
  // Locked, the right code included, as after ten wrong passwords.
  HttpResponse locked = ada->Post("/api/v1/auth/mfa", {{"code", TotpCode(secret, step)}});
  EXPECT_EQ(locked.status, 429);
  EXPECT_EQ(locked.Code(), "rate_limited");
  EXPECT_GT(std::stoi(locked.Header("retry-after")), 800);
  EXPECT_EQ(NewClient()->Login(kAdminEmail, kAdminPassword).status, 429);
}

// A password reset's one-time password proves the mailbox, not the
// second factor: the wrong codes before it still count after it.
TEST_F(TwoFactorTest, APasswordResetDoesNotClearTheWrongCodes) {
  StartServer();
  std::int64_t step = FreshStep();
  std::string secret = TurnOn(*admin_, step);
  std::string wrong = "000000";
  for (int offset = -1; offset <= 1; ++offset)
    if (TotpCode(secret, step + offset) == wrong) wrong = "111111";
  auto ada = NewClient();
  ASSERT_EQ(ada->Login(kAdminEmail, kAdminPassword).status, 200);
  for (int i = 0; i < 9; ++i) {
    ASSERT_EQ(ada->Post("/api/v1/auth/mfa", {{"code", wrong}}).Code(), "invalid_code") << i;
  }
  std::size_t earlier = WaitForMessagesTo(kAdminEmail, 2).size();
  ASSERT_EQ(NewClient()->Post("/api/v1/auth/password-reset", {{"email", kAdminEmail}}).status, 202);
  std::string otp = WaitForOneTimePassword(kAdminEmail, earlier);
  auto reset = NewClient();
  ASSERT_EQ(reset->Login(kAdminEmail, otp).status, 200);
  const std::string new_password = "a fresh passphrase after the reset 41";
  ASSERT_EQ(reset
                ->Post("/api/v1/auth/password",
                       {{"current_password", otp}, {"new_password", new_password}})
                .status,
            204);
  auto again = NewClient();
  ASSERT_EQ(again->Login(kAdminEmail, new_password).json["mfa_required"], true);
  // The tenth wrong code, counted with the nine before the reset.
  EXPECT_EQ(again->Post("/api/v1/auth/mfa", {{"code", wrong}}).Code(), "invalid_code");
  EXPECT_EQ(again->Post("/api/v1/auth/mfa", {{"code", TotpCode(secret, step)}}).status, 429);
}

TEST_F(TwoFactorTest, TurningItOffTakesThePasswordAndACode) {
  StartServer();
  std::int64_t step = FreshStep();
  std::string secret = TurnOn(*admin_, step);
  HttpResponse no_code = DeleteWithBody(*admin_, "/api/v1/auth/mfa/totp", {{"password", kAdminPassword}});
  EXPECT_EQ(no_code.status, 422);
  HttpResponse wrong_password = DeleteWithBody(
      *admin_, "/api/v1/auth/mfa/totp",
      {{"password", "not the right one at all"}, {"code", TotpCode(secret, step)}});
  EXPECT_EQ(wrong_password.Code(), "invalid_credentials");
  HttpResponse off = DeleteWithBody(*admin_, "/api/v1/auth/mfa/totp",
                                    {{"password", kAdminPassword}, {"code", TotpCode(secret, step)}});
  EXPECT_EQ(off.status, 204) << off.body;
  EXPECT_EQ(admin_->Get("/api/v1/auth/mfa/totp").json["enabled"], false);
  EXPECT_EQ(NewClient()->Login(kAdminEmail, kAdminPassword).json["mfa_required"], false);
}

TEST_F(TwoFactorTest, AnOrganizationThatRequiresItRefusesMembersWithoutIt) {
  StartServer();
  std::string bob_id;
  auto bob = InviteAndJoin("bob@acme.test", "Bob Seller", "user", &bob_id);
  EXPECT_EQ(admin_->Get(OrgPath("/settings")).json["require_mfa"], false);

  // The admin must have it on himself.
  HttpResponse refused = admin_->Patch(OrgPath("/settings"), {{"require_mfa", true}});
  EXPECT_EQ(refused.status, 409);
  EXPECT_EQ(refused.Code(), "mfa_setup_required");
  std::int64_t step = FreshStep();
  TurnOn(*admin_, step);
  EXPECT_EQ(bob->Patch(OrgPath("/settings"), {{"require_mfa", true}}).status, 403);
  HttpResponse required = admin_->Patch(OrgPath("/settings"), {{"require_mfa", true}});
  ASSERT_EQ(required.status, 200) << required.body;
  EXPECT_EQ(required.json["require_mfa"], true);
  EXPECT_EQ(admin_->Patch(OrgPath("/settings"), nlohmann::json::object()).json["require_mfa"], true);

  // Bob: refused in the organization, not elsewhere, until he sets it up.
  HttpResponse blocked = bob->Get(OrgPath("/members"));
  EXPECT_EQ(blocked.status, 403);
  EXPECT_EQ(blocked.Code(), "mfa_setup_required");
  EXPECT_EQ(bob->Get(OrgPath("/leads")).Code(), "mfa_setup_required");
  EXPECT_EQ(bob->Get("/api/v1/me").status, 200);
  EXPECT_EQ(bob->Get("/api/v1/orgs").status, 200);
  std::string bob_secret = TurnOn(*bob, step);
  EXPECT_EQ(bob->Get(OrgPath("/members")).status, 200);

  // Admins see who has it on; members do not.
  HttpResponse as_admin = admin_->Get(OrgPath("/members/" + bob_id));
  EXPECT_EQ(as_admin.json["mfa"], true);
  HttpResponse list = admin_->Get(OrgPath("/members"));
  for (const auto& member : list.json["items"]) EXPECT_EQ(member["mfa"], true);
  EXPECT_FALSE(bob->Get(OrgPath("/members/" + bob_id)).json.contains("mfa"));

  // His phone is lost: only an admin may reset it, and it is audited.
  EXPECT_EQ(bob->Delete(OrgPath("/members/" + admin_id_ + "/mfa")).status, 403);
  EXPECT_EQ(admin_->Delete(OrgPath("/members/" + bob_id + "/mfa")).status, 204);
  EXPECT_EQ(admin_->Delete(OrgPath("/members/" + bob_id + "/mfa")).Code(), "mfa_not_enabled");
  EXPECT_EQ(admin_->Delete(OrgPath("/members/424242/mfa")).status, 404);
  EXPECT_EQ(admin_->Get(OrgPath("/members/" + bob_id)).json["mfa"], false);
  EXPECT_EQ(admin_->Get(OrgPath("/audit-events")).json["items"][0]["action"], "mfa_reset");
  EXPECT_EQ(bob->Get(OrgPath("/members")).Code(), "mfa_setup_required");
  auto bob_again = NewClient();
  EXPECT_EQ(bob_again->Login("bob@acme.test", kMemberPassword).json["mfa_required"], false);

  // Turning the requirement off lets him back in.
  EXPECT_EQ(admin_->Patch(OrgPath("/settings"), {{"require_mfa", false}}).status, 200);
  EXPECT_EQ(bob->Get(OrgPath("/members")).status, 200);
  EXPECT_EQ(admin_->Patch(OrgPath("/settings"), {{"require_mfa", "yes"}}).status, 422);
}

// An invitee of an organization that requires two-factor sign-in is told
// before he arrives (as GitHub's invitations do): he may need his phone.
TEST_F(TwoFactorTest, InvitationsOfAnOrganizationThatRequiresItSaySo) {
  StartServer();
  Invite("bob@acme.test", "Bob Seller");
  EXPECT_EQ(WaitForMessagesTo("bob@acme.test", 1)[0].find("two-factor"), std::string::npos);
  TurnOn(*admin_, FreshStep());
  ASSERT_EQ(admin_->Patch(OrgPath("/settings"), {{"require_mfa", true}}).status, 200);
  std::string carl = Invite("carl@acme.test", "Carl Closer");
  // Sent before the resend: an e-mail still queued when its one-time
  // password ends is withdrawn, not sent.
  ASSERT_EQ(WaitForMessagesTo("carl@acme.test", 1).size(), 1u);
  ASSERT_EQ(admin_->Post(OrgPath("/members/" + carl + "/resend-invite")).status, 200);
  for (const std::string& mail : WaitForMessagesTo("carl@acme.test", 2)) {
    EXPECT_NE(mail.find("Acme Sales requires two-factor sign-in: after choosing your password"),
              std::string::npos)
        << mail;
  }
}

// GET /members?mfa=true|false: the members with and without two-factor
// sign-in, as GitHub's people filter; only for those who see the mfa flag.
TEST_F(TwoFactorTest, AdminsFilterMembersByTwoFactor) {
  StartServer();
  std::string bob_id, cy_id;
  auto bob = InviteAndJoin("bob@acme.test", "Bob Seller", "user", &bob_id);
  auto cy = InviteAndJoin("cy@acme.test", "Cy Seller", "user", &cy_id);
  TurnOn(*admin_, FreshStep());
  TurnOn(*cy, FreshStep());
  auto ids = [&](const std::string& query) {
    std::set<std::string> found;
    HttpResponse page = admin_->Get(OrgPath("/members?" + query));
    EXPECT_EQ(page.status, 200) << page.body;
    for (const auto& member : page.json["items"]) {
      EXPECT_EQ(member["mfa"], query.find("mfa=true") != std::string::npos) << member;
      found.insert(member["user_id"].get<std::string>());
    }
    return found;
  };
  EXPECT_EQ(ids("mfa=true"), (std::set<std::string>{admin_id_, cy_id}));
  EXPECT_EQ(ids("mfa=false"), (std::set<std::string>{bob_id}));
  EXPECT_EQ(ids("mfa=false&sort=-last_sign_in&limit=1"), (std::set<std::string>{bob_id}));
  EXPECT_EQ(ids("mfa=false&role=admin"), (std::set<std::string>{}));
  HttpResponse exported = admin_->Get(OrgPath("/members/export?format=ndjson&mfa=true"));
  ASSERT_EQ(exported.status, 200) << exported.body;
  EXPECT_EQ(std::count(exported.body.begin(), exported.body.end(), '\n'), 2);

  HttpResponse bad = admin_->Get(OrgPath("/members?mfa=yes"));
  EXPECT_EQ(bad.status, 422);
  EXPECT_EQ(bad.json["errors"][0]["field"], "mfa");
  // A member who does not see who has it on cannot learn it by filtering.
  HttpResponse refused = bob->Get(OrgPath("/members?mfa=false"));
  EXPECT_EQ(refused.status, 403) << refused.body;
  EXPECT_EQ(refused.Code(), "forbidden");
  EXPECT_EQ(bob->Get(OrgPath("/members/export?format=ndjson&mfa=false")).status, 403);
}

// The second factor is the account's, across organizations: an admin of
// one of them resets it only when he is an admin of every organization the
// person is active in; never with a key, never his own. Every one of those
// organizations audits it and the person is told by e-mail.
TEST_F(TwoFactorTest, AnAdminResetsItOnlyForPeopleOfHisOrganizationsAlone) {
  StartServer();
  std::string eve_id;
  auto eve = InviteAndJoin("eve@acme.test", "Eve Early", "user", &eve_id);
  std::int64_t step = FreshStep();
  TurnOn(*eve, step);
  TurnOn(*admin_, step);
  // Bob runs another organization and adds Eve's account: active at once.
  CommandResult globex = RunRoster({"org", "create", "--name", "Globex", "--admin-email",
                                    "bob@globex.test", "--admin-name", "Bob Boss"},
                                   env());
  ASSERT_EQ(globex.exit_code, 0) << globex.err;
  std::smatch match;
  ASSERT_TRUE(std::regex_search(globex.out, match, std::regex(R"(organization (\d+))")));
  const std::string globex_path = "/api/v1/orgs/" + match[1].str();
  ASSERT_TRUE(std::regex_search(globex.out, match, std::regex(R"(one-time password: (\S+))")));
  auto bob = NewClient();
  bob->AcceptInvitation("bob@globex.test", match[1], kMemberPassword);
  HttpResponse added = bob->Post(globex_path + "/invitations", {{"email", "eve@acme.test"}, {"name", "Eve"}});
  ASSERT_EQ(added.status, 201) << added.body;
  ASSERT_EQ(added.json["status"], "active");

  HttpResponse elsewhere = bob->Delete(globex_path + "/members/" + eve_id + "/mfa");
  EXPECT_EQ(elsewhere.status, 409) << elsewhere.body;
  EXPECT_EQ(elsewhere.Code(), "mfa_reset_elsewhere");
  EXPECT_EQ(elsewhere.body.find("Acme"), std::string::npos) << "names no other organization";
  EXPECT_EQ(admin_->Delete(OrgPath("/members/" + eve_id + "/mfa")).Code(), "mfa_reset_elsewhere");
  HttpResponse own = admin_->Delete(OrgPath("/members/" + admin_id_ + "/mfa"));
  EXPECT_EQ(own.status, 409);
  EXPECT_EQ(own.Code(), "own_second_factor");
  HttpResponse key = admin_->Post(OrgPath("/api-keys"), {{"name", "Ops"}, {"scope", "admin"}});
  ASSERT_EQ(key.status, 201) << key.body;
  auto as_key = NewClient();
  as_key->set_csrf_header(false);
  HttpResponse by_key = as_key->Send("DELETE", OrgPath("/members/" + eve_id + "/mfa"), "",
                                     {{"Authorization", "Bearer " + key.json["key"].get<std::string>()}});
  EXPECT_EQ(by_key.status, 403) << by_key.body;
  EXPECT_EQ(eve->Get("/api/v1/auth/mfa/totp").json["enabled"], true) << "nothing was reset";

  // Ada, an admin of Globex too, may.
  HttpResponse ada_added =
      bob->Post(globex_path + "/invitations", {{"email", kAdminEmail}, {"name", "Ada"}, {"role", "admin"}});
  ASSERT_EQ(ada_added.status, 201) << ada_added.body;
  EXPECT_EQ(admin_->Delete(OrgPath("/members/" + eve_id + "/mfa")).status, 204);
  EXPECT_EQ(eve->Get("/api/v1/auth/mfa/totp").json["enabled"], false);
  for (const std::string& audit : {OrgPath("/audit-events?action=mfa_reset"),
                                   globex_path + "/audit-events?action=mfa_reset"}) {
    HttpResponse events = admin_->Get(audit);
    ASSERT_EQ(events.json["items"].size(), 1u) << audit << " " << events.body;
    EXPECT_EQ(events.json["items"][0]["target_user_id"], eve_id);
  }
  // The invitation, the notice that it is on, Globex's "added you", the reset's notice.
  std::vector<std::string> mail = WaitForMessagesTo("eve@acme.test", 4);
  auto notice = std::find_if(mail.begin(), mail.end(), [](const std::string& message) {
    return message.find("Subject: An admin turned off two-factor sign-in") != std::string::npos;
  });
  ASSERT_NE(notice, mail.end());
  EXPECT_NE(notice->find("Ada Admin, an admin of Acme Sales"), std::string::npos) << *notice;
}

// Who lost his phone and his recovery codes, and belongs to organizations
// with different admins, is reset by the operator; audited with no actor
// in each of his organizations, and told.
TEST_F(TwoFactorTest, TheOperatorResetsAnAccountFromTheCommandLine) {
  StartServer();
  std::string eve_id;
  auto eve = InviteAndJoin("eve@acme.test", "Eve Early", "user", &eve_id);
  TurnOn(*eve, FreshStep());
  CommandResult reset = RunRoster({"user", "reset-two-factor", "--email", "EVE@acme.test"}, env());
  ASSERT_EQ(reset.exit_code, 0) << reset.err;
  EXPECT_NE(reset.out.find("two-factor sign-in of EVE@acme.test is off"), std::string::npos)
      << reset.out;
  EXPECT_EQ(eve->Get("/api/v1/auth/mfa/totp").json["enabled"], false);
  HttpResponse audit = admin_->Get(OrgPath("/audit-events?action=mfa_reset"));
  ASSERT_EQ(audit.json["items"].size(), 1u) << audit.body;
  EXPECT_EQ(audit.json["items"][0]["target_user_id"], eve_id);
  EXPECT_TRUE(audit.json["items"][0]["actor_user_id"].is_null());
  std::vector<std::string> mail = WaitForMessagesTo("eve@acme.test", 3);  // invitation, on, reset
  EXPECT_TRUE(std::any_of(mail.begin(), mail.end(), [](const std::string& message) {
    return message.find("The operator of this Roster server turned off") != std::string::npos;
  }));

  CommandResult again = RunRoster({"user", "reset-two-factor", "--email", "eve@acme.test"}, env());
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_NE(again.err.find("has no second factor"), std::string::npos) << again.err;
  CommandResult nobody =
      RunRoster({"user", "reset-two-factor", "--email", "nobody@acme.test"}, env());
  EXPECT_EQ(nobody.exit_code, 1);
  EXPECT_NE(nobody.err.find("No account has the e-mail"), std::string::npos) << nobody.err;
}

// A sign-in started with a password ends when that password is replaced:
// it must not become a session after its owner changed the password.
TEST_F(TwoFactorTest, ANewPasswordEndsHalfFinishedSignIns) {
  StartServer();
  std::int64_t step = FreshStep();
  std::string secret = TurnOn(*admin_, step);
  auto thief = NewClient();
  ASSERT_EQ(thief->Login(kAdminEmail, kAdminPassword).json["mfa_required"], true);
  ASSERT_EQ(admin_->Post("/api/v1/auth/password",
                         {{"current_password", kAdminPassword}, {"new_password", kMemberPassword}})
                .status,
            204);
  HttpResponse finished = thief->Post("/api/v1/auth/mfa", {{"code", TotpCode(secret, step)}});
  EXPECT_EQ(finished.status, 401) << finished.body;
  EXPECT_EQ(finished.Code(), "unauthenticated");
  // The owner is told of each change of how his account signs in.
  std::vector<std::string> subjects;
  for (const std::string& message : WaitForMessagesTo(kAdminEmail, 3)) {
    std::smatch subject;
    if (std::regex_search(message, subject, std::regex("Subject: ([^\r\n]*)"))) {
      subjects.push_back(subject[1]);
    }
  }
  ASSERT_EQ(subjects.size(), 3u);
  EXPECT_EQ(subjects[1], "Two-factor sign-in was turned on for your Roster account");
  EXPECT_EQ(subjects[2], "Your Roster password was changed");
}

// (The fixture sets ROSTER_SECRET_KEY for PostgreSQL; this test takes it away.)
TEST_F(TwoFactorTest, TheSecretKeyIsAFileOnSqliteAndASettingOnPostgres) {
  env().erase("ROSTER_SECRET_KEY");
  StartServer();
  HttpResponse setup = admin_->Post("/api/v1/auth/mfa/totp/setup");
  if (database_->is_postgres()) {
    EXPECT_EQ(setup.status, 503);
    EXPECT_EQ(setup.Code(), "secret_key_missing");
    return;
  }
  ASSERT_EQ(setup.status, 200) << setup.body;
  std::filesystem::path key_file = dir_.path() / "secret.key";
  ASSERT_TRUE(std::filesystem::exists(key_file));
  struct stat info {};
  ASSERT_EQ(::stat(key_file.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600);

  // A restart reads the same key: the secret set up before still works.
  std::int64_t step = FreshStep();
  std::string secret = *DecodeBase32(setup.json["secret"].get<std::string>());
  ASSERT_EQ(admin_->Post("/api/v1/auth/mfa/totp/confirm", {{"code", TotpCode(secret, step - 1)}}).status,
            200);
  StopServer();
  server_ = std::make_unique<RosterServer>(env_, dir_.path() / "server2.log");
  auto ada = NewClient();
  ASSERT_EQ(ada->Login(kAdminEmail, kAdminPassword).json["mfa_required"], true);
  EXPECT_EQ(ada->Post("/api/v1/auth/mfa", {{"code", TotpCode(secret, step)}}).status, 200);
}

// A database restored without the key its secrets were sealed with: on
// SQLite serve refuses to make a new key over them; with another key the
// codes answer 503 `secret_key_mismatch` (not a 500) and a recovery code
// still signs in.
TEST_F(TwoFactorTest, SecretsSealedWithAnotherKeyAreAClearRefusalNotA500) {
  if (!database_->is_postgres()) env().erase("ROSTER_SECRET_KEY");  // the key file, then
  StartServer();
  std::vector<std::string> codes;
  std::int64_t step = FreshStep();
  std::string secret = TurnOn(*admin_, step, &codes);
  StopServer();
  if (!database_->is_postgres()) {
    std::filesystem::path key_file = dir_.path() / "secret.key";
    std::filesystem::rename(key_file, dir_.path() / "elsewhere.key");
    CommandResult refused = RunRoster({"serve"}, env());
    EXPECT_EQ(refused.exit_code, 1) << refused.err;
    EXPECT_NE(refused.err.find("there is no " + key_file.string()), std::string::npos)
        << refused.err;
    EXPECT_FALSE(std::filesystem::exists(key_file));
  }
  env()["ROSTER_SECRET_KEY"] = std::string(64, 'a');
  server_ = std::make_unique<RosterServer>(env_, dir_.path() / "server2.log");
  auto ada = NewClient();
  ASSERT_EQ(ada->Login(kAdminEmail, kAdminPassword).json["mfa_required"], true);
  HttpResponse code = ada->Post("/api/v1/auth/mfa", {{"code", TotpCode(secret, step)}});
  EXPECT_EQ(code.status, 503) << code.body;
  EXPECT_EQ(code.Code(), "secret_key_mismatch");
  EXPECT_NE(code.json["detail"].get<std::string>().find("recovery code"), std::string::npos);
  EXPECT_EQ(ada->Post("/api/v1/auth/mfa", {{"recovery_code", codes[0]}}).status, 200);

  // Nobody turns two-factor on with that key: his secret would be sealed
  // with a key the other processes (and this one, set right) do not have.
  admin_ = std::move(ada);  // a client of this server
  auto bob = InviteAndJoin("bob@acme.test", "Bob Builder");
  HttpResponse setup = bob->Post("/api/v1/auth/mfa/totp/setup");
  EXPECT_EQ(setup.status, 503) << setup.body;
  EXPECT_EQ(setup.Code(), "secret_key_mismatch");
  EXPECT_EQ(setup.json["detail"].get<std::string>().find("recovery code"), std::string::npos);
  EXPECT_EQ(bob->Get("/api/v1/auth/mfa/totp").json["enabled"], false);
  CommandResult doctor = RunRoster({"doctor"}, env());
  EXPECT_EQ(doctor.exit_code, 1) << doctor.out;
  EXPECT_NE(doctor.out.find("do not open with this key"), std::string::npos) << doctor.out;
}

}  // namespace
}  // namespace roster::testing
