// Bulk invitations: SPEC section 8, as HTTP conversations with a real
// `roster serve` (on SQLite and on PostgreSQL).
#include <chrono>
#include <regex>
#include <thread>

#include "api_fixture.hpp"
#include "team_fixture.hpp"

namespace roster::testing {
namespace {

class BulkInviteTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    if (!HasFatalFailure()) StartServer();
    if (!HasFatalFailure()) {
      HttpResponse aria = admin_->Post(OrgPath("/assistants"), {{"name", "Aria"}});
      ASSERT_EQ(aria.status, 201) << aria.body;
      aria_id_ = aria.json["id"];
      HttpResponse bolt = admin_->Post(OrgPath("/assistants"), {{"name", "Bolt"}});
      ASSERT_EQ(bolt.status, 201) << bolt.body;
    }
  }

  HttpResponse PostCsv(const std::string& csv, const std::string& query = "") {
    return admin_->Send("POST", OrgPath("/invitations/bulk" + query), csv,
                        {{"Content-Type", "text/csv; charset=utf-8"}});
  }

  long MemberCount() { return admin_->Get(OrgPath()).json["member_count"].get<long>(); }

  // Waits until an e-mail queued after everything before it has arrived.
  void DrainOutbox() {
    static int sentinels = 0;
    std::string email = "sentinel" + std::to_string(++sentinels) + "@acme.test";
    Invite(email, "Sentinel Person");
    WaitForMessagesTo(email, 1);
  }

  std::size_t MailCount() {
    std::size_t count = 0;
    for (const auto& entry : std::filesystem::directory_iterator(dir_.path() / "mail")) {
      count += entry.path().extension() == ".eml" ? 1 : 0;
    }
    return count;
  }

  std::string aria_id_;
};

TEST_F(BulkInviteTest, CsvRowsAreInvitedWithTheirRolesAndAssistantsByName) {
  HttpResponse done = PostCsv(
      "email,name,role,assistants\n"
      "bob@acme.test,Bob Seller,user,aria\n"
      "\"cleo@acme.test\",\"Cleo, Closer\",admin,Aria; BOLT\n"
      "dan@acme.test,Dan Dialer,,\n");
  ASSERT_EQ(done.status, 200) << done.body;
  EXPECT_EQ(done.json["dry_run"], false);
  ASSERT_EQ(done.json["results"].size(), 3u);
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(done.json["results"][i]["row"], i + 1);
    EXPECT_EQ(done.json["results"][i]["result"], "invited");
    EXPECT_FALSE(done.json["results"][i].contains("errors"));
  }
  EXPECT_EQ(done.json["results"][1]["email"], "cleo@acme.test");
  EXPECT_EQ(done.json["counts"]["invited"], 3);
  std::string cleo_id = done.json["results"][1]["user_id"];
  HttpResponse cleo = admin_->Get(OrgPath("/members/" + cleo_id));
  EXPECT_EQ(cleo.json["name"], "Cleo, Closer");
  EXPECT_EQ(cleo.json["role"], "admin");
  EXPECT_EQ(cleo.json["status"], "invited");
  HttpResponse on_aria = admin_->Get(OrgPath("/assistants/" + aria_id_ + "/users"));
  EXPECT_EQ(on_aria.json["items"].size(), 2u);  // Bob and Cleo

  // Each invitee gets his own e-mail with a one-time password that signs in.
  std::string otp = WaitForOneTimePassword("cleo@acme.test");
  EXPECT_EQ(NewClient()->Login("cleo@acme.test", otp).json["must_change_password"], true);
  WaitForMessagesTo("bob@acme.test", 1);
  WaitForMessagesTo("dan@acme.test", 1);

  // One `invited` audit event per person, as a single invitation writes.
  HttpResponse events = admin_->Get(OrgPath("/audit-events?limit=3"));
  for (const auto& event : events.json["items"]) {
    EXPECT_EQ(event["action"], "invited");
    EXPECT_EQ(event["details"]["bulk"], true);
  }
}

TEST_F(BulkInviteTest, JsonRowsWorkTooAndExistingAccountsAreAdded) {
  // Bob has an account with a password through another organization.
  CommandResult other = RunRoster({"org", "create", "--name", "Globex", "--admin-email",
                                   "bob@acme.test", "--admin-name", "Bob Seller"},
                                  env());
  ASSERT_EQ(other.exit_code, 0) << other.err;
  std::smatch match;
  ASSERT_TRUE(std::regex_search(other.out, match, std::regex(R"(one-time password: (\S+))")));
  NewClient()->AcceptInvitation("bob@acme.test", match[1], kMemberPassword);

  HttpResponse done = admin_->Post(
      OrgPath("/invitations/bulk"),
      {{"rows",
        {{{"email", "bob@acme.test"}, {"name", "Bob"}, {"role", "user"}, {"assistants", {"Aria"}}},
         {{"email", "eve@acme.test"}, {"name", "Eve Early"}, {"assistants", "Aria;Bolt"}}}}});
  ASSERT_EQ(done.status, 200) << done.body;
  EXPECT_EQ(done.json["results"][0]["result"], "added");
  EXPECT_EQ(done.json["results"][1]["result"], "invited");
  HttpResponse bob = admin_->Get(OrgPath("/members/" + done.json["results"][0]["user_id"].get<std::string>()));
  EXPECT_EQ(bob.json["status"], "active");
  EXPECT_EQ(bob.json["name"], "Bob Seller");  // the account keeps its own name
  auto to_bob = WaitForMessagesTo("bob@acme.test", 2);
  ASSERT_EQ(to_bob.size(), 2u);
  EXPECT_FALSE(OneTimePasswordIn(to_bob[1]).has_value());  // "you were added"
}

TEST_F(BulkInviteTest, ADryRunChecksEverythingAndWritesNothing) {
  long before = MemberCount();
  HttpResponse dry = PostCsv("email,name,assistants\nfay@acme.test,Fay First,Aria\n" +
                                 std::string(kAdminEmail) + ",Ada Again,\n",
                             "?dry_run=true");
  ASSERT_EQ(dry.status, 200) << dry.body;
  EXPECT_EQ(dry.json["dry_run"], true);
  EXPECT_EQ(dry.json["results"][0]["result"], "invited");
  EXPECT_FALSE(dry.json["results"][0].contains("user_id"));
  EXPECT_EQ(dry.json["results"][1]["result"], "already_member");
  EXPECT_EQ(MemberCount(), before);
  DrainOutbox();
  EXPECT_TRUE(MessagesTo("fay@acme.test").empty());
  HttpResponse bad = PostCsv("email,name\nfay@acme.test,Fay\n", "?dry_run=maybe");
  EXPECT_EQ(bad.status, 422);
}

TEST_F(BulkInviteTest, OneInvalidRowInvitesNobodyAndSendsNothing) {
  long before = MemberCount();
  HttpResponse refused = PostCsv(
      "email,name,role,assistants\n"
      "gus@acme.test,Gus Good,user,Aria\n"
      "not-an-email,Nobody,user,\n"
      "hal@acme.test,Hal,boss,Nonesuch\n"
      "gus@acme.test,Gus Twice,user,\n");
  ASSERT_EQ(refused.status, 422) << refused.body;
  EXPECT_EQ(refused.Code(), "invalid_rows");
  EXPECT_EQ(refused.Header("content-type"), "application/problem+json");
  ASSERT_EQ(refused.json["results"].size(), 4u);
  EXPECT_EQ(refused.json["results"][0]["result"], "invited");  // would have been
  EXPECT_EQ(refused.json["results"][1]["result"], "invalid");
  EXPECT_EQ(refused.json["results"][1]["errors"][0]["field"], "email");
  EXPECT_EQ(refused.json["results"][2]["result"], "invalid");
  EXPECT_EQ(refused.json["results"][2]["errors"].size(), 2u);  // role and assistant
  EXPECT_EQ(refused.json["results"][3]["errors"][0]["message"], "This e-mail is also in row 1.");
  EXPECT_EQ(refused.json["counts"]["invalid"], 3);
  // Like every 422, `errors` too: each invalid row's first reason.
  ASSERT_EQ(refused.json["errors"].size(), 3u) << refused.body;
  EXPECT_EQ(refused.json["errors"][0]["field"], "email");
  EXPECT_EQ(refused.json["errors"][0]["message"].get<std::string>().rfind("Row 2: ", 0), 0u)
      << refused.body;
  EXPECT_EQ(MemberCount(), before);
  DrainOutbox();
  EXPECT_TRUE(MessagesTo("gus@acme.test").empty());
}

TEST_F(BulkInviteTest, MembersAlreadyThereAreSkipped) {
  std::string ivy_id = Invite("ivy@acme.test", "Ivy Invited");
  WaitForMessagesTo("ivy@acme.test", 1);
  HttpResponse done = PostCsv("email,name\nIVY@acme.test,Ivy\njon@acme.test,Jon New\n");
  ASSERT_EQ(done.status, 200) << done.body;
  EXPECT_EQ(done.json["results"][0]["result"], "already_member");
  EXPECT_EQ(done.json["results"][0]["user_id"], ivy_id);
  EXPECT_EQ(done.json["results"][1]["result"], "invited");
  WaitForMessagesTo("jon@acme.test", 1);
  DrainOutbox();
  EXPECT_EQ(MessagesTo("ivy@acme.test").size(), 1u);  // no second invitation
}

TEST_F(BulkInviteTest, AThousandRowsInOneRequest) {
  std::string csv = "email,name,role,assistants\n";
  for (int i = 0; i < 1000; ++i) {
    csv += "rep" + std::to_string(i) + "@acme.test,Rep Number " + std::to_string(i) + ",user," +
           (i % 2 ? "Aria" : "") + "\n";
  }
  std::size_t mails_before = MailCount();
  auto start = std::chrono::steady_clock::now();
  HttpResponse done = PostCsv(csv);
  auto took = std::chrono::steady_clock::now() - start;
  ASSERT_EQ(done.status, 200) << done.body.substr(0, 2000);
  EXPECT_EQ(done.json["counts"]["invited"], 1000);
  EXPECT_EQ(done.json["results"][999]["row"], 1000);
  EXPECT_EQ(MemberCount(), 1001);
  if (database_->is_postgres()) {
    // The planner has statistics of the new members at once (migrate's
    // ANALYZE saw an empty table; autovacuum would come by later).
    EXPECT_EQ(database_->QueryValue("SELECT COUNT(*) > 0 FROM pg_stats WHERE tablename = "
                                    "'memberships' AND attname = 'organization_id'"),
              "t");
  }
  // Other requests are answered while the e-mails go out.
  EXPECT_EQ(admin_->Get(OrgPath("/members?limit=5")).status, 200);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(120);
  while (MailCount() < mails_before + 1000 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(MailCount(), mails_before + 1000);
  std::cerr << "1,000 rows answered in "
            << std::chrono::duration_cast<std::chrono::milliseconds>(took).count() << " ms\n";

  std::string too_many = "email,name\n";
  for (int i = 0; i < 1001; ++i) too_many += "x" + std::to_string(i) + "@acme.test,X\n";
  HttpResponse refused = PostCsv(too_many);
  EXPECT_EQ(refused.status, 422);
  EXPECT_EQ(refused.Code(), "too_many_rows");
  EXPECT_EQ(refused.json["errors"][0]["field"], "rows") << refused.body;
}

// Excel saves "CSV" with semicolons where the decimal mark is a comma.
TEST_F(BulkInviteTest, ASpreadsheetsSemicolonSeparatedFileIsReadAsSuch) {
  HttpResponse done = PostCsv(
      "\xEF\xBB\xBF"
      "Email;Name;Role;Assistants\r\n"
      "semi@acme.test;\"Semi; Colon\";admin;Aria\r\n"
      "comma@acme.test;Comma, Person;;\r\n");
  ASSERT_EQ(done.status, 200) << done.body;
  ASSERT_EQ(done.json["counts"]["invited"], 2) << done.body;
  auto member = [&](int row) {
    std::string id = done.json["results"][row]["user_id"];
    return admin_->Get(OrgPath("/members/" + id)).json;
  };
  EXPECT_EQ(member(0)["name"], "Semi; Colon");
  EXPECT_EQ(member(0)["role"], "admin");
  EXPECT_EQ(member(1)["name"], "Comma, Person");
  HttpResponse on_aria = admin_->Get(OrgPath("/assistants/" + aria_id_ + "/users"));
  EXPECT_EQ(on_aria.json["items"].size(), 1u);
}

TEST_F(BulkInviteTest, MalformedRequestsAreProblems) {
  EXPECT_EQ(PostCsv("").status, 422);
  HttpResponse no_header = PostCsv("bob@acme.test,Bob\n");
  EXPECT_EQ(no_header.status, 422);
  EXPECT_EQ(no_header.Code(), "validation");
  EXPECT_NE(no_header.body.find("The first line must name the columns"), std::string::npos)
      << no_header.body;
  EXPECT_EQ(PostCsv("email,name,phone\n").status, 422);
  EXPECT_EQ(PostCsv("email,name\n").status, 422);  // no rows
  HttpResponse ragged = PostCsv("email,name\nkim@acme.test,Kim,extra\n\"open,Quote\n");
  EXPECT_EQ(ragged.status, 422);
  EXPECT_EQ(ragged.json["results"][0]["result"], "invalid");
  EXPECT_EQ(admin_->Post(OrgPath("/invitations/bulk"), {{"rows", "x"}}).status, 422);
  HttpResponse typed = admin_->Post(OrgPath("/invitations/bulk"), {{"rows", {{{"email", 5}}, 7}}});
  EXPECT_EQ(typed.status, 422);
  EXPECT_EQ(typed.json["results"].size(), 2u);
  HttpResponse plain = admin_->Send("POST", OrgPath("/invitations/bulk"), "a,b",
                                    {{"Content-Type", "text/plain"}});
  EXPECT_EQ(plain.status, 415);
}

class BulkInvitePermissionsTest : public TeamTest {};

TEST_F(BulkInvitePermissionsTest, OnlyAdminsOfTheOrganizationMayInviteInBulk) {
  const nlohmann::json body = {{"rows", {{{"email", "new@acme.test"}, {"name", "New Person"}}}}};
  for (const char* role : {"mgr_a", "user_a"}) {
    HttpResponse refused = person(role).client->Post(OrgPath("/invitations/bulk"), body);
    EXPECT_EQ(refused.status, 403) << role;
    HttpResponse dry = person(role).client->Post(OrgPath("/invitations/bulk?dry_run=true"), body);
    EXPECT_EQ(dry.status, 403) << role;
  }
  EXPECT_EQ(person("outsider").client->Post(OrgPath("/invitations/bulk"), body).status, 404);
  EXPECT_EQ(NewClient()->Post(OrgPath("/invitations/bulk"), body).status, 401);
  EXPECT_EQ(person("admin").client->Post(OrgPath("/invitations/bulk"), body).status, 200);
}

}  // namespace
}  // namespace roster::testing
