#include "team_fixture.hpp"

#include <regex>
#include <stdexcept>

namespace roster::testing {

std::set<std::string> Ids(const std::map<std::string, std::string>& ids,
                          const std::vector<std::string>& names) {
  std::set<std::string> result;
  for (const auto& name : names) result.insert(ids.at(name));
  return result;
}

void TeamTest::SetUp() {
  ApiTest::SetUp();
  if (HasFatalFailure()) return;
  // The outsider's organization, bootstrapped like the first one.
  CommandResult created = RunRoster({"org", "create", "--name", "Globex", "--admin-email",
                                     "olga@globex.test", "--admin-name", "Olga Outsider"},
                                    env_);
  ASSERT_EQ(created.exit_code, 0) << created.err;
  std::smatch match;
  ASSERT_TRUE(std::regex_search(created.out, match, std::regex(R"(organization (\d+))")));
  other_org_id_ = match[1];
  ASSERT_TRUE(std::regex_search(created.out, match, std::regex(R"(one-time password: (\S+))")));
  std::string outsider_otp = match[1];
  StartServer();
  if (HasFatalFailure()) return;

  auto outsider = NewClient();
  ASSERT_EQ(outsider->Login("olga@globex.test", outsider_otp).status, 200);
  ASSERT_EQ(outsider->Post("/api/v1/auth/password",
                           {{"current_password", outsider_otp}, {"new_password", kMemberPassword}})
                .status,
            204);
  ids_["outsider"] = outsider->Get("/api/v1/me").json["user"]["id"];
  std::string other = "/api/v1/orgs/" + other_org_id_;
  HttpResponse other_assistant = outsider->Post(other + "/assistants", {{"name", "Globex bot"}});
  ASSERT_EQ(other_assistant.status, 201) << other_assistant.body;
  other_assistant_id_ = other_assistant.json["id"];
  ASSERT_EQ(outsider->Put(other + "/assistants/" + other_assistant_id_ + "/users/" + ids_["outsider"], {}).status, 200);
  HttpResponse other_lead = outsider->Post(other + "/leads", {{"name", "Globex lead"},
                                                              {"email", "lead@globex.test"},
                                                              {"assistant_id", other_assistant_id_}});
  ASSERT_EQ(other_lead.status, 201) << other_lead.body;
  other_lead_id_ = other_lead.json["id"];

  assistant_a_ = CreateAssistant("Assistant A");
  assistant_b_ = CreateAssistant("Assistant B");
  ids_["A"] = assistant_a_;
  ids_["B"] = assistant_b_;
  ids_["admin"] = admin_id_;
  const std::vector<std::pair<std::string, std::string>> cast = {
      {"mgr_a", "Mona Manager"}, {"mgr_b", "Max Manager"},   {"user_a", "Uma User"},
      {"user_ab", "Ugo User"},   {"user_none", "Una User"}};
  for (const auto& [role, name] : cast) {
    std::string id;
    clients_[role] = InviteAndJoin(role + "@acme.test", name, "user", &id);
    ids_[role] = id;
  }
  clients_["outsider"] = std::move(outsider);
  Assign(assistant_a_, ids_["mgr_a"], true);
  Assign(assistant_b_, ids_["mgr_b"], true);
  Assign(assistant_a_, ids_["user_a"]);
  Assign(assistant_a_, ids_["user_ab"]);
  Assign(assistant_b_, ids_["user_ab"]);

  ids_["l1"] = CreateLead(assistant_a_, ids_["user_a"], "Lead One");
  ids_["l2"] = CreateLead(assistant_a_, ids_["user_ab"], "Lead Two");
  ids_["l3"] = CreateLead(assistant_b_, ids_["user_ab"], "Lead Three");
  ids_["l4"] = CreateLead(assistant_a_, ids_["mgr_a"], "Lead Four");
  ids_["l5"] = CreateLead(assistant_b_, ids_["mgr_b"], "Lead Five");

  people_.push_back({"admin", admin_id_, admin_.get()});
  for (const char* role : {"mgr_a", "mgr_b", "user_a", "user_ab", "user_none", "outsider"}) {
    people_.push_back({role, ids_[role], clients_[role].get()});
  }
}

std::string TeamTest::CreateAssistant(const std::string& name) {
  HttpResponse created = admin_->Post(OrgPath("/assistants"), {{"name", name}});
  EXPECT_EQ(created.status, 201) << created.body;
  return created.json.value("id", "");
}

void TeamTest::Assign(const std::string& assistant_id, const std::string& user_id, bool is_manager) {
  HttpResponse assigned = admin_->Put(OrgPath("/assistants/" + assistant_id + "/users/" + user_id),
                                      {{"is_manager", is_manager}});
  EXPECT_EQ(assigned.status, 200) << assigned.body;
}

std::string TeamTest::CreateLead(const std::string& assistant_id, const std::string& owner_id,
                                 const std::string& name) {
  HttpResponse created = admin_->Post(OrgPath("/leads"), {{"name", name},
                                                          {"email", "lead@prospect.test"},
                                                          {"company", "Prospect Inc"},
                                                          {"assistant_id", assistant_id},
                                                          {"owner_id", owner_id}});
  EXPECT_EQ(created.status, 201) << created.body;
  return created.json.value("id", "");
}

std::vector<std::string> TeamTest::ListAll(HttpClient& client, const std::string& path,
                                           const std::string& field, int limit) {
  std::vector<std::string> values;
  std::string separator = path.find('?') == std::string::npos ? "?" : "&";
  std::string cursor;
  for (int pages = 0; pages < 10000; ++pages) {
    std::string url = path + separator + "limit=" + std::to_string(limit);
    if (!cursor.empty()) url += "&cursor=" + cursor;
    HttpResponse page = client.Get(url);
    EXPECT_EQ(page.status, 200) << url << " " << page.body;
    if (page.status != 200) return values;
    for (const auto& item : page.json["items"]) values.push_back(item[field]);
    if (page.json["next_cursor"].is_null()) return values;
    cursor = page.json["next_cursor"];
  }
  ADD_FAILURE() << "paging never ended: " << path;
  return values;
}

std::set<std::string> TeamTest::ListSet(HttpClient& client, const std::string& path,
                                        const std::string& field, int limit) {
  std::vector<std::string> values = ListAll(client, path, field, limit);
  std::set<std::string> set(values.begin(), values.end());
  EXPECT_EQ(set.size(), values.size()) << "a row repeated while paging " << path;
  return set;
}

const TeamTest::Person& TeamTest::person(const std::string& role) const {
  for (const auto& p : people_) {
    if (p.role == role) return p;
  }
  throw std::out_of_range(role);
}

std::vector<TeamTest::Person> TeamTest::people() const { return people_; }

}  // namespace roster::testing
