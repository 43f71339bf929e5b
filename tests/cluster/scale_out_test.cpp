// Two `roster serve` processes on one PostgreSQL database behind HAProxy
// (roundrobin): whatever one process learns, the other knows, because all
// state lives in the database (SPEC §5 "no state in the process that another
// instance needs").

#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <regex>
#include <set>
#include <thread>

#include "api_fixture.hpp"  // OneTimePasswordIn
#include "deployment.hpp"
#include "support/smtp_server.hpp"

namespace roster::cluster_test {
namespace {

class ScaleOutTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (PostgresAdminUrl().empty()) {
      GTEST_SKIP() << "needs PostgreSQL: run under scripts/with-postgres.sh (sets ROSTER_TEST_PG_URL)";
    }
    if (!LoadBalancer::Available()) GTEST_SKIP() << "needs HAProxy: apt-get install haproxy";
  }

  void StartDeployment(std::map<std::string, std::string> env = {}) {
    deployment_ = std::make_unique<Deployment>(
        DeploymentOptions{Backend::kPostgres, 2, /*load_balancer=*/true, std::move(env)});
  }

  void TearDown() override {
    if (deployment_ && HasFailure()) std::cerr << deployment_->LogTails();
    deployment_.reset();
  }

  // A client of HAProxy.
  std::unique_ptr<HttpClient> Balanced() const { return deployment_->Client(deployment_->entry_url()); }

  std::unique_ptr<Deployment> deployment_;
};

// The server that answered, as HAProxy names it.
std::string ServedBy(const HttpResponse& response) { return response.Header("x-roster-backend"); }

TEST_F(ScaleOutTest, RequestsAlternateAndASessionMadeOnOneServerWorksOnTheOther) {
  StartDeployment();
  auto client = Balanced();
  HttpResponse login = client->Login(Deployment::kAdminEmail, Deployment::kAdminPassword);
  ASSERT_EQ(login.status, 200) << login.body;
  std::set<std::string> answered_by;
  std::string previous = ServedBy(login);
  for (int i = 0; i < 6; ++i) {
    HttpResponse me = client->Get("/api/v1/me");
    ASSERT_EQ(me.status, 200) << "request " << i << " on " << ServedBy(me) << ": " << me.body;
    EXPECT_NE(ServedBy(me), previous) << "roundrobin sends consecutive requests to the other server";
    previous = ServedBy(me);
    answered_by.insert(ServedBy(me));
  }
  EXPECT_EQ(answered_by, (std::set<std::string>{"roster1", "roster2"}));

  // Directly, without HAProxy, too.
  for (int server = 0; server < 2; ++server) {
    auto direct = deployment_->ClientOf(server);
    direct->set_session_cookie(client->session_cookie());
    EXPECT_EQ(direct->Get("/api/v1/me").status, 200) << "server " << server + 1;
  }
  // Signing out on one server ends the session on both.
  auto first = deployment_->ClientOf(0);
  first->set_session_cookie(client->session_cookie());
  ASSERT_EQ(first->Post("/api/v1/auth/logout").status, 204);
  auto second = deployment_->ClientOf(1);
  second->set_session_cookie(client->session_cookie());
  EXPECT_EQ(second->Get("/api/v1/me").status, 401);
}

TEST_F(ScaleOutTest, LockoutCountsFailuresOnBothServers) {
  StartDeployment();
  std::string bob_id;
  deployment_->InviteAndJoin("bob@acme.test", "Bob Seller", "user", &bob_id);
  auto client = Balanced();
  std::map<std::string, int> failures_by_server;
  for (int i = 0; i < 10; ++i) {
    HttpResponse failed = client->Login("bob@acme.test", "not the password " + std::to_string(i));
    ASSERT_EQ(failed.status, 401) << "attempt " << i + 1 << ": " << failed.body;
    failures_by_server[ServedBy(failed)]++;
  }
  EXPECT_EQ(failures_by_server, (std::map<std::string, int>{{"roster1", 5}, {"roster2", 5}}));
  // Locked on both servers, for the right password too.
  for (int server = 0; server < 2; ++server) {
    HttpResponse locked = deployment_->ClientOf(server)->Login("bob@acme.test", Deployment::kMemberPassword);
    EXPECT_EQ(locked.status, 429) << "server " << server + 1 << ": " << locked.body;
    EXPECT_EQ(locked.Code(), "rate_limited");
    EXPECT_FALSE(locked.Header("retry-after").empty());
  }
}

TEST_F(ScaleOutTest, ResendLimitCountsResendsOnBothServers) {
  StartDeployment();
  std::string carol = deployment_->Invite("carol@acme.test", "Carol Closer");
  auto admin = Balanced();
  admin->set_session_cookie(deployment_->admin().session_cookie());
  std::string path = deployment_->OrgPath("/members/" + carol + "/resend-invite");
  std::set<std::string> answered_by;
  for (int i = 0; i < 5; ++i) {
    HttpResponse resent = admin->Post(path);
    ASSERT_EQ(resent.status, 200) << "resend " << i + 1 << ": " << resent.body;
    answered_by.insert(ServedBy(resent));
  }
  EXPECT_EQ(answered_by.size(), 2u);
  for (int server = 0; server < 2; ++server) {
    HttpResponse refused = deployment_->AdminOf(server)->Post(path);
    EXPECT_EQ(refused.status, 429) << "server " << server + 1 << ": " << refused.body;
    EXPECT_EQ(refused.Code(), "rate_limited");
  }
}

TEST_F(ScaleOutTest, ClientAddressComesFromXForwardedForAndIsCountedOnBothServers) {
  StartDeployment({{"ROSTER_LOGIN_ADDRESS_LIMIT", "5"}});
  auto client = Balanced();
  auto login_from = [&](const std::string& address, int attempt) {
    std::string body = nlohmann::json{{"email", "ghost" + std::to_string(attempt) + "@acme.test"},
                                      {"password", "whatever it is"}}
                           .dump();
    // HAProxy appends its own peer (127.0.0.1, trusted) to what the client sent.
    return client->Send("POST", "/api/v1/auth/login", body,
                        {{"Content-Type", "application/json"}, {"X-Forwarded-For", address}});
  };
  std::set<std::string> answered_by;
  for (int i = 0; i < 5; ++i) {
    HttpResponse attempt = login_from("203.0.113.7", i);
    ASSERT_EQ(attempt.status, 401) << attempt.body;
    answered_by.insert(ServedBy(attempt));
  }
  EXPECT_EQ(answered_by.size(), 2u);
  for (int i = 5; i < 7; ++i) {
    HttpResponse limited = login_from("203.0.113.7", i);
    EXPECT_EQ(limited.status, 429) << "on " << ServedBy(limited) << ": " << limited.body;
  }
  // Another client behind the same proxy is not limited.
  EXPECT_EQ(login_from("203.0.113.8", 7).status, 401);
}

// The messages in aiosmtpd's maildir by envelope recipient.
std::map<std::string, int> CountByRecipient(const std::vector<std::string>& messages) {
  static const std::regex recipient(R"(X-RcptTo: ([^\r\n]+))");
  std::map<std::string, int> counts;
  for (const std::string& message : messages) {
    std::smatch match;
    counts[std::regex_search(message, match, recipient) ? match[1].str() : "?"]++;
  }
  return counts;
}

// The outbox gauge of server `index`'s /metrics, or -1.
double PendingMail(const Deployment& deployment, int index) {
  HttpResponse metrics = deployment.ClientOf(index)->Get("/metrics");
  std::smatch match;
  static const std::regex gauge(R"(\nroster_outbox_pending ([0-9.e+-]+))");
  return std::regex_search(metrics.body, match, gauge) ? std::stod(match[1]) : -1;
}

TEST_F(ScaleOutTest, InvitationsQueuedWhileMailIsDownAreDeliveredExactlyOnce) {
  test_support::SmtpServer smtp;  // its port is reserved, nothing listens there yet
  StartDeployment({{"ROSTER_MAIL", smtp.url()}, {"ROSTER_MAIL_RETRY_MAX", "2"}});
  constexpr int kInvitations = 200;
  constexpr int kThreads = 8;
  std::vector<HttpResponse> last_answers = InParallel(kThreads, [&](int thread) {
    auto admin = Balanced();
    admin->set_session_cookie(deployment_->admin().session_cookie());
    HttpResponse last;
    for (int i = thread; i < kInvitations; i += kThreads) {
      last = admin->Post(deployment_->OrgPath("/invitations"),
                         {{"email", "invitee" + std::to_string(i) + "@cluster.test"},
                          {"name", "Invitee " + std::to_string(i)}});
      if (last.status != 201) return last;
    }
    return last;
  });
  ASSERT_EQ(CountStatus(last_answers, 201), kThreads) << Summary(last_answers);
  EXPECT_EQ(PendingMail(*deployment_, 0), kInvitations);
  EXPECT_TRUE(smtp.Messages().empty());

  smtp.Start();
  ASSERT_TRUE(smtp.WaitForMessages(kInvitations, std::chrono::seconds(60)))
      << smtp.Messages().size() << " of " << kInvitations << " delivered";
  // Every message is marked sent once the outbox is empty on both servers'
  // view of it; only then can the count be final.
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while ((PendingMail(*deployment_, 0) != 0 || PendingMail(*deployment_, 1) != 0) &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_EQ(PendingMail(*deployment_, 0), 0);
  std::vector<std::string> messages = smtp.Messages();
  std::map<std::string, int> by_recipient = CountByRecipient(messages);
  EXPECT_EQ(messages.size(), static_cast<std::size_t>(kInvitations));
  EXPECT_EQ(by_recipient.size(), static_cast<std::size_t>(kInvitations));
  for (int i = 0; i < kInvitations; ++i) {
    std::string recipient = "invitee" + std::to_string(i) + "@cluster.test";
    EXPECT_EQ(by_recipient[recipient], 1) << recipient;
  }
}

// A relay that takes mail only over TLS and after AUTH, with a certificate
// of the company's own CA (ROSTER_MAIL_CA): the invitations of both servers
// arrive, and the one-time password in them signs the invitee in.
TEST_F(ScaleOutTest, InvitationsReachARelayThatRequiresTlsAndALogin) {
  test_support::SmtpServer smtp(
      test_support::SmtpServer::Options{.login = "roster", .password = "relay pass"});
  smtp.Start();
  StartDeployment({{"ROSTER_MAIL", "smtp://roster:relay%20pass@" + smtp.url().substr(7)},
                   {"ROSTER_MAIL_CA", smtp.ca_file().string()}});
  auto admin = Balanced();
  admin->set_session_cookie(deployment_->admin().session_cookie());
  std::set<std::string> served_by;
  for (const char* email : {"tia@cluster.test", "uma@cluster.test"}) {
    HttpResponse invited =
        admin->Post(deployment_->OrgPath("/invitations"), {{"email", email}, {"name", "Invitee"}});
    ASSERT_EQ(invited.status, 201) << invited.body;
    served_by.insert(ServedBy(invited));
  }
  EXPECT_EQ(served_by.size(), 2u) << "both servers queued one";
  ASSERT_TRUE(smtp.WaitForMessages(2, std::chrono::seconds(30)))
      << smtp.Messages().size() << " of 2 relayed";
  std::map<std::string, int> by_recipient = CountByRecipient(smtp.Messages());
  EXPECT_EQ(by_recipient["tia@cluster.test"], 1);
  EXPECT_EQ(by_recipient["uma@cluster.test"], 1);
  for (const std::string& message : smtp.Messages()) {
    if (message.find("X-RcptTo: tia@cluster.test") == std::string::npos) continue;
    auto otp = testing::OneTimePasswordIn(message);
    ASSERT_TRUE(otp.has_value()) << message;
    EXPECT_EQ(Balanced()->Login("tia@cluster.test", *otp).status, 200);
  }
}

}  // namespace
}  // namespace roster::cluster_test
