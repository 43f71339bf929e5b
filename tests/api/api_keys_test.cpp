// Organization API keys (SPEC section 7): shown once, stored hashed, scoped,
// bound to their organization, revoked at once, audited under the key.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "team_fixture.hpp"

namespace roster::testing {
namespace {

class ApiKeysTest : public TeamTest {
 protected:
  // Creates a key as the admin; returns the whole answer.
  HttpResponse CreateKey(const std::string& scope, const std::string& name = "CRM sync") {
    return admin_->Post(OrgPath("/api-keys"), {{"name", name}, {"scope", scope}});
  }
  std::string NewKey(const std::string& scope) {
    HttpResponse created = CreateKey(scope);
    EXPECT_EQ(created.status, 201) << created.body;
    return created.json.value("key", "");
  }
  // A request as the key: no cookie, no CSRF header.
  HttpResponse AsKey(const std::string& key, const std::string& method, const std::string& path,
                     const nlohmann::json& body = nullptr) {
    auto client = NewClient();
    client->set_csrf_header(false);
    std::map<std::string, std::string> headers = {{"Authorization", "Bearer " + key}};
    if (!body.is_null()) headers["Content-Type"] = "application/json";
    return client->Send(method, path, body.is_null() ? "" : body.dump(), headers);
  }
};

TEST_F(ApiKeysTest, AKeyIsShownOnceStoredAsItsHashAndWorksAsABearer) {
  HttpResponse created = CreateKey("read");
  ASSERT_EQ(created.status, 201) << created.body;
  EXPECT_EQ(created.Header("cache-control"), "no-store");
  std::string key = created.json["key"];
  EXPECT_TRUE(key.starts_with("rk_"));
  EXPECT_EQ(key.size(), 46u);  // rk_ + 256 bits in base64url
  EXPECT_EQ(created.json["prefix"], key.substr(0, 11));
  EXPECT_EQ(created.json["scope"], "read");
  EXPECT_EQ(created.json["created_by"]["id"], admin_id_);
  EXPECT_TRUE(created.json["last_used_at"].is_null());

  HttpResponse members = AsKey(key, "GET", OrgPath("/members"));
  ASSERT_EQ(members.status, 200) << members.body;
  // A read key sees what an admin sees, details included.
  EXPECT_TRUE(members.json["items"][0].contains("lead_count"));
  HttpResponse leads = AsKey(key, "GET", OrgPath("/leads?limit=200"));
  ASSERT_EQ(leads.status, 200) << leads.body;
  std::set<std::string> seen;
  for (const auto& lead : leads.json["items"]) seen.insert(lead["id"]);
  EXPECT_EQ(seen, ListSet(*admin_, OrgPath("/leads"), "id"));

  HttpResponse listed = admin_->Get(OrgPath("/api-keys"));
  ASSERT_EQ(listed.status, 200);
  ASSERT_EQ(listed.json["items"].size(), 1u);
  EXPECT_FALSE(listed.json["items"][0].contains("key"));
  EXPECT_FALSE(listed.json["items"][0]["last_used_at"].is_null());
  EXPECT_EQ(listed.body.find(key.substr(11)), std::string::npos);

  // RFC 9110 allows more than one space after the scheme, and any case of it.
  for (std::string authorization : {"Bearer  " + key, "bearer " + key, "BEARER   " + key}) {
    auto client = NewClient();
    client->set_csrf_header(false);
    EXPECT_EQ(
        client->Send("GET", OrgPath("/members"), "", {{"Authorization", authorization}}).status,
        200)
        << authorization.substr(0, 10);
  }
}

TEST_F(ApiKeysTest, ARevokedKeyFailsAtOnce) {
  HttpResponse created = CreateKey("admin");
  std::string key = created.json["key"];
  ASSERT_EQ(AsKey(key, "GET", OrgPath("/members")).status, 200);
  ASSERT_EQ(admin_->Delete(OrgPath("/api-keys/" + created.json["id"].get<std::string>())).status,
            204);
  HttpResponse refused = AsKey(key, "GET", OrgPath("/members"));
  EXPECT_EQ(refused.status, 401);
  EXPECT_EQ(refused.Code(), "unauthenticated");
  EXPECT_EQ(refused.Header("www-authenticate"), "Bearer realm=\"roster\"");
  // Said to a program, not a person at a sign-in page.
  EXPECT_NE(refused.json["detail"].get<std::string>().find("API key"), std::string::npos)
      << refused.body;
  EXPECT_EQ(admin_->Get(OrgPath("/api-keys")).json["items"].size(), 0u);
  EXPECT_EQ(admin_->Delete(OrgPath("/api-keys/" + created.json["id"].get<std::string>())).status,
            404);
}

TEST_F(ApiKeysTest, RevokedKeysAreListedApartWithTheirPrefix) {
  HttpResponse kept = CreateKey("read", "Reporting");
  HttpResponse revoked = CreateKey("admin", "Old CRM sync");
  ASSERT_EQ(kept.status, 201);
  ASSERT_EQ(revoked.status, 201);
  EXPECT_TRUE(revoked.json["revoked_at"].is_null());
  std::string revoked_id = revoked.json["id"];
  ASSERT_EQ(admin_->Delete(OrgPath("/api-keys/" + revoked_id)).status, 204);

  HttpResponse live = admin_->Get(OrgPath("/api-keys"));
  ASSERT_EQ(live.status, 200) << live.body;
  ASSERT_EQ(live.json["items"].size(), 1u);
  EXPECT_EQ(live.json["items"][0]["id"], kept.json["id"]);
  EXPECT_TRUE(live.json["items"][0]["revoked_at"].is_null());
  EXPECT_EQ(admin_->Get(OrgPath("/api-keys?status=active")).json["items"], live.json["items"]);

  // What the audit log's "Who acted" needs to name a revoked key's actions.
  HttpResponse gone = admin_->Get(OrgPath("/api-keys?status=revoked"));
  ASSERT_EQ(gone.status, 200) << gone.body;
  ASSERT_EQ(gone.json["items"].size(), 1u);
  EXPECT_EQ(gone.json["items"][0]["id"], revoked_id);
  EXPECT_EQ(gone.json["items"][0]["name"], "Old CRM sync");
  EXPECT_EQ(gone.json["items"][0]["prefix"], revoked.json["prefix"]);
  EXPECT_TRUE(gone.json["items"][0]["revoked_at"].is_string());

  HttpResponse bad = admin_->Get(OrgPath("/api-keys?status=expired"));
  EXPECT_EQ(bad.status, 422);
  EXPECT_EQ(bad.json["errors"][0]["field"], "status") << bad.body;
  EXPECT_EQ(person("mgr_a").client->Get(OrgPath("/api-keys?status=revoked")).status, 403);
}

TEST_F(ApiKeysTest, UnknownMalformedAndExpiredKeysAre401) {
  for (std::string authorization :
       {"Bearer rk_" + std::string(43, 'A'), std::string("Bearer nonsense"),
        "Bearer rk_" + std::string(4000, 'x'), std::string("Basic YWRhOnB3"),
        std::string("Bearer")}) {
    auto client = NewClient();
    client->set_csrf_header(false);
    HttpResponse refused = client->Send("GET", OrgPath("/members"), "", {{"Authorization", authorization}});
    EXPECT_EQ(refused.status, 401) << authorization.substr(0, 20);
  }
  // A key that expires two seconds from now stops working by itself.
  HttpResponse created = admin_->Post(
      OrgPath("/api-keys"),
      {{"name", "Short"},
       {"scope", "read"},
       {"expires_at", [] {
          auto at = std::chrono::system_clock::now() + std::chrono::seconds(2);
          std::time_t t = std::chrono::system_clock::to_time_t(at);
          char text[32];
          std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
          return std::string(text);
        }()}});
  ASSERT_EQ(created.status, 201) << created.body;
  std::string key = created.json["key"];
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  long status = 200;
  while (status == 200 && std::chrono::steady_clock::now() < deadline) {
    status = AsKey(key, "GET", OrgPath("/members")).status;
    if (status == 200) std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  EXPECT_EQ(status, 401);
}

TEST_F(ApiKeysTest, AKeyOfOneOrganizationIsNotFoundOnAnother) {
  std::string key = NewKey("admin");
  std::string other = "/api/v1/orgs/" + other_org_id_;
  EXPECT_EQ(AsKey(key, "GET", other + "/members").status, 404);
  EXPECT_EQ(AsKey(key, "GET", other + "/leads/" + other_lead_id_).status, 404);
  EXPECT_EQ(AsKey(key, "POST", other + "/invitations", {{"email", "x@acme.test"}, {"name", "X"}}).status,
            404);
  HttpResponse mine = AsKey(key, "GET", "/api/v1/orgs");
  ASSERT_EQ(mine.status, 200);
  ASSERT_EQ(mine.json["items"].size(), 1u);
  EXPECT_EQ(mine.json["items"][0]["id"], org_id_);
}

TEST_F(ApiKeysTest, AReadKeyCannotWrite) {
  std::string key = NewKey("read");
  std::string user = ids_.at("user_a");
  struct Write {
    std::string method, path;
    nlohmann::json body;
  };
  for (const Write& write : std::vector<Write>{
           {"POST", OrgPath("/invitations"), {{"email", "new@acme.test"}, {"name", "New"}}},
           {"PATCH", OrgPath("/members/" + user), {{"role", "admin"}}},
           {"DELETE", OrgPath("/members/" + user), nullptr},
           {"POST", OrgPath("/assistants"), {{"name", "Third"}}},
           {"POST", OrgPath("/leads"),
            {{"name", "L"}, {"email", "l@x.test"}, {"assistant_id", assistant_a_}, {"owner_id", user}}},
           {"PATCH", OrgPath("/leads/" + ids_.at("l1")), {{"status", "won"}}},
       }) {
    HttpResponse refused = AsKey(key, write.method, write.path, write.body);
    EXPECT_EQ(refused.status, 403) << write.method << " " << write.path << " " << refused.body;
    EXPECT_EQ(refused.Code(), "forbidden");
  }
  EXPECT_EQ(AsKey(key, "GET", OrgPath("/audit-events")).status, 200);
  EXPECT_EQ(AsKey(key, "GET", OrgPath("/members/" + user + "/removal-preview")).status, 200);
}

TEST_F(ApiKeysTest, AnAdminKeyActsAsAnAdminAndIsAuditedAsTheKey) {
  HttpResponse created = CreateKey("admin", "Provisioning");
  std::string key = created.json["key"];
  HttpResponse invited =
      AsKey(key, "POST", OrgPath("/invitations"), {{"email", "kim@acme.test"}, {"name", "Kim"}});
  ASSERT_EQ(invited.status, 201) << invited.body;
  EXPECT_FALSE(WaitForOneTimePassword("kim@acme.test").empty());

  HttpResponse no_owner = AsKey(key, "POST", OrgPath("/leads"),
                                {{"name", "L"}, {"email", "l@x.test"}, {"assistant_id", assistant_a_}});
  EXPECT_EQ(no_owner.status, 422);
  ASSERT_FALSE(no_owner.json["errors"].empty());
  EXPECT_EQ(no_owner.json["errors"][0]["field"], "owner_id");
  EXPECT_EQ(AsKey(key, "POST", OrgPath("/leads"),
                  {{"name", "L"}, {"email", "l@x.test"}, {"assistant_id", assistant_a_},
                   {"owner_id", ids_.at("user_a")}})
                .status,
            201);

  HttpResponse audit = admin_->Get(OrgPath("/audit-events"));
  ASSERT_EQ(audit.status, 200);
  const nlohmann::json* event = nullptr;
  for (const auto& item : audit.json["items"]) {
    if (item["action"] == "invited") {
      event = &item;
      break;
    }
  }
  ASSERT_NE(event, nullptr);
  EXPECT_TRUE((*event)["actor_user_id"].is_null());
  EXPECT_EQ((*event)["actor_api_key_id"], created.json["id"]);
  EXPECT_EQ((*event)["actor_api_key_name"], "Provisioning");

  // Keys and webhooks are for admins in person.
  EXPECT_EQ(AsKey(key, "GET", OrgPath("/api-keys")).status, 403);
  EXPECT_EQ(AsKey(key, "POST", OrgPath("/api-keys"), {{"name", "n"}, {"scope", "admin"}}).status, 403);
  EXPECT_EQ(AsKey(key, "GET", OrgPath("/webhooks")).status, 403);
  EXPECT_EQ(AsKey(key, "POST", OrgPath("/webhooks"),
                  {{"url", "https://hooks.example.com/roster"}, {"events", {"*"}}})
                .status,
            403);
}

TEST_F(ApiKeysTest, AScimKeyReachesNothingOutsideScim) {
  std::string key = NewKey("scim");
  HttpResponse refused = AsKey(key, "GET", OrgPath("/members"));
  EXPECT_EQ(refused.status, 403);
  EXPECT_EQ(AsKey(key, "GET", OrgPath("/leads")).status, 403);
  EXPECT_EQ(AsKey(key, "GET", "/api/v1/orgs").status, 403);
  EXPECT_EQ(AsKey(key, "GET", OrgPath("")).status, 403);
  EXPECT_EQ(AsKey(NewKey("read"), "GET", "/api/v1/orgs").status, 200);
}

TEST_F(ApiKeysTest, ACookieAndABearerTogetherAre400) {
  std::string key = NewKey("read");
  HttpResponse both = admin_->Send("GET", OrgPath("/members"), "", {{"Authorization", "Bearer " + key}});
  EXPECT_EQ(both.status, 400);
  EXPECT_EQ(both.Code(), "ambiguous_credentials");
}

TEST_F(ApiKeysTest, KeysCannotUseThePersonalRoutes) {
  std::string key = NewKey("admin");
  EXPECT_EQ(AsKey(key, "GET", "/api/v1/me").status, 403);
  EXPECT_EQ(AsKey(key, "POST", "/api/v1/auth/logout").status, 403);
  EXPECT_EQ(AsKey(key, "POST", "/api/v1/auth/password",
                  {{"current_password", "x"}, {"new_password", "y"}})
                .status,
            403);
}

TEST_F(ApiKeysTest, OnlyAdminsManageKeysAndKeysOutliveTheirCreator) {
  for (const char* role : {"mgr_a", "user_a"}) {
    HttpClient& client = *person(role).client;
    EXPECT_EQ(client.Get(OrgPath("/api-keys")).status, 403) << role;
    EXPECT_EQ(client.Post(OrgPath("/api-keys"), {{"name", "n"}, {"scope", "read"}}).status, 403)
        << role;
  }
  EXPECT_EQ(person("outsider").client->Get(OrgPath("/api-keys")).status, 404);

  std::string second_admin_id;
  auto second_admin = InviteAndJoin("sam@acme.test", "Sam Second", "admin", &second_admin_id);
  HttpResponse created =
      second_admin->Post(OrgPath("/api-keys"), {{"name", "Sam's sync"}, {"scope", "read"}});
  ASSERT_EQ(created.status, 201) << created.body;
  ASSERT_EQ(admin_->Delete(OrgPath("/members/" + second_admin_id)).status, 200);
  EXPECT_EQ(AsKey(created.json["key"], "GET", OrgPath("/members")).status, 200);
  HttpResponse listed = admin_->Get(OrgPath("/api-keys"));
  ASSERT_EQ(listed.json["items"].size(), 1u);
  EXPECT_EQ(listed.json["items"][0]["created_by"]["name"], "Sam Second");
}

TEST_F(ApiKeysTest, ABadRequestNamesEveryBadField) {
  HttpResponse refused = admin_->Post(
      OrgPath("/api-keys"), {{"name", ""}, {"scope", "owner"}, {"expires_at", "tomorrow"}});
  ASSERT_EQ(refused.status, 422) << refused.body;
  std::set<std::string> fields;
  for (const auto& error : refused.json["errors"]) fields.insert(error["field"]);
  EXPECT_EQ(fields, (std::set<std::string>{"scope", "expires_at"}));
  HttpResponse past = admin_->Post(
      OrgPath("/api-keys"),
      {{"name", "Old"}, {"scope", "read"}, {"expires_at", "2020-01-01T00:00:00Z"}});
  EXPECT_EQ(past.status, 422);
  HttpResponse blank = admin_->Post(OrgPath("/api-keys"), {{"name", " "}, {"scope", "read"}});
  EXPECT_EQ(blank.status, 422);
}

// Any RFC 3339 date-time; the answer names the instant in UTC.
TEST_F(ApiKeysTest, AnExpiryWithAnOffsetIsTheInstantItNames) {
  HttpResponse made = admin_->Post(
      OrgPath("/api-keys"),
      {{"name", "Tokyo"}, {"scope", "read"}, {"expires_at", "2030-01-01T09:00:00.5+09:00"}});
  ASSERT_EQ(made.status, 201) << made.body;
  EXPECT_EQ(made.json["expires_at"], "2030-01-01T00:00:00Z");
}

}  // namespace
}  // namespace roster::testing
