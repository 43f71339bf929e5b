// Issue 16: the member list's server-side sort and each member's assistants,
// on both databases.
#include <algorithm>
#include <set>
#include <sstream>

#include "team_fixture.hpp"

namespace roster::testing {
namespace {

constexpr int kMembers = 120;

class MemberSortTest : public TeamTest {
 protected:
  void SetUp() override {
    TeamTest::SetUp();
    if (HasFatalFailure()) return;
    // 114 invited members beside the cast of six: never joined, never signed
    // in, no leads, so every order has long runs of ties and of missing values.
    nlohmann::json rows = nlohmann::json::array();
    for (int i = 0; i < kMembers - 6; ++i) {
      rows.push_back({{"email", "rep" + std::to_string(i) + "@acme.test"},
                      {"name", (i % 3 == 0 ? "zed Rep " : "Rep ") + std::to_string(i % 40)}});
    }
    HttpResponse invited = admin_->Post(OrgPath("/invitations/bulk"), {{"rows", rows}});
    ASSERT_EQ(invited.status, 200) << invited.body;
    // mgr_a owns 4 leads, user_ab 2, user_a and mgr_b 1, everyone else none.
    for (int i = 0; i < 3; ++i) {
      CreateLead(assistant_a_, ids_["mgr_a"], "Extra lead " + std::to_string(i));
    }
  }

  // Every member of the list in `sort`, `limit` at a time, as `client` sees them.
  std::vector<nlohmann::json> Walk(HttpClient& client, const std::string& sort, int limit) {
    std::vector<nlohmann::json> items;
    std::string cursor;
    for (int pages = 0; pages < 1000; ++pages) {
      std::string url = OrgPath("/members?sort=" + sort + "&limit=" + std::to_string(limit));
      if (!cursor.empty()) url += "&cursor=" + cursor;
      HttpResponse page = client.Get(url);
      EXPECT_EQ(page.status, 200) << url << " " << page.body;
      if (page.status != 200) return items;
      for (const auto& item : page.json["items"]) items.push_back(item);
      if (page.json["next_cursor"].is_null()) return items;
      cursor = page.json["next_cursor"];
    }
    ADD_FAILURE() << "paging never ended: " << sort;
    return items;
  }

  std::vector<std::string> UserIds(const std::vector<nlohmann::json>& items) {
    std::vector<std::string> ids;
    for (const auto& item : items) ids.push_back(item["user_id"]);
    return ids;
  }
};

long long IdOf(const nlohmann::json& item) {
  return std::stoll(item["user_id"].get<std::string>());
}

// Whether `items` are in the order `sort` promises: the field's value (RFC
// 3339 times compare as text), then the user id, both reversed by '-', and
// members without a value last in both directions.
bool InOrder(const std::vector<nlohmann::json>& items, const std::string& field, bool descending,
             std::string* why) {
  for (std::size_t i = 1; i < items.size(); ++i) {
    const nlohmann::json& a = items[i - 1];
    const nlohmann::json& b = items[i];
    bool a_null = a[field].is_null(), b_null = b[field].is_null();
    bool ok;
    if (a_null != b_null) {
      ok = b_null;  // missing values come last
    } else if (!a_null && a[field] != b[field]) {
      ok = descending ? a[field] > b[field] : a[field] < b[field];
    } else {
      ok = descending ? IdOf(a) > IdOf(b) : IdOf(a) < IdOf(b);
    }
    if (!ok) {
      *why = "rows " + std::to_string(i - 1) + " and " + std::to_string(i) + ": " + a.dump() +
             " / " + b.dump();
      return false;
    }
  }
  return true;
}

TEST_F(MemberSortTest, EverySortWalksAllPagesAndSeesEachMemberOnceInOrder) {
  const std::vector<std::pair<std::string, std::string>> sorts = {
      {"joined", "joined_at"}, {"last_sign_in", "last_login_at"}, {"leads", "lead_count"}};
  for (const auto& [sort, field] : sorts) {
    for (bool descending : {false, true}) {
      std::string value = (descending ? "-" : "") + sort;
      std::vector<nlohmann::json> items = Walk(*admin_, value, 7);
      std::vector<std::string> ids = UserIds(items);
      EXPECT_EQ(ids.size(), static_cast<std::size_t>(kMembers)) << value;
      EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), ids.size()) << value;
      std::string why;
      EXPECT_TRUE(InOrder(items, field, descending, &why)) << value << ": " << why;
      // One page of 200 answers the same order as 18 pages of 7.
      EXPECT_EQ(UserIds(Walk(*admin_, value, 200)), ids) << value;
    }
  }
  std::vector<std::string> by_leads = UserIds(Walk(*admin_, "-leads", 7));
  EXPECT_EQ(by_leads.front(), ids_["mgr_a"]);  // 4 leads
  EXPECT_EQ(by_leads[1], ids_["user_ab"]);     // 2 leads
}

TEST_F(MemberSortTest, NameIsTheDefaultAndItsReverseIsExact) {
  std::vector<std::string> by_name = UserIds(Walk(*admin_, "name", 7));
  ASSERT_EQ(by_name.size(), static_cast<std::size_t>(kMembers));
  EXPECT_EQ(std::set<std::string>(by_name.begin(), by_name.end()).size(), by_name.size());
  EXPECT_EQ(ListAll(*admin_, OrgPath("/members"), "user_id", 7), by_name);
  EXPECT_EQ(UserIds(Walk(*admin_, "name", 200)), by_name);
  std::vector<std::string> reversed = UserIds(Walk(*admin_, "-name", 7));
  std::reverse(reversed.begin(), reversed.end());
  EXPECT_EQ(reversed, by_name);
  // The names ascend, case ignored ("zed Rep" after "Rep").
  std::vector<nlohmann::json> items = Walk(*admin_, "name", 50);
  for (std::size_t i = 1; i < items.size(); ++i) {
    std::string a = items[i - 1]["name"], b = items[i]["name"];
    std::transform(a.begin(), a.end(), a.begin(), ::tolower);
    std::transform(b.begin(), b.end(), b.begin(), ::tolower);
    EXPECT_LE(a.substr(0, 3), b.substr(0, 3)) << a << " / " << b;
  }
}

TEST_F(MemberSortTest, SortsAndFiltersTogether) {
  HttpResponse page = admin_->Get(OrgPath("/members?status=active&sort=-leads&limit=3"));
  ASSERT_EQ(page.status, 200) << page.body;
  ASSERT_EQ(page.json["items"].size(), 3u);
  EXPECT_EQ(page.json["items"][0]["user_id"], ids_["mgr_a"]);
  EXPECT_EQ(page.json["items"][1]["user_id"], ids_["user_ab"]);
  HttpResponse next = admin_->Get(OrgPath("/members?status=active&sort=-leads&limit=3&cursor=" +
                                          page.json["next_cursor"].get<std::string>()));
  ASSERT_EQ(next.status, 200) << next.body;
  EXPECT_EQ(next.json["items"].size(), 3u);  // six active members in all
  EXPECT_TRUE(next.json["next_cursor"].is_null());
  for (const auto& item : next.json["items"]) EXPECT_EQ(item["status"], "active");
}

TEST_F(MemberSortTest, BadSortsAndForeignCursorsAre400) {
  for (const std::string bad : {"bogus", "NAME", "--name", "name,joined", "lead_count", "+name"}) {
    HttpResponse answer = admin_->Get(OrgPath("/members?sort=" + bad));
    EXPECT_EQ(answer.status, 400) << bad;
    EXPECT_EQ(answer.Code(), "invalid_sort") << bad;
    EXPECT_EQ(answer.headers["content-type"], "application/problem+json") << bad;
    EXPECT_EQ(admin_->Get(OrgPath("/members/export?sort=" + bad)).Code(), "invalid_sort");
  }
  HttpResponse joined = admin_->Get(OrgPath("/members?sort=joined&limit=3"));
  ASSERT_EQ(joined.status, 200);
  std::string cursor = joined.json["next_cursor"];
  for (const std::string other : {"name", "-joined", "leads", "last_sign_in"}) {
    HttpResponse answer = admin_->Get(OrgPath("/members?sort=" + other + "&cursor=" + cursor));
    EXPECT_EQ(answer.status, 400) << other;
    EXPECT_EQ(answer.Code(), "invalid_cursor") << other;
  }
  HttpResponse by_name = admin_->Get(OrgPath("/members?limit=3"));
  std::string name_cursor = by_name.json["next_cursor"];
  EXPECT_EQ(admin_->Get(OrgPath("/members?sort=-name&cursor=" + name_cursor)).Code(),
            "invalid_cursor");
  EXPECT_EQ(admin_->Get(OrgPath("/members?sort=name&cursor=" + name_cursor)).status, 200);
  // A cursor the server never made stays 422, as before sorting existed.
  EXPECT_EQ(admin_->Get(OrgPath("/members?sort=joined&cursor=%21%21")).status, 422);
}

TEST_F(MemberSortTest, OnlyThoseWhoSeeDetailsSortByThem) {
  for (const std::string role : {"mgr_a", "user_none"}) {
    HttpClient& client = *person(role).client;
    for (const std::string sort : {"joined", "-last_sign_in", "leads", "-leads"}) {
      HttpResponse answer = client.Get(OrgPath("/members?sort=" + sort));
      EXPECT_EQ(answer.status, 403) << role << " " << sort;
      EXPECT_EQ(answer.Code(), "forbidden");
      EXPECT_EQ(client.Get(OrgPath("/members/export?sort=" + sort)).status, 403);
    }
    // By name, forwards and backwards, he still sees everyone exactly once, cut.
    std::vector<nlohmann::json> forward = Walk(client, "name", 9);
    std::vector<nlohmann::json> backward = Walk(client, "-name", 9);
    ASSERT_EQ(forward.size(), static_cast<std::size_t>(kMembers)) << role;
    std::vector<std::string> reversed = UserIds(backward);
    std::reverse(reversed.begin(), reversed.end());
    EXPECT_EQ(reversed, UserIds(forward)) << role;
    EXPECT_EQ(UserIds(forward), UserIds(Walk(*admin_, "name", 50)));
    for (const auto& item : forward) EXPECT_FALSE(item.contains("lead_count")) << role;
  }
}

// The assistants of the members of the page, by name, keyed by user id.
std::map<std::string, std::string> AssistantsById(const std::vector<nlohmann::json>& items) {
  std::map<std::string, std::string> result;
  for (const auto& item : items) {
    std::string text;
    for (const auto& assistant : item.at("assistants")) {
      text += (text.empty() ? "" : ",") + assistant["name"].get<std::string>() +
              (assistant["manager"].get<bool>() ? "*" : "");
    }
    result[item["user_id"]] = text;
  }
  return result;
}

TEST_F(MemberSortTest, EachMemberCarriesHisAssistantsForThoseWhoSeeDetails) {
  // The admin sees every assignment, the manager flag marked (*).
  const std::map<std::string, std::string> expected = {
      {"mgr_a", "Assistant A*"}, {"mgr_b", "Assistant B*"}, {"user_a", "Assistant A"},
      {"user_ab", "Assistant A,Assistant B"}, {"user_none", ""}, {"admin", ""}};
  auto seen = AssistantsById(Walk(*admin_, "-leads", 50));
  EXPECT_EQ(seen.size(), static_cast<std::size_t>(kMembers));
  // The same at every page size and in every order, those whose members
  // without a value come after the others (last_sign_in, joined) included.
  for (const std::string sort : {"name", "-last_sign_in", "joined"}) {
    for (int limit : {1, 2, 5}) {
      EXPECT_EQ(AssistantsById(Walk(*admin_, sort, limit)), seen) << sort << " " << limit;
    }
  }
  for (const auto& [name, assistants] : expected) {
    EXPECT_EQ(seen[ids_.at(name)], assistants) << name;
    HttpResponse one = admin_->Get(OrgPath("/members/" + ids_.at(name)));
    ASSERT_EQ(one.status, 200) << one.body;
    EXPECT_EQ(AssistantsById({one.json})[ids_.at(name)], assistants) << name;
  }
  HttpResponse one = admin_->Get(OrgPath("/members/" + ids_["user_ab"]));
  ASSERT_EQ(one.json["assistants"].size(), 2u);
  EXPECT_EQ(one.json["assistants"][0]["id"], assistant_a_);
  EXPECT_EQ(one.json["assistants"][1]["id"], assistant_b_);

  // SPEC 1 cuts a member's row to name, e-mail, role and status for anyone
  // who is not an admin, a manager included: he sees who is on his assistant
  // through its users, not here.
  for (const std::string role : {"mgr_a", "user_ab"}) {
    HttpClient& client = *person(role).client;
    for (const auto& item : Walk(client, "name", 50)) {
      EXPECT_FALSE(item.contains("assistants")) << role << " " << item.dump();
    }
    HttpResponse own = client.Get(OrgPath("/members/" + ids_.at(role)));
    EXPECT_FALSE(own.json.contains("assistants")) << role;
    HttpResponse managed = client.Get(OrgPath("/members/" + ids_.at("user_a")));
    EXPECT_FALSE(managed.json.contains("assistants")) << role;
  }
}

// Every answer that carries a member for an admin carries his assistants,
// as the single member's read shows him: a client (the console's row)
// replaces what it showed with the answer.
TEST_F(MemberSortTest, EveryAnswerWithAMemberCarriesHisAssistants) {
  auto expect_as_read = [&](const HttpResponse& answer, const std::string& expected,
                            const std::string& what) {
    ASSERT_EQ(answer.status / 100, 2) << what << " " << answer.body;
    std::string user_id = answer.json["user_id"];
    HttpResponse read = admin_->Get(OrgPath("/members/" + user_id));
    ASSERT_EQ(read.status, 200) << read.body;
    EXPECT_EQ(AssistantsById({answer.json})[user_id], expected) << what << " " << answer.body;
    EXPECT_EQ(answer.json, read.json) << what;
  };
  std::string path = OrgPath("/members/" + ids_.at("user_ab"));
  expect_as_read(admin_->Patch(path, {{"role", "admin"}}), "Assistant A,Assistant B", "promotion");
  expect_as_read(admin_->Patch(path, {{"role", "admin"}}), "Assistant A,Assistant B", "no change");
  expect_as_read(admin_->Patch(path, {{"role", "user"}}), "Assistant A,Assistant B", "demotion");
  expect_as_read(admin_->Patch(OrgPath("/members/" + ids_.at("mgr_a")), {{"role", "admin"}}),
                 "Assistant A*", "a manager's promotion");

  HttpResponse invited = admin_->Post(
      OrgPath("/invitations"), {{"email", "cy@acme.test"},
                                {"name", "Cy"},
                                {"assistant_ids", {assistant_b_, assistant_a_, assistant_b_}}});
  expect_as_read(invited, "Assistant A,Assistant B", "invitation");
  std::string cy = invited.json["user_id"];
  expect_as_read(admin_->Post(OrgPath("/members/" + cy + "/resend-invite")),
                 "Assistant A,Assistant B", "resend");
  expect_as_read(
      admin_->Post(OrgPath("/invitations"), {{"email", "plain@acme.test"}, {"name", "P"}}), "",
      "an invitation to no assistant");

  std::string leaver = OrgPath("/members/" + ids_.at("user_a"));
  expect_as_read(admin_->Post(leaver + "/deactivate?reassign_to=" + ids_.at("mgr_b")),
                 "Assistant A", "deactivation");
  expect_as_read(admin_->Post(leaver + "/reactivate"), "Assistant A", "reactivation");
}

TEST_F(MemberSortTest, TheExportFollowsTheSort) {
  HttpResponse export_answer = admin_->Get(OrgPath("/members/export?format=ndjson&sort=-leads"));
  ASSERT_EQ(export_answer.status, 200) << export_answer.body;
  std::vector<std::string> exported;
  std::istringstream lines(export_answer.body);
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty()) exported.push_back(nlohmann::json::parse(line)["user_id"]);
  }
  EXPECT_EQ(exported, UserIds(Walk(*admin_, "-leads", 200)));
}

}  // namespace
}  // namespace roster::testing
