// The leads list's status filter and sort orders: every order pages whole
// (no row skipped or repeated, also while leads are added), in its order,
// for every kind of viewer; a cursor belongs to its order; the export takes
// the same parameters.
#include <algorithm>
#include <sstream>

#include "team_fixture.hpp"

namespace roster::testing {
namespace {

const std::vector<std::string> kPipeline = {"new", "contacted", "qualified", "won", "lost"};

int StatusRank(const std::string& status) {
  return static_cast<int>(std::find(kPipeline.begin(), kPipeline.end(), status) - kPipeline.begin());
}

class LeadOrderTest : public TeamTest {
 protected:
  void SetUp() override {
    TeamTest::SetUp();
    if (HasFatalFailure()) return;
    // l1 won, l2 contacted, l3 won, l4 lost, l5 new; and a few more on A.
    SetStatus(ids_["l1"], "won");
    SetStatus(ids_["l2"], "contacted");
    SetStatus(ids_["l3"], "won");
    SetStatus(ids_["l4"], "lost");
    const std::vector<std::pair<std::string, std::string>> more = {
        {"Zulu Zinc", "qualified"}, {"Alpha Arc", "won"}, {"Mike Mill", "new"},
        {"Mike Mill", "contacted"}, {"Kilo Kite", "lost"}, {"Mike Mill", "won"}};
    for (const auto& [name, status] : more) {
      std::string id = CreateLead(assistant_a_, ids_["user_ab"], name);
      SetStatus(id, status);
    }
  }
  void SetStatus(const std::string& lead_id, const std::string& status) {
    ASSERT_EQ(admin_->Patch(OrgPath("/leads/" + lead_id), {{"status", status}}).status, 200);
  }
  // Every page of `query` at `limit`, following next_cursor.
  std::vector<nlohmann::json> Pages(HttpClient& client, const std::string& query, int limit,
                                    const std::function<void()>& between = {}) {
    std::vector<nlohmann::json> items;
    std::string cursor;
    for (int page = 0; page < 100; ++page) {
      HttpResponse answer = client.Get(OrgPath("/leads?limit=" + std::to_string(limit) + query +
                                               (cursor.empty() ? "" : "&cursor=" + cursor)));
      EXPECT_EQ(answer.status, 200) << answer.body;
      if (answer.status != 200) break;
      for (const auto& item : answer.json["items"]) items.push_back(item);
      if (between) between();
      if (answer.json["next_cursor"].is_null()) break;
      cursor = answer.json["next_cursor"];
    }
    return items;
  }
  static std::set<std::string> IdsOf(const std::vector<nlohmann::json>& items) {
    std::set<std::string> ids;
    for (const auto& item : items) ids.insert(item["id"].get<std::string>());
    return ids;
  }
  // -1, 0, 1 as `a` comes before, with, after `b` in `sort` ascending.
  static bool InOrder(const std::string& sort, const nlohmann::json& a, const nlohmann::json& b) {
    bool descending = sort.starts_with("-");
    std::string key = descending ? sort.substr(1) : sort;
    long long id_a = std::stoll(a["id"].get<std::string>());
    long long id_b = std::stoll(b["id"].get<std::string>());
    auto before = [&](auto x, auto y) {
      if (x != y) return descending ? x > y : x < y;
      return descending ? id_a > id_b : id_a < id_b;
    };
    if (key == "name") return before(a["name"].get<std::string>(), b["name"].get<std::string>());
    if (key == "status") return before(StatusRank(a["status"]), StatusRank(b["status"]));
    return before(0, 0);  // created: the id alone
  }
};

TEST_F(LeadOrderTest, StatusFilterNarrowsEachViewersLeads) {
  EXPECT_EQ(ListSet(*admin_, OrgPath("/leads?status=won"), "id").size(), 4u);
  EXPECT_EQ(ListSet(*admin_, OrgPath("/leads?status=lost&assistant_id=" + assistant_a_), "id").size(), 2u);
  std::set<std::string> won_or_contacted = ListSet(*admin_, OrgPath("/leads?status=won,contacted"), "id");
  EXPECT_EQ(won_or_contacted.size(), 6u);
  HttpResponse filtered = admin_->Get(OrgPath("/leads?status=won,contacted&limit=200"));
  for (const auto& lead : filtered.json["items"]) {
    EXPECT_TRUE(lead["status"] == "won" || lead["status"] == "contacted") << lead;
  }
  // The filter only narrows what each viewer sees.
  for (const auto& row : {std::string("mgr_a"), std::string("mgr_b"), std::string("user_a"),
                          std::string("user_ab"), std::string("user_none")}) {
    SCOPED_TRACE(row);
    HttpClient& client = *person(row).client;
    std::set<std::string> expected;
    for (const auto& item : Pages(client, "", 200)) {
      if (item["status"] == "won" || item["status"] == "lost") expected.insert(item["id"]);
    }
    EXPECT_EQ(IdsOf(Pages(client, "&status=lost,won", 2)), expected);
  }
  EXPECT_EQ(ListSet(*person("user_a").client, OrgPath("/leads?status=won"), "id"), Ids(ids_, {"l1"}));
  EXPECT_EQ(ListSet(*person("mgr_b").client, OrgPath("/leads?status=won"), "id"), Ids(ids_, {"l3"}));
  // The same filter on the export.
  HttpResponse exported = admin_->Get(OrgPath("/leads/export?format=ndjson&status=won&sort=name"));
  ASSERT_EQ(exported.status, 200) << exported.body;
  std::istringstream lines(exported.body);
  std::vector<std::string> names;
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty()) names.push_back(nlohmann::json::parse(line)["name"]);
  }
  EXPECT_EQ(names, (std::vector<std::string>{"Alpha Arc", "Lead One", "Lead Three", "Mike Mill"}));
}

TEST_F(LeadOrderTest, UnknownStatusesAndSortsAre400WithACode) {
  for (const std::string bad : {"status=open", "status=won,", "status=WON", "status=won,,new"}) {
    HttpResponse answer = admin_->Get(OrgPath("/leads?" + bad));
    EXPECT_EQ(answer.status, 400) << bad;
    EXPECT_EQ(answer.Code(), "invalid_status") << bad;
    EXPECT_EQ(answer.json["errors"][0]["field"], "status") << bad;
    EXPECT_EQ(admin_->Get(OrgPath("/leads/export?" + bad)).status, 400) << bad;
  }
  for (const std::string bad : {"sort=owner", "sort=+name", "sort=NAME", "sort=name,status"}) {
    HttpResponse answer = admin_->Get(OrgPath("/leads?" + bad));
    EXPECT_EQ(answer.status, 400) << bad;
    EXPECT_EQ(answer.Code(), "invalid_sort") << bad;
  }
  // The member list keeps its own status words.
  EXPECT_EQ(admin_->Get(OrgPath("/leads?status=contacted,won")).status, 200);
}

TEST_F(LeadOrderTest, EverySortPagesWholeInItsOrderForEveryViewer) {
  for (const std::string sort : {"-created", "created", "name", "-name", "status", "-status"}) {
    for (const std::string filter : {"", "&status=won,new,lost"}) {
      for (const auto& row : {std::string("admin"), std::string("mgr_a"), std::string("user_ab")}) {
        SCOPED_TRACE(sort + filter + " " + row);
        HttpClient& client = *person(row).client;
        std::vector<nlohmann::json> whole = Pages(client, filter, 200);
        std::vector<nlohmann::json> paged = Pages(client, "&sort=" + sort + filter, 2);
        EXPECT_EQ(paged.size(), whole.size());
        EXPECT_EQ(IdsOf(paged), IdsOf(whole));
        for (std::size_t i = 1; i < paged.size(); ++i) {
          EXPECT_TRUE(InOrder(sort, paged[i - 1], paged[i])) << paged[i - 1] << " then " << paged[i];
        }
      }
    }
  }
  // The default is newest first, as before sort existed.
  std::vector<nlohmann::json> newest = Pages(*admin_, "", 3);
  std::vector<nlohmann::json> explicit_newest = Pages(*admin_, "&sort=-created", 3);
  EXPECT_EQ(newest, explicit_newest);
}

TEST_F(LeadOrderTest, SortedPagingNeitherSkipsNorRepeatsWhileLeadsAreAdded) {
  for (const std::string sort : {"name", "-status", "created"}) {
    SCOPED_TRACE(sort);
    std::set<std::string> before = ListSet(*person("mgr_a").client, OrgPath("/leads"), "id");
    int added = 0;
    std::vector<nlohmann::json> paged =
        Pages(*person("mgr_a").client, "&sort=" + sort, 2, [&] {
          CreateLead(assistant_a_, ids_["user_a"], ++added % 2 ? "Aaron Added" : "Zed Added");
        });
    std::map<std::string, int> seen;
    for (const auto& item : paged) ++seen[item["id"].get<std::string>()];
    for (const std::string& id : before) EXPECT_EQ(seen[id], 1) << id;
    for (const auto& [id, count] : seen) EXPECT_EQ(count, 1) << id;
  }
}

TEST_F(LeadOrderTest, ACursorBelongsToItsSortOrder) {
  auto cursor_of = [&](const std::string& query) {
    HttpResponse page = admin_->Get(OrgPath("/leads?limit=2" + query));
    EXPECT_EQ(page.status, 200) << page.body;
    return page.json["next_cursor"].get<std::string>();
  };
  std::string by_name = cursor_of("&sort=name");
  std::string newest = cursor_of("");
  std::string by_status = cursor_of("&sort=status");
  struct Case {
    std::string query;
    int status;
    std::string code;
  };
  const std::vector<Case> cases = {
      {"sort=-name&cursor=" + by_name, 400, "invalid_cursor"},
      {"cursor=" + by_name, 400, "invalid_cursor"},
      {"sort=name&cursor=" + newest, 400, "invalid_cursor"},
      {"sort=-status&cursor=" + by_status, 400, "invalid_cursor"},
      {"sort=name&cursor=" + by_status, 400, "invalid_cursor"},
      {"sort=name&cursor=" + by_name, 200, ""},
      {"sort=status&status=won&cursor=" + by_status, 200, ""},
      {"sort=name&cursor=bm90IGEgY3Vyc29y", 422, "validation"},
      {"sort=status&cursor=c3RhdHVzCm9wZW4KNw", 422, "validation"},  // "status\nopen\n7"
  };
  for (const Case& test : cases) {
    HttpResponse answer = admin_->Get(OrgPath("/leads?" + test.query));
    EXPECT_EQ(answer.status, test.status) << test.query << " " << answer.body;
    if (!test.code.empty()) {
      EXPECT_EQ(answer.Code(), test.code) << test.query;
    }
  }
  EXPECT_EQ(admin_->Get(OrgPath("/leads/export?sort=name&cursor=" + newest)).status, 200)
      << "an export ignores the cursor";
}

}  // namespace
}  // namespace roster::testing
