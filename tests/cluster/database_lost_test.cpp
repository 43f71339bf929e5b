// SPEC §6 "Database lost": requests answer 503 problem+json (`unavailable`)
// within 5 seconds, never a 200 with partial data; /readyz says 503; when
// the database returns, the same process recovers by itself. The database is
// taken away from a running `roster serve` by the superuser: connections to
// it are refused and the open ones terminated.

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <functional>
#include <map>
#include <mutex>
#include <thread>
#include <vector>

#include "deployment.hpp"
#include "stalling_relay.hpp"
#include "support/eventually.hpp"

namespace roster::cluster_test {
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kAnswerWithin = std::chrono::seconds(5);

// Sends the request and checks the answer is a prompt 503 `unavailable`.
void ExpectUnavailable(const std::string& what, const std::function<HttpResponse()>& request) {
  auto started = Clock::now();
  HttpResponse response = request();
  auto took = Clock::now() - started;
  EXPECT_EQ(response.status, 503) << what << ": " << response.body;
  EXPECT_EQ(response.Header("content-type"), "application/problem+json") << what;
  EXPECT_EQ(response.Code(), "unavailable") << what << ": " << response.body;
  EXPECT_LT(took, kAnswerWithin)
      << what << " took " << std::chrono::duration_cast<std::chrono::milliseconds>(took).count()
      << " ms";
}

// Asks /readyz until it answers 200, for up to 10 s; returns the last answer.
HttpResponse WaitUntilReady(HttpClient& client) {
  HttpResponse ready = client.Get("/readyz");
  for (auto deadline = Clock::now() + std::chrono::seconds(10);
       ready.status != 200 && Clock::now() < deadline;) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    ready = client.Get("/readyz");
  }
  return ready;
}

class DatabaseLostTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (PostgresAdminUrl().empty()) {
      GTEST_SKIP() << "needs PostgreSQL: run under scripts/with-postgres.sh (sets ROSTER_TEST_PG_URL)";
    }
    deployment_ = std::make_unique<Deployment>(DeploymentOptions{Backend::kPostgres, 1, false, {}});
    name_ = deployment_->database().postgres_name();
  }

  void TearDown() override {
    if (!deployment_) return;
    if (HasFailure()) std::cerr << deployment_->LogTails();
    AllowConnections(true);
    deployment_.reset();
  }

  void AllowConnections(bool allow) {
    ExecuteAsSuperuser("ALTER DATABASE " + name_ + " ALLOW_CONNECTIONS " + (allow ? "true" : "false"));
  }

  // Terminates every session on the database; returns how many there were.
  int TerminateConnections() {
    return std::stoi(ExecuteAsSuperuser(
        "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = '" + name_ + "'"));
  }

  void TakeTheDatabaseAway() {
    AllowConnections(false);
    // A connection being opened while the switch flipped may still arrive.
    for (int round = 0; round < 100 && TerminateConnections() > 0; ++round) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }

  // `clients` clients read the members page, /me and the leads page, change
  // a member's role, create leads and invite, each as fast as answered,
  // while the database is taken away and given back `outages` times (for
  // 100 to 800 ms, 300 to 700 ms apart).
  void OutagesUnderLoad(int clients, int outages) {
    std::string hot = deployment_->Invite("hot@acme.test", "Hot Row");
    HttpClient& admin = deployment_->admin();
    HttpResponse desk = admin.Post(deployment_->OrgPath("/assistants"), {{"name", "Outage Desk"}});
    ASSERT_EQ(desk.status, 201) << desk.body;
    std::string assistant = desk.json.value("id", "");
    HttpResponse assigned = admin.Put(
        deployment_->OrgPath("/assistants/" + assistant + "/users/" + deployment_->admin_id()), {});
    ASSERT_EQ(assigned.status, 200) << assigned.body;
    std::vector<std::unique_ptr<HttpClient>> admins;
    for (int i = 0; i < clients; ++i) admins.push_back(deployment_->AdminOf(0));
    std::atomic<bool> stop{false};
    std::atomic<int> answers{0};
    std::atomic<int> unavailable{0};
    std::atomic<int> outage{0};
    // By request and status ("POST lead 500"): how many, and the first.
    struct Failures {
      int count = 0;
      std::string first;
    };
    std::mutex failures_mutex;
    std::map<std::string, Failures> failures;
    std::vector<std::thread> load;
    for (int i = 0; i < clients; ++i) {
      load.emplace_back([&, i] {
        for (int n = 0; !stop; ++n) {
          auto started = Clock::now();
          static const char* const kWhat[] = {"GET members", "GET /me",   "PATCH role",
                                              "POST lead",   "GET leads", "POST invitation"};
          int kind = n % 6;
          HttpResponse answer;
          switch (kind) {
            case 0:
              answer = admins[i]->Get(deployment_->OrgPath("/members"));
              break;
            case 1:
              answer = admins[i]->Get("/api/v1/me");
              break;
            case 2:
              answer = admins[i]->Patch(deployment_->OrgPath("/members/" + hot),
                                        {{"role", n % 4 == 2 ? "admin" : "user"}});
              break;
            case 3:
              answer = admins[i]->Post(deployment_->OrgPath("/leads"),
                                       {{"name", "Lead"},
                                        {"email", "lead@prospect.test"},
                                        {"assistant_id", assistant},
                                        {"owner_id", deployment_->admin_id()}});
              break;
            case 4:
              answer = admins[i]->Get(deployment_->OrgPath("/leads"));
              break;
            default:
              answer = admins[i]->Post(
                  deployment_->OrgPath("/invitations"),
                  {{"email", std::to_string(i) + "n" + std::to_string(n) + "@acme.test"},
                   {"name", "Invitee"}});
          }
          auto took = Clock::now() - started;
          ++answers;
          if (answer.status == 503) ++unavailable;
          if ((answer.status / 100 != 2 && answer.status != 503) || took >= kAnswerWithin) {
            std::lock_guard lock(failures_mutex);
            Failures& of_kind =
                failures[std::string(kWhat[kind]) + " " + std::to_string(answer.status)];
            if (of_kind.count++ == 0) {
              auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(took).count();
              of_kind.first = "in outage " + std::to_string(outage.load()) + ", after " +
                              std::to_string(ms) + " ms: " + answer.body.substr(0, 200);
            }
          }
        }
      });
    }
    auto anonymous = deployment_->ClientOf(0);
    for (int round = 1; round <= outages; ++round) {
      std::this_thread::sleep_for(std::chrono::milliseconds(300 + round * 37 % 400));
      outage = round;
      TakeTheDatabaseAway();
      std::this_thread::sleep_for(std::chrono::milliseconds(100 + round * 53 % 700));
      AllowConnections(true);
      for (auto deadline = Clock::now() + std::chrono::seconds(10);
           anonymous->Get("/readyz").status != 200 && Clock::now() < deadline;) {
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    stop = true;
    for (std::thread& thread : load) thread.join();

    // One short message: a CI log keeps only its end.
    if (!failures.empty()) {
      std::string kinds;
      for (const auto& [kind, of_kind] : failures)
        kinds +=
            "\n  " + kind + " x" + std::to_string(of_kind.count) + ", the first " + of_kind.first;
      ADD_FAILURE() << "of " << answers.load()
                    << " answers, neither 2xx nor a prompt 503:" << kinds;
    }
    EXPECT_GT(unavailable.load(), 0) << "the database was never seen gone";
    for (int i = 0; i < clients; ++i) {
      HttpResponse members = admins[i]->Get(deployment_->OrgPath("/members"));
      EXPECT_EQ(members.status, 200) << "client " << i << " did not recover: " << members.body;
    }
  }

  std::unique_ptr<Deployment> deployment_;
  std::string name_;
};

TEST_F(DatabaseLostTest, RequestsAnswer503WhileItIsGoneAndTheProcessRecoversByItself) {
  HttpClient& admin = deployment_->admin();
  std::string members = deployment_->OrgPath("/members");
  HttpResponse before = admin.Get(members);
  ASSERT_EQ(before.status, 200) << before.body;

  TakeTheDatabaseAway();
  auto anonymous = deployment_->ClientOf(0);
  // Twice each: once on a pooled connection that died, once reconnecting.
  for (int round = 0; round < 2; ++round) {
    ExpectUnavailable("GET /me", [&] { return admin.Get("/api/v1/me"); });
    ExpectUnavailable("GET members", [&] { return admin.Get(members); });
    ExpectUnavailable("GET leads", [&] { return admin.Get(deployment_->OrgPath("/leads")); });
    ExpectUnavailable("POST invitations", [&] {
      return admin.Post(deployment_->OrgPath("/invitations"), {{"email", "zoe@acme.test"}, {"name", "Zoe"}});
    });
    ExpectUnavailable("POST login", [&] { return anonymous->Login(Deployment::kAdminEmail, Deployment::kAdminPassword); });
    auto started = Clock::now();
    HttpResponse ready = anonymous->Get("/readyz");
    EXPECT_EQ(ready.status, 503) << ready.body;
    EXPECT_LT(Clock::now() - started, kAnswerWithin);
  }
  EXPECT_EQ(anonymous->Get("/healthz").status, 200) << "the process itself is alive";

  AllowConnections(true);
  HttpResponse ready = WaitUntilReady(*anonymous);
  ASSERT_EQ(ready.status, 200) << "no recovery within 10 s: " << ready.body;
  HttpResponse after = admin.Get(members);
  ASSERT_EQ(after.status, 200) << "the session survives: " << after.body;
  EXPECT_EQ(after.json, before.json);
  EXPECT_EQ(anonymous->Login(Deployment::kAdminEmail, Deployment::kAdminPassword).status, 200);
  // The invitations refused meanwhile were not half-made.
  EXPECT_EQ(admin.Post(deployment_->OrgPath("/invitations"), {{"email", "zoe@acme.test"}, {"name", "Zoe"}}).status,
            201);
}

TEST_F(DatabaseLostTest, TerminatedConnectionsAreReplacedWithoutAnError) {
  HttpClient& admin = deployment_->admin();
  for (int round = 0; round < 3; ++round) {
    ASSERT_GT(TerminateConnections(), 0) << "the server holds its pool open";
    for (int request = 0; request < 6; ++request) {
      HttpResponse members = admin.Get(deployment_->OrgPath("/members"));
      EXPECT_EQ(members.status, 200) << "round " << round << ", request " << request << ": " << members.body;
    }
    EXPECT_EQ(deployment_->ClientOf(0)->Get("/readyz").status, 200);
  }
}

// The same drill while requests keep coming: pooled connections die in the
// middle of reads and writes. Every answer is a 2xx or a prompt 503, never
// a 500 or a hang, and once the database is back every client gets 200s.
// (A session the server ends reaches libpq as a FATAL error a moment before
// the close that follows it; taken for a bug, that was a 500, about once in
// a hundred outages.)
TEST_F(DatabaseLostTest, UnderLoadAnswersAre200Or503AndEveryClientRecovers) {
  OutagesUnderLoad(/*clients=*/16, /*outages=*/3);
}

// The drill above, many times over: run on demand (its outages from
// ROSTER_SOAK_OUTAGES, 25 if unset, about a second each), as
//   roster_cluster_test --gtest_also_run_disabled_tests --gtest_filter='*Soak*'
TEST_F(DatabaseLostTest, DISABLED_SoakOutageAfterOutageUnderLoad) {
  const char* outages = std::getenv("ROSTER_SOAK_OUTAGES");
  OutagesUnderLoad(/*clients=*/16, outages != nullptr ? std::atoi(outages) : 25);
}

// A server that is there but says nothing (frozen: a stalled disk, a paused
// VM) refuses and resets nothing, so no connection error ever comes and TCP
// alone would wait for minutes. Requests, /readyz and a SIGTERM must not.
class FrozenDatabaseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string admin = PostgresAdminUrl();
    if (admin.empty()) {
      GTEST_SKIP()
          << "needs PostgreSQL: run under scripts/with-postgres.sh (sets ROSTER_TEST_PG_URL)";
    }
    // postgresql://roster@127.0.0.1:PORT/postgres
    std::size_t at = admin.find('@'), slash = admin.rfind('/'), colon = admin.rfind(':', slash);
    relay_ = std::make_unique<StallingRelay>(admin.substr(at + 1, colon - at - 1),
                                             std::stoi(admin.substr(colon + 1, slash - colon - 1)));
    deployment_ = std::make_unique<Deployment>(
        DeploymentOptions{Backend::kPostgres, 1, false, {}, relay_->port()});
  }

  void TearDown() override {
    if (!deployment_) return;
    if (HasFailure()) std::cerr << deployment_->LogTails();
    relay_->Resume();
    deployment_.reset();
  }

  std::unique_ptr<StallingRelay> relay_;
  std::unique_ptr<Deployment> deployment_;
};

TEST_F(FrozenDatabaseTest, RequestsAnswer503WithinFiveSecondsAndTheProcessRecoversByItself) {
  HttpClient& admin = deployment_->admin();
  std::string members = deployment_->OrgPath("/members");
  HttpResponse before = admin.Get(members);
  ASSERT_EQ(before.status, 200) << before.body;

  relay_->Stall();
  auto anonymous = deployment_->ClientOf(0);
  // On pooled connections whose statements go unanswered, then on new ones
  // whose opening goes unanswered.
  for (int round = 0; round < 2; ++round) {
    ExpectUnavailable("GET members", [&] { return admin.Get(members); });
    ExpectUnavailable("POST invitations", [&] {
      return admin.Post(deployment_->OrgPath("/invitations"),
                        {{"email", "zoe@acme.test"}, {"name", "Zoe"}});
    });
    ExpectUnavailable("GET /readyz", [&] { return anonymous->Get("/readyz"); });
  }

  relay_->Resume();
  HttpResponse ready = WaitUntilReady(*anonymous);
  ASSERT_EQ(ready.status, 200) << "no recovery within 10 s: " << ready.body;
  HttpResponse after = admin.Get(members);
  ASSERT_EQ(after.status, 200) << after.body;
  EXPECT_EQ(after.json, before.json);
  EXPECT_EQ(
      admin
          .Post(deployment_->OrgPath("/invitations"), {{"email", "zoe@acme.test"}, {"name", "Zoe"}})
          .status,
      201);
}

TEST_F(FrozenDatabaseTest, ASigtermEndsTheProcessWithoutWaitingForTheServer) {
  HttpClient& admin = deployment_->admin();
  std::string members = deployment_->OrgPath("/members");
  ASSERT_EQ(admin.Get(members).status, 200);

  relay_->Stall();
  HttpResponse in_flight;
  std::thread request([&] { in_flight = admin.Get(members); });
  // The request is in the server, waiting for the database, before the signal.
  ASSERT_TRUE(test_support::Eventually([&] { return relay_->UnreadBytes() > 0; }));
  // 0: it drained and exited by itself within its 15 s grace; -1: it had to
  // be killed after 20 s.
  EXPECT_EQ(deployment_->server(0).Stop(SIGTERM), 0);
  request.join();
  EXPECT_EQ(in_flight.status, 503) << in_flight.body;
  EXPECT_EQ(in_flight.Code(), "unavailable") << in_flight.body;
}

}  // namespace
}  // namespace roster::cluster_test
