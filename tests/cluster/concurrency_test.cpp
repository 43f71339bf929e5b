// Races through HTTP, on SQLite (one `roster serve`) and on PostgreSQL (two
// `roster serve` on one database, the threads spread over both). Every race
// ends in a state a serial order of the same requests could have produced:
// no deadlock, no lost update, no 500.

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "api_fixture.hpp"  // OneTimePasswordIn
#include "deployment.hpp"

namespace roster::cluster_test {
namespace {

// SPEC 6: a sign-in or password change that finds every hashing slot and
// waiting place taken is answered 503 `busy` at once; a client tries again
// after a moment, as the console does.
HttpResponse RetriedWhileBusy(const std::function<HttpResponse()>& call) {
  HttpResponse answer;
  for (int attempt = 0; attempt < 200; ++attempt) {
    answer = call();
    if (answer.status != 503 || answer.Code() != "busy") break;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));  // a shortened Retry-After
  }
  return answer;
}

class ConcurrencyTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (GetParam() == Backend::kPostgres && PostgresAdminUrl().empty()) {
      GTEST_SKIP()
          << "needs PostgreSQL: run under scripts/with-postgres.sh (sets ROSTER_TEST_PG_URL)";
    }
    int servers = GetParam() == Backend::kPostgres ? 2 : 1;
    deployment_ = std::make_unique<Deployment>(DeploymentOptions{
        GetParam(),
        servers,
        false,
        {{"ROSTER_WEBHOOK_ALLOW_HTTP", "1"}, {"ROSTER_WEBHOOK_ALLOW_PRIVATE", "1"}}});
  }

  void TearDown() override {
    if (deployment_ && HasFailure()) std::cerr << deployment_->LogTails();
    deployment_.reset();
  }

  Deployment& deployment() { return *deployment_; }
  HttpClient& admin() { return deployment_->admin(); }
  std::string OrgPath(const std::string& rest) const { return deployment_->OrgPath(rest); }

  std::string CreateAssistant(const std::string& name) {
    HttpResponse created = admin().Post(OrgPath("/assistants"), {{"name", name}});
    EXPECT_EQ(created.status, 201) << created.body;
    return created.json.is_object() ? created.json.value("id", "") : "";
  }

  void Assign(const std::string& assistant_id, const std::string& user_id) {
    HttpResponse assigned =
        admin().Put(OrgPath("/assistants/" + assistant_id + "/users/" + user_id), {});
    EXPECT_EQ(assigned.status, 200) << assigned.body;
  }

  void CreateLeads(const std::string& assistant_id, const std::string& owner_id, int count) {
    for (int i = 0; i < count; ++i) {
      HttpResponse created = admin().Post(OrgPath("/leads"), {{"name", "Lead " + std::to_string(i)},
                                                              {"email", "lead@prospect.test"},
                                                              {"assistant_id", assistant_id},
                                                              {"owner_id", owner_id}});
      ASSERT_EQ(created.status, 201) << created.body;
    }
  }

  // The owner of every lead the admin sees (one page of up to 200), per lead id.
  std::map<std::string, std::string> LeadOwners(const std::string& query = "") {
    HttpResponse page = admin().Get(OrgPath("/leads?limit=200" + query));
    EXPECT_EQ(page.status, 200) << page.body;
    EXPECT_TRUE(page.json["next_cursor"].is_null()) << "more leads than one page";
    std::map<std::string, std::string> owners;
    for (const auto& lead : page.json["items"]) {
      owners[lead["id"].get<std::string>()] = lead["owner_id"].get<std::string>();
    }
    return owners;
  }

  std::set<std::string> MemberIds() {
    HttpResponse page = admin().Get(OrgPath("/members?limit=200"));
    EXPECT_EQ(page.status, 200) << page.body;
    std::set<std::string> ids;
    for (const auto& member : page.json["items"]) ids.insert(member["user_id"].get<std::string>());
    return ids;
  }

  std::unique_ptr<Deployment> deployment_;
};

std::string BackendName(const ::testing::TestParamInfo<Backend>& info) {
  return ToString(info.param);
}

INSTANTIATE_TEST_SUITE_P(Backends, ConcurrencyTest,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres), BackendName);

TEST_P(ConcurrencyTest, TwoAdminsDemotingEachOtherLeaveExactlyOne) {
  for (int round = 0; round < 5; ++round) {
    std::string other_id;
    auto other = deployment().InviteAndJoin("admin" + std::to_string(round) + "@acme.test",
                                            "Second Admin", "admin", &other_id, /*server=*/1);
    auto ada = deployment().AdminOf(0);
    std::vector<HttpResponse> answers = InParallel(2, [&](int i) {
      return i == 0
                 ? ada->Patch(OrgPath("/members/" + other_id), {{"role", "user"}})
                 : other->Patch(OrgPath("/members/" + deployment().admin_id()), {{"role", "user"}});
    });
    ASSERT_EQ(CountStatus(answers, 200), 1) << "round " << round << ": " << Summary(answers);
    // The loser finds himself the last admin (409), or already demoted (403).
    const HttpResponse& lost = answers[0].status == 200 ? answers[1] : answers[0];
    EXPECT_TRUE(lost.Code() == "last_admin" || lost.Code() == "forbidden")
        << "round " << round << ": " << Summary(answers);
    HttpResponse admins = (answers[0].status == 200 ? *ada : *other)
                              .Get(OrgPath("/members?role=admin&status=active"));
    ASSERT_EQ(admins.status, 200) << admins.body;
    EXPECT_EQ(admins.json["items"].size(), 1u) << "round " << round;
    // Start the next round with Ada as the only admin again.
    if (answers[0].status != 200) {
      ASSERT_EQ(
          other->Patch(OrgPath("/members/" + deployment().admin_id()), {{"role", "admin"}}).status,
          200);
    }
    ASSERT_EQ(ada->Delete(OrgPath("/members/" + other_id)).status, 200);
  }
}

// Invitations run READ COMMITTED on PostgreSQL: the unique e-mail and the
// membership's key carry "not a member yet", and a violation is retried into
// the 409 a serial order gives.
TEST_P(ConcurrencyTest, ParallelInvitationsOfOneEmailAddExactlyOneMember) {
  constexpr int kInvites = 8;
  std::vector<std::unique_ptr<HttpClient>> admins;
  for (int i = 0; i < kInvites; ++i) admins.push_back(deployment().AdminOf(i));
  std::vector<HttpResponse> answers = InParallel(kInvites, [&](int i) {
    return admins[i]->Post(OrgPath("/invitations"),
                           {{"email", "hal@acme.test"}, {"name", "Hal " + std::to_string(i)}});
  });
  EXPECT_EQ(CountStatus(answers, 201), 1) << Summary(answers);
  EXPECT_EQ(CountStatus(answers, 409), kInvites - 1) << Summary(answers);
  for (const HttpResponse& answer : answers) {
    if (answer.status == 409) {
      EXPECT_EQ(answer.Code(), "already_member");
    }
  }
  HttpResponse members = admin().Get(OrgPath("/members?q=hal%40acme.test"));
  ASSERT_EQ(members.status, 200) << members.body;
  EXPECT_EQ(members.json["items"].size(), 1u);
  EXPECT_EQ(deployment().WaitForMessagesTo("hal@acme.test", 1).size(), 1u);
}

// A limit over a set of rows (20 webhooks an organization): the count and
// the insert of one creation never interleave with another's. On PostgreSQL
// each ran READ COMMITTED: 22 and 24 of 30 got in over two servers.
TEST_P(ConcurrencyTest, ThirtyWebhookCreationsAtOnceStopAtTwenty) {
  constexpr int kAtOnce = 30;
  std::vector<std::unique_ptr<HttpClient>> admins;
  for (int i = 0; i < kAtOnce; ++i) admins.push_back(deployment().AdminOf(i));
  std::vector<HttpResponse> answers = InParallel(kAtOnce, [&](int i) {
    return admins[i]->Post(
        OrgPath("/webhooks"),
        {{"url", "http://127.0.0.1:9/hook-" + std::to_string(i)}, {"events", {"*"}}});
  });
  EXPECT_EQ(CountStatus(answers, 201), 20) << Summary(answers);
  EXPECT_EQ(CountStatus(answers, 409), kAtOnce - 20) << Summary(answers);
  HttpResponse listed = admin().Get(OrgPath("/webhooks?limit=100"));
  ASSERT_EQ(listed.status, 200) << listed.body;
  EXPECT_EQ(listed.json["items"].size(), 20u);
}

// Writers that all want one row (a member's role) or one table (leads) at
// once: contention alone never turns a write into an error; each waits its
// turn. On PostgreSQL the writers are spread over two servers.
TEST_P(ConcurrencyTest, WritersContendingForOneRowAllSucceed) {
  constexpr int kClients = 32;
  constexpr int kRequestsEach = 20;
  std::string target = deployment().Invite("hot@acme.test", "Hot Row");
  std::string assistant = CreateAssistant("Hot");
  Assign(assistant, deployment().admin_id());
  std::vector<std::unique_ptr<HttpClient>> admins;
  for (int i = 0; i < kClients; ++i) admins.push_back(deployment().AdminOf(i));
  std::vector<HttpResponse> answers = InParallel(kClients, [&](int i) {
    HttpResponse last;
    for (int n = 0; n < kRequestsEach; ++n) {
      HttpResponse answer =
          (i + n) % 2 == 0
              ? admins[i]->Patch(OrgPath("/members/" + target),
                                 {{"role", (i + n) % 4 == 0 ? "admin" : "user"}})
              : admins[i]->Post(OrgPath("/leads"), {{"name", "Lead"},
                                                    {"email", "lead@prospect.test"},
                                                    {"assistant_id", assistant},
                                                    {"owner_id", deployment().admin_id()}});
      if (answer.status / 100 != 2) return answer;  // the first failure tells most
      last = answer;
    }
    return last;
  });
  for (const HttpResponse& answer : answers) {
    EXPECT_EQ(answer.status / 100, 2) << answer.status << " " << answer.body << "\n"
                                      << Summary(answers);
  }
  HttpResponse leads = admin().Get(OrgPath("/leads?limit=1"));
  ASSERT_EQ(leads.status, 200) << leads.body;
  HttpResponse admin_member = admin().Get(OrgPath("/members/" + deployment().admin_id()));
  EXPECT_EQ(admin_member.json["lead_count"], kClients * kRequestsEach / 2)
      << "every lead answered 201 is there";
}

TEST_P(ConcurrencyTest, ParallelResendsStopAtFiveAndOnlyTheLastPasswordWorks) {
  constexpr int kResends = 12;
  std::string dora = deployment().Invite("dora@acme.test", "Dora Dealer");
  deployment().WaitForMessagesTo("dora@acme.test", 1);
  std::string path = OrgPath("/members/" + dora + "/resend-invite");
  std::vector<std::unique_ptr<HttpClient>> admins;
  for (int i = 0; i < kResends; ++i) admins.push_back(deployment().AdminOf(i));
  std::vector<HttpResponse> answers =
      InParallel(kResends, [&](int i) { return admins[i]->Post(path); });
  EXPECT_EQ(CountStatus(answers, 200), 5) << Summary(answers);
  EXPECT_EQ(CountStatus(answers, 429), kResends - 5) << Summary(answers);

  // The invitation and the resends, in the order they were queued: all
  // five, less those a newer resend withdrew before they went out. The
  // newest is always sent, and only its password works.
  deployment().WaitForOutboxEmpty();
  std::vector<std::string> messages = deployment().MessagesTo("dora@acme.test");
  ASSERT_GE(messages.size(), 2u);
  ASSERT_LE(messages.size(), 6u);
  std::set<std::string> passwords;
  for (std::size_t i = 0; i < messages.size(); ++i) {
    std::string otp = testing::OneTimePasswordIn(messages[i]).value_or("");
    passwords.insert(otp);
    HttpResponse login = deployment().ClientOf(static_cast<int>(i))->Login("dora@acme.test", otp);
    if (i + 1 < messages.size()) {
      EXPECT_EQ(login.status, 401) << "the password of e-mail " << i + 1 << " still works";
    } else {
      EXPECT_EQ(login.status, 200) << "the newest password fails: " << login.body;
    }
  }
  EXPECT_EQ(passwords.size(), messages.size());
}

TEST_P(ConcurrencyTest, ParallelSignInsWithOneOneTimePasswordEndWithThePasswordChange) {
  constexpr int kClients = 8;
  deployment().Invite("erin@acme.test", "Erin Enterprise");
  std::string otp = deployment().OneTimePassword("erin@acme.test");
  std::vector<std::unique_ptr<HttpClient>> clients;
  for (int i = 0; i < kClients; ++i) clients.push_back(deployment().ClientOf(i));
  std::vector<HttpResponse> logins = InParallel(kClients, [&](int i) {
    return RetriedWhileBusy([&] { return clients[i]->Login("erin@acme.test", otp); });
  });
  ASSERT_EQ(CountStatus(logins, 200), kClients) << Summary(logins);
  std::set<std::string> sessions;
  for (int i = 0; i < kClients; ++i) {
    EXPECT_EQ(logins[i].json["must_change_password"], true);
    sessions.insert(clients[i]->session_cookie());
    // Each session works, on the other server too.
    auto elsewhere = deployment().ClientOf(i + 1);
    elsewhere->set_session_cookie(clients[i]->session_cookie());
    EXPECT_EQ(elsewhere->Get("/api/v1/me").status, 200) << "session " << i;
  }
  EXPECT_EQ(sessions.size(), static_cast<std::size_t>(kClients));

  HttpResponse changed =
      clients[0]->Post("/api/v1/auth/password",
                       {{"current_password", otp}, {"new_password", Deployment::kMemberPassword}});
  ASSERT_EQ(changed.status, 204) << changed.body;
  for (int i = 1; i < kClients; ++i) {
    EXPECT_EQ(clients[i]->Get("/api/v1/me").status, 401)
        << "session " << i << " outlived the password change";
  }
  EXPECT_EQ(clients[0]->Get("/api/v1/me").status, 200);
  for (int server = 0; server < deployment().server_count(); ++server) {
    EXPECT_EQ(deployment().ClientOf(server)->Login("erin@acme.test", otp).status, 401)
        << "the one-time password still opens a session on server " << server + 1;
  }
  EXPECT_EQ(deployment().ClientOf(1)->Login("erin@acme.test", Deployment::kMemberPassword).status,
            200);
}

TEST_P(ConcurrencyTest, ParallelPasswordChangesFromOneOneTimePasswordLetExactlyOneWin) {
  constexpr int kClients = 6;
  const std::vector<std::string> new_passwords = {
      "copper kettle whistles at dawn 31", "seven lanterns drift past harbor",
      "marble staircase hums quietly 77",  "orchard wind carries paper boats",
      "velvet thunder rolls over 4 hills", "granite owls count silver stars"};
  deployment().Invite("frank@acme.test", "Frank Funnel");
  std::string otp = deployment().OneTimePassword("frank@acme.test");
  std::vector<std::unique_ptr<HttpClient>> clients;
  for (int i = 0; i < kClients; ++i) {
    clients.push_back(deployment().ClientOf(i));
    ASSERT_EQ(clients.back()->Login("frank@acme.test", otp).status, 200);
  }
  std::vector<HttpResponse> changes = InParallel(kClients, [&](int i) {
    return RetriedWhileBusy([&] {
      return clients[i]->Post("/api/v1/auth/password",
                              {{"current_password", otp}, {"new_password", new_passwords[i]}});
    });
  });
  ASSERT_EQ(CountStatus(changes, 204), 1)
      << "the one-time password set more than one password: " << Summary(changes);
  EXPECT_EQ(CountStatus(changes, 401) + CountStatus(changes, 422), kClients - 1)
      << Summary(changes);
  // The winner's password is the password; the others' are not.
  int winner = 0;
  while (changes[winner].status != 204) ++winner;
  for (int i = 0; i < kClients; ++i) {
    if (i == winner) continue;
    EXPECT_EQ(deployment().ClientOf(i)->Login("frank@acme.test", new_passwords[i]).status, 401)
        << "a losing password change took effect";
  }
  EXPECT_EQ(deployment().ClientOf(winner)->Login("frank@acme.test", new_passwords[winner]).status,
            200);
}

TEST_P(ConcurrencyTest, RemovalsRacingOnTheSameReceiverHandOverEveryLead) {
  constexpr int kLeadsPerAssistant = 10;
  std::string rita_id;
  deployment().InviteAndJoin("rita@acme.test", "Rita Receiver", "user", &rita_id);
  for (int round = 0; round < 3; ++round) {
    std::string suffix = std::to_string(round);
    // A1 and A2 belong to one leaver each; both work A3, which Rita is not on.
    std::string a1 = CreateAssistant("Solo one " + suffix),
                a2 = CreateAssistant("Solo two " + suffix),
                shared = CreateAssistant("Shared " + suffix);
    std::string m1, m2;
    deployment().InviteAndJoin("leaver1-" + suffix + "@acme.test", "Leaver One", "user", &m1);
    deployment().InviteAndJoin("leaver2-" + suffix + "@acme.test", "Leaver Two", "user", &m2);
    for (const auto& [assistant, member] : std::vector<std::pair<std::string, std::string>>{
             {a1, m1}, {shared, m1}, {a2, m2}, {shared, m2}}) {
      Assign(assistant, member);
      CreateLeads(assistant, member, kLeadsPerAssistant);
    }
    ASSERT_FALSE(HasFatalFailure());
    std::vector<std::unique_ptr<HttpClient>> admins;
    for (int i = 0; i < 2; ++i) admins.push_back(deployment().AdminOf(i));
    std::vector<HttpResponse> removals = InParallel(2, [&](int i) {
      return admins[i]->Delete(
          OrgPath("/members/" + (i == 0 ? m1 : m2) + "?reassign_to=" + rita_id));
    });
    ASSERT_EQ(CountStatus(removals, 200), 2) << "round " << round << ": " << Summary(removals);
    for (const HttpResponse& removal : removals) {
      EXPECT_EQ(removal.json["reassigned_lead_count"], 2 * kLeadsPerAssistant);
    }
    for (const std::string& assistant : {a1, a2, shared}) {
      std::map<std::string, std::string> owners = LeadOwners("&assistant_id=" + assistant);
      EXPECT_EQ(owners.size(),
                static_cast<std::size_t>(assistant == shared ? 2 : 1) * kLeadsPerAssistant);
      for (const auto& [lead, owner] : owners) EXPECT_EQ(owner, rita_id) << "lead " << lead;
      HttpResponse users = admin().Get(OrgPath("/assistants/" + assistant + "/users"));
      ASSERT_EQ(users.status, 200);
      ASSERT_EQ(users.json["items"].size(), 1u) << users.body;
      EXPECT_EQ(users.json["items"][0]["user_id"], rita_id);
    }
    HttpResponse rita = admin().Get(OrgPath("/members/" + rita_id));
    EXPECT_EQ(rita.json["lead_count"], (round + 1) * 4 * kLeadsPerAssistant);
    EXPECT_EQ(MemberIds(), (std::set<std::string>{deployment().admin_id(), rita_id}));
  }
}

TEST_P(ConcurrencyTest, RemovalThroughAReceiverWhoIsRemovedMeanwhileLosesNoLead) {
  constexpr int kLeads = 10;
  for (int round = 0; round < 3; ++round) {
    std::string suffix = std::to_string(round);
    // Leo's leads go to Rob while Rob's go to Meg.
    std::string leo, rob, meg;
    deployment().InviteAndJoin("leo" + suffix + "@acme.test", "Leo Leaver", "user", &leo);
    deployment().InviteAndJoin("rob" + suffix + "@acme.test", "Rob Relay", "user", &rob);
    deployment().InviteAndJoin("meg" + suffix + "@acme.test", "Meg Final", "user", &meg);
    std::string a1 = CreateAssistant("Leo's " + suffix), a2 = CreateAssistant("Rob's " + suffix);
    Assign(a1, leo);
    Assign(a2, rob);
    CreateLeads(a1, leo, kLeads);
    CreateLeads(a2, rob, kLeads);
    ASSERT_FALSE(HasFatalFailure());
    std::vector<std::unique_ptr<HttpClient>> admins;
    for (int i = 0; i < 2; ++i) admins.push_back(deployment().AdminOf(i));
    std::vector<HttpResponse> removals = InParallel(2, [&](int i) {
      return i == 0 ? admins[0]->Delete(OrgPath("/members/" + leo + "?reassign_to=" + rob))
                    : admins[1]->Delete(OrgPath("/members/" + rob + "?reassign_to=" + meg));
    });
    const HttpResponse& leo_removal = removals[0];
    const HttpResponse& rob_removal = removals[1];
    ASSERT_EQ(rob_removal.status, 200) << "round " << round << ": " << Summary(removals);
    std::map<std::string, std::string> owners = LeadOwners("&assistant_id=" + a1);
    for (const auto& [lead, owner] : LeadOwners("&assistant_id=" + a2)) owners[lead] = owner;
    EXPECT_EQ(owners.size(), static_cast<std::size_t>(2 * kLeads)) << "leads were lost";
    std::set<std::string> members = MemberIds();
    for (const auto& [lead, owner] : owners) {
      EXPECT_TRUE(members.count(owner)) << "lead " << lead << " is owned by non-member " << owner;
    }
    if (leo_removal.status == 200) {
      // Leo's leads reached Rob before Rob left: Meg has them all.
      EXPECT_EQ(rob_removal.json["reassigned_lead_count"], 2 * kLeads) << Summary(removals);
      for (const auto& [lead, owner] : owners) EXPECT_EQ(owner, meg);
    } else {
      // Rob had left: Leo's removal is refused and he keeps his leads.
      EXPECT_EQ(leo_removal.status, 422) << Summary(removals);
      EXPECT_EQ(leo_removal.Code(), "invalid_reassign_target");
      ASSERT_EQ(admin().Delete(OrgPath("/members/" + leo + "?reassign_to=" + meg)).status, 200);
    }
  }
}

TEST_P(ConcurrencyTest, ParallelFailedSignInsStopAtTheLockout) {
  constexpr int kAttempts = 20;
  deployment().InviteAndJoin("gus@acme.test", "Gus Grower", "user", nullptr);
  std::vector<std::unique_ptr<HttpClient>> clients;
  for (int i = 0; i < kAttempts; ++i) clients.push_back(deployment().ClientOf(i));
  std::vector<HttpResponse> attempts = InParallel(kAttempts, [&](int i) {
    return RetriedWhileBusy([&] {
      return clients[i]->Login("gus@acme.test", "wrong password number " + std::to_string(i));
    });
  });
  EXPECT_EQ(CountStatus(attempts, 401), 10)
      << "exactly ten failures before the lock: " << Summary(attempts);
  EXPECT_EQ(CountStatus(attempts, 429), kAttempts - 10) << Summary(attempts);
  HttpResponse locked =
      deployment().ClientOf(0)->Login("gus@acme.test", Deployment::kMemberPassword);
  EXPECT_EQ(locked.status, 429) << locked.body;
}

}  // namespace
}  // namespace roster::cluster_test
