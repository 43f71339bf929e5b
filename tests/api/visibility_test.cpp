// SPEC section 1, "Visibility of leads" and "Who may do what", as tables:
// for every role of TeamTest's cast, the exact status and the exact set of
// rows each endpoint answers.
#include <optional>
#include <set>

#include "team_fixture.hpp"

namespace roster::testing {
namespace {

using Names = std::vector<std::string>;
// nullopt: the endpoint answers 404.
using Expected = std::optional<Names>;
const Expected k404 = std::nullopt;

class VisibilityTest : public TeamTest {};

// --- Reads -------------------------------------------------------------

struct LeadListCase {
  std::string role;
  Expected all, on_a, owned_by_user_ab, query_three;
};
const std::vector<LeadListCase> kLeadLists = {
    //  role         all leads                        ?assistant_id=A       ?owner_id=user_ab  ?q=THREE
    {"admin",     Names{"l1", "l2", "l3", "l4", "l5"}, Names{"l1", "l2", "l4"}, Names{"l2", "l3"}, Names{"l3"}},
    {"mgr_a",     Names{"l1", "l2", "l4"},             Names{"l1", "l2", "l4"}, Names{"l2"},       Names{}},
    {"mgr_b",     Names{"l3", "l5"},                   Names{},                 Names{"l3"},       Names{"l3"}},
    {"user_a",    Names{"l1"},                         Names{"l1"},             Names{},           Names{}},
    {"user_ab",   Names{"l2", "l3"},                   Names{"l2"},             Names{"l2", "l3"}, Names{"l3"}},
    {"user_none", Names{},                             Names{},                 Names{},           Names{}},
    {"outsider",  k404,                                k404,                    k404,              k404},
};

TEST_F(VisibilityTest, LeadListsFollowTheRuleAndFiltersOnlyNarrow) {
  for (const auto& row : kLeadLists) {
    SCOPED_TRACE(row.role);
    HttpClient& client = *person(row.role).client;
    const std::vector<std::pair<std::string, Expected>> queries = {
        {"", row.all},
        {"?assistant_id=" + assistant_a_, row.on_a},
        {"?owner_id=" + ids_["user_ab"], row.owned_by_user_ab},
        {"?q=THREE", row.query_three}};
    for (const auto& [query, expected] : queries) {
      SCOPED_TRACE(query);
      if (!expected) {
        HttpResponse answer = client.Get(OrgPath("/leads" + query));
        EXPECT_EQ(answer.status, 404);
        EXPECT_EQ(answer.Code(), "not_found");
        continue;
      }
      // Two per page, so that pages cross the owner and manager branches.
      EXPECT_EQ(ListSet(client, OrgPath("/leads" + query), "id", 2), Ids(ids_, *expected));
    }
  }
}

TEST_F(VisibilityTest, SingleLeadReadsAnswer404ForInvisibleLeads) {
  for (const auto& row : kLeadLists) {
    SCOPED_TRACE(row.role);
    HttpClient& client = *person(row.role).client;
    for (const char* lead : {"l1", "l2", "l3", "l4", "l5"}) {
      SCOPED_TRACE(lead);
      bool visible = row.all && std::find(row.all->begin(), row.all->end(), lead) != row.all->end();
      HttpResponse answer = client.Get(OrgPath("/leads/" + ids_[lead]));
      EXPECT_EQ(answer.status, visible ? 200 : 404);
      if (visible) {
        EXPECT_EQ(answer.json["id"], ids_[lead]);
      } else {
        EXPECT_EQ(answer.Code(), "not_found");
      }
    }
    // Another organization's lead, and a lead that never existed, read the same.
    EXPECT_EQ(client.Get(OrgPath("/leads/" + other_lead_id_)).status, 404);
    EXPECT_EQ(client.Get(OrgPath("/leads/987654321")).status, 404);
  }
}

struct AssistantListCase {
  std::string role;
  std::optional<std::map<std::string, int>> visible;  // assistant -> user_count
};
const std::vector<AssistantListCase> kAssistantLists = {
    {"admin", std::map<std::string, int>{{"A", 3}, {"B", 2}}},
    {"mgr_a", std::map<std::string, int>{{"A", 3}}},
    {"mgr_b", std::map<std::string, int>{{"B", 2}}},
    {"user_a", std::map<std::string, int>{{"A", 1}}},  // a user counts only himself
    {"user_ab", std::map<std::string, int>{{"A", 1}, {"B", 1}}},
    {"user_none", std::map<std::string, int>{}},
    {"outsider", std::nullopt},
};

TEST_F(VisibilityTest, AssistantListsShowAssignedAssistantsAndVisibleUserCounts) {
  for (const auto& row : kAssistantLists) {
    SCOPED_TRACE(row.role);
    HttpResponse answer = person(row.role).client->Get(OrgPath("/assistants"));
    if (!row.visible) {
      EXPECT_EQ(answer.status, 404);
      continue;
    }
    ASSERT_EQ(answer.status, 200) << answer.body;
    std::map<std::string, int> seen;
    for (const auto& item : answer.json["items"]) {
      std::string name = item["id"] == assistant_a_ ? "A" : item["id"] == assistant_b_ ? "B" : "?";
      seen[name] = item["user_count"];
      EXPECT_TRUE(item["name"].is_string());
      EXPECT_TRUE(item["created_at"].is_string());
    }
    EXPECT_EQ(seen, *row.visible);
    EXPECT_TRUE(answer.json["next_cursor"].is_null());
  }
}

struct AssistantUsersCase {
  std::string role;
  Expected users_of_a, users_of_b;
};
const std::vector<AssistantUsersCase> kAssistantUsers = {
    {"admin",     Names{"mgr_a", "user_a", "user_ab"}, Names{"mgr_b", "user_ab"}},
    {"mgr_a",     Names{"mgr_a", "user_a", "user_ab"}, k404},
    {"mgr_b",     k404,                                Names{"mgr_b", "user_ab"}},
    {"user_a",    Names{"user_a"},                     k404},
    {"user_ab",   Names{"user_ab"},                    Names{"user_ab"}},
    {"user_none", k404,                                k404},
    {"outsider",  k404,                                k404},
};

TEST_F(VisibilityTest, AssistantUserListsFollowTheRule) {
  for (const auto& row : kAssistantUsers) {
    SCOPED_TRACE(row.role);
    HttpClient& client = *person(row.role).client;
    for (const auto& [assistant, expected] : {std::pair{assistant_a_, row.users_of_a},
                                              std::pair{assistant_b_, row.users_of_b}}) {
      SCOPED_TRACE(assistant);
      std::string path = OrgPath("/assistants/" + assistant + "/users");
      if (!expected) {
        HttpResponse answer = client.Get(path);
        EXPECT_EQ(answer.status, 404);
        EXPECT_EQ(answer.Code(), "not_found");
        continue;
      }
      EXPECT_EQ(ListSet(client, path, "user_id", 1), Ids(ids_, *expected));
    }
  }
  // The shape, with the manager flag.
  HttpResponse users = admin_->Get(OrgPath("/assistants/" + assistant_a_ + "/users"));
  ASSERT_EQ(users.status, 200);
  ASSERT_EQ(users.json["items"].size(), 3u);
  for (const auto& item : users.json["items"]) {
    EXPECT_EQ(item["is_manager"], item["user_id"] == ids_["mgr_a"]) << item;
    EXPECT_TRUE(item["email"].get<std::string>().ends_with("@acme.test"));
    EXPECT_TRUE(item["name"].is_string());
  }
  // Another organization's assistant does not exist here, even for the admin.
  EXPECT_EQ(admin_->Get(OrgPath("/assistants/" + other_assistant_id_ + "/users")).status, 404);
}

// --- Changes -----------------------------------------------------------

// Expected status per role of the cast.
using Statuses = std::map<std::string, int>;

TEST_F(VisibilityTest, WhoMayCreateLeads) {
  struct Case {
    std::string what;
    std::string assistant;          // "A" or "B"
    std::optional<std::string> owner;
    Statuses status;
  };
  const std::vector<Case> cases = {
      // Members who are not on the assistant are told it does not exist
      // (422 on assistant_id), as its users list answers them 404.
      {"on A for user_a", "A", "user_a",
       {{"admin", 201}, {"mgr_a", 201}, {"mgr_b", 422}, {"user_a", 201}, {"user_ab", 403}, {"user_none", 422}, {"outsider", 404}}},
      {"on A for himself", "A", std::nullopt,
       {{"admin", 422}, {"mgr_a", 201}, {"mgr_b", 422}, {"user_a", 201}, {"user_ab", 201}, {"user_none", 422}, {"outsider", 404}}},
      {"on B for user_ab", "B", "user_ab",
       {{"admin", 201}, {"mgr_a", 422}, {"mgr_b", 201}, {"user_a", 422}, {"user_ab", 201}, {"user_none", 422}, {"outsider", 404}}},
      {"on A for user_none (not assigned)", "A", "user_none",
       {{"admin", 422}, {"mgr_a", 422}, {"mgr_b", 422}, {"user_a", 403}, {"user_ab", 403}, {"user_none", 422}, {"outsider", 404}}},
  };
  for (const auto& row : cases) {
    for (const auto& p : people()) {
      SCOPED_TRACE(row.what + " by " + p.role);
      nlohmann::json body = {{"name", "New lead"}, {"email", "new@prospect.test"},
                             {"assistant_id", ids_[row.assistant]}};
      if (row.owner) body["owner_id"] = ids_[*row.owner];
      HttpResponse created = p.client->Post(OrgPath("/leads"), body);
      ASSERT_EQ(created.status, row.status.at(p.role)) << created.body;
      if (created.status == 201) {
        std::string owner = row.owner ? ids_[*row.owner] : p.user_id;
        EXPECT_EQ(created.json["owner_id"], owner);
        EXPECT_EQ(created.json["status"], "new");
        // The creator sees what he created.
        EXPECT_EQ(p.client->Get(OrgPath("/leads/" + created.json["id"].get<std::string>())).status, 200);
      } else if (created.status == 403) {
        EXPECT_EQ(created.Code(), "forbidden");
      } else if (created.status == 422) {
        const std::set<std::string> on_it_roles =
            row.assistant == "A" ? std::set<std::string>{"admin", "mgr_a", "user_a", "user_ab"}
                                 : std::set<std::string>{"admin", "mgr_b", "user_ab"};
        bool on_it = on_it_roles.count(p.role) > 0;
        EXPECT_EQ(created.json["errors"][0]["field"], on_it ? "owner_id" : "assistant_id");
      }
    }
  }
}

TEST_F(VisibilityTest, WhoMayReassignAndEditALead) {
  struct Case {
    std::string what;
    std::string lead;
    nlohmann::json patch;
    Statuses status;
  };
  const std::vector<Case> cases = {
      {"move l1 (A) to user_ab", "l1", {{"owner_id", ids_["user_ab"]}},
       {{"admin", 200}, {"mgr_a", 200}, {"mgr_b", 404}, {"user_a", 403}, {"user_ab", 404}, {"user_none", 404}, {"outsider", 404}}},
      {"move l3 (B) to mgr_b", "l3", {{"owner_id", ids_["mgr_b"]}},
       {{"admin", 200}, {"mgr_a", 404}, {"mgr_b", 200}, {"user_a", 404}, {"user_ab", 403}, {"user_none", 404}, {"outsider", 404}}},
      {"move l1 (A) to mgr_b (not on A)", "l1", {{"owner_id", ids_["mgr_b"]}},
       {{"admin", 422}, {"mgr_a", 422}, {"mgr_b", 404}, {"user_a", 403}, {"user_ab", 404}, {"user_none", 404}, {"outsider", 404}}},
      {"set l2's status", "l2", {{"status", "contacted"}},
       {{"admin", 200}, {"mgr_a", 200}, {"mgr_b", 404}, {"user_a", 404}, {"user_ab", 200}, {"user_none", 404}, {"outsider", 404}}},
      {"rename l4", "l4", {{"name", "Lead Four (renamed)"}, {"company", "Renamed Ltd"}},
       {{"admin", 200}, {"mgr_a", 200}, {"mgr_b", 404}, {"user_a", 404}, {"user_ab", 404}, {"user_none", 404}, {"outsider", 404}}},
  };
  for (const auto& row : cases) {
    std::string path = OrgPath("/leads/" + ids_[row.lead]);
    HttpResponse original = admin_->Get(path);
    ASSERT_EQ(original.status, 200);
    for (const auto& p : people()) {
      SCOPED_TRACE(row.what + " by " + p.role);
      HttpResponse patched = p.client->Patch(path, row.patch);
      ASSERT_EQ(patched.status, row.status.at(p.role)) << patched.body;
      if (patched.status != 200) {
        // Refused: nothing changed.
        EXPECT_EQ(admin_->Get(path).json, original.json);
        continue;
      }
      for (const auto& [field, value] : row.patch.items()) EXPECT_EQ(patched.json[field], value);
      EXPECT_EQ(admin_->Get(path).json, patched.json);
      // Put it back for the next role.
      nlohmann::json restore = {{"owner_id", original.json["owner_id"]},
                                {"status", original.json["status"]},
                                {"name", original.json["name"]},
                                {"company", original.json["company"]}};
      ASSERT_EQ(admin_->Patch(path, restore).status, 200);
    }
  }
}

TEST_F(VisibilityTest, OnlyAdminsManageAssistantsAndTheirUsers) {
  for (const auto& p : people()) {
    SCOPED_TRACE(p.role);
    int denied = p.role == "outsider" ? 404 : 403;
    bool admin = p.role == "admin";
    std::string users_a = OrgPath("/assistants/" + assistant_a_ + "/users/");
    std::string users_b = OrgPath("/assistants/" + assistant_b_ + "/users/");

    HttpResponse created = p.client->Post(OrgPath("/assistants"), {{"name", "Bot of " + p.role}});
    EXPECT_EQ(created.status, admin ? 201 : denied) << created.body;

    HttpResponse assigned = p.client->Put(users_a + ids_["user_none"], {});
    EXPECT_EQ(assigned.status, admin ? 200 : denied) << assigned.body;
    if (admin) {
      ASSERT_EQ(admin_->Delete(users_a + ids_["user_none"]).status, 200);
    }

    HttpResponse promoted = p.client->Patch(users_a + ids_["user_a"], {{"is_manager", true}});
    EXPECT_EQ(promoted.status, admin ? 200 : denied) << promoted.body;
    if (admin) {
      ASSERT_EQ(admin_->Patch(users_a + ids_["user_a"], {{"is_manager", false}}).status, 200);
    }

    HttpResponse demoted = p.client->Patch(users_a + ids_["mgr_a"], {{"is_manager", false}});
    EXPECT_EQ(demoted.status, admin ? 200 : denied) << demoted.body;
    if (admin) {
      ASSERT_EQ(admin_->Patch(users_a + ids_["mgr_a"], {{"is_manager", true}}).status, 200);
    }

    Assign(assistant_b_, ids_["user_none"]);
    HttpResponse removed = p.client->Delete(users_b + ids_["user_none"]);
    EXPECT_EQ(removed.status, admin ? 200 : denied) << removed.body;
    if (!admin) {
      ASSERT_EQ(admin_->Delete(users_b + ids_["user_none"]).status, 200);
    }

    if (!admin) {
      // A refused member changed nothing: the cast's lists are as before.
      EXPECT_EQ(ListSet(*admin_, OrgPath("/assistants/" + assistant_a_ + "/users"), "user_id"),
                Ids(ids_, {"mgr_a", "user_a", "user_ab"}));
    }
  }
}

TEST_F(VisibilityTest, NonMembersGet404EvenForTheirOwnOrganizationsIds) {
  // The outsider's assistant and lead, named in the first organization's paths.
  for (const auto& p : people()) {
    SCOPED_TRACE(p.role);
    EXPECT_EQ(p.client->Get(OrgPath("/assistants/" + other_assistant_id_ + "/users")).status, 404);
    EXPECT_EQ(p.client->Get(OrgPath("/leads/" + other_lead_id_)).status, 404);
    EXPECT_EQ(p.client->Patch(OrgPath("/leads/" + other_lead_id_), {{"status", "won"}}).status, 404);
  }
  // And the first organization's, in the outsider's: a member of Acme is not one of Globex.
  std::string other = "/api/v1/orgs/" + other_org_id_;
  for (const char* role : {"admin", "mgr_a", "user_a"}) {
    SCOPED_TRACE(role);
    HttpClient& client = *person(role).client;
    EXPECT_EQ(client.Get(other + "/leads").status, 404);
    EXPECT_EQ(client.Get(other + "/assistants").status, 404);
    EXPECT_EQ(client.Get(other + "/leads/" + other_lead_id_).status, 404);
    EXPECT_EQ(client.Post(other + "/leads", {{"name", "x"}, {"email", "x@x.test"},
                                             {"assistant_id", other_assistant_id_}}).status, 404);
  }
  // Assigning someone of another organization: no such member here.
  EXPECT_EQ(admin_->Put(OrgPath("/assistants/" + assistant_a_ + "/users/" + ids_["outsider"]), {}).status, 404);
}

}  // namespace
}  // namespace roster::testing
