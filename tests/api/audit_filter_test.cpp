// GET /orgs/{org}/audit-events and its export narrowed by actor, action,
// target and time (since/until): each filter answers exactly the events of
// the whole log that match it, pages without skips or repeats, and a
// malformed value is a 422 naming the parameter.
#include <functional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "team_fixture.hpp"

namespace roster::testing {
namespace {

using Json = nlohmann::json;

class AuditFilterTest : public TeamTest {
 protected:
  // Every event of `query` ("" or "?action=..."), following next_cursor
  // with `limit` per page.
  std::vector<Json> Events(const std::string& query, int limit = 200) {
    std::vector<Json> items;
    std::string separator = query.empty() ? "?" : "&";
    std::string cursor;
    while (true) {
      std::string url = OrgPath("/audit-events" + query) + separator + "limit=" + std::to_string(limit) +
                        (cursor.empty() ? "" : "&cursor=" + cursor);
      HttpResponse page = admin_->Get(url);
      EXPECT_EQ(page.status, 200) << url << " " << page.body;
      if (page.status != 200) return items;
      for (const auto& item : page.json["items"]) items.push_back(item);
      if (page.json["next_cursor"].is_null()) return items;
      cursor = page.json["next_cursor"];
    }
  }

  static std::vector<Json> Keep(const std::vector<Json>& events, const std::function<bool(const Json&)>& keep) {
    std::vector<Json> kept;
    for (const auto& event : events) {
      if (keep(event)) kept.push_back(event);
    }
    return kept;
  }
};

TEST_F(AuditFilterTest, EachFilterAnswersTheMatchingEventsOfTheWholeLog) {
  std::vector<Json> all = Events("");
  ASSERT_GT(all.size(), 10u);
  const std::string& user_a = person("user_a").user_id;

  std::vector<Json> by_action = Events("?action=assistant_user_assigned");
  EXPECT_EQ(by_action, Keep(all, [](const Json& e) { return e["action"] == "assistant_user_assigned"; }));
  EXPECT_FALSE(by_action.empty());

  std::vector<Json> about_user_a = Events("?target=" + user_a);
  EXPECT_EQ(about_user_a, Keep(all, [&](const Json& e) { return e["target_user_id"] == user_a; }));
  EXPECT_GE(about_user_a.size(), 2u);  // invited, accepted, assigned

  std::vector<Json> by_admin = Events("?actor=" + admin_id_);
  EXPECT_EQ(by_admin, Keep(all, [&](const Json& e) { return e["actor_user_id"] == admin_id_; }));
  EXPECT_LT(by_admin.size(), all.size());  // the invitees accepted their invitations themselves

  std::vector<Json> combined = Events("?actor=" + admin_id_ + "&action=invited&target=" + user_a);
  EXPECT_EQ(combined, Keep(all, [&](const Json& e) {
              return e["actor_user_id"] == admin_id_ && e["action"] == "invited" && e["target_user_id"] == user_a;
            }));
  EXPECT_EQ(combined.size(), 1u);

  // A well-formed action that never happened, and a member who never acted.
  EXPECT_EQ(Events("?action=never_happened"), std::vector<Json>{});
  EXPECT_EQ(Events("?actor=" + person("user_none").user_id + "&action=invited"), std::vector<Json>{});
}

TEST_F(AuditFilterTest, FilteredPagesHaveNoSkipsOrRepeats) {
  std::string query = "?actor=" + admin_id_;
  EXPECT_EQ(Events(query, 2), Events(query, 200));
  query = "?action=lead_created";
  std::vector<Json> small_pages = Events(query, 1);
  EXPECT_EQ(small_pages.size(), 5u);  // the five leads of the cast
  EXPECT_EQ(small_pages, Events(query, 200));
}

TEST_F(AuditFilterTest, TimeWindowOnTheList) {
  std::vector<Json> all = Events("");
  std::string middle = all[all.size() / 2]["at"];
  // RFC 3339 UTC strings of one format compare like the times they name.
  EXPECT_EQ(Events("?since=" + middle), Keep(all, [&](const Json& e) { return e["at"] >= middle; }));
  EXPECT_EQ(Events("?until=" + middle), Keep(all, [&](const Json& e) { return e["at"] < middle; }));
  EXPECT_EQ(Events("?since=2999-01-01T00:00:00Z"), std::vector<Json>{});
  // The same instant written with an offset (its "+" percent-encoded) and
  // with a fraction of a second.
  UnixSeconds at = *ParseRfc3339(middle);
  for (const std::string& same : {FormatRfc3339(at + 19'800).substr(0, 19) + "%2B05:30",
                                  FormatRfc3339(at - 3'600).substr(0, 19) + "-01:00",
                                  middle.substr(0, 19) + ".250Z"}) {
    EXPECT_EQ(Events("?since=" + same), Events("?since=" + middle)) << same;
  }
}

TEST_F(AuditFilterTest, TheExportTakesTheSameFilters) {
  std::string query = "action=assistant_user_assigned&target=" + person("user_ab").user_id;
  std::vector<Json> listed = Events("?" + query);
  ASSERT_EQ(listed.size(), 2u);  // on A and on B
  HttpResponse exported = admin_->Get(OrgPath("/audit-events/export?format=ndjson&" + query));
  ASSERT_EQ(exported.status, 200) << exported.body;
  std::vector<Json> lines;
  std::size_t start = 0;
  while (start < exported.body.size()) {
    std::size_t end = exported.body.find('\n', start);
    lines.push_back(Json::parse(exported.body.substr(start, end - start)));
    start = end + 1;
  }
  ASSERT_EQ(lines.size(), listed.size());
  for (std::size_t i = 0; i < lines.size(); ++i) EXPECT_EQ(lines[i]["id"], listed[i]["id"]);
}

TEST_F(AuditFilterTest, MalformedFiltersAre422NamingTheParameter) {
  struct Case {
    const char* query;
    const char* field;
  };
  const Case cases[] = {
      {"actor=bob", "actor"},
      {"actor=-1", "actor"},
      {"target=1.5", "target"},
      {"action=Role%20changed", "action"},
      {"action=role_changed%27%3B--", "action"},
      {"since=yesterday", "since"},
      {"until=2026-13-01T00:00:00Z", "until"},
      {"since=2026-02-01T00:00:00Z&until=2026-01-01T00:00:00Z", "until"},
  };
  std::string too_long = "action=" + std::string(65, 'a');
  for (const std::string& path : {std::string("/audit-events?"), std::string("/audit-events/export?")}) {
    for (const Case& bad : cases) {
      SCOPED_TRACE(path + bad.query);
      HttpResponse refused = admin_->Get(OrgPath(path + bad.query));
      EXPECT_EQ(refused.status, 422) << refused.body;
      EXPECT_EQ(refused.Code(), "validation");
      EXPECT_EQ(refused.Header("content-type"), "application/problem+json");
      ASSERT_TRUE(refused.json["errors"].is_array()) << refused.body;
      EXPECT_EQ(refused.json["errors"][0]["field"], bad.field);
    }
    EXPECT_EQ(admin_->Get(OrgPath(path + too_long)).status, 422);
  }
  // 64 characters is still an action (that matches nothing).
  EXPECT_EQ(admin_->Get(OrgPath("/audit-events?action=" + std::string(64, 'a'))).status, 200);
}

// Two admin keys each invite someone: each key's filter answers its own
// event, which names no member as its actor; the list and the export agree.
TEST_F(AuditFilterTest, TheFilterByApiKeyAnswersWhatThatKeyDid) {
  auto use_key = [&](const std::string& name, const std::string& email) {
    HttpResponse created = admin_->Post(OrgPath("/api-keys"), {{"name", name}, {"scope", "admin"}});
    EXPECT_EQ(created.status, 201) << created.body;
    auto client = NewClient();
    client->set_csrf_header(false);
    HttpResponse invited = client->Send(
        "POST", OrgPath("/invitations"), nlohmann::json{{"email", email}, {"name", name}}.dump(),
        {{"Authorization", "Bearer " + created.json.value("key", "")},
         {"Content-Type", "application/json"}});
    EXPECT_EQ(invited.status, 201) << invited.body;
    return created.json.value("id", "");
  };
  std::string crm = use_key("CRM sync", "crm-invitee@acme.test");
  std::string hr = use_key("HR feed", "hr-invitee@acme.test");

  std::vector<Json> all = Events("");
  for (const std::string& key : {crm, hr}) {
    SCOPED_TRACE(key);
    std::vector<Json> by_key = Events("?actor_api_key=" + key);
    EXPECT_EQ(by_key, Keep(all, [&](const Json& e) { return e["actor_api_key_id"] == key; }));
    ASSERT_EQ(by_key.size(), 1u);
    EXPECT_EQ(by_key[0]["action"], "invited");
    EXPECT_TRUE(by_key[0]["actor_user_id"].is_null());
    HttpResponse exported =
        admin_->Get(OrgPath("/audit-events/export?format=ndjson&actor_api_key=" + key));
    ASSERT_EQ(exported.status, 200) << exported.body;
    EXPECT_EQ(Json::parse(exported.body.substr(0, exported.body.find('\n')))["id"], by_key[0]["id"]);
  }
  EXPECT_EQ(Events("?actor_api_key=" + crm + "&action=role_changed"), std::vector<Json>{});
  EXPECT_EQ(Events("?actor_api_key=" + crm + "&actor=" + admin_id_), std::vector<Json>{});
  HttpResponse refused = admin_->Get(OrgPath("/audit-events?actor_api_key=crm"));
  EXPECT_EQ(refused.status, 422);
  EXPECT_EQ(refused.json["errors"][0]["field"], "actor_api_key");
}

TEST_F(AuditFilterTest, FiltersDoNotOpenTheLogToNonAdmins) {
  HttpResponse refused = person("mgr_a").client->Get(OrgPath("/audit-events?actor=" + person("mgr_a").user_id));
  EXPECT_EQ(refused.status, 403);
}

}  // namespace
}  // namespace roster::testing
