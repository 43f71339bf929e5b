// SPEC 6, security baseline: what the review of an attacker's attempts found,
// each as an HTTP conversation with a real `roster serve`.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <iostream>
#include <regex>
#include <thread>
#include <vector>

#include "api_fixture.hpp"

namespace roster::testing {
namespace {

using Clock = std::chrono::steady_clock;

class HardeningTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    if (!HasFatalFailure()) StartServer();
  }

  // argon2id computations so far, from /metrics.
  long Hashes() {
    HttpResponse metrics = NewClient()->Get("/metrics");
    std::smatch match;
    std::regex pattern(R"(\nroster_password_hashes_total (\d+))");
    if (!std::regex_search(metrics.body, match, pattern)) {
      ADD_FAILURE() << "no roster_password_hashes_total in /metrics";
      return -1;
    }
    return std::stol(match[1]);
  }
};

// SPEC 6: "No request does argon2 work before its caller is known to be
// allowed"; one-time passwords are SHA-256, so inviting costs no hash at all.
TEST_F(HardeningTest, RefusedInvitesAndResendsCostNoHash) {
  std::string carl_id;
  auto carl = InviteAndJoin("carl@acme.test", "Carl Closer", "user", &carl_id);
  std::string bob = Invite("bob@acme.test", "Bob Seller");
  long before = Hashes();
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(carl->Post(OrgPath("/invitations"),
                         {{"email", "x" + std::to_string(i) + "@acme.test"}, {"name", "X"}})
                  .status,
              403);
    EXPECT_EQ(carl->Post(OrgPath("/members/" + bob + "/resend-invite")).status, 403);
    EXPECT_EQ(
        carl->Post("/api/v1/orgs/999999/invitations", {{"email", "y@acme.test"}, {"name", "Y"}})
            .status,
        404);
  }
  EXPECT_EQ(Hashes(), before);
  // Allowed ones hash nothing either.
  Invite("dora@acme.test", "Dora Dealer");
  EXPECT_EQ(admin_->Post(OrgPath("/members/" + bob + "/resend-invite")).status, 200);
  EXPECT_EQ(Hashes(), before);
}

// SPEC 6: every login attempt costs exactly one hash, whatever the account's
// state, so timing tells nothing.
TEST_F(HardeningTest, EveryLoginAttemptCostsExactlyOneHash) {
  std::string bob = Invite("bob@acme.test", "Bob Seller");
  std::string otp = WaitForOneTimePassword("bob@acme.test");
  struct Attempt {
    const char* what;
    std::string email;
    std::string password;
  };
  std::vector<Attempt> attempts = {
      {"unknown e-mail", "ghost@acme.test", "whatever it is"},
      {"active, wrong password", kAdminEmail, "wrong password"},
      {"active, right password", kAdminEmail, kAdminPassword},
      {"invited, wrong one-time password", "bob@acme.test", "AAAA-BBBB-CCCC"},
      {"invited, right one-time password", "bob@acme.test", otp},
  };
  for (const Attempt& attempt : attempts) {
    long before = Hashes();
    NewClient()->Login(attempt.email, attempt.password);
    EXPECT_EQ(Hashes() - before, 1) << attempt.what;
  }
}

// SPEC 6: inputs are bounded before any other work (no lookup, no rate-limit
// record, no hash): over-long input is 422 and leaves nothing behind.
TEST_F(HardeningTest, OverLongCredentialsAre422BeforeAnyOtherWork) {
  long before = Hashes();
  const std::string long_email = std::string(256 * 1024, 'a') + "@acme.test";
  for (int i = 0; i < 40; ++i) {
    HttpResponse login = NewClient()->Login(long_email, "x");
    ASSERT_EQ(login.status, 422);
    EXPECT_EQ(login.Code(), "validation");
  }
  HttpResponse long_password = NewClient()->Login(kAdminEmail, std::string(200, 'p'));
  EXPECT_EQ(long_password.status, 422);
  EXPECT_EQ(long_password.json["errors"][0]["field"], "password");
  // The bound is 128 characters (code points), not bytes: 128 "é" pass it.
  std::string accents;
  for (int i = 0; i < 128; ++i) accents += "\xc3\xa9";
  EXPECT_EQ(NewClient()->Login(kAdminEmail, accents).status, 401);
  EXPECT_EQ(NewClient()->Login(kAdminEmail, accents + "\xc3\xa9").status, 422);
  EXPECT_EQ(Hashes(), before + 1);
  // None of them counted as a failure of the account.
  EXPECT_EQ(NewClient()->Login(kAdminEmail, kAdminPassword).status, 200);

  HttpResponse change = admin_->Post(
      "/api/v1/auth/password",
      {{"current_password", std::string(129, 'c')}, {"new_password", std::string(129, 'n')}});
  EXPECT_EQ(change.status, 422);
  EXPECT_EQ(change.json["errors"].size(), 2u) << change.body;
}

// SPEC 6: guessing the current password through /auth/password counts
// toward the same lockout as logins.
TEST_F(HardeningTest, GuessingTheCurrentPasswordLocksTheAccount) {
  std::vector<long> statuses;
  for (int i = 0; i < 14; ++i) {
    statuses.push_back(admin_
                           ->Post("/api/v1/auth/password",
                                  {{"current_password", "guess number " + std::to_string(i)},
                                   {"new_password", "a completely new passphrase 2291"}})
                           .status);
  }
  EXPECT_EQ(std::count(statuses.begin(), statuses.begin() + 10, 422), 10);
  EXPECT_EQ(statuses[10], 429);
  EXPECT_EQ(statuses[13], 429);
  // The lock is the account's: a login with the right password waits too.
  EXPECT_EQ(NewClient()->Login(kAdminEmail, kAdminPassword).status, 429);
}

// SPEC 6: "a login ends the session whose cookie the request carried".
TEST_F(HardeningTest, SigningInAgainEndsTheSessionTheRequestCarried) {
  auto client = NewClient();
  ASSERT_EQ(client->Login(kAdminEmail, kAdminPassword).status, 200);
  std::string old_cookie = client->session_cookie();
  ASSERT_EQ(client->Login(kAdminEmail, kAdminPassword).status, 200);
  ASSERT_NE(client->session_cookie(), old_cookie);
  EXPECT_EQ(client->Get("/api/v1/me").status, 200);
  auto replay = NewClient();
  replay->set_session_cookie(old_cookie);
  EXPECT_EQ(replay->Get("/api/v1/me").status, 401);
}

TEST_F(HardeningTest, AMalformedQueryIsADocumented400) {
  HttpResponse bad = admin_->Get(OrgPath("/members?q=%zz"));
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.Header("content-type"), "application/problem+json");
  EXPECT_FALSE(bad.Code().empty());
}

// A body field Roster does not take is a 422 naming it, and nothing is
// done: each of these answered 2xx with the field dropped (a key with a
// misspelled expiry never expired; an endpoint sent "enabled": false was
// enabled at once).
TEST_F(HardeningTest, AnUnknownBodyFieldIsA422NamingItAndNothingIsDone) {
  auto names_field = [](const HttpResponse& response, const std::string& field) {
    if (!response.json.contains("errors")) return false;
    for (const auto& error : response.json["errors"]) {
      if (error.value("field", "") == field) return true;
    }
    return false;
  };
  struct Case {
    std::string method, path;
    nlohmann::json body;
    std::string unknown;
  };
  std::string bea = Invite("bea@acme.test", "Bea Buyer");
  const std::vector<Case> cases = {
      {"POST",
       OrgPath("/api-keys"),
       {{"name", "CRM"}, {"scope", "read"}, {"expires", "2027-01-01T00:00:00Z"}},
       "expires"},
      {"POST",
       OrgPath("/webhooks"),
       {{"url", "https://hooks.example.com/roster"},
        {"events", {"member.invited"}},
        {"enabled", false}},
       "enabled"},
      {"POST",
       OrgPath("/invitations"),
       {{"email", "cy@acme.test"}, {"name", "Cy"}, {"role", "user"}, {"assistants", {"1"}}},
       "assistants"},
      {"POST",
       OrgPath("/assistants"),
       {{"name", "Outbound"}, {"managers", nlohmann::json::array()}},
       "managers"},
      {"PATCH", OrgPath("/members/" + bea), {{"role", "admin"}, {"status", "active"}}, "status"},
      {"POST",
       OrgPath("/invitations/bulk"),
       {{"rows", {{{"email", "dee@acme.test"}, {"name", "Dee"}}}}, {"dry_run", true}},
       "dry_run"},
      {"POST", OrgPath("/leads/reassign"), {{"owner_id", bea}, {"from_owner", bea}}, "from_owner"},
  };
  for (const Case& item : cases) {
    HttpResponse answer = item.method == "PATCH" ? admin_->Patch(item.path, item.body)
                                                 : admin_->Post(item.path, item.body);
    EXPECT_EQ(answer.status, 422) << item.method << " " << item.path << ": " << answer.body;
    EXPECT_EQ(answer.Code(), "validation") << answer.body;
    EXPECT_TRUE(names_field(answer, item.unknown)) << answer.body;
  }
  EXPECT_TRUE(admin_->Get(OrgPath("/api-keys")).json["items"].empty());
  EXPECT_TRUE(admin_->Get(OrgPath("/webhooks")).json["items"].empty());
  EXPECT_TRUE(admin_->Get(OrgPath("/assistants")).json["items"].empty());
  EXPECT_EQ(admin_->Get(OrgPath("/members?q=cy%40acme.test")).json["items"].size(), 0u);
  EXPECT_EQ(admin_->Get(OrgPath("/members?q=dee%40acme.test")).json["items"].size(), 0u);
  EXPECT_EQ(admin_->Get(OrgPath("/members/" + bea)).json["role"], "user");
}

class LoginFloodTest : public ApiTest {};

// SPEC 6: hashing runs behind a limit smaller than the number of workers; a
// flood of logins gets fast 503s (or 429s) while other requests stay fast.
TEST_F(LoginFloodTest, OtherRequestsStayFastAndTheSurplusIsRefused) {
  env()["ROSTER_LOGIN_ADDRESS_LIMIT"] = "1000000";
  StartServer();
  auto me = NewClient();
  ASSERT_EQ(me->Login(kAdminEmail, kAdminPassword).status, 200);
  std::atomic<bool> stop{false};
  std::atomic<int> refused{0}, answered{0}, errors{0};
  std::vector<std::thread> flood;
  for (int t = 0; t < 12; ++t) {
    flood.emplace_back([&, t] {
      auto client = NewClient();
      for (int i = 0; i < 400 && !stop; ++i) {  // bounded in count and in time
        HttpResponse login =
            client->Login("flood" + std::to_string(t) + "-" + std::to_string(i) + "@acme.test",
                          "not the password");
        ++answered;
        if (login.status == 503 || login.status == 429) {
          ++refused;
          if (login.Header("retry-after").empty()) ++errors;
        } else if (login.status != 401) {
          ++errors;
        }
      }
    });
  }
  while (answered < 24) std::this_thread::yield();  // the flood is on
  std::vector<double> milliseconds;
  for (int i = 0; i < 20; ++i) {
    for (const char* path : {"/healthz", "/api/v1/me"}) {
      auto started = Clock::now();
      HttpResponse answer = me->Get(path);
      milliseconds.push_back(
          std::chrono::duration<double, std::milli>(Clock::now() - started).count());
      EXPECT_EQ(answer.status, 200) << path;
    }
  }
  stop = true;
  for (std::thread& thread : flood) thread.join();
  std::sort(milliseconds.begin(), milliseconds.end());
  double median = milliseconds[milliseconds.size() / 2];
  std::cout << "under the flood: " << answered << " logins answered, " << refused
            << " refused at once; /healthz and /me median " << median << " ms, max "
            << milliseconds.back() << " ms\n";
  EXPECT_LT(median, 250) << "median of /healthz and /me under the flood";
  EXPECT_GT(refused.load(), 0) << "no login was refused: the hashing limit never triggered";
  EXPECT_EQ(errors.load(), 0);
}

}  // namespace
}  // namespace roster::testing
