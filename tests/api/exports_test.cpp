// SPEC 7 "Exports" and "Who can see this lead": every export parsed back
// (CSV with the project's reader, NDJSON line by line) and compared with the
// list API for the same caller and filters, on TeamTest's cast.
#include <fstream>
#include <optional>
#include <sstream>

#include "app/csv_reader.hpp"
#include "team_fixture.hpp"

namespace roster::testing {
namespace {

using Json = nlohmann::json;

const std::vector<std::string> kLeadColumns = {"id",       "name",       "email",       "company",
                                               "status",   "assistant_id", "owner_id",  "owner_name",
                                               "owner_email", "created_at"};
const std::vector<std::string> kMemberColumns = {"user_id", "name", "email", "role", "status"};
const std::vector<std::string> kAdminMemberColumns = {
    "user_id",    "name",      "email",         "role",      "status",
    "invited_at", "invite_expires_at", "invite_undelivered", "joined_at", "last_login_at",
    "lead_count", "mfa", "assistants"};
const std::vector<std::string> kAuditColumns = {
    "id",          "at",     "actor_user_id",  "actor_name",  "actor_email",
    "actor_api_key_id", "actor_api_key_name", "action", "target_user_id", "target_name",
    "target_email", "details"};

struct Csv {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
};

Csv ParseCsv(const std::string& text) {
  Csv csv;
  app::CsvReader reader(text);
  std::vector<std::string> fields;
  std::string error;
  bool first = true;
  while (reader.Next(fields, error)) {
    EXPECT_EQ(error, "") << "line " << reader.line();
    if (first) {
      csv.header = fields;
      first = false;
    } else {
      csv.rows.push_back(fields);
    }
  }
  return csv;
}

std::vector<Json> ParseNdjson(const std::string& text) {
  std::vector<Json> lines;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    Json parsed = Json::parse(line, nullptr, false);
    EXPECT_FALSE(parsed.is_discarded()) << line;
    lines.push_back(parsed);
  }
  EXPECT_TRUE(text.empty() || text.back() == '\n') << "the last line must end with a newline";
  return lines;
}

// A list item as the CSV cell text the export writes for it.
std::string Cell(const Json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_null()) return "";
  return value.dump();
}

class ExportTest : public TeamTest {
 protected:
  // Every item of a list, in order, 200 per page.
  std::vector<Json> ListItems(HttpClient& client, const std::string& path) {
    std::vector<Json> items;
    std::string separator = path.find('?') == std::string::npos ? "?" : "&";
    std::string cursor;
    while (true) {
      std::string url = path + separator + "limit=200" + (cursor.empty() ? "" : "&cursor=" + cursor);
      HttpResponse page = client.Get(url);
      EXPECT_EQ(page.status, 200) << url << " " << page.body;
      if (page.status != 200) return items;
      for (const auto& item : page.json["items"]) items.push_back(item);
      if (page.json["next_cursor"].is_null()) return items;
      cursor = page.json["next_cursor"];
    }
  }

  // The export of `list_path` ("/leads?..."), in both formats, equals the
  // list's items for the same client: same rows, same order, same fields.
  void ExpectExportEqualsList(HttpClient& client, const std::string& list_path,
                              const std::vector<std::string>& columns) {
    std::string path = list_path;
    std::string query;
    if (auto question = path.find('?'); question != std::string::npos) {
      query = "&" + path.substr(question + 1);
      path = path.substr(0, question);
    }
    std::vector<Json> items = ListItems(client, OrgPath(list_path));

    HttpResponse ndjson = client.Get(OrgPath(path + "/export?format=ndjson" + query));
    ASSERT_EQ(ndjson.status, 200) << ndjson.body;
    EXPECT_EQ(ndjson.Header("content-type"), "application/x-ndjson");
    EXPECT_EQ(ParseNdjson(ndjson.body), items);

    HttpResponse csv_answer = client.Get(OrgPath(path + "/export?format=csv" + query));
    ASSERT_EQ(csv_answer.status, 200) << csv_answer.body;
    EXPECT_EQ(csv_answer.Header("content-type"), "text/csv; charset=utf-8");
    EXPECT_NE(csv_answer.Header("content-disposition").find("attachment; filename="),
              std::string::npos);
    Csv csv = ParseCsv(csv_answer.body);
    EXPECT_EQ(csv.header, columns);
    ASSERT_EQ(csv.rows.size(), items.size());
    for (std::size_t i = 0; i < items.size(); ++i) {
      std::vector<std::string> expected;
      for (const auto& column : columns) expected.push_back(Cell(items[i].at(column)));
      EXPECT_EQ(csv.rows[i], expected) << "row " << i;
      // Exactly the list's fields, no more.
      EXPECT_EQ(items[i].size(), columns.size());
    }
    // RFC 4180 line ends.
    EXPECT_NE(csv_answer.body.find("\r\n"), std::string::npos);
  }

  std::string WriteFile(const std::string& name, const std::string& text) {
    std::string path = (dir_.path() / name).string();
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }
};

TEST_F(ExportTest, LeadExportsAreTheCallersVisibleLeads) {
  for (const char* role : {"admin", "mgr_a", "mgr_b", "user_a", "user_ab", "user_none"}) {
    SCOPED_TRACE(role);
    ExpectExportEqualsList(*person(role).client, "/leads", kLeadColumns);
  }
  // A manager sees exactly what the rule says, not just what his list says.
  HttpResponse mine = person("mgr_a").client->Get(OrgPath("/leads/export?format=ndjson"));
  std::set<std::string> ids;
  for (const auto& lead : ParseNdjson(mine.body)) ids.insert(lead["id"]);
  EXPECT_EQ(ids, Ids(ids_, {"l1", "l2", "l4"}));
}

TEST_F(ExportTest, LeadExportsTakeTheListsFilters) {
  for (const char* role : {"admin", "mgr_a", "user_ab"}) {
    SCOPED_TRACE(role);
    HttpClient& client = *person(role).client;
    ExpectExportEqualsList(client, "/leads?assistant_id=" + assistant_a_, kLeadColumns);
    ExpectExportEqualsList(client, "/leads?owner_id=" + ids_["user_ab"], kLeadColumns);
    ExpectExportEqualsList(client, "/leads?q=THREE", kLeadColumns);
  }
  HttpResponse on_b = admin_->Get(OrgPath("/leads/export?format=ndjson&assistant_id=" + assistant_b_));
  std::set<std::string> ids;
  for (const auto& lead : ParseNdjson(on_b.body)) ids.insert(lead["id"]);
  EXPECT_EQ(ids, Ids(ids_, {"l3", "l5"}));
  EXPECT_EQ(admin_->Get(OrgPath("/leads/export?owner_id=abc")).status, 422);
  // An export is the whole list: paging parameters are ignored.
  HttpResponse whole = admin_->Get(OrgPath("/leads/export?format=ndjson&limit=1&cursor=zzz"));
  EXPECT_EQ(whole.status, 200);
  EXPECT_EQ(ParseNdjson(whole.body).size(), 5u);
}

TEST_F(ExportTest, LeadExportsCrossPagesInKeysetOrder) {
  // 2,500 leads: three pages of the export, for each kind of caller.
  std::string csv = "name,email,company,assistant,owner_email\n";
  for (int i = 0; i < 2500; ++i) {
    csv += "Bulk " + std::to_string(i) + ",bulk" + std::to_string(i) + "@x.test,Bulk Inc,Assistant A," +
           (i % 2 == 0 ? "user_a@acme.test" : "user_ab@acme.test") + "\n";
  }
  CommandResult imported = RunRoster(
      {"leads", "import", "--org", org_id_, "--csv", WriteFile("bulk.csv", csv)}, env_);
  ASSERT_EQ(imported.exit_code, 0) << imported.err;
  for (const char* role : {"admin", "mgr_a", "user_a"}) {
    SCOPED_TRACE(role);
    ExpectExportEqualsList(*person(role).client, "/leads", kLeadColumns);
  }
  HttpResponse all = admin_->Get(OrgPath("/leads/export?format=csv"));
  EXPECT_EQ(all.Header("transfer-encoding"), "chunked");
  EXPECT_EQ(all.Header("content-length"), "");
  EXPECT_EQ(ParseCsv(all.body).rows.size(), 2505u);
  EXPECT_EQ(ParseNdjson(person("user_a").client->Get(OrgPath("/leads/export?format=ndjson")).body).size(),
            1251u);
}

TEST_F(ExportTest, CellsThatLookLikeFormulasArePrefixedInCsvOnly) {
  HttpResponse created = admin_->Post(OrgPath("/leads"), {{"name", "=HYPERLINK(\"http://evil.test\",\"x\")"},
                                                          {"email", "formula@x.test"},
                                                          {"company", "+1, @SUM(A1) -2"},
                                                          {"assistant_id", assistant_a_},
                                                          {"owner_id", ids_["user_a"]}});
  ASSERT_EQ(created.status, 201) << created.body;
  HttpResponse patched = admin_->Patch(OrgPath("/leads/" + created.json["id"].get<std::string>()),
                                       {{"company", "@SUM(A1)"}});
  ASSERT_EQ(patched.status, 200) << patched.body;

  HttpResponse csv_answer = admin_->Get(OrgPath("/leads/export?format=csv&q=formula"));
  ASSERT_EQ(csv_answer.status, 200);
  Csv csv = ParseCsv(csv_answer.body);
  ASSERT_EQ(csv.rows.size(), 1u);
  EXPECT_EQ(csv.rows[0][1], "'=HYPERLINK(\"http://evil.test\",\"x\")");
  EXPECT_EQ(csv.rows[0][3], "'@SUM(A1)");
  EXPECT_NE(csv_answer.body.find("\"'=HYPERLINK(\"\"http://evil.test\"\",\"\"x\"\")\""),
            std::string::npos)
      << csv_answer.body;
  // NDJSON is data, not a spreadsheet: the values are as stored.
  auto lines = ParseNdjson(admin_->Get(OrgPath("/leads/export?format=ndjson&q=formula")).body);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0]["name"], "=HYPERLINK(\"http://evil.test\",\"x\")");
  EXPECT_EQ(lines[0]["company"], "@SUM(A1)");
}

TEST_F(ExportTest, MemberExportsAreCutLikeTheList) {
  ExpectExportEqualsList(*admin_, "/members", kAdminMemberColumns);
  for (const char* role : {"mgr_a", "user_a", "user_none"}) {
    SCOPED_TRACE(role);
    ExpectExportEqualsList(*person(role).client, "/members", kMemberColumns);
  }
  ExpectExportEqualsList(*admin_, "/members?role=user&q=user", kAdminMemberColumns);
  ExpectExportEqualsList(*person("user_a").client, "/members?status=active", kMemberColumns);
  EXPECT_EQ(admin_->Get(OrgPath("/members/export?role=owner")).status, 422);
}

TEST_F(ExportTest, AuditExportIsForAdminsOnly) {
  ExpectExportEqualsList(*admin_, "/audit-events", kAuditColumns);
  for (const char* role : {"mgr_a", "user_a", "user_none"}) {
    SCOPED_TRACE(role);
    for (const char* format : {"csv", "ndjson"}) {
      HttpResponse refused =
          person(role).client->Get(OrgPath(std::string("/audit-events/export?format=") + format));
      EXPECT_EQ(refused.status, 403);
      EXPECT_EQ(refused.Code(), "forbidden");
      EXPECT_EQ(refused.Header("content-type"), "application/problem+json");
    }
  }
}

TEST_F(ExportTest, AuditExportKeepsToSinceAndUntil) {
  std::vector<Json> events = ListItems(*admin_, OrgPath("/audit-events"));
  ASSERT_GT(events.size(), 3u);
  std::string middle = events[events.size() / 2]["at"];
  auto exported = [&](const std::string& query) {
    HttpResponse answer = admin_->Get(OrgPath("/audit-events/export?format=ndjson" + query));
    EXPECT_EQ(answer.status, 200) << query << " " << answer.body;
    return ParseNdjson(answer.body);
  };
  auto expected = [&](auto keep) {
    std::vector<Json> kept;
    for (const auto& event : events) {
      if (keep(event["at"].get<std::string>())) kept.push_back(event);
    }
    return kept;
  };
  // RFC 3339 UTC strings of one format compare like the times they name.
  EXPECT_EQ(exported("&since=" + middle), expected([&](const std::string& at) { return at >= middle; }));
  EXPECT_EQ(exported("&until=" + middle), expected([&](const std::string& at) { return at < middle; }));
  EXPECT_EQ(exported("&since=" + middle + "&until=" + middle), std::vector<Json>{});
  EXPECT_EQ(exported("&since=2000-01-01T00:00:00Z&until=2999-01-01T00:00:00Z"), events);
  EXPECT_EQ(exported("&since=2999-01-01T00:00:00Z"), std::vector<Json>{});

  for (const char* bad : {"since=yesterday", "until=2026-13-01T00:00:00Z",
                          "since=2026-02-01T00:00:00Z&until=2026-01-01T00:00:00Z"}) {
    SCOPED_TRACE(bad);
    HttpResponse refused = admin_->Get(OrgPath(std::string("/audit-events/export?") + bad));
    EXPECT_EQ(refused.status, 422);
    EXPECT_EQ(refused.Code(), "validation");
  }
}

TEST_F(ExportTest, AnotherFormatIs422) {
  for (const char* path : {"/members/export", "/leads/export", "/audit-events/export"}) {
    SCOPED_TRACE(path);
    for (const char* format : {"xlsx", "CSV", "", "json"}) {
      HttpResponse refused = admin_->Get(OrgPath(std::string(path) + "?format=" + format));
      EXPECT_EQ(refused.status, 422);
      EXPECT_EQ(refused.Code(), "validation");
      ASSERT_TRUE(refused.json.contains("errors"));
      EXPECT_EQ(refused.json["errors"][0]["field"], "format");
    }
    // Without a format the export is CSV.
    HttpResponse plain = admin_->Get(OrgPath(path));
    EXPECT_EQ(plain.status, 200);
    EXPECT_EQ(plain.Header("content-type"), "text/csv; charset=utf-8");
  }
}

TEST_F(ExportTest, NonMembersAndStrangersGet404Or401) {
  HttpClient& outsider = *person("outsider").client;
  auto anonymous = NewClient();
  for (const char* path : {"/members/export", "/leads/export", "/audit-events/export"}) {
    SCOPED_TRACE(path);
    HttpResponse hidden = outsider.Get(OrgPath(path));
    EXPECT_EQ(hidden.status, 404);
    EXPECT_EQ(hidden.Code(), "not_found");
    EXPECT_EQ(anonymous->Get(OrgPath(path)).status, 401);
    EXPECT_EQ(admin_->Get(std::string("/api/v1/orgs/987654") + path).status, 404);
  }
}

// --- Who can see this lead ---------------------------------------------

using Access = std::multiset<std::pair<std::string, std::string>>;  // (cast name, because)

class LeadAccessTest : public TeamTest {
 protected:
  Access Read(HttpClient& client, const std::string& lead, long* status = nullptr) {
    HttpResponse answer = client.Get(OrgPath("/leads/" + ids_[lead] + "/access"));
    if (status) *status = answer.status;
    Access access;
    if (answer.status != 200) return access;
    for (const auto& item : answer.json["items"]) {
      std::string who = item["user_id"];
      for (const char* name : {"admin", "mgr_a", "mgr_b", "user_a", "user_ab", "user_none", "pending"}) {
        if (ids_.count(name) && ids_.at(name) == who) who = name;
      }
      EXPECT_FALSE(item["name"].get<std::string>().empty());
      EXPECT_NE(item["email"].get<std::string>().find('@'), std::string::npos);
      access.insert({who, item["because"]});
    }
    return access;
  }
};

TEST_F(LeadAccessTest, NamesEveryReasonOfEveryActiveMember) {
  const Access l1 = {{"admin", "org_admin"}, {"user_a", "owner"}, {"mgr_a", "manager_of_assistant"}};
  EXPECT_EQ(Read(*admin_, "l1"), l1);
  EXPECT_EQ(Read(*person("mgr_a").client, "l1"), l1);
  // A manager who owns the lead is there for both reasons.
  const Access l4 = {{"admin", "org_admin"}, {"mgr_a", "owner"}, {"mgr_a", "manager_of_assistant"}};
  EXPECT_EQ(Read(*admin_, "l4"), l4);
  EXPECT_EQ(Read(*admin_, "l5"),
            (Access{{"admin", "org_admin"}, {"mgr_b", "owner"}, {"mgr_b", "manager_of_assistant"}}));
}

TEST_F(LeadAccessTest, ListsActiveMembersOnly) {
  // A second admin and a manager of A who have not accepted their invitations.
  Invite("pending-admin@acme.test", "Pending Admin", "admin");
  std::string pending = Invite("pending@acme.test", "Pending Manager");
  Assign(assistant_a_, pending, true);
  const Access l1 = {{"admin", "org_admin"}, {"user_a", "owner"}, {"mgr_a", "manager_of_assistant"}};
  EXPECT_EQ(Read(*admin_, "l1"), l1);
  // Once he joins, he is there.
  auto joined = NewClient();
  joined->AcceptInvitation("pending@acme.test", WaitForOneTimePassword("pending@acme.test"), kMemberPassword);
  ids_["pending"] = pending;
  Access with_him = l1;
  with_him.insert({"pending", "manager_of_assistant"});
  EXPECT_EQ(Read(*admin_, "l1"), with_him);
}

TEST_F(LeadAccessTest, IsForAdminsAndTheAssistantsManagers) {
  struct Case {
    std::string role, lead;
    long status;
  };
  const std::vector<Case> cases = {
      {"mgr_a", "l2", 200},     {"mgr_b", "l3", 200},
      {"user_a", "l1", 403},    // sees it only as its owner
      {"user_ab", "l3", 403},   {"mgr_a", "l5", 404},   // cannot see it at all
      {"mgr_b", "l1", 404},     {"user_a", "l2", 404}, {"user_none", "l1", 404},
      {"outsider", "l1", 404},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.role + " " + c.lead);
    HttpResponse answer = person(c.role).client->Get(OrgPath("/leads/" + ids_[c.lead] + "/access"));
    EXPECT_EQ(answer.status, c.status) << answer.body;
    if (c.status == 403) {
      EXPECT_EQ(answer.Code(), "forbidden");
    }
    if (c.status == 404) {
      EXPECT_EQ(answer.Code(), "not_found");
    }
  }
  EXPECT_EQ(admin_->Get(OrgPath("/leads/987654321/access")).status, 404);
  EXPECT_EQ(admin_->Get(OrgPath("/leads/" + other_lead_id_ + "/access")).status, 404);
  EXPECT_EQ(admin_->Get(OrgPath("/leads/abc/access")).status, 404);
}

}  // namespace
}  // namespace roster::testing
