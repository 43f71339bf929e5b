// Leads: validation and every 4xx of their endpoints, invariant 2, cursor
// paging while leads are added, the audit trail of a reassignment, and
// `roster leads import`.
#include <fstream>

#include "team_fixture.hpp"

namespace roster::testing {
namespace {

class LeadTest : public TeamTest {
 protected:
  nlohmann::json NewLead(const std::string& assistant, const std::string& owner = "") {
    nlohmann::json body = {{"name", "Pat Prospect"}, {"email", "pat@prospect.test"},
                           {"company", "Prospect Inc"}, {"assistant_id", assistant}};
    if (!owner.empty()) body["owner_id"] = owner;
    return body;
  }
  std::set<std::string> ErrorFields(const HttpResponse& answer) {
    std::set<std::string> fields;
    for (const auto& error : answer.json["errors"]) fields.insert(error["field"]);
    return fields;
  }
  // Invariant 2 through the API: every lead's owner is a member assigned to
  // the lead's assistant.
  void ExpectEveryOwnerAssigned() {
    std::map<std::string, std::set<std::string>> users;
    for (const auto& assistant : ListAll(*admin_, OrgPath("/assistants"), "id")) {
      users[assistant] = ListSet(*admin_, OrgPath("/assistants/" + assistant + "/users"), "user_id");
    }
    std::set<std::string> members = ListSet(*admin_, OrgPath("/members"), "user_id");
    HttpResponse leads = admin_->Get(OrgPath("/leads?limit=200"));
    for (const auto& lead : leads.json["items"]) {
      EXPECT_TRUE(members.contains(lead["owner_id"])) << lead;
      EXPECT_TRUE(users[lead["assistant_id"]].contains(lead["owner_id"])) << lead;
    }
  }
};

TEST_F(LeadTest, CreateAnswersTheLeadWithStringIdsAndRfc3339Time) {
  nlohmann::json body = NewLead(assistant_a_, ids_["user_a"]);
  body["email"] = "  Pat@Prospect.TEST ";
  HttpResponse created = admin_->Post(OrgPath("/leads"), body);
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.json["email"], "pat@prospect.test");
  EXPECT_EQ(created.json["name"], "Pat Prospect");
  EXPECT_EQ(created.json["company"], "Prospect Inc");
  EXPECT_EQ(created.json["status"], "new");
  EXPECT_EQ(created.json["assistant_id"], assistant_a_);
  EXPECT_EQ(created.json["owner_id"], ids_["user_a"]);
  EXPECT_TRUE(created.json["id"].is_string());
  EXPECT_EQ(created.json["created_at"].get<std::string>().size(), 20u);  // 2026-01-02T03:04:05Z
  EXPECT_EQ(admin_->Get(OrgPath("/leads/" + created.json["id"].get<std::string>())).json, created.json);
  // company is optional.
  nlohmann::json without_company = NewLead(assistant_a_, ids_["user_a"]);
  without_company.erase("company");
  EXPECT_EQ(admin_->Post(OrgPath("/leads"), without_company).json["company"], "");
}

TEST_F(LeadTest, CreateRefusesBadInputWith422NamingEachField) {
  HttpResponse empty = admin_->Post(OrgPath("/leads"), nlohmann::json::object());
  EXPECT_EQ(empty.status, 422);
  EXPECT_EQ(ErrorFields(empty), (std::set<std::string>{"name", "email", "assistant_id"}));
  nlohmann::json no_assistant = NewLead(assistant_a_);
  no_assistant.erase("assistant_id");
  EXPECT_EQ(ErrorFields(admin_->Post(OrgPath("/leads"), no_assistant)), std::set<std::string>{"assistant_id"});

  struct Case {
    std::string field;
    nlohmann::json value;
    std::string error_field;
  };
  const std::vector<Case> cases = {
      {"email", "not-an-email", "email"},
      {"email", "two@@at.test", "email"},
      {"name", "   ", "name"},
      {"name", std::string(201, 'n'), "name"},
      {"company", std::string(201, 'c'), "company"},
      {"company", 12, "company"},
      {"assistant_id", 12, "assistant_id"},           // IDs are strings
      {"assistant_id", "A", "assistant_id"},
      {"assistant_id", "987654", "assistant_id"},     // no such assistant
      {"assistant_id", other_assistant_id_, "assistant_id"},  // another organization's
      {"owner_id", "987654", "owner_id"},             // not a member
      {"owner_id", ids_["outsider"], "owner_id"},     // a member elsewhere
      {"owner_id", "me", "owner_id"},
  };
  for (const auto& row : cases) {
    SCOPED_TRACE(row.field + "=" + row.value.dump());
    nlohmann::json body = NewLead(assistant_a_, ids_["user_a"]);
    body[row.field] = row.value;
    HttpResponse refused = admin_->Post(OrgPath("/leads"), body);
    EXPECT_EQ(refused.status, 422) << refused.body;
    EXPECT_EQ(refused.Code(), "validation");
    EXPECT_EQ(ErrorFields(refused), std::set<std::string>{row.error_field});
  }
  EXPECT_EQ(admin_->Post(OrgPath("/leads"), nlohmann::json::array()).status, 422);
  EXPECT_EQ(ListSet(*admin_, OrgPath("/leads"), "id").size(), 5u);  // nothing was created
}

TEST_F(LeadTest, PatchValidatesEveryField) {
  std::string path = OrgPath("/leads/" + ids_["l1"]);
  for (const nlohmann::json& body :
       {nlohmann::json{{"status", "pending"}}, nlohmann::json{{"status", 3}}, nlohmann::json{{"name", ""}},
        nlohmann::json{{"name", std::string(201, 'x')}}, nlohmann::json{{"company", "a\nb"}},
        nlohmann::json{{"owner_id", "abc"}}, nlohmann::json{{"owner_id", "987654"}},
        nlohmann::json::array()}) {
    SCOPED_TRACE(body.dump());
    EXPECT_EQ(admin_->Patch(path, body).status, 422);
  }
  for (const char* status : {"new", "contacted", "qualified", "won", "lost"}) {
    HttpResponse patched = person("user_a").client->Patch(path, {{"status", status}});
    EXPECT_EQ(patched.status, 200);
    EXPECT_EQ(patched.json["status"], status);
  }
  // Two bad fields, both named; nothing written.
  HttpResponse both = admin_->Patch(path, {{"status", "maybe"}, {"name", ""}});
  EXPECT_EQ(ErrorFields(both), (std::set<std::string>{"status", "name"}));
  // A field that cannot change is refused, not ignored with a 200.
  HttpResponse moved = admin_->Patch(path, {{"assistant_id", assistant_b_}, {"status", "won"}});
  EXPECT_EQ(moved.status, 422);
  EXPECT_EQ(ErrorFields(moved), (std::set<std::string>{"assistant_id"}));
  EXPECT_EQ(ErrorFields(admin_->Patch(path, {{"email", "x@y.test"}, {"owner", "1"}})),
            (std::set<std::string>{"email", "owner"}));
  EXPECT_EQ(admin_->Get(path).json["status"], "lost");
  EXPECT_EQ(admin_->Patch(OrgPath("/leads/987654"), {{"status", "won"}}).status, 404);
  EXPECT_EQ(admin_->Patch(OrgPath("/leads/abc"), {{"status", "won"}}).status, 404);
  // An owner_id equal to the current owner is no reassignment: the owner may send it.
  EXPECT_EQ(person("user_a").client->Patch(path, {{"owner_id", ids_["user_a"]}, {"status", "won"}}).status, 200);
}

TEST_F(LeadTest, ListFiltersAreValidatedAndSearchIsLiteral) {
  EXPECT_EQ(admin_->Get(OrgPath("/leads?assistant_id=abc")).status, 422);
  EXPECT_EQ(admin_->Get(OrgPath("/leads?owner_id=-3")).status, 422);
  // Unknown IDs narrow to nothing.
  EXPECT_EQ(ListSet(*admin_, OrgPath("/leads?assistant_id=987654"), "id").size(), 0u);
  EXPECT_EQ(ListSet(*admin_, OrgPath("/leads?assistant_id=" + other_assistant_id_), "id").size(), 0u);
  CreateLead(assistant_a_, ids_["user_a"], "100% Discount_Shop");
  // LIKE wildcards match themselves only.
  EXPECT_EQ(ListSet(*admin_, OrgPath("/leads?q=%25"), "id").size(), 1u);
  EXPECT_EQ(ListSet(*admin_, OrgPath("/leads?q=_"), "id").size(), 1u);
  EXPECT_EQ(ListSet(*admin_, OrgPath("/leads?q=discount"), "id").size(), 1u);
  EXPECT_EQ(ListSet(*admin_, OrgPath("/leads?q=PROSPECT.TEST"), "id").size(), 6u);  // e-mail
  EXPECT_EQ(ListSet(*admin_, OrgPath("/leads?q=prospect%20inc"), "id").size(), 6u);  // company
  // Filters combine.
  EXPECT_EQ(ListSet(*admin_, OrgPath("/leads?assistant_id=" + assistant_b_ + "&owner_id=" + ids_["user_ab"]), "id"),
            Ids(ids_, {"l3"}));
  EXPECT_EQ(ListSet(*person("mgr_a").client, OrgPath("/leads?owner_id=" + ids_["user_a"] + "&q=one"), "id"),
            Ids(ids_, {"l1"}));
}

TEST_F(LeadTest, PagingNeitherSkipsNorRepeatsWhileLeadsAreAdded) {
  std::set<std::string> before;
  for (int i = 0; i < 7; ++i) CreateLead(assistant_a_, ids_["user_ab"], "Paged " + std::to_string(i));
  for (const auto& row : {std::string("admin"), std::string("mgr_a"), std::string("user_ab")}) {
    SCOPED_TRACE(row);
    HttpClient& client = *person(row).client;
    std::set<std::string> expected = ListSet(client, OrgPath("/leads"), "id");
    std::vector<std::string> seen;
    std::string cursor;
    std::string previous_id;
    for (int page = 0; page < 100; ++page) {
      HttpResponse answer = client.Get(OrgPath("/leads?limit=2") + (cursor.empty() ? "" : "&cursor=" + cursor));
      ASSERT_EQ(answer.status, 200);
      for (const auto& item : answer.json["items"]) {
        std::string id = item["id"];
        if (!previous_id.empty()) {
          EXPECT_LT(std::stoll(id), std::stoll(previous_id)) << "newest first";
        }
        previous_id = id;
        seen.push_back(id);
      }
      CreateLead(assistant_a_, ids_["user_ab"], "Added while paging");
      if (answer.json["next_cursor"].is_null()) break;
      cursor = answer.json["next_cursor"];
    }
    EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()), expected);
    EXPECT_EQ(seen.size(), expected.size());
  }
}

TEST_F(LeadTest, OwnersStayAssignedToTheirLeadsAssistants) {
  // Invariant 2 after each kind of change that moves leads.
  ExpectEveryOwnerAssigned();
  ASSERT_EQ(admin_->Patch(OrgPath("/leads/" + ids_["l1"]), {{"owner_id", ids_["mgr_a"]}}).status, 200);
  ExpectEveryOwnerAssigned();
  // A lead's owner cannot be unassigned without a receiver...
  EXPECT_EQ(admin_->Delete(OrgPath("/assistants/" + assistant_b_ + "/users/" + ids_["user_ab"])).status, 422);
  ExpectEveryOwnerAssigned();
  // ...nor removed from the organization.
  HttpResponse refused = admin_->Delete(OrgPath("/members/" + ids_["user_ab"]));
  EXPECT_EQ(refused.status, 422);
  EXPECT_EQ(refused.Code(), "reassign_target_required");
  // Removed with a receiver on neither assistant: he joins both.
  HttpResponse removed = admin_->Delete(OrgPath("/members/" + ids_["user_ab"]) + "?reassign_to=" + ids_["user_none"]);
  ASSERT_EQ(removed.status, 200) << removed.body;
  EXPECT_EQ(removed.json["reassigned_lead_count"], 2);
  ExpectEveryOwnerAssigned();
  EXPECT_EQ(ListSet(*person("user_none").client, OrgPath("/leads"), "id"), Ids(ids_, {"l2", "l3"}));
  EXPECT_EQ(ListSet(*admin_, OrgPath("/assistants/" + assistant_b_ + "/users"), "user_id"),
            Ids(ids_, {"mgr_b", "user_none"}));
}

TEST_F(LeadTest, ReassignmentIsAudited) {
  ASSERT_EQ(person("mgr_a").client->Patch(OrgPath("/leads/" + ids_["l1"]), {{"owner_id", ids_["user_ab"]}}).status, 200);
  HttpResponse events = admin_->Get(OrgPath("/audit-events?limit=1"));
  ASSERT_EQ(events.status, 200);
  const auto& event = events.json["items"][0];
  EXPECT_EQ(event["action"], "lead_reassigned");
  EXPECT_EQ(event["actor_user_id"], ids_["mgr_a"]);
  EXPECT_EQ(event["target_user_id"], ids_["user_ab"]);
  EXPECT_EQ(event["details"]["lead_id"], ids_["l1"]);
  EXPECT_EQ(event["details"]["from"], ids_["user_a"]);
  EXPECT_EQ(event["details"]["to"], ids_["user_ab"]);
  // A status change is no reassignment: it is a lead_updated event.
  ASSERT_EQ(admin_->Patch(OrgPath("/leads/" + ids_["l1"]), {{"status", "won"}}).status, 200);
  EXPECT_EQ(
      admin_->Get(OrgPath("/audit-events?action=lead_reassigned&limit=1")).json["items"][0]["id"],
      event["id"]);
}

// A salesperson marking his lead won, or correcting its company, is
// audited with each field's old and new value (webhook: WebhookTest); a
// patch that changes nothing writes nothing.
TEST_F(LeadTest, StatusNameAndCompanyChangesAreAudited) {
  auto& owner = *person("user_a").client;
  HttpResponse patched =
      owner.Patch(OrgPath("/leads/" + ids_["l1"]), {{"status", "won"}, {"company", "Globex Corp"}});
  ASSERT_EQ(patched.status, 200) << patched.body;
  HttpResponse events = admin_->Get(OrgPath("/audit-events?action=lead_updated"));
  ASSERT_EQ(events.status, 200) << events.body;
  ASSERT_EQ(events.json["items"].size(), 1u) << events.body;
  const auto& event = events.json["items"][0];
  EXPECT_EQ(event["actor_user_id"], ids_["user_a"]);
  EXPECT_EQ(event["target_user_id"], ids_["user_a"]) << "the lead's owner";
  EXPECT_EQ(event["details"]["lead_id"], ids_["l1"]);
  EXPECT_EQ(event["details"]["changes"],
            nlohmann::json({{"status", {{"from", "new"}, {"to", "won"}}},
                            {"company", {{"from", "Prospect Inc"}, {"to", "Globex Corp"}}}}))
      << event.dump() << " (the name did not change)";

  // The same values again: nothing changed, nothing written.
  ASSERT_EQ(owner.Patch(OrgPath("/leads/" + ids_["l1"]), {{"status", "won"}}).status, 200);
  EXPECT_EQ(admin_->Get(OrgPath("/audit-events?action=lead_updated")).json["items"].size(), 1u);
}

// Lists show who owns each lead without a request per owner: every lead
// carries its owner's name and e-mail, the member's own, also right after a
// reassignment.
TEST_F(LeadTest, EveryLeadNamesItsOwner) {
  auto expect_owner_named = [&](const nlohmann::json& lead) {
    HttpResponse owner = admin_->Get(OrgPath("/members/" + lead["owner_id"].get<std::string>()));
    ASSERT_EQ(owner.status, 200) << lead;
    EXPECT_EQ(lead["owner_name"], owner.json["name"]) << lead;
    EXPECT_EQ(lead["owner_email"], owner.json["email"]) << lead;
  };
  HttpResponse all = admin_->Get(OrgPath("/leads"));
  ASSERT_EQ(all.status, 200);
  ASSERT_EQ(all.json["items"].size(), 5u);
  for (const auto& lead : all.json["items"]) expect_owner_named(lead);
  // Another caller's list goes through the other query.
  HttpResponse managed = person("mgr_a").client->Get(OrgPath("/leads"));
  ASSERT_EQ(managed.status, 200);
  for (const auto& lead : managed.json["items"]) expect_owner_named(lead);

  HttpResponse moved = person("mgr_a").client->Patch(OrgPath("/leads/" + ids_["l1"]),
                                                     {{"owner_id", ids_["user_ab"]}});
  ASSERT_EQ(moved.status, 200);
  EXPECT_EQ(moved.json["owner_id"], ids_["user_ab"]);
  expect_owner_named(moved.json);
  EXPECT_EQ(person("user_ab").client->Get(OrgPath("/leads/" + ids_["l1"])).json, moved.json);
}

TEST_F(LeadTest, ImportTakesEveryLineOrNone) {
  auto write = [&](const std::string& name, const std::string& text) {
    std::filesystem::path path = dir_.path() / name;
    std::ofstream(path, std::ios::binary) << text;
    return path.string();
  };
  std::string bad = write("bad.csv",
                          "name,email,company,assistant,owner_email\n"
                          "Good One,good@x.test,X,Assistant A,user_a@acme.test\n"
                          "No Mail,not-an-email,X,Assistant A,user_a@acme.test\n"
                          "Good Two,two@x.test,,assistant a,user_ab@acme.test\n"
                          "Wrong Bot,w@x.test,X,Nobody's bot,user_a@acme.test\n"
                          "Not Assigned,n@x.test,X,Assistant B,user_a@acme.test\n"
                          "\"Quoted, Name\",q@x.test,\"Big \"\"Co\"\"\",Assistant A,stranger@else.test\n"
                          "\"Two\nLines\",t@x.test,X,Assistant A,user_a@acme.test\n"
                          "Short,line\n");
  CommandResult refused = RunRoster({"leads", "import", "--org", org_id_, "--csv", bad}, env_);
  EXPECT_EQ(refused.exit_code, 1);
  for (const char* expected : {"line 3: email", "line 5: no assistant named or numbered \"Nobody's bot\"",
                               "line 6: owner user_a@acme.test is not assigned to assistant \"Assistant B\"",
                               "line 7: owner stranger@else.test is not a member", "line 8: name",
                               "line 10: expected 5 fields",
                               "nothing imported"}) {
    EXPECT_NE(refused.err.find(expected), std::string::npos) << expected << "\n" << refused.err;
  }
  EXPECT_EQ(refused.err.find("line 2:"), std::string::npos) << refused.err;
  EXPECT_EQ(ListSet(*admin_, OrgPath("/leads"), "id").size(), 5u);

  std::string good = write("good.csv",
                           "\xEF\xBB\xBFOwner_Email,Name,Email,Company,Assistant\r\n"
                           "user_a@acme.test,Good One,good@x.test,X,Assistant A\r\n"
                           "USER_AB@acme.test,\"Doe, \"\"JD\"\"\",two@x.test,,assistant b\r\n"
                           "mgr_a@acme.test,By Id,id@x.test,Y," + assistant_a_ + "\r\n");
  CommandResult imported = RunRoster({"leads", "import", "--org", org_id_, "--csv", good}, env_);
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  EXPECT_NE(imported.out.find("imported 3 leads"), std::string::npos) << imported.out;
  HttpResponse mine = person("user_ab").client->Get(OrgPath("/leads?q=doe"));
  ASSERT_EQ(mine.json["items"].size(), 1u);
  EXPECT_EQ(mine.json["items"][0]["assistant_id"], assistant_b_);
  EXPECT_EQ(mine.json["items"][0]["name"], "Doe, \"JD\"");
  EXPECT_EQ(ListSet(*admin_, OrgPath("/leads"), "id").size(), 8u);
  EXPECT_EQ(admin_->Get(OrgPath("/audit-events?limit=1")).json["items"][0]["action"], "leads_imported");

  CommandResult no_org = RunRoster({"leads", "import", "--org", "987654", "--csv", good}, env_);
  EXPECT_EQ(no_org.exit_code, 1);
  CommandResult bad_header = RunRoster({"leads", "import", "--org", org_id_, "--csv", write("h.csv", "name,email\n")}, env_);
  EXPECT_EQ(bad_header.exit_code, 1);
  EXPECT_NE(bad_header.err.find("line 1:"), std::string::npos) << bad_header.err;
  // A file of rows without the header says what the first line must be;
  // a spreadsheet's semicolon-separated file is read as such.
  CommandResult headless =
      RunRoster({"leads", "import", "--org", org_id_, "--csv",
                 write("rows.csv", "Ann Buyer,ann@x.test,X,Assistant A,user_a@acme.test\n")},
                env_);
  EXPECT_EQ(headless.exit_code, 1);
  EXPECT_NE(headless.err.find(
                "the first line names the columns name,email,company,assistant,owner_email"),
            std::string::npos)
      << headless.err;
  CommandResult semicolons =
      RunRoster({"leads", "import", "--org", org_id_, "--csv",
                 write("semi.csv",
                       "name;email;company;assistant;owner_email\r\nSemi Colon;semi@x.test;\"S; "
                       "Co\";Assistant A;user_a@acme.test\r\n")},
                env_);
  ASSERT_EQ(semicolons.exit_code, 0) << semicolons.err;
  HttpResponse semi = admin_->Get(OrgPath("/leads?q=semi"));
  ASSERT_EQ(semi.json["items"].size(), 1u) << semi.body;
  EXPECT_EQ(semi.json["items"][0]["company"], "S; Co");
}

}  // namespace
}  // namespace roster::testing
