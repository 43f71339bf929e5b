// The Org users page through the API: SPEC sections 1-3, issue 3.
#include <regex>
#include <set>
#include <thread>

#include "api_fixture.hpp"

namespace roster::testing {
namespace {

class MembersTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    if (!HasFatalFailure()) StartServer();
  }
};

TEST_F(MembersTest, OrganizationsOfTheCaller) {
  HttpResponse orgs = admin_->Get("/api/v1/orgs");
  ASSERT_EQ(orgs.status, 200);
  ASSERT_EQ(orgs.json["items"].size(), 1u);
  EXPECT_EQ(orgs.json["items"][0]["id"], org_id_);
  EXPECT_EQ(orgs.json["items"][0]["name"], "Acme Sales");
  Invite("bob@acme.test", "Bob Seller");
  HttpResponse org = admin_->Get(OrgPath());
  ASSERT_EQ(org.status, 200);
  EXPECT_EQ(org.json["member_count"], 2);
  EXPECT_EQ(org.json["name"], "Acme Sales");
  EXPECT_TRUE(std::regex_match(org.json["created_at"].get<std::string>(),
                               std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)")));
}

TEST_F(MembersTest, InviteCreatesAnInvitedMemberAndSendsTheEmail) {
  HttpResponse invited = admin_->Post(OrgPath("/invitations"),
                                      {{"email", "  Bob@ACME.test "}, {"name", "Bob Seller"}});
  ASSERT_EQ(invited.status, 201) << invited.body;
  EXPECT_EQ(invited.json["email"], "bob@acme.test");
  EXPECT_EQ(invited.json["role"], "user");
  EXPECT_EQ(invited.json["status"], "invited");
  EXPECT_EQ(invited.json["lead_count"], 0);
  EXPECT_TRUE(invited.json["joined_at"].is_null());
  std::string expires = invited.json["invite_expires_at"];
  // The answer is the member as a later read shows him.
  HttpResponse read =
      admin_->Get(OrgPath("/members/" + invited.json["user_id"].get<std::string>()));
  ASSERT_EQ(read.status, 200) << read.body;
  EXPECT_EQ(invited.json, read.json);

  auto messages = WaitForMessagesTo("bob@acme.test", 1);
  ASSERT_EQ(messages.size(), 1u);
  const std::string& mail = messages[0];
  EXPECT_NE(mail.find("Acme Sales"), std::string::npos);
  EXPECT_NE(mail.find("Ada Admin"), std::string::npos);  // the inviter
  EXPECT_NE(mail.find("https://roster.acme.test/login"), std::string::npos);
  EXPECT_NE(mail.find("Expires: " + expires), std::string::npos);
  EXPECT_TRUE(OneTimePasswordIn(mail).has_value());
  EXPECT_NE(mail.find("multipart/alternative"), std::string::npos);
  // The one-time password is in the e-mail only, never in an API answer.
  EXPECT_EQ(invited.body.find(*OneTimePasswordIn(mail)), std::string::npos);
}

TEST_F(MembersTest, InviteRefusesBadInput) {
  auto invite = [&](nlohmann::json body) { return admin_->Post(OrgPath("/invitations"), body); };
  HttpResponse bad_email = invite({{"email", "not-an-email"}, {"name", "X"}});
  EXPECT_EQ(bad_email.status, 422);
  EXPECT_EQ(bad_email.json["errors"][0]["field"], "email");
  HttpResponse both = invite({{"email", "a@b"}, {"name", ""}});
  EXPECT_EQ(both.status, 422);
  EXPECT_EQ(both.json["errors"].size(), 2u);
  EXPECT_EQ(invite({{"email", "c@acme.test"}, {"name", "C"}, {"role", "owner"}}).status, 422);
  EXPECT_EQ(invite({{"email", "c@acme.test"}, {"name", "C"}, {"assistant_ids", {"999"}}}).status, 422);
  EXPECT_EQ(invite({{"email", "c@acme.test"}, {"name", "C"}, {"assistant_ids", "x"}}).status, 422);
  EXPECT_EQ(invite({{"email", "c@acme.test"}, {"name", std::string(201, 'n')}}).status, 422);
  EXPECT_EQ(invite({{"email", "c\r\nBcc: evil@x.test@acme.test"}, {"name", "C"}}).status, 422);
}

TEST_F(MembersTest, InvitingAMemberTwiceIs409) {
  Invite("bob@acme.test", "Bob Seller");
  HttpResponse again = admin_->Post(OrgPath("/invitations"), {{"email", "BOB@acme.test"}, {"name", "Bob"}});
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(again.Code(), "already_member");
  // Bob has not joined yet: the admin is told what to do instead.
  EXPECT_NE(again.json["detail"].get<std::string>().find("already invited; Resend invite"),
            std::string::npos)
      << again.body;
  HttpResponse admin_again = admin_->Post(OrgPath("/invitations"), {{"email", kAdminEmail}, {"name", "Ada"}});
  EXPECT_EQ(admin_again.Code(), "already_member");
  EXPECT_EQ(admin_again.json["detail"], "This e-mail is already a member of the organization.");
}

// Concurrent invitations of one new e-mail make one account and one member;
// the others are told he is a member, never a 5xx.
TEST_F(MembersTest, ConcurrentInvitationsOfOneEmailMakeOneMember) {
  constexpr int kClients = 6;
  std::vector<std::unique_ptr<HttpClient>> admins;
  for (int i = 0; i < kClients; ++i) {
    admins.push_back(NewClient());
    ASSERT_EQ(admins.back()->Login(kAdminEmail, kAdminPassword).status, 200);
  }
  for (int round = 0; round < 3; ++round) {
    std::string email = "twin" + std::to_string(round) + "@acme.test";
    std::vector<HttpResponse> answers(kClients);
    std::vector<std::thread> threads;
    for (int i = 0; i < kClients; ++i) {
      threads.emplace_back([&, i] {
        answers[i] = admins[i]->Post(OrgPath("/invitations"), {{"email", email}, {"name", "Twin"}});
      });
    }
    for (std::thread& thread : threads) thread.join();
    int created = 0;
    for (const HttpResponse& answer : answers) {
      if (answer.status == 201) {
        ++created;
      } else {
        EXPECT_EQ(answer.Code(), "already_member") << answer.status << " " << answer.body;
      }
    }
    EXPECT_EQ(created, 1) << email;
    HttpResponse listed = admin_->Get(OrgPath("/members?q=" + email));
    ASSERT_EQ(listed.status, 200);
    EXPECT_EQ(listed.json["items"].size(), 1u) << listed.body;
    EXPECT_EQ(WaitForMessagesTo(email, 1).size(), 1u);
  }
}

TEST_F(MembersTest, ResendIssuesANewPasswordAndKillsTheOld) {
  std::string bob = Invite("bob@acme.test", "Bob Seller");
  std::string first = WaitForOneTimePassword("bob@acme.test", 0);
  HttpResponse resent = admin_->Post(OrgPath("/members/" + bob + "/resend-invite"));
  ASSERT_EQ(resent.status, 200) << resent.body;
  EXPECT_EQ(resent.json["status"], "invited");
  std::string second = WaitForOneTimePassword("bob@acme.test", 1);
  EXPECT_NE(first, second);
  EXPECT_EQ(NewClient()->Login("bob@acme.test", first).Code(), "invalid_credentials");
  EXPECT_EQ(NewClient()->Login("bob@acme.test", second).status, 200);
  auto mail = MessagesTo("bob@acme.test")[1];
  EXPECT_NE(mail.find("Expires: " + resent.json["invite_expires_at"].get<std::string>()), std::string::npos);
}

// The operator's way back in when no admin can sign in (the first admin's
// invitation lost, every admin gone): `roster org add-admin`.
TEST_F(MembersTest, TheCommandLineMakesSomeoneAnAdmin) {
  std::string bob = Invite("bob@acme.test", "Bob Seller");
  std::string first = WaitForOneTimePassword("bob@acme.test", 0);
  CommandResult added = RunRoster({"org", "add-admin", "--org", org_id_, "--email", "Bob@Acme.test"}, env());
  ASSERT_EQ(added.exit_code, 0) << added.err;
  EXPECT_NE(added.out.find("admin: bob@acme.test (invited)"), std::string::npos) << added.out;
  std::smatch printed;
  ASSERT_TRUE(std::regex_search(added.out, printed, std::regex(R"(one-time password: (\S+))")));
  std::string second = WaitForOneTimePassword("bob@acme.test", 1);
  EXPECT_EQ(printed[1], second);
  EXPECT_EQ(NewClient()->Login("bob@acme.test", first).Code(), "invalid_credentials");
  EXPECT_EQ(NewClient()->Login("bob@acme.test", second).status, 200);
  HttpResponse member = admin_->Get(OrgPath("/members/" + bob));
  EXPECT_EQ(member.json["role"], "admin");
  // Audited as the command line: no actor.
  HttpResponse audit = admin_->Get(OrgPath("/audit-events?target=" + bob));
  ASSERT_EQ(audit.status, 200) << audit.body;
  EXPECT_EQ(audit.json["items"][0]["action"], "invite_resent");
  EXPECT_EQ(audit.json["items"][1]["action"], "role_changed");
  for (int i : {0, 1}) {
    const nlohmann::json& event = audit.json["items"][i];
    ASSERT_TRUE(event.contains("actor_user_id") && event.contains("actor_api_key_id")) << event;
    EXPECT_TRUE(event["actor_user_id"].is_null() && event["actor_api_key_id"].is_null()) << event;
  }

  // Someone new is invited as an admin.
  CommandResult new_admin = RunRoster(
      {"org", "add-admin", "--org", org_id_, "--email", "cy@acme.test", "--name", "Cy Chen"}, env());
  ASSERT_EQ(new_admin.exit_code, 0) << new_admin.err;
  EXPECT_EQ(NewClient()->Login("cy@acme.test", WaitForOneTimePassword("cy@acme.test")).status, 200);

  CommandResult already = RunRoster({"org", "add-admin", "--org", org_id_, "--email", kAdminEmail}, env());
  EXPECT_EQ(already.exit_code, 1);
  EXPECT_NE(already.err.find("is an active admin of Acme Sales already"), std::string::npos)
      << already.err;
  CommandResult nowhere = RunRoster({"org", "add-admin", "--org", "999", "--email", "d@acme.test"}, env());
  EXPECT_EQ(nowhere.exit_code, 1);
  EXPECT_NE(nowhere.err.find("There is no organization 999."), std::string::npos) << nowhere.err;
}

// Deactivated before he joined, he had no invitation left: the command
// line invites him again (active with no password, he could never sign in).
TEST_F(MembersTest, TheCommandLineInvitesAgainSomeoneDeactivatedBeforeJoining) {
  std::string bob = Invite("bob@acme.test", "Bob Seller");
  // Sent before the deactivation ends its one-time password: an e-mail
  // still queued then is withdrawn, and only the new one would come.
  WaitForMessagesTo("bob@acme.test", 1);
  ASSERT_EQ(admin_->Post(OrgPath("/members/" + bob + "/deactivate")).status, 200);
  CommandResult added =
      RunRoster({"org", "add-admin", "--org", org_id_, "--email", "bob@acme.test"}, env());
  ASSERT_EQ(added.exit_code, 0) << added.err;
  std::smatch printed;
  ASSERT_TRUE(std::regex_search(added.out, printed, std::regex(R"(one-time password: (\S+))")))
      << added.out;
  HttpResponse member = admin_->Get(OrgPath("/members/" + bob));
  EXPECT_EQ(member.json["status"], "invited") << member.body;
  EXPECT_EQ(member.json["role"], "admin");
  // The e-mail of a new invitation (the deactivation killed the first), as
  // the API's reactivation sends, and audited as that one is.
  std::string mail = WaitForMessagesTo("bob@acme.test", 2).back();
  EXPECT_EQ(OneTimePasswordIn(mail), std::string(printed[1]));
  EXPECT_NE(mail.find("new one-time password"), std::string::npos) << mail;
  HttpResponse audit = admin_->Get(OrgPath("/audit-events?target=" + bob));
  ASSERT_EQ(audit.status, 200) << audit.body;
  EXPECT_EQ(audit.json["items"][0]["action"], "member_reactivated");
  EXPECT_TRUE(audit.json["items"][0]["details"]["invitation"]["expires_at"].is_string())
      << audit.json["items"][0];
  EXPECT_EQ(audit.json["items"][1]["action"], "role_changed");
  EXPECT_EQ(NewClient()->Login("bob@acme.test", printed[1]).status, 200);
}

TEST_F(MembersTest, ResendIsLimitedToFivePerHour) {
  std::string bob = Invite("bob@acme.test", "Bob Seller");
  for (int i = 0; i < 5; ++i) {
    ASSERT_EQ(admin_->Post(OrgPath("/members/" + bob + "/resend-invite")).status, 200) << i;
  }
  HttpResponse limited = admin_->Post(OrgPath("/members/" + bob + "/resend-invite"));
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(limited.Code(), "rate_limited");
  int retry_after = std::stoi(limited.Header("retry-after"));
  EXPECT_GT(retry_after, 3500);
  EXPECT_LE(retry_after, 3601);
}

TEST_F(MembersTest, ResendToAnActiveMemberIs409) {
  std::string bob_id;
  InviteAndJoin("bob@acme.test", "Bob Seller", "user", &bob_id);
  HttpResponse resent = admin_->Post(OrgPath("/members/" + bob_id + "/resend-invite"));
  EXPECT_EQ(resent.status, 409);
  EXPECT_EQ(resent.Code(), "not_invited");
  EXPECT_EQ(admin_->Post(OrgPath("/members/999999/resend-invite")).status, 404);
}

TEST_F(MembersTest, ExistingAccountIsAddedActiveWithoutPassword) {
  // Bob joins Acme with a password, then a second organization invites him.
  std::string bob_id;
  auto bob = InviteAndJoin("bob@acme.test", "Bob Seller", "user", &bob_id);
  CommandResult other = RunRoster({"org", "create", "--name", "Globex", "--admin-email", "gina@globex.test"}, env_);
  ASSERT_EQ(other.exit_code, 0) << other.err;
  std::smatch match;
  ASSERT_TRUE(std::regex_search(other.out, match, std::regex(R"(organization (\d+))")));
  std::string globex = match[1];
  ASSERT_TRUE(std::regex_search(other.out, match, std::regex(R"(one-time password: (\S+))")));
  auto gina = NewClient();
  ASSERT_EQ(gina->Login("gina@globex.test", match[1]).status, 200);
  ASSERT_EQ(gina->Post("/api/v1/auth/password", {{"current_password", std::string(match[1])},
                                                   {"new_password", "copper meadow violin 4471 drifts"}}).status, 204);
  HttpResponse added = gina->Post("/api/v1/orgs/" + globex + "/invitations", {{"email", "bob@acme.test"}, {"name", "Bobby"}});
  ASSERT_EQ(added.status, 201) << added.body;
  EXPECT_EQ(added.json["status"], "active");
  EXPECT_EQ(added.json["name"], "Bob Seller");  // the account keeps its name
  auto messages = WaitForMessagesTo("bob@acme.test", 2);
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_FALSE(OneTimePasswordIn(messages[1]).has_value());
  EXPECT_NE(messages[1].find("Globex"), std::string::npos);
  EXPECT_EQ(bob->Get("/api/v1/orgs").json["items"].size(), 2u);
  // Acme's admin cannot see Globex at all.
  EXPECT_EQ(admin_->Get("/api/v1/orgs/" + globex).status, 404);
  EXPECT_EQ(admin_->Get("/api/v1/orgs/" + globex + "/members").status, 404);
  EXPECT_EQ(admin_->Post("/api/v1/orgs/" + globex + "/invitations", {{"email", "z@z.test"}, {"name", "Z"}}).status, 404);
}

TEST_F(MembersTest, ListFiltersAndPagesWithoutSkipsOrRepeats) {
  for (int i = 0; i < 7; ++i) {
    Invite("seller" + std::to_string(i) + "@acme.test", "Seller " + std::to_string(i), i % 3 == 0 ? "admin" : "user");
  }
  std::set<std::string> seen;
  std::string cursor;
  int pages = 0;
  do {
    HttpResponse page = admin_->Get(OrgPath("/members?limit=3" + (cursor.empty() ? "" : "&cursor=" + cursor)));
    ASSERT_EQ(page.status, 200) << page.body;
    EXPECT_LE(page.json["items"].size(), 3u);
    for (const auto& item : page.json["items"]) {
      EXPECT_TRUE(seen.insert(item["user_id"].get<std::string>()).second) << "repeated " << item;
    }
    // A member added while paging never makes a page skip or repeat.
    if (pages == 0) Invite("aaron@acme.test", "Aaron Early");
    cursor = page.json["next_cursor"].is_null() ? "" : page.json["next_cursor"].get<std::string>();
    ++pages;
  } while (!cursor.empty() && pages < 10);
  EXPECT_EQ(seen.size(), 8u);  // the admin and 7 sellers; Aaron sorts before the cursor
  EXPECT_EQ(pages, 3);

  EXPECT_EQ(admin_->Get(OrgPath("/members?q=SELLER%201")).json["items"].size(), 1u);
  EXPECT_EQ(admin_->Get(OrgPath("/members?q=acme.test")).json["items"].size(), 9u);
  EXPECT_EQ(admin_->Get(OrgPath("/members?q=%25")).json["items"].size(), 0u);  // % is literal
  EXPECT_EQ(admin_->Get(OrgPath("/members?role=admin")).json["items"].size(), 4u);
  EXPECT_EQ(admin_->Get(OrgPath("/members?status=active")).json["items"].size(), 1u);
  EXPECT_EQ(admin_->Get(OrgPath("/members?status=invited")).json["items"].size(), 8u);
  EXPECT_EQ(admin_->Get(OrgPath("/members?status=invite_expired")).json["items"].size(), 0u);
  for (const std::string bad : {"limit=0", "limit=201", "limit=abc", "role=owner", "status=gone", "cursor=%21%21"}) {
    HttpResponse response = admin_->Get(OrgPath("/members?" + bad));
    EXPECT_EQ(response.status, 422) << bad;
    EXPECT_EQ(response.Code(), "validation") << bad;
  }
}

TEST_F(MembersTest, NormalMembersSeeOnlyNameEmailRoleStatus) {
  auto bob = InviteAndJoin("bob@acme.test", "Bob Seller");
  HttpResponse list = bob->Get(OrgPath("/members"));
  ASSERT_EQ(list.status, 200);
  for (const auto& item : list.json["items"]) {
    std::set<std::string> keys;
    for (const auto& [key, value] : item.items()) keys.insert(key);
    EXPECT_EQ(keys, (std::set<std::string>{"user_id", "email", "name", "role", "status"}));
  }
  EXPECT_TRUE(admin_->Get(OrgPath("/members")).json["items"][0].contains("lead_count"));
}

TEST_F(MembersTest, MembersWhoAreNotAdminsCannotChangeAnything) {
  std::string carol_id = Invite("carol@acme.test", "Carol");
  auto bob = InviteAndJoin("bob@acme.test", "Bob Seller");
  std::vector<HttpResponse> attempts = {
      bob->Post(OrgPath("/invitations"), {{"email", "x@acme.test"}, {"name", "X"}}),
      bob->Post(OrgPath("/members/" + carol_id + "/resend-invite")),
      bob->Patch(OrgPath("/members/" + admin_id_), {{"role", "user"}}),
      bob->Get(OrgPath("/members/" + carol_id + "/removal-preview")),
      bob->Delete(OrgPath("/members/" + carol_id)),
      bob->Get(OrgPath("/audit-events")),
  };
  for (const HttpResponse& attempt : attempts) {
    EXPECT_EQ(attempt.status, 403) << attempt.body;
    EXPECT_EQ(attempt.Code(), "forbidden");
  }
  EXPECT_EQ(admin_->Get(OrgPath("/members/" + carol_id)).json["status"], "invited");
}

TEST_F(MembersTest, NonMembersGet404Everywhere) {
  auto bob = InviteAndJoin("bob@acme.test", "Bob Seller");
  std::string bob_id = bob->Get("/api/v1/me").json["user"]["id"];
  ASSERT_EQ(admin_->Delete(OrgPath("/members/" + bob_id)).status, 200);
  std::vector<HttpResponse> attempts = {
      bob->Get(OrgPath()), bob->Get(OrgPath("/members")), bob->Get(OrgPath("/members/" + admin_id_)),
      bob->Post(OrgPath("/invitations"), {{"email", "x@acme.test"}, {"name", "X"}}),
      bob->Patch(OrgPath("/members/" + admin_id_), {{"role", "user"}}),
      bob->Get(OrgPath("/audit-events")), bob->Get("/api/v1/orgs/424242/members"),
      bob->Get("/api/v1/orgs/not-an-id/members"),
  };
  for (const HttpResponse& attempt : attempts) {
    EXPECT_EQ(attempt.status, 404) << attempt.body;
    EXPECT_EQ(attempt.Code(), "not_found");
  }
  EXPECT_EQ(bob->Get("/api/v1/orgs").json["items"].size(), 0u);
}

TEST_F(MembersTest, ChangeRoleBothWaysAndNeverTheLastAdmin) {
  std::string bob_id;
  auto bob = InviteAndJoin("bob@acme.test", "Bob Seller", "user", &bob_id);
  HttpResponse last = admin_->Patch(OrgPath("/members/" + admin_id_), {{"role", "user"}});
  EXPECT_EQ(last.status, 409);
  EXPECT_EQ(last.Code(), "last_admin");

  HttpResponse promoted = admin_->Patch(OrgPath("/members/" + bob_id), {{"role", "admin"}});
  ASSERT_EQ(promoted.status, 200);
  EXPECT_EQ(promoted.json["role"], "admin");
  EXPECT_EQ(bob->Get(OrgPath("/audit-events")).status, 200);  // takes effect at once

  HttpResponse demoted = bob->Patch(OrgPath("/members/" + admin_id_), {{"role", "user"}});
  ASSERT_EQ(demoted.status, 200);
  EXPECT_EQ(admin_->Get(OrgPath("/audit-events")).status, 403);  // the very next request
  EXPECT_EQ(bob->Patch(OrgPath("/members/" + bob_id), {{"role", "user"}}).Code(), "last_admin");

  EXPECT_EQ(bob->Patch(OrgPath("/members/" + admin_id_), {{"role", "boss"}}).status, 422);
  EXPECT_EQ(bob->Patch(OrgPath("/members/" + admin_id_), nlohmann::json::object()).status, 422);
  EXPECT_EQ(bob->Patch(OrgPath("/members/999999"), {{"role", "user"}}).status, 404);
}

TEST_F(MembersTest, InvitedAdminsDoNotCountAsActiveAdmins) {
  Invite("ivy@acme.test", "Ivy Invited", "admin");
  HttpResponse last = admin_->Patch(OrgPath("/members/" + admin_id_), {{"role", "user"}});
  EXPECT_EQ(last.Code(), "last_admin");
  EXPECT_EQ(admin_->Delete(OrgPath("/members/" + admin_id_)).Code(), "last_admin");
  HttpResponse preview = admin_->Get(OrgPath("/members/" + admin_id_ + "/removal-preview"));
  EXPECT_EQ(preview.json["is_last_admin"], true);
}

TEST_F(MembersTest, TwoAdminsDemotingEachOtherConcurrentlyLeaveOne) {
  for (int round = 0; round < 5; ++round) {
    std::string other_id;
    auto other = InviteAndJoin("admin" + std::to_string(round) + "@acme.test", "Second Admin", "admin", &other_id);
    HttpResponse a, b;
    std::thread first([&] { a = admin_->Patch(OrgPath("/members/" + other_id), {{"role", "user"}}); });
    std::thread second([&] { b = other->Patch(OrgPath("/members/" + admin_id_), {{"role", "user"}}); });
    first.join();
    second.join();
    HttpResponse admins = admin_->Get(OrgPath("/members?role=admin&status=active"));
    if (admins.status != 200) admins = other->Get(OrgPath("/members?role=admin&status=active"));
    ASSERT_EQ(admins.status, 200);
    EXPECT_EQ(admins.json["items"].size(), 1u) << "round " << round << ": " << a.body << " / " << b.body;
    EXPECT_TRUE((a.status == 200) != (b.status == 200)) << a.body << " / " << b.body;
    // Start the next round with Ada as the admin again.
    if (a.status != 200) {
      ASSERT_EQ(other->Patch(OrgPath("/members/" + admin_id_), {{"role", "admin"}}).status, 200);
    }
    ASSERT_EQ(admin_->Delete(OrgPath("/members/" + other_id)).status, 200);
  }
}

TEST_F(MembersTest, RemovingAnInvitedMemberRevokesTheInvitation) {
  std::string bob = Invite("bob@acme.test", "Bob Seller");
  std::string otp = WaitForOneTimePassword("bob@acme.test");
  HttpResponse removed = admin_->Delete(OrgPath("/members/" + bob));
  ASSERT_EQ(removed.status, 200) << removed.body;
  EXPECT_EQ(removed.json["removed_user_id"], bob);
  EXPECT_TRUE(removed.json["reassigned_to"].is_null());
  EXPECT_EQ(removed.json["reassigned_lead_count"], 0);
  EXPECT_EQ(NewClient()->Login("bob@acme.test", otp).status, 401);
  EXPECT_EQ(admin_->Get(OrgPath("/members/" + bob)).status, 404);
  EXPECT_EQ(admin_->Delete(OrgPath("/members/" + bob)).status, 404);
  // He can be invited again.
  EXPECT_EQ(admin_->Post(OrgPath("/invitations"), {{"email", "bob@acme.test"}, {"name", "Bob"}}).status, 201);
}

TEST_F(MembersTest, RemovalEndsAccessAtOnce) {
  std::string bob_id;
  auto bob = InviteAndJoin("bob@acme.test", "Bob Seller", "admin", &bob_id);
  ASSERT_EQ(bob->Get(OrgPath("/members")).status, 200);
  HttpResponse removed = admin_->Delete(OrgPath("/members/" + bob_id));
  ASSERT_EQ(removed.status, 200);
  EXPECT_EQ(bob->Get(OrgPath("/members")).status, 404);
  EXPECT_EQ(bob->Get("/api/v1/me").status, 200);  // the account itself lives on
  EXPECT_EQ(bob->Get("/api/v1/me").json["memberships"].size(), 0u);
}

TEST_F(MembersTest, RemovalTargetIsValidated) {
  std::string bob_id = Invite("bob@acme.test", "Bob Seller");
  std::string carol_id = Invite("carol@acme.test", "Carol Invited");
  EXPECT_EQ(admin_->Delete(OrgPath("/members/" + bob_id + "?reassign_to=" + bob_id)).Code(), "invalid_reassign_target");
  EXPECT_EQ(admin_->Delete(OrgPath("/members/" + bob_id + "?reassign_to=" + carol_id)).Code(), "invalid_reassign_target");
  EXPECT_EQ(admin_->Delete(OrgPath("/members/" + bob_id + "?reassign_to=424242")).Code(), "invalid_reassign_target");
  EXPECT_EQ(admin_->Delete(OrgPath("/members/" + bob_id + "?reassign_to=abc")).Code(), "invalid_reassign_target");
  HttpResponse ok = admin_->Delete(OrgPath("/members/" + bob_id + "?reassign_to=" + admin_id_));
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(ok.json["reassigned_to"], admin_id_);
  EXPECT_EQ(ok.json["reassigned_lead_count"], 0);
}

TEST_F(MembersTest, StatusReadsInviteExpiredAndResendRevivesIt) {
  StopServer();
  env()["ROSTER_INVITE_TTL"] = "1";
  StartServer();
  std::string bob = Invite("bob@acme.test", "Bob Seller");
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // the TTL itself is the subject
  EXPECT_EQ(admin_->Get(OrgPath("/members/" + bob)).json["status"], "invite_expired");
  EXPECT_EQ(admin_->Get(OrgPath("/members?status=invite_expired")).json["items"].size(), 1u);
  HttpResponse resent = admin_->Post(OrgPath("/members/" + bob + "/resend-invite"));
  ASSERT_EQ(resent.status, 200);
  EXPECT_EQ(resent.json["status"], "invited");
}

TEST_F(MembersTest, AuditLogRecordsEveryChange) {
  std::string bob_id;
  InviteAndJoin("bob@acme.test", "Bob Seller", "user", &bob_id);
  std::string carol_id = Invite("carol@acme.test", "Carol");
  ASSERT_EQ(admin_->Post(OrgPath("/members/" + carol_id + "/resend-invite")).status, 200);
  ASSERT_EQ(admin_->Patch(OrgPath("/members/" + bob_id), {{"role", "admin"}}).status, 200);
  ASSERT_EQ(admin_->Delete(OrgPath("/members/" + carol_id)).status, 200);
  ASSERT_EQ(admin_->Delete(OrgPath("/members/" + bob_id + "?reassign_to=" + admin_id_)).status, 200);

  std::vector<nlohmann::json> events;
  std::string cursor;
  do {
    HttpResponse page = admin_->Get(OrgPath("/audit-events?limit=2" + (cursor.empty() ? "" : "&cursor=" + cursor)));
    ASSERT_EQ(page.status, 200);
    for (const auto& event : page.json["items"]) events.push_back(event);
    cursor = page.json["next_cursor"].is_null() ? "" : page.json["next_cursor"].get<std::string>();
  } while (!cursor.empty());
  std::vector<std::string> actions;
  for (const auto& event : events) actions.push_back(event["action"]);
  std::vector<std::string> expected = {"member_removed", "invite_revoked", "role_changed", "invite_resent",
                                       "invited", "invitation_accepted", "invited", "invitation_accepted",
                                       "organization_created"};
  EXPECT_EQ(actions, expected);
  EXPECT_EQ(events[2]["details"]["from"], "user");
  EXPECT_EQ(events[2]["details"]["to"], "admin");
  EXPECT_EQ(events[2]["actor_user_id"], admin_id_);
  EXPECT_EQ(events[2]["target_user_id"], bob_id);
  EXPECT_EQ(events[0]["details"]["reassigned_to"], admin_id_);
  EXPECT_EQ(events[0]["details"]["lead_count"], 0);
  // The log names the people, also one who is no longer a member.
  EXPECT_EQ(events[0]["target_name"], "Bob Seller");
  EXPECT_EQ(events[0]["target_email"], "bob@acme.test");
  EXPECT_EQ(events[0]["actor_email"], kAdminEmail);
  EXPECT_EQ(events[2]["target_name"], "Bob Seller");
  EXPECT_EQ(events[5]["actor_name"], "Bob Seller");  // he accepted the invitation himself
  // The command line is nobody.
  EXPECT_TRUE(events.back()["actor_user_id"].is_null());
  EXPECT_TRUE(events.back()["actor_name"].is_null());
  EXPECT_TRUE(events.back()["actor_email"].is_null());
}

}  // namespace
}  // namespace roster::testing
