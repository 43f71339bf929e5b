// Assistants and assistant users: every 4xx answer of their endpoints,
// invariant 3, and unassigning with reassignment (SPEC sections 1 and 3).
#include <map>
#include <string>

#include "team_fixture.hpp"

namespace roster::testing {
namespace {

class AssistantTest : public TeamTest {
 protected:
  std::string UsersPath(const std::string& assistant, const std::string& user = "") {
    return OrgPath("/assistants/" + assistant + "/users" + (user.empty() ? "" : "/" + user));
  }
  // The audit events with `action`, newest first.
  std::vector<nlohmann::json> AuditEvents(const std::string& action) {
    std::vector<nlohmann::json> events;
    HttpResponse page = admin_->Get(OrgPath("/audit-events?limit=200"));
    EXPECT_EQ(page.status, 200);
    for (const auto& event : page.json["items"]) {
      if (event["action"] == action) events.push_back(event);
    }
    return events;
  }
};

TEST_F(AssistantTest, CreateValidatesTheNameAndRefusesDuplicates) {
  HttpResponse created = admin_->Post(OrgPath("/assistants"), {{"name", "  Outbound EMEA  "}});
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.json["name"], "Outbound EMEA");
  EXPECT_EQ(created.json["user_count"], 0);
  EXPECT_TRUE(created.json["id"].is_string());
  EXPECT_EQ(created.json["created_at"].get<std::string>().back(), 'Z');
  auto events = AuditEvents("assistant_created");
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events.front()["details"]["assistant_id"], created.json["id"]);

  for (const nlohmann::json& body : {nlohmann::json::object(), nlohmann::json{{"name", "   "}},
                                     nlohmann::json{{"name", std::string(201, 'x')}},
                                     nlohmann::json{{"name", 7}}, nlohmann::json{{"name", "tab\there"}}}) {
    SCOPED_TRACE(body.dump());
    HttpResponse refused = admin_->Post(OrgPath("/assistants"), body);
    EXPECT_EQ(refused.status, 422);
    EXPECT_EQ(refused.Code(), "validation");
    EXPECT_EQ(refused.json["errors"][0]["field"], "name");
  }
  HttpResponse duplicate = admin_->Post(OrgPath("/assistants"), {{"name", "outbound emea"}});
  EXPECT_EQ(duplicate.status, 409);
  EXPECT_EQ(duplicate.Code(), "assistant_name_taken");
  // Another organization may use the name.
  EXPECT_EQ(person("outsider").client->Post("/api/v1/orgs/" + other_org_id_ + "/assistants",
                                            {{"name", "Outbound EMEA"}}).status, 201);
}

TEST_F(AssistantTest, ListsPageByCursorAndValidateLimitAndCursor) {
  for (int i = 0; i < 3; ++i) CreateAssistant("Extra " + std::to_string(i));
  std::vector<std::string> ids = ListAll(*admin_, OrgPath("/assistants"), "id", 2);
  EXPECT_EQ(ids.size(), 5u);
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), 5u);
  for (const std::string& path : {OrgPath("/assistants"), UsersPath(assistant_a_), OrgPath("/leads")}) {
    SCOPED_TRACE(path);
    for (const char* limit : {"0", "201", "abc", "-1", "5x"}) {
      HttpResponse refused = admin_->Get(path + "?limit=" + limit);
      EXPECT_EQ(refused.status, 422) << limit;
      EXPECT_EQ(refused.json["errors"][0]["field"], "limit");
    }
    EXPECT_EQ(admin_->Get(path + "?limit=1").status, 200);
    EXPECT_EQ(admin_->Get(path + "?limit=200").status, 200);
    HttpResponse bad_cursor = admin_->Get(path + "?cursor=not-a-cursor!");
    EXPECT_EQ(bad_cursor.status, 422);
    EXPECT_EQ(bad_cursor.json["errors"][0]["field"], "cursor");
  }
}

TEST_F(AssistantTest, AssignIsIdempotentAndKeepsTheManagerFlagUnlessGiven) {
  std::string path = UsersPath(assistant_a_, ids_["user_none"]);
  HttpResponse first = admin_->Put(path, {});
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(first.json["is_manager"], false);
  EXPECT_EQ(first.json["user_id"], ids_["user_none"]);
  EXPECT_EQ(first.json["email"], "user_none@acme.test");
  EXPECT_EQ(admin_->Put(path, nullptr).json, first.json);  // no body at all
  EXPECT_EQ(AuditEvents("assistant_user_assigned").size(), 6u);  // 5 by the fixture, 1 here

  HttpResponse promoted = admin_->Put(path, {{"is_manager", true}});
  EXPECT_EQ(promoted.json["is_manager"], true);
  EXPECT_EQ(admin_->Put(path, {}).json["is_manager"], true);  // kept
  EXPECT_EQ(admin_->Put(path, {{"is_manager", false}}).json["is_manager"], false);
  EXPECT_EQ(AuditEvents("assistant_manager_granted").size(), 3u);  // 2 by the fixture
  EXPECT_EQ(AuditEvents("assistant_manager_revoked").size(), 1u);

  EXPECT_EQ(admin_->Put(path, {{"is_manager", "yes"}}).status, 422);
  EXPECT_EQ(admin_->Put(UsersPath("987654", ids_["user_none"]), {}).status, 404);
  EXPECT_EQ(admin_->Put(UsersPath(assistant_a_, "987654"), {}).status, 404);
  EXPECT_EQ(admin_->Put(UsersPath("abc", ids_["user_none"]), {}).status, 404);
  EXPECT_EQ(admin_->Put(UsersPath(other_assistant_id_, ids_["user_none"]), {}).status, 404);

  // An invited member who has not signed in yet can be assigned.
  std::string invited = Invite("ivy@acme.test", "Ivy Invited");
  EXPECT_EQ(admin_->Put(UsersPath(assistant_b_, invited), {}).status, 200);
}

TEST_F(AssistantTest, EachUserCarriesHisStatusInTheOrganization) {
  std::string invited = Invite("ivy@acme.test", "Ivy Invited");
  ASSERT_EQ(admin_->Put(UsersPath(assistant_a_, invited), {}).json["status"], "invited");
  ASSERT_EQ(admin_->Post(OrgPath("/members/" + ids_["user_a"] + "/deactivate?reassign_to=" +
                                 ids_["user_ab"])).status,
            200);
  std::map<std::string, std::string> status_of;
  HttpResponse users = admin_->Get(UsersPath(assistant_a_));
  ASSERT_EQ(users.status, 200) << users.body;
  for (const auto& user : users.json["items"]) status_of[user["email"]] = user["status"];
  EXPECT_EQ(status_of, (std::map<std::string, std::string>{{"ivy@acme.test", "invited"},
                                                            {"mgr_a@acme.test", "active"},
                                                            {"user_a@acme.test", "deactivated"},
                                                            {"user_ab@acme.test", "active"}}));
  HttpResponse managed = admin_->Patch(UsersPath(assistant_a_, ids_["user_ab"]), {{"is_manager", true}});
  EXPECT_EQ(managed.json["status"], "active");
}

TEST_F(AssistantTest, OnlyAssignedUsersCanBeManagers) {
  // Invariant 3.
  HttpResponse not_assigned = admin_->Patch(UsersPath(assistant_b_, ids_["user_a"]), {{"is_manager", true}});
  EXPECT_EQ(not_assigned.status, 404);
  EXPECT_EQ(not_assigned.Code(), "not_found");
  HttpResponse missing_flag = admin_->Patch(UsersPath(assistant_a_, ids_["user_a"]), nlohmann::json::object());
  EXPECT_EQ(missing_flag.status, 422);
  EXPECT_EQ(missing_flag.json["errors"][0]["field"], "is_manager");
  EXPECT_EQ(admin_->Patch(UsersPath(assistant_a_, ids_["user_a"]), {{"is_manager", 1}}).status, 422);

  HttpClient& mgr_a = *person("mgr_a").client;
  auto managed = [&] { return mgr_a.Get("/api/v1/me").json["memberships"][0]["managed_assistant_ids"]; };
  EXPECT_EQ(managed(), nlohmann::json::array({assistant_a_}));
  // Unassigned, the manager is a manager no more; assigned again, a plain user.
  ASSERT_EQ(admin_->Delete(UsersPath(assistant_a_, ids_["mgr_a"]) + "?reassign_to=" + ids_["user_a"]).status, 200);
  EXPECT_EQ(managed(), nlohmann::json::array());
  EXPECT_EQ(admin_->Patch(UsersPath(assistant_a_, ids_["mgr_a"]), {{"is_manager", true}}).status, 404);
  EXPECT_EQ(mgr_a.Get(UsersPath(assistant_a_)).status, 404);
  EXPECT_EQ(ListSet(mgr_a, OrgPath("/leads"), "id"), std::set<std::string>{});
  EXPECT_EQ(admin_->Put(UsersPath(assistant_a_, ids_["mgr_a"]), {}).json["is_manager"], false);
  EXPECT_EQ(ListSet(mgr_a, UsersPath(assistant_a_), "user_id"), Ids(ids_, {"mgr_a"}));

  // Granting and revoking change what the manager sees at once.
  ASSERT_EQ(admin_->Patch(UsersPath(assistant_a_, ids_["user_ab"]), {{"is_manager", true}}).status, 200);
  HttpClient& user_ab = *person("user_ab").client;
  EXPECT_EQ(ListSet(user_ab, OrgPath("/leads"), "id"), Ids(ids_, {"l1", "l2", "l3", "l4"}));
  EXPECT_EQ(ListSet(user_ab, UsersPath(assistant_a_), "user_id"),
            Ids(ids_, {"mgr_a", "user_a", "user_ab"}));
  ASSERT_EQ(admin_->Patch(UsersPath(assistant_a_, ids_["user_ab"]), {{"is_manager", false}}).status, 200);
  EXPECT_EQ(ListSet(user_ab, OrgPath("/leads"), "id"), Ids(ids_, {"l2", "l3"}));
  auto granted = AuditEvents("assistant_manager_granted");
  ASSERT_FALSE(granted.empty());
  EXPECT_EQ(granted.front()["target_user_id"], ids_["user_ab"]);
  EXPECT_EQ(granted.front()["details"]["assistant_id"], assistant_a_);
  EXPECT_EQ(AuditEvents("assistant_manager_revoked").front()["target_user_id"], ids_["user_ab"]);
}

TEST_F(AssistantTest, UnassignMovesHisLeadsOnThatAssistantInOneStep) {
  std::string path = UsersPath(assistant_a_, ids_["user_ab"]);
  HttpResponse required = admin_->Delete(path);
  EXPECT_EQ(required.status, 422);
  EXPECT_EQ(required.Code(), "reassign_target_required");
  for (const std::string& target : {std::string("abc"), ids_["user_ab"], ids_["outsider"], std::string("987654"),
                                    Invite("ivy@acme.test", "Ivy Invited")}) {
    SCOPED_TRACE(target);
    HttpResponse invalid = admin_->Delete(path + "?reassign_to=" + target);
    EXPECT_EQ(invalid.status, 422);
    EXPECT_EQ(invalid.Code(), "invalid_reassign_target");
  }
  // Nothing changed by the refusals.
  EXPECT_EQ(admin_->Get(OrgPath("/leads/" + ids_["l2"])).json["owner_id"], ids_["user_ab"]);
  EXPECT_EQ(ListSet(*admin_, UsersPath(assistant_a_), "user_id"), Ids(ids_, {"mgr_a", "user_a", "user_ab"}));

  // user_none is not on A: he joins it with the leads.
  HttpResponse moved = admin_->Delete(path + "?reassign_to=" + ids_["user_none"]);
  ASSERT_EQ(moved.status, 200) << moved.body;
  EXPECT_EQ(moved.json["reassigned_lead_count"], 1);
  EXPECT_EQ(moved.json["reassigned_to"], ids_["user_none"]);
  EXPECT_EQ(moved.json["user_id"], ids_["user_ab"]);
  EXPECT_EQ(moved.json["assistant_id"], assistant_a_);
  EXPECT_EQ(ListSet(*admin_, UsersPath(assistant_a_), "user_id"), Ids(ids_, {"mgr_a", "user_a", "user_none"}));
  EXPECT_EQ(admin_->Get(OrgPath("/leads/" + ids_["l2"])).json["owner_id"], ids_["user_none"]);
  EXPECT_EQ(admin_->Get(OrgPath("/leads/" + ids_["l3"])).json["owner_id"], ids_["user_ab"]);  // on B: his still
  EXPECT_EQ(ListSet(*person("user_ab").client, OrgPath("/leads"), "id"), Ids(ids_, {"l3"}));
  EXPECT_EQ(ListSet(*person("user_none").client, OrgPath("/leads"), "id"), Ids(ids_, {"l2"}));
  EXPECT_EQ(person("user_ab").client->Get(UsersPath(assistant_a_)).status, 404);

  auto unassigned = AuditEvents("assistant_user_unassigned");
  ASSERT_EQ(unassigned.size(), 1u);
  EXPECT_EQ(unassigned[0]["target_user_id"], ids_["user_ab"]);
  EXPECT_EQ(unassigned[0]["details"]["reassigned_lead_count"], 1);
  EXPECT_EQ(unassigned[0]["details"]["reassigned_to"], ids_["user_none"]);

  // Without leads there, no target is needed; twice is 404.
  HttpResponse plain = admin_->Delete(UsersPath(assistant_a_, ids_["user_a"]) + "?reassign_to=");
  EXPECT_EQ(plain.status, 422);  // user_a owns l1 on A
  ASSERT_EQ(admin_->Delete(UsersPath(assistant_b_, ids_["user_ab"]) + "?reassign_to=" + ids_["mgr_b"]).status, 200);
  HttpResponse empty = admin_->Delete(UsersPath(assistant_b_, ids_["mgr_b"]) + "?reassign_to=" + ids_["mgr_a"]);
  EXPECT_EQ(empty.status, 200);
  EXPECT_EQ(empty.json["reassigned_lead_count"], 2);  // l5 and l3, which mgr_b got just before
  EXPECT_EQ(admin_->Delete(UsersPath(assistant_b_, ids_["mgr_b"])).status, 404);
  std::string fresh = CreateAssistant("Fresh");
  Assign(fresh, ids_["user_a"]);
  HttpResponse no_leads = admin_->Delete(UsersPath(fresh, ids_["user_a"]));
  EXPECT_EQ(no_leads.status, 200);
  EXPECT_EQ(no_leads.json["reassigned_lead_count"], 0);
  EXPECT_TRUE(no_leads.json["reassigned_to"].is_null());
}

TEST_F(AssistantTest, EveryEndpointNeedsASessionAndTheCsrfHeader) {
  auto anonymous = NewClient();
  const std::vector<std::pair<std::string, std::string>> routes = {
      {"GET", OrgPath("/assistants")},
      {"POST", OrgPath("/assistants")},
      {"GET", UsersPath(assistant_a_)},
      {"PUT", UsersPath(assistant_a_, ids_["user_none"])},
      {"PATCH", UsersPath(assistant_a_, ids_["user_a"])},
      {"DELETE", UsersPath(assistant_a_, ids_["user_a"])},
      {"GET", OrgPath("/leads")},
      {"POST", OrgPath("/leads")},
      {"GET", OrgPath("/leads/" + ids_["l1"])},
      {"PATCH", OrgPath("/leads/" + ids_["l1"])},
  };
  for (const auto& [method, path] : routes) {
    SCOPED_TRACE(method + " " + path);
    HttpResponse answer = anonymous->Send(method, path, "", {});
    EXPECT_EQ(answer.status, 401);
    EXPECT_EQ(answer.Code(), "unauthenticated");
    if (method == "GET") continue;
    auto no_csrf = NewClient();
    no_csrf->set_session_cookie(admin_->session_cookie());
    no_csrf->set_csrf_header(false);
    HttpResponse forged = no_csrf->Send(method, path, "{}", {{"Content-Type", "application/json"}});
    EXPECT_EQ(forged.status, 403);
    EXPECT_EQ(forged.Code(), "csrf");
  }
  HttpResponse malformed = admin_->Send("POST", OrgPath("/assistants"), "{\"name\":",
                                        {{"Content-Type", "application/json"}});
  EXPECT_EQ(malformed.status, 400);
  HttpResponse not_json = admin_->Send("POST", OrgPath("/leads"), "name=x",
                                       {{"Content-Type", "application/x-www-form-urlencoded"}});
  EXPECT_EQ(not_json.status, 415);
  EXPECT_EQ(admin_->Send("POST", OrgPath("/assistants/" + assistant_a_ + "/users"), "{}",
                         {{"Content-Type", "application/json"}}).status, 405);
  EXPECT_EQ(admin_->Get("/api/v1/orgs/abc/assistants").status, 404);
  EXPECT_EQ(admin_->Get("/api/v1/orgs/987654/leads").status, 404);
}

}  // namespace
}  // namespace roster::testing
