// SCIM 2.0 at /scim/v2 (SPEC section 8; RFC 7643, 7644): the requests Okta
// and Microsoft Entra ID send, replayed from tests/api/scim/, every SCIM
// error form, paging, filters and who may call.
#include <gtest/gtest.h>

#include <fstream>
#include <future>
#include <regex>
#include <sstream>

#include "api_fixture.hpp"
#include "support/webhook_receiver.hpp"

namespace roster::testing {
namespace {

using nlohmann::json;

constexpr const char* kErrorSchema = "urn:ietf:params:scim:api:messages:2.0:Error";

std::string Encode(const std::string& text) {
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      char buffer[4];
      std::snprintf(buffer, sizeof buffer, "%%%02X", c);
      out += buffer;
    }
  }
  return out;
}

class ScimTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    if (HasFatalFailure()) return;
    StartServer();
    if (HasFatalFailure()) return;
    HttpResponse created = admin_->Post(OrgPath("/api-keys"), {{"name", "Okta"}, {"scope", "scim"}});
    ASSERT_EQ(created.status, 201) << created.body;
    key_ = created.json["key"];
    key_id_ = created.json["id"];
  }

  // A SCIM request with the organization's scim key (or `key`); `path` is
  // below /scim/v2.
  HttpResponse Scim(const std::string& method, const std::string& path,
                    const json& body = nullptr, std::optional<std::string> key = std::nullopt) {
    auto client = NewClient();
    client->set_csrf_header(false);
    std::map<std::string, std::string> headers;
    std::string token = key.value_or(key_);
    if (!token.empty()) headers["Authorization"] = "Bearer " + token;
    if (!body.is_null()) headers["Content-Type"] = "application/scim+json; charset=utf-8";
    return client->Send(method, "/scim/v2" + path, body.is_null() ? "" : body.dump(), headers);
  }

  // A request body of tests/api/scim/, with {{name}} replaced by values.
  static json Recorded(const std::string& file, const std::map<std::string, std::string>& values = {}) {
    std::ifstream in(std::string(ROSTER_SCIM_DATA) + "/" + file);
    EXPECT_TRUE(in.good()) << file;
    std::stringstream text;
    text << in.rdbuf();
    std::string body = text.str();
    for (const auto& [name, value] : values) {
      body = std::regex_replace(body, std::regex("\\{\\{" + name + "\\}\\}"), value);
    }
    return json::parse(body);
  }

  HttpResponse FindUser(const std::string& attribute, const std::string& value) {
    return Scim("GET", "/Users?filter=" + Encode(attribute + " eq \"" + value + "\""));
  }

  // Creates a user through SCIM; returns his id.
  std::string CreateUser(const std::string& email, const std::string& external_id = "") {
    json body = {{"schemas", {"urn:ietf:params:scim:schemas:core:2.0:User"}},
                 {"userName", email},
                 {"name", {{"givenName", "Pat"}, {"familyName", "Doe"}}},
                 {"active", true}};
    if (!external_id.empty()) body["externalId"] = external_id;
    HttpResponse created = Scim("POST", "/Users", body);
    EXPECT_EQ(created.status, 201) << created.body;
    return created.json.value("id", "");
  }

  // The member as the API shows him to the admin.
  json Member(const std::string& user_id) {
    HttpResponse member = admin_->Get(OrgPath("/members/" + user_id));
    EXPECT_EQ(member.status, 200) << member.body;
    return member.json;
  }

  std::vector<std::string> MemberIds(const json& group) {
    std::vector<std::string> ids;
    for (const auto& member : group.value("members", json::array())) ids.push_back(member["value"]);
    return ids;
  }

  std::string key_, key_id_;
};

// Every SCIM error: its status, the Error schema, the status as a string,
// its scimType, a detail, and SCIM's media type.
void ExpectScimError(const HttpResponse& response, long status, const std::string& scim_type) {
  EXPECT_EQ(response.status, status) << response.body;
  EXPECT_EQ(response.Header("content-type"), "application/scim+json");
  ASSERT_TRUE(response.json.is_object()) << response.body;
  EXPECT_EQ(response.json["schemas"], json::array({kErrorSchema})) << response.body;
  EXPECT_EQ(response.json["status"], std::to_string(status)) << response.body;
  if (scim_type.empty()) {
    EXPECT_FALSE(response.json.contains("scimType")) << response.body;
  } else {
    EXPECT_EQ(response.json.value("scimType", ""), scim_type) << response.body;
  }
  EXPECT_FALSE(response.json.value("detail", "").empty()) << response.body;
}

TEST_F(ScimTest, DiscoveryDescribesWhatRosterSupports) {
  HttpResponse config = Scim("GET", "/ServiceProviderConfig");
  ASSERT_EQ(config.status, 200) << config.body;
  EXPECT_EQ(config.Header("content-type"), "application/scim+json");
  EXPECT_EQ(config.Header("cache-control"), "no-store");
  EXPECT_TRUE(config.json["patch"]["supported"]);
  EXPECT_FALSE(config.json["bulk"]["supported"]);
  EXPECT_TRUE(config.json["filter"]["supported"]);
  EXPECT_EQ(config.json["filter"]["maxResults"], 200);
  EXPECT_FALSE(config.json["etag"]["supported"]);
  EXPECT_EQ(config.json["authenticationSchemes"][0]["type"], "oauthbearertoken");

  HttpResponse types = Scim("GET", "/ResourceTypes");
  ASSERT_EQ(types.status, 200);
  EXPECT_EQ(types.json["totalResults"], 2);
  EXPECT_EQ(types.json["Resources"][0]["endpoint"], "/Users");
  EXPECT_EQ(types.json["Resources"][1]["endpoint"], "/Groups");
  EXPECT_EQ(Scim("GET", "/ResourceTypes/Group").json["schema"],
            "urn:ietf:params:scim:schemas:core:2.0:Group");
  ExpectScimError(Scim("GET", "/ResourceTypes/Device"), 404, "");

  HttpResponse schemas = Scim("GET", "/Schemas");
  ASSERT_EQ(schemas.status, 200);
  EXPECT_EQ(schemas.json["totalResults"], 2);
  HttpResponse user = Scim("GET", "/Schemas/urn:ietf:params:scim:schemas:core:2.0:User");
  ASSERT_EQ(user.status, 200) << user.body;
  std::set<std::string> attributes;
  for (const auto& attribute : user.json["attributes"]) {
    attributes.insert(attribute["name"]);
    // userName is set at creation and never changed (400 mutability): RFC
    // 7643's word for that is immutable.
    if (attribute["name"] == "userName") EXPECT_EQ(attribute["mutability"], "immutable");
  }
  EXPECT_EQ(attributes, (std::set<std::string>{"userName", "externalId", "displayName", "active",
                                               "name", "emails", "roles"}));
}

TEST_F(ScimTest, OktaCreatesFindsUpdatesAndGroupsAUser) {
  // Okta first looks the person up by userName; nobody yet.
  HttpResponse none = Scim("GET", "/Users?filter=" + Encode("userName eq \"test.user@okta.local\"") +
                                      "&startIndex=1&count=100");
  ASSERT_EQ(none.status, 200) << none.body;
  EXPECT_EQ(none.json["schemas"], json::array({"urn:ietf:params:scim:api:messages:2.0:ListResponse"}));
  EXPECT_EQ(none.json["totalResults"], 0);
  EXPECT_EQ(none.json["Resources"], json::array());

  HttpResponse created = Scim("POST", "/Users", Recorded("okta/create_user.json"));
  ASSERT_EQ(created.status, 201) << created.body;
  std::string id = created.json["id"];
  EXPECT_EQ(created.Header("location"), "https://roster.acme.test/scim/v2/Users/" + id);
  EXPECT_EQ(created.json["userName"], "test.user@okta.local");
  EXPECT_EQ(created.json["externalId"], "00ujl29u0le5T6Aj10h7");
  EXPECT_EQ(created.json["name"]["givenName"], "Test");
  EXPECT_EQ(created.json["name"]["familyName"], "User");
  EXPECT_EQ(created.json["displayName"], "Test User");
  EXPECT_EQ(created.json["active"], true);
  EXPECT_EQ(created.json["emails"][0]["value"], "test.user@okta.local");
  EXPECT_EQ(created.json["roles"][0]["value"], "user");
  EXPECT_EQ(created.json["meta"]["resourceType"], "User");
  EXPECT_EQ(created.json["meta"]["location"], created.Header("location"));
  EXPECT_FALSE(created.json.contains("password"));
  // Invited as SPEC section 2 step 4: a one-time password by e-mail.
  EXPECT_FALSE(WaitForOneTimePassword("test.user@okta.local").empty());
  json member = Member(id);
  EXPECT_EQ(member["status"], "invited");
  EXPECT_EQ(member["name"], "Test User");

  HttpResponse found = Scim("GET", "/Users?filter=" + Encode("userName eq \"Test.User@OKTA.local\"") +
                                       "&startIndex=1&count=100");
  ASSERT_EQ(found.status, 200);
  ASSERT_EQ(found.json["totalResults"], 1);
  EXPECT_EQ(found.json["Resources"][0]["id"], id);
  EXPECT_EQ(Scim("GET", "/Users/" + id).json, created.json);

  HttpResponse replaced = Scim("PUT", "/Users/" + id, Recorded("okta/replace_user.json", {{"user_id", id}}));
  ASSERT_EQ(replaced.status, 200) << replaced.body;
  EXPECT_EQ(replaced.json["name"]["givenName"], "Another");
  EXPECT_EQ(replaced.json["displayName"], "Another User");
  EXPECT_EQ(Scim("GET", "/Users/" + id).json["name"]["givenName"], "Another");

  // Group push: an assistant, its members the users assigned to it.
  HttpResponse group = Scim("POST", "/Groups", Recorded("okta/create_group.json"));
  ASSERT_EQ(group.status, 201) << group.body;
  std::string group_id = group.json["id"];
  EXPECT_EQ(group.json["displayName"], "Test SCIMv2");
  EXPECT_EQ(group.json["members"], json::array());
  HttpResponse assistants = admin_->Get(OrgPath("/assistants"));
  ASSERT_EQ(assistants.json["items"].size(), 1u);
  EXPECT_EQ(assistants.json["items"][0]["id"], group_id);

  HttpResponse added = Scim("PATCH", "/Groups/" + group_id, Recorded("okta/add_member.json", {{"user_id", id}}));
  ASSERT_EQ(added.status, 200) << added.body;
  EXPECT_EQ(MemberIds(added.json), std::vector<std::string>{id});
  EXPECT_EQ(admin_->Get(OrgPath("/assistants/" + group_id + "/users")).json["items"][0]["user_id"], id);

  HttpResponse renamed = Scim("PATCH", "/Groups/" + group_id, Recorded("okta/rename_group.json", {{"group_id", group_id}}));
  ASSERT_EQ(renamed.status, 200) << renamed.body;
  EXPECT_EQ(renamed.json["displayName"], "Test SCIMv2 renamed");
  EXPECT_EQ(admin_->Get(OrgPath("/assistants")).json["items"][0]["name"], "Test SCIMv2 renamed");

  HttpResponse removed = Scim("PATCH", "/Groups/" + group_id, Recorded("okta/remove_member.json", {{"user_id", id}}));
  ASSERT_EQ(removed.status, 200) << removed.body;
  EXPECT_EQ(removed.json["members"], json::array());
  EXPECT_EQ(admin_->Get(OrgPath("/assistants/" + group_id + "/users")).json["items"].size(), 0u);

  // What the key did is audited under the key.
  HttpResponse audit = admin_->Get(OrgPath("/audit-events?limit=200"));
  ASSERT_EQ(audit.status, 200);
  std::set<std::string> actions;
  for (const auto& event : audit.json["items"]) {
    // The organization's bootstrap and the admin's own doings.
    if (!event["actor_user_id"].is_null() || event["action"] == "organization_created") continue;
    actions.insert(event["action"]);
    EXPECT_TRUE(event["actor_user_id"].is_null()) << event.dump();
    EXPECT_EQ(event["actor_api_key_id"], key_id_) << event.dump();
  }
  EXPECT_EQ(actions, (std::set<std::string>{"invited", "scim_user_updated", "assistant_created",
                                            "assistant_user_assigned", "assistant_renamed",
                                            "assistant_user_unassigned"}));
}

TEST_F(ScimTest, EntraCreatesFindsUpdatesAndGroupsAUser) {
  // Entra's connection test: a filter that matches nobody.
  HttpResponse none = FindUser("userName", "non-existent user");
  ASSERT_EQ(none.status, 200) << none.body;
  EXPECT_EQ(none.json["totalResults"], 0);

  HttpResponse created = Scim("POST", "/Users", Recorded("entra/create_user.json"));
  ASSERT_EQ(created.status, 201) << created.body;
  std::string id = created.json["id"];
  EXPECT_EQ(created.json["externalId"], "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef");
  EXPECT_EQ(created.json["name"]["formatted"], "givenName familyName");
  EXPECT_EQ(Member(id)["name"], "givenName familyName");
  EXPECT_EQ(Member(id)["role"], "user");  // "roles": [] leaves the default

  HttpResponse by_external = FindUser("externalId", "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef");
  ASSERT_EQ(by_external.json["totalResults"], 1) << by_external.body;
  EXPECT_EQ(by_external.json["Resources"][0]["id"], id);

  HttpResponse updated = Scim("PATCH", "/Users/" + id, Recorded("entra/update_user.json"));
  ASSERT_EQ(updated.status, 200) << updated.body;
  EXPECT_EQ(updated.json["name"]["familyName"], "updatedFamilyName");
  // The e-mail is userName and the account's: the work e-mail Entra sends
  // is accepted and not kept.
  EXPECT_EQ(updated.json["userName"], "test_user_ab6490ee@testuser.com");
  EXPECT_EQ(updated.json["emails"][0]["value"], "test_user_ab6490ee@testuser.com");

  HttpResponse manager = Scim("PATCH", "/Users/" + id, Recorded("entra/update_manager.json"));
  EXPECT_EQ(manager.status, 200) << manager.body;

  HttpResponse group = Scim("POST", "/Groups", Recorded("entra/create_group.json"));
  ASSERT_EQ(group.status, 201) << group.body;
  std::string group_id = group.json["id"];
  HttpResponse by_name = Scim("GET", "/Groups?excludedAttributes=members&filter=" +
                                         Encode("displayName eq \"DISPLAYNAME\""));
  ASSERT_EQ(by_name.status, 200) << by_name.body;
  ASSERT_EQ(by_name.json["totalResults"], 1);
  EXPECT_EQ(by_name.json["Resources"][0]["id"], group_id);
  EXPECT_FALSE(by_name.json["Resources"][0].contains("members"));

  HttpResponse added = Scim("PATCH", "/Groups/" + group_id, Recorded("entra/add_member.json", {{"user_id", id}}));
  ASSERT_EQ(added.status, 200) << added.body;
  EXPECT_EQ(MemberIds(added.json), std::vector<std::string>{id});
  HttpResponse removed = Scim("PATCH", "/Groups/" + group_id, Recorded("entra/remove_member.json", {{"user_id", id}}));
  ASSERT_EQ(removed.status, 200) << removed.body;
  EXPECT_EQ(MemberIds(removed.json), std::vector<std::string>{});
  HttpResponse renamed = Scim("PATCH", "/Groups/" + group_id, Recorded("entra/rename_group.json"));
  ASSERT_EQ(renamed.status, 200) << renamed.body;
  EXPECT_EQ(renamed.json["displayName"], "1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName");

  // An assistant is not deleted by an identity provider.
  ExpectScimError(Scim("DELETE", "/Groups/" + group_id), 405, "");
  EXPECT_EQ(Scim("GET", "/Groups/" + group_id).status, 200);

  HttpResponse deleted = Scim("DELETE", "/Users/" + id);
  EXPECT_EQ(deleted.status, 204) << deleted.body;
  ExpectScimError(Scim("GET", "/Users/" + id), 404, "");
  EXPECT_EQ(admin_->Get(OrgPath("/members/" + id)).status, 404);
  EXPECT_EQ(FindUser("userName", "test_user_ab6490ee@testuser.com").json["totalResults"], 0);
}

TEST_F(ScimTest, FiltersFollowTheCaseRulesOfEachAttribute) {
  std::string id = CreateUser("case@acme.test", "Ext-ABC");
  EXPECT_EQ(FindUser("USERNAME", "CASE@acme.TEST").json["totalResults"], 1);
  EXPECT_EQ(FindUser("externalId", "Ext-ABC").json["totalResults"], 1);
  // externalId is case-exact (RFC 7643 section 3.1).
  EXPECT_EQ(FindUser("externalId", "ext-abc").json["totalResults"], 0);
  EXPECT_EQ(FindUser("displayName", "pat DOE").json["totalResults"], 1);
  EXPECT_EQ(FindUser("displayName", "Ada Admin").json["totalResults"], 1);
  EXPECT_EQ(FindUser("userName", "nobody@acme.test").json["totalResults"], 0);
  // A filter with escapes in its string.
  HttpResponse quoted = Scim("GET", "/Users?filter=" + Encode(R"(displayName eq "a \"quoted\" name")"));
  EXPECT_EQ(quoted.status, 200) << quoted.body;
  EXPECT_EQ(quoted.json["totalResults"], 0);
}

TEST_F(ScimTest, UsersArePagedByStartIndexAndCount) {
  std::vector<std::string> ids = {admin_id_};
  for (int i = 0; i < 5; ++i) ids.push_back(CreateUser("page" + std::to_string(i) + "@acme.test"));

  HttpResponse page = Scim("GET", "/Users?startIndex=2&count=2");
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_EQ(page.json["totalResults"], 6);
  EXPECT_EQ(page.json["startIndex"], 2);
  EXPECT_EQ(page.json["itemsPerPage"], 2);
  ASSERT_EQ(page.json["Resources"].size(), 2u);
  EXPECT_EQ(page.json["Resources"][0]["id"], ids[1]);
  EXPECT_EQ(page.json["Resources"][1]["id"], ids[2]);

  std::vector<std::string> walked;
  for (int start = 1; start <= 6; start += 4) {
    HttpResponse next = Scim("GET", "/Users?startIndex=" + std::to_string(start) + "&count=4");
    for (const auto& user : next.json["Resources"]) walked.push_back(user["id"]);
  }
  EXPECT_EQ(walked, ids);

  HttpResponse counted = Scim("GET", "/Users?count=0");
  EXPECT_EQ(counted.json["totalResults"], 6);
  EXPECT_EQ(counted.json["Resources"], json::array());
  // startIndex below 1 is 1; a negative count is 0 (RFC 7644 3.4.2.4).
  EXPECT_EQ(Scim("GET", "/Users?startIndex=-3&count=1").json["Resources"][0]["id"], ids[0]);
  EXPECT_EQ(Scim("GET", "/Users?count=-1").json["Resources"].size(), 0u);
  HttpResponse past = Scim("GET", "/Users?startIndex=50");
  EXPECT_EQ(past.json["totalResults"], 6);
  EXPECT_EQ(past.json["Resources"].size(), 0u);
  EXPECT_EQ(Scim("GET", "/Users?count=100000").json["Resources"].size(), 6u);
  ExpectScimError(Scim("GET", "/Users?startIndex=first"), 400, "invalidValue");
  ExpectScimError(Scim("GET", "/Users?count=1.5"), 400, "invalidValue");

  HttpResponse groups = Scim("GET", "/Groups?startIndex=1&count=10");
  EXPECT_EQ(groups.json["totalResults"], 0);
}

TEST_F(ScimTest, EveryScimErrorForm) {
  std::string id = CreateUser("pat@acme.test");
  // 409 uniqueness: the userName is a member already, in any case.
  ExpectScimError(Scim("POST", "/Users", {{"userName", "PAT@acme.test"}}), 409, "uniqueness");
  ASSERT_EQ(Scim("POST", "/Groups", {{"displayName", "Bots"}}).status, 201);
  ExpectScimError(Scim("POST", "/Groups", {{"displayName", "BOTS"}}), 409, "uniqueness");
  // A rename to another group's name too; its own name in another case is no conflict.
  HttpResponse humans = Scim("POST", "/Groups", {{"displayName", "Humans"}});
  ASSERT_EQ(humans.status, 201);
  std::string humans_path = "/Groups/" + humans.json["id"].get<std::string>();
  ExpectScimError(Scim("PUT", humans_path, {{"displayName", "bots"}}), 409, "uniqueness");
  EXPECT_EQ(Scim("PUT", humans_path, {{"displayName", "HUMANS"}}).status, 200);

  // 400 invalidFilter
  for (const char* filter : {"userName co \"pat\"", "title eq \"x\"", "userName eq pat",
                             "userName eq \"a\" and externalId eq \"b\"", "garbage"}) {
    ExpectScimError(Scim("GET", "/Users?filter=" + Encode(filter)), 400, "invalidFilter");
  }
  ExpectScimError(Scim("GET", "/Groups?filter=" + Encode("members eq \"1\"")), 400, "invalidFilter");

  // 400 invalidValue
  ExpectScimError(Scim("POST", "/Users", {{"name", {{"givenName", "No"}}}}), 400, "invalidValue");
  ExpectScimError(Scim("POST", "/Users", {{"userName", "not an e-mail"}}), 400, "invalidValue");
  ExpectScimError(Scim("POST", "/Users", {{"userName", 42}}), 400, "invalidValue");
  ExpectScimError(Scim("POST", "/Users", {{"userName", "r@acme.test"}, {"roles", {{{"value", "boss"}}}}}),
                  400, "invalidValue");
  ExpectScimError(Scim("PATCH", "/Users/" + id,
                       {{"Operations", {{{"op", "replace"}, {"path", "active"}, {"value", "maybe"}}}}}),
                  400, "invalidValue");
  ExpectScimError(Scim("POST", "/Users", {{"userName", "long@acme.test"},
                                          {"name", {{"givenName", std::string(201, 'a')}}}}),
                  400, "invalidValue");
  ExpectScimError(Scim("POST", "/Groups", {{"displayName", "Team"}, {"members", {{{"value", "999999"}}}}}),
                  400, "invalidValue");

  // 400 invalidSyntax
  auto client = NewClient();
  HttpResponse malformed = client->Send("POST", "/scim/v2/Users", "{\"userName\": ",
                                        {{"Authorization", "Bearer " + key_},
                                         {"Content-Type", "application/scim+json"}});
  ExpectScimError(malformed, 400, "invalidSyntax");
  ExpectScimError(Scim("PATCH", "/Users/" + id, {{"schemas", {"urn:ietf:params:scim:api:messages:2.0:PatchOp"}}}),
                  400, "invalidSyntax");
  ExpectScimError(Scim("PATCH", "/Users/" + id, {{"Operations", {{{"op", "move"}, {"path", "active"}}}}}),
                  400, "invalidSyntax");

  // 400 noTarget
  ExpectScimError(Scim("PATCH", "/Users/" + id, {{"Operations", {{{"op", "remove"}}}}}), 400, "noTarget");
  ExpectScimError(Scim("PATCH", "/Users/" + id,
                       {{"Operations", {{{"op", "replace"}, {"path", "emails[type eq \"home\"].value"},
                                         {"value", "pat@home.test"}}}}}),
                  400, "noTarget");
  // Pat is a user: a filter on the admin role selects nothing.
  for (const json& operation :
       {json{{"op", "remove"}, {"path", "roles[value eq \"admin\"]"}},
        json{{"op", "replace"}, {"path", "roles[value eq \"admin\"].value"}, {"value", "user"}}}) {
    ExpectScimError(Scim("PATCH", "/Users/" + id, {{"Operations", {operation}}}), 400, "noTarget");
  }
  EXPECT_EQ(Scim("PATCH", "/Users/" + id,
                 {{"Operations", {{{"op", "replace"}, {"path", "roles[value eq \"user\"].value"},
                                   {"value", "admin"}}}}})
                .status,
            200);
  EXPECT_EQ(Member(id)["role"], "admin");
  HttpResponse group = Scim("POST", "/Groups", {{"displayName", "Empty"}});
  const std::string group_path = "/Groups/" + group.json["id"].get<std::string>();
  ExpectScimError(Scim("PATCH", group_path,
                       {{"Operations", {{{"op", "remove"}, {"path", "members[value eq \"x\"]"}}}}}),
                  400, "noTarget");
  // Removing someone not in the group is done already, by a filter as by a
  // value list (he was unassigned in the console before the push).
  EXPECT_EQ(
      Scim("PATCH", group_path,
           {{"Operations", {{{"op", "remove"}, {"path", "members[value eq \"" + id + "\"]"}}}}})
          .status,
      200);
  EXPECT_EQ(Scim("PATCH", group_path,
                 {{"Operations",
                   {{{"op", "remove"}, {"path", "members"}, {"value", {{{"value", id}}}}}}}})
                .status,
            200);

  // 400 invalidPath
  ExpectScimError(Scim("PATCH", "/Users/" + id,
                       {{"Operations", {{{"op", "replace"}, {"path", "name[given"}, {"value", "x"}}}}}),
                  400, "invalidPath");

  // 400 mutability: userName is the account's e-mail, in every organization.
  ExpectScimError(Scim("PUT", "/Users/" + id, {{"userName", "other@acme.test"}}), 400, "mutability");
  ExpectScimError(Scim("PATCH", "/Users/" + id,
                       {{"Operations", {{{"op", "Replace"}, {"path", "userName"}, {"value", "x@acme.test"}}}}}),
                  400, "mutability");
  ExpectScimError(Scim("PATCH", "/Users/" + id,
                       {{"Operations", {{{"op", "replace"}, {"value", {{"id", "999999"}}}}}}}),
                  400, "mutability");
  EXPECT_EQ(Scim("GET", "/Users/" + id).json["userName"], "pat@acme.test");

  // 404: unknown ids, and ids that cannot be ids.
  ExpectScimError(Scim("GET", "/Users/999999"), 404, "");
  ExpectScimError(Scim("GET", "/Users/abc"), 404, "");
  ExpectScimError(Scim("PATCH", "/Users/999999", {{"Operations", {{{"op", "remove"}, {"path", "externalId"}}}}}), 404, "");
  ExpectScimError(Scim("DELETE", "/Users/999999"), 404, "");
  ExpectScimError(Scim("GET", "/Groups/999999"), 404, "");

  // 415: a body that does not say it is JSON.
  HttpResponse text = client->Send("POST", "/scim/v2/Users", "userName=x",
                                   {{"Authorization", "Bearer " + key_}, {"Content-Type", "text/plain"}});
  ExpectScimError(text, 415, "");

  // 409 from the rules of the API: the last admin cannot be made a user.
  ExpectScimError(Scim("PATCH", "/Users/" + admin_id_,
                       {{"Operations", {{{"op", "replace"}, {"path", "roles"}, {"value", {{{"value", "user"}}}}}}}}),
                  409, "");
}

// The filter finds a user by the displayName he is answered with, however
// it was made: name.formatted, the given and family names, the account's.
TEST_F(ScimTest, DisplayNameFiltersFindTheDisplayNameAnswered) {
  HttpResponse split = Scim("POST", "/Users", {{"userName", "bob@acme.test"},
                                               {"name", {{"givenName", "Bob"}, {"familyName", "Again"}}}});
  ASSERT_EQ(split.status, 201) << split.body;
  EXPECT_EQ(split.json["displayName"], "Bob Again");
  HttpResponse given = Scim("POST", "/Users", {{"userName", "cy@acme.test"},
                                               {"name", {{"givenName", "Cyrano"}}}});
  ASSERT_EQ(given.status, 201) << given.body;
  HttpResponse formatted = Scim("POST", "/Users", {{"userName", "di@acme.test"},
                                                   {"name", {{"givenName", "Di"}, {"formatted", "Lady Di"}}}});
  ASSERT_EQ(formatted.status, 201) << formatted.body;
  for (const auto& [display, user] : std::vector<std::pair<std::string, HttpResponse*>>{
           {"bob again", &split}, {"Cyrano", &given}, {"LADY DI", &formatted},
           {"Ada Admin", nullptr}}) {
    HttpResponse found = FindUser("displayName", display);
    ASSERT_EQ(found.json["totalResults"], 1) << display << " " << found.body;
    if (user != nullptr) {
      EXPECT_EQ(found.json["Resources"][0]["id"], user->json["id"]) << display;
    }
  }
  EXPECT_EQ(FindUser("displayName", "Di").json["totalResults"], 0);
  // Renamed by the identity provider: his account keeps "Bob Again".
  std::string bob = split.json["id"];
  HttpResponse renamed = Scim("PATCH", "/Users/" + bob,
                              {{"Operations", {{{"op", "replace"}, {"path", "name.givenName"},
                                                {"value", "Robert"}}}}});
  ASSERT_EQ(renamed.json["displayName"], "Robert Again") << renamed.body;
  EXPECT_EQ(FindUser("displayName", "Robert Again").json["totalResults"], 1);
  EXPECT_EQ(FindUser("displayName", "Bob Again").json["totalResults"], 0);
}

// Entra ID and Okta fill displayName and name.formatted from different
// sources and send both on every sync: each is kept as sent, and sending
// them again changes (and audits) nothing.
TEST_F(ScimTest, DisplayNameAndFormattedNameAreKeptApart) {
  HttpResponse created = Scim("POST", "/Users", {{"userName", "dana@acme.test"},
                                                 {"displayName", "Dana S."},
                                                 {"name", {{"formatted", "Dana Scully"}}}});
  ASSERT_EQ(created.status, 201) << created.body;
  std::string id = created.json["id"];
  EXPECT_EQ(created.json["displayName"], "Dana S.");
  EXPECT_EQ(created.json["name"]["formatted"], "Dana Scully");
  EXPECT_EQ(Member(id)["name"], "Dana Scully");

  json sync = {{"Operations", {{{"op", "Replace"}, {"path", "displayName"}, {"value", "Agent Scully"}},
                               {{"op", "Replace"}, {"path", "name.formatted"}, {"value", "Dana Scully"}}}}};
  HttpResponse synced = Scim("PATCH", "/Users/" + id, sync);
  ASSERT_EQ(synced.status, 200) << synced.body;
  EXPECT_EQ(synced.json["displayName"], "Agent Scully");
  EXPECT_EQ(synced.json["name"]["formatted"], "Dana Scully");
  auto profile_edits = [&] {
    HttpResponse audit = admin_->Get(OrgPath("/audit-events?action=scim_user_updated&limit=200"));
    EXPECT_EQ(audit.status, 200) << audit.body;
    return audit.json["items"].size();
  };
  std::size_t edits = profile_edits();
  ASSERT_EQ(Scim("PATCH", "/Users/" + id, sync).status, 200);
  EXPECT_EQ(profile_edits(), edits) << "the same values again are no change";

  EXPECT_EQ(FindUser("displayName", "AGENT SCULLY").json["totalResults"], 1);
  EXPECT_EQ(FindUser("displayName", "Dana Scully").json["totalResults"], 0);
  HttpResponse group = Scim("POST", "/Groups", {{"displayName", "X-Files"}, {"members", {{{"value", id}}}}});
  ASSERT_EQ(group.status, 201) << group.body;
  EXPECT_EQ(group.json["members"][0]["display"], "Agent Scully");

  // Taking the name away keeps the displayName, and the other way round.
  HttpResponse nameless = Scim("PATCH", "/Users/" + id, {{"Operations", {{{"op", "remove"}, {"path", "name"}}}}});
  ASSERT_EQ(nameless.status, 200) << nameless.body;
  EXPECT_EQ(nameless.json["displayName"], "Agent Scully");
  HttpResponse named = Scim("PATCH", "/Users/" + id,
                            {{"Operations", {{{"op", "add"}, {"path", "name.formatted"}, {"value", "Dana Scully"}},
                                             {{"op", "remove"}, {"path", "displayName"}}}}});
  ASSERT_EQ(named.status, 200) << named.body;
  EXPECT_EQ(named.json["displayName"], "Dana Scully");
  EXPECT_EQ(named.json["name"]["formatted"], "Dana Scully");
}

// A member invited in Roster as "Kim Park", whom Entra then links: a
// PATCH of his given name alone keeps the family name he was answered with
// (RFC 7644 section 3.5.2.3); it started from the parts stored, none, and
// left {givenName: Kimberly} and displayName "Kimberly". A PATCH of
// `active` alone stores no name parts and audits no profile edit.
TEST_F(ScimTest, APatchOfOneNamePartKeepsTheOthersAsAnswered) {
  std::string id = Invite("kim@acme.test", "Kim Park");
  HttpResponse linked = Scim("GET", "/Users/" + id);
  ASSERT_EQ(linked.status, 200) << linked.body;
  EXPECT_EQ(linked.json["name"],
            json({{"givenName", "Kim"}, {"familyName", "Park"}, {"formatted", "Kim Park"}}));

  HttpResponse disabled =
      Scim("PATCH", "/Users/" + id,
           {{"Operations", {{{"op", "replace"}, {"path", "active"}, {"value", "False"}}}}});
  ASSERT_EQ(disabled.status, 200) << disabled.body;
  HttpResponse edits = admin_->Get(OrgPath("/audit-events?action=scim_user_updated"));
  ASSERT_EQ(edits.status, 200) << edits.body;
  EXPECT_TRUE(edits.json["items"].empty()) << edits.body;

  HttpResponse renamed = Scim(
      "PATCH", "/Users/" + id,
      {{"Operations", {{{"op", "Replace"}, {"path", "name.givenName"}, {"value", "Kimberly"}}}}});
  ASSERT_EQ(renamed.status, 200) << renamed.body;
  EXPECT_EQ(
      renamed.json["name"],
      json({{"givenName", "Kimberly"}, {"familyName", "Park"}, {"formatted", "Kimberly Park"}}));
  EXPECT_EQ(renamed.json["displayName"], "Kimberly Park");
}

// RFC 7644 section 3.5.2: a PATCH is done whole or not at all, and two at
// once of one user each apply to what the other left. They read the user
// before either wrote him, and one change was lost (3 rounds in 30) while
// both answered 200.
TEST_F(ScimTest, TwoPatchesOfOneUserAtOnceKeepBothChanges) {
  std::string id = CreateUser("pat@acme.test");
  for (int round = 0; round < 30; ++round) {
    const std::string given = "Given" + std::to_string(round);
    const std::string external = "ext-" + std::to_string(round);
    auto replace = [&](const std::string& path, const std::string& value) {
      return std::async(std::launch::async, [this, id, path, value] {
        return Scim("PATCH", "/Users/" + id,
                    {{"Operations", {{{"op", "replace"}, {"path", path}, {"value", value}}}}})
            .status;
      });
    };
    auto name = replace("name.givenName", given);
    auto external_id = replace("externalId", external);
    ASSERT_EQ(name.get(), 200);
    ASSERT_EQ(external_id.get(), 200);
    HttpResponse user = Scim("GET", "/Users/" + id);
    ASSERT_EQ(user.json["name"]["givenName"], given) << "round " << round;
    ASSERT_EQ(user.json["externalId"], external) << "round " << round;
  }
}

// A group's PATCH that renames it, adds one user and takes off one who owns
// leads on it is refused whole. The rename and the addition come first in
// the request's one transaction, and the refusal rolls them back (they
// were separate transactions, each committed, behind a check of the leads
// made before them that a lead created meanwhile got past).
TEST_F(ScimTest, AGroupChangeRefusedForOneMemberChangesNothing) {
  std::string pat = CreateUser("pat@acme.test");
  std::string sam = CreateUser("sam@acme.test");
  HttpResponse group =
      Scim("POST", "/Groups", {{"displayName", "Outbound"}, {"members", {{{"value", sam}}}}});
  ASSERT_EQ(group.status, 201) << group.body;
  std::string group_id = group.json["id"];
  HttpResponse lead = admin_->Post(OrgPath("/leads"), {{"name", "Lena"},
                                                       {"email", "lena@example.com"},
                                                       {"assistant_id", group_id},
                                                       {"owner_id", sam}});
  ASSERT_EQ(lead.status, 201) << lead.body;

  json change = {{"Operations",
                  {{{"op", "replace"}, {"value", {{"displayName", "Outbound EU"}}}},
                   {{"op", "add"}, {"path", "members"}, {"value", {{{"value", pat}}}}},
                   {{"op", "remove"}, {"path", "members[value eq \"" + sam + "\"]"}}}}};
  ExpectScimError(Scim("PATCH", "/Groups/" + group_id, change), 409, "");
  HttpResponse after = Scim("GET", "/Groups/" + group_id);
  EXPECT_EQ(after.json["displayName"], "Outbound");
  EXPECT_EQ(MemberIds(after.json), std::vector<std::string>{sam});
  HttpResponse renames = admin_->Get(OrgPath("/audit-events?action=assistant_renamed"));
  ASSERT_EQ(renames.status, 200) << renames.body;
  EXPECT_TRUE(renames.json["items"].empty()) << renames.body;
}

TEST_F(ScimTest, RolesMapToTheMembersRole) {
  HttpResponse created = Scim("POST", "/Users", {{"userName", "boss@acme.test"},
                                                  {"roles", {{{"value", "admin"}, {"primary", true}}}}});
  ASSERT_EQ(created.status, 201) << created.body;
  std::string id = created.json["id"];
  EXPECT_EQ(created.json["roles"][0]["value"], "admin");
  EXPECT_EQ(Member(id)["role"], "admin");
  HttpResponse demoted = Scim("PATCH", "/Users/" + id,
                              {{"Operations", {{{"op", "Replace"}, {"path", "roles[primary eq \"True\"].value"},
                                                {"value", "User"}}}}});
  ASSERT_EQ(demoted.status, 200) << demoted.body;
  EXPECT_EQ(demoted.json["roles"][0]["value"], "user");
  EXPECT_EQ(Member(id)["role"], "user");
  // A path-less value object whose keys are paths.
  HttpResponse renamed = Scim("PATCH", "/Users/" + id,
                              {{"Operations", {{{"op", "add"}, {"value", {{"name.givenName", "Bea"},
                                                                           {"externalId", "b-1"}}}}}}});
  ASSERT_EQ(renamed.status, 200) << renamed.body;
  EXPECT_EQ(renamed.json["name"]["givenName"], "Bea");
  EXPECT_EQ(renamed.json["externalId"], "b-1");
  HttpResponse cleared = Scim("PATCH", "/Users/" + id,
                              {{"Operations", {{{"op", "remove"}, {"path", "externalId"}}}}});
  EXPECT_FALSE(cleared.json.contains("externalId")) << cleared.body;
}

TEST_F(ScimTest, GroupMembersCanBeReplacedAndLeadsStayWithTheirOwner) {
  std::string pat = CreateUser("pat@acme.test");
  std::string sam = CreateUser("sam@acme.test");
  HttpResponse group = Scim("POST", "/Groups", {{"displayName", "Outbound"}, {"members", {{{"value", pat}}}}});
  ASSERT_EQ(group.status, 201) << group.body;
  std::string group_id = group.json["id"];
  EXPECT_EQ(MemberIds(group.json), std::vector<std::string>{pat});

  HttpResponse replaced = Scim("PATCH", "/Groups/" + group_id,
                               {{"Operations", {{{"op", "replace"}, {"path", "members"},
                                                 {"value", {{{"value", sam}}, {{"value", admin_id_}}}}}}}});
  ASSERT_EQ(replaced.status, 200) << replaced.body;
  std::vector<std::string> expected = {admin_id_, sam};
  std::sort(expected.begin(), expected.end(), [](const auto& a, const auto& b) { return std::stoll(a) < std::stoll(b); });
  EXPECT_EQ(MemberIds(replaced.json), expected);

  // Sam owns a lead on the assistant: taking him off would leave it
  // without an owner, so the change is refused and nothing moves.
  HttpResponse lead = admin_->Post(OrgPath("/leads"), {{"name", "Lena"}, {"email", "lena@example.com"},
                                                       {"assistant_id", group_id}, {"owner_id", sam}});
  ASSERT_EQ(lead.status, 201) << lead.body;
  HttpResponse refused = Scim("PATCH", "/Groups/" + group_id,
                              {{"Operations", {{{"op", "remove"}, {"path", "members[value eq \"" + sam + "\"]"}}}}});
  ExpectScimError(refused, 409, "");
  EXPECT_EQ(MemberIds(Scim("GET", "/Groups/" + group_id).json), expected);

  HttpResponse all_removed = Scim("PATCH", "/Groups/" + group_id,
                                  {{"Operations", {{{"op", "remove"}, {"path", "members"}}}}});
  ExpectScimError(all_removed, 409, "");
  HttpResponse put = Scim("PUT", "/Groups/" + group_id, {{"displayName", "Outbound EU"}});
  ASSERT_EQ(put.status, 200) << put.body;
  EXPECT_EQ(put.json["displayName"], "Outbound EU");
  EXPECT_EQ(MemberIds(put.json), expected);  // PUT without members keeps them
}

TEST_F(ScimTest, OnlyTheOrganizationsScimKeyGetsIn) {
  std::string id = CreateUser("pat@acme.test");
  // No credential: 401 with the scheme to use.
  HttpResponse anonymous = Scim("GET", "/Users", nullptr, "");
  ExpectScimError(anonymous, 401, "");
  EXPECT_EQ(anonymous.Header("www-authenticate"), "Bearer realm=\"roster\"");
  ExpectScimError(Scim("GET", "/Users", nullptr, "rk_unknown"), 401, "");
  // A person's session is no SCIM credential, not even an admin's.
  HttpResponse cookie = admin_->Get("/scim/v2/Users");
  ExpectScimError(cookie, 401, "");
  // Keys of other scopes may not provision.
  for (const char* scope : {"admin", "read"}) {
    HttpResponse other = admin_->Post(OrgPath("/api-keys"), {{"name", scope}, {"scope", scope}});
    ASSERT_EQ(other.status, 201);
    ExpectScimError(Scim("GET", "/Users", nullptr, other.json["key"].get<std::string>()), 403, "");
    ExpectScimError(Scim("POST", "/Users", {{"userName", "x@acme.test"}}, other.json["key"].get<std::string>()),
                    403, "");
    // Who may call comes before what the request says.
    ExpectScimError(Scim("POST", "/Users", {{"userName", 5}}, other.json["key"].get<std::string>()),
                    403, "");
  }
  // A revoked key fails at once.
  HttpResponse second = admin_->Post(OrgPath("/api-keys"), {{"name", "Entra"}, {"scope", "scim"}});
  std::string second_key = second.json["key"];
  ASSERT_EQ(Scim("GET", "/Users", nullptr, second_key).status, 200);
  ASSERT_EQ(admin_->Delete(OrgPath("/api-keys/" + second.json["id"].get<std::string>())).status, 204);
  ExpectScimError(Scim("GET", "/Users", nullptr, second_key), 401, "");

  // Another organization's scim key sees its own tenant only.
  CommandResult globex = RunRoster({"org", "create", "--name", "Globex", "--admin-email",
                                    "olga@globex.test", "--admin-name", "Olga Other"}, env_);
  ASSERT_EQ(globex.exit_code, 0) << globex.err;
  std::smatch match;
  ASSERT_TRUE(std::regex_search(globex.out, match, std::regex(R"(organization (\d+))")));
  std::string globex_org = match[1];
  ASSERT_TRUE(std::regex_search(globex.out, match, std::regex(R"(one-time password: (\S+))")));
  auto olga = NewClient();
  olga->AcceptInvitation("olga@globex.test", match[1], kMemberPassword);
  HttpResponse globex_key = olga->Post("/api/v1/orgs/" + globex_org + "/api-keys", {{"name", "Okta"}, {"scope", "scim"}});
  ASSERT_EQ(globex_key.status, 201) << globex_key.body;
  std::string other_key = globex_key.json["key"];
  ExpectScimError(Scim("GET", "/Users/" + id, nullptr, other_key), 404, "");
  ExpectScimError(Scim("PATCH", "/Users/" + id, {{"Operations", {{{"op", "replace"}, {"path", "externalId"}, {"value", "x"}}}}}, other_key),
                  404, "");
  ExpectScimError(Scim("DELETE", "/Users/" + id, nullptr, other_key), 404, "");
  HttpResponse listed = Scim("GET", "/Users", nullptr, other_key);
  ASSERT_EQ(listed.json["totalResults"], 1);
  EXPECT_EQ(listed.json["Resources"][0]["userName"], "olga@globex.test");
  EXPECT_EQ(Scim("GET", "/Users/" + id).status, 200);

  // Olga has a password: provisioning her into Acme adds her at once.
  HttpResponse added = Scim("POST", "/Users", {{"userName", "olga@globex.test"}, {"name", {{"formatted", "O. Other"}}}});
  ASSERT_EQ(added.status, 201) << added.body;
  EXPECT_EQ(Member(added.json["id"])["status"], "active");
  // The account keeps its own name; SCIM's name is this organization's.
  EXPECT_EQ(Member(added.json["id"])["name"], "Olga Other");
  EXPECT_EQ(added.json["displayName"], "O. Other");
}


// active:false (Okta's path-less replace, Entra's "False") deactivates
// through the offboarding policy, active:true reactivates, DELETE removes
// through it; a lead with nowhere to go refuses the change whole.
TEST_F(ScimTest, DeactivationAndRemovalGoThroughTheOffboardingPolicy) {
  HttpResponse created = Scim("POST", "/Users", Recorded("okta/create_user.json"));
  ASSERT_EQ(created.status, 201) << created.body;
  std::string id = created.json["id"];
  auto person = NewClient();
  person->AcceptInvitation("test.user@okta.local", WaitForOneTimePassword("test.user@okta.local"),
                           kMemberPassword);
  HttpResponse group = Scim("POST", "/Groups", {{"displayName", "Outbound"}, {"members", {{{"value", id}}}}});
  ASSERT_EQ(group.status, 201) << group.body;
  std::string group_id = group.json["id"];
  HttpResponse lead = admin_->Post(OrgPath("/leads"), {{"name", "Lena"}, {"email", "lena@example.com"},
                                                       {"assistant_id", group_id}, {"owner_id", id}});
  ASSERT_EQ(lead.status, 201) << lead.body;
  std::string lead_path = OrgPath("/leads/" + lead.json["id"].get<std::string>());

  // No heir and no manager: the lead has nowhere to go, so nothing changes.
  HttpResponse refused = Scim("PATCH", "/Users/" + id, Recorded("okta/deactivate_user.json"));
  ExpectScimError(refused, 409, "");
  EXPECT_NE(refused.json.value("detail", "").find("offboarding"), std::string::npos) << refused.body;
  EXPECT_EQ(Member(id)["status"], "active");
  EXPECT_EQ(admin_->Get(lead_path).json["owner_id"], id);

  ASSERT_EQ(admin_->Patch(OrgPath("/settings"), {{"offboarding", {{"heir_user_id", admin_id_}}}}).status, 200);
  HttpResponse deactivated = Scim("PATCH", "/Users/" + id, Recorded("okta/deactivate_user.json"));
  ASSERT_EQ(deactivated.status, 200) << deactivated.body;
  EXPECT_EQ(deactivated.json["active"], false);
  EXPECT_EQ(Member(id)["status"], "deactivated");
  EXPECT_EQ(admin_->Get(lead_path).json["owner_id"], admin_id_);
  // His access ends at once: his session reached only this organization.
  EXPECT_EQ(person->Get(OrgPath()).status, 401);
  EXPECT_EQ(FindUser("userName", "test.user@okta.local").json["Resources"][0]["active"], false);

  HttpResponse reactivated = Scim("PATCH", "/Users/" + id, Recorded("entra/enable_user.json"));
  ASSERT_EQ(reactivated.status, 200) << reactivated.body;
  EXPECT_EQ(reactivated.json["active"], true);
  EXPECT_EQ(Member(id)["status"], "active");
  HttpResponse disabled = Scim("PATCH", "/Users/" + id, Recorded("entra/disable_user.json"));
  ASSERT_EQ(disabled.status, 200) << disabled.body;
  EXPECT_EQ(disabled.json["active"], false);
  // PUT carries active too.
  json whole = Recorded("okta/replace_user.json", {{"user_id", id}});
  HttpResponse put = Scim("PUT", "/Users/" + id, whole);
  ASSERT_EQ(put.status, 200) << put.body;
  EXPECT_EQ(put.json["active"], true);

  // DELETE: his new lead goes to the heir, and he is removed.
  HttpResponse second = admin_->Post(OrgPath("/leads"), {{"name", "Max"}, {"email", "max@example.com"},
                                                         {"assistant_id", group_id}, {"owner_id", id}});
  ASSERT_EQ(second.status, 201) << second.body;
  EXPECT_EQ(Scim("DELETE", "/Users/" + id).status, 204);
  EXPECT_EQ(admin_->Get(OrgPath("/leads/" + second.json["id"].get<std::string>())).json["owner_id"], admin_id_);
  EXPECT_EQ(admin_->Get(OrgPath("/members/" + id)).status, 404);

  // All of it audited under the key.
  std::set<std::string> actions;
  HttpResponse audit = admin_->Get(OrgPath("/audit-events?limit=200"));
  ASSERT_EQ(audit.status, 200) << audit.body;
  for (const auto& event : audit.json["items"]) {
    if (!event["actor_api_key_id"].is_null()) actions.insert(event["action"]);
  }
  for (const char* action : {"member_deactivated", "member_reactivated", "leads_reassigned", "member_removed"}) {
    EXPECT_TRUE(actions.count(action)) << action;
  }
}

// Unassigned before he ever signed in, as Okta and Entra deprovision: his
// invitation's one-time password dies; assigned again, he is invited anew.
TEST_F(ScimTest, AnInvitedPersonDeactivatedByTheProviderCannotJoinUntilEnabled) {
  std::string id = CreateUser("new@acme.test");
  std::string first = WaitForOneTimePassword("new@acme.test", 0);
  HttpResponse okta = Scim("PATCH", "/Users/" + id, Recorded("okta/deactivate_user.json"));
  ASSERT_EQ(okta.status, 200) << okta.body;
  EXPECT_EQ(okta.json["active"], false);
  EXPECT_EQ(Member(id)["status"], "deactivated");
  EXPECT_EQ(NewClient()->Login("new@acme.test", first).Code(), "invalid_credentials");
  // Entra repeats itself: answered as he is.
  EXPECT_EQ(Scim("PATCH", "/Users/" + id, Recorded("entra/disable_user.json")).status, 200);

  HttpResponse enabled = Scim("PATCH", "/Users/" + id, Recorded("entra/enable_user.json"));
  ASSERT_EQ(enabled.status, 200) << enabled.body;
  EXPECT_EQ(enabled.json["active"], true);
  EXPECT_EQ(Member(id)["status"], "invited");
  std::string second = WaitForOneTimePassword("new@acme.test", 1);
  EXPECT_NE(second, first);
  EXPECT_EQ(NewClient()->Login("new@acme.test", second).status, 200);
}

// A body over the server's limit is refused before any handler reads it;
// under /scim/v2 that refusal is a SCIM error too.
TEST_F(ScimTest, ABodyOverTheLimitIsASCIMError) {
  json big = {{"userName", "big@acme.test"}, {"displayName", std::string(2 << 20, 'x')}};
  ExpectScimError(Scim("POST", "/Users", big), 413, "");
  EXPECT_EQ(FindUser("userName", "big@acme.test").json["totalResults"], 0);
}

TEST_F(ScimTest, NobodyIsCreatedInactive) {
  ExpectScimError(Scim("POST", "/Users", {{"userName", "off@acme.test"}, {"active", false}}), 400,
                  "invalidValue");
  EXPECT_EQ(FindUser("userName", "off@acme.test").json["totalResults"], 0);
}

// What the identity provider changes reaches webhooks too (SPEC 7: every
// audited change of the team): a profile edit, a group's new name.
class ScimWebhookTest : public ScimTest {
 protected:
  void SetUp() override {
    env()["ROSTER_WEBHOOK_ALLOW_HTTP"] = "1";
    env()["ROSTER_WEBHOOK_ALLOW_PRIVATE"] = "1";
    ScimTest::SetUp();
    if (HasFatalFailure()) return;
    receiver_.Start();
  }
  test_support::WebhookReceiver receiver_;
};

TEST_F(ScimWebhookTest, AProfileEditAndAGroupRenameAreSent) {
  HttpResponse endpoint = admin_->Post(
      OrgPath("/webhooks"),
      {{"url", receiver_.url()}, {"events", {"member.updated", "assistant.renamed"}}});
  ASSERT_EQ(endpoint.status, 201) << endpoint.body;
  std::string id = CreateUser("pat@acme.test");  // his profile's first values: one event
  json patch = {{"schemas", {"urn:ietf:params:scim:api:messages:2.0:PatchOp"}},
                {"Operations", {{{"op", "replace"}, {"path", "name.givenName"}, {"value", "Patricia"}}}}};
  ASSERT_EQ(Scim("PATCH", "/Users/" + id, patch).status, 200);
  ASSERT_TRUE(receiver_.WaitForRequests(2, std::chrono::seconds(20)));
  for (int i : {0, 1}) {
    json updated = json::parse(receiver_.Requests()[i].body);
    EXPECT_EQ(updated["type"], "member.updated");
    EXPECT_EQ(updated["data"]["user"]["id"], id);
    EXPECT_EQ(updated["data"]["given_name"], i == 0 ? "Pat" : "Patricia");
  }

  HttpResponse group = Scim("POST", "/Groups", {{"displayName", "Aria"}});
  ASSERT_EQ(group.status, 201) << group.body;
  std::string group_id = group.json["id"];
  ASSERT_EQ(Scim("PATCH", "/Groups/" + group_id,
                 Recorded("okta/rename_group.json", {{"group_id", group_id}}))
                .status,
            200);
  ASSERT_TRUE(receiver_.WaitForRequests(3, std::chrono::seconds(20)));
  json renamed = json::parse(receiver_.Requests()[2].body);
  EXPECT_EQ(renamed["type"], "assistant.renamed");
  EXPECT_EQ(renamed["data"]["assistant_id"], group_id);
  EXPECT_EQ(renamed["data"]["from"], "Aria");
  EXPECT_EQ(renamed["data"]["to"], "Test SCIMv2 renamed");
}

}  // namespace
}  // namespace roster::testing
