// Model-based test of SPEC's rules: thousands of random operations applied
// both to a real `roster serve` and to a small in-memory model of the
// membership, assistant and lead rules. After every step the server must
// answer each operation with the model's status, the invariants must hold,
// and what a member sees (leads, assistants, assistant users, managed
// assistants) must equal the model's visibility rule.
//
// Seeded and reproducible: ROSTER_MODEL_SEED=<n> replays a run,
// ROSTER_MODEL_OPS=<n> changes its length (default 1500). Every failure
// message carries the seed.
#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <optional>
#include <random>

#include "api_fixture.hpp"

namespace roster::testing {
namespace {

constexpr std::uint64_t kDefaultSeed = 20251130;
constexpr int kDefaultOps = 1500;
constexpr int kFullCheckEvery = 100;
constexpr std::size_t kMaxMembers = 12;
constexpr std::size_t kMaxAssistants = 5;

std::uint64_t EnvNumber(const char* name, std::uint64_t fallback) {
  const char* text = std::getenv(name);
  return text && *text ? std::strtoull(text, nullptr, 10) : fallback;
}

// SPEC sections 1-3, as plain data and the rules over it.
struct Model {
  struct Member {
    bool admin = false;
    HttpClient* client = nullptr;
  };
  struct Lead {
    std::string assistant, owner;
  };
  std::map<std::string, Member> members;                     // user id -> (all active)
  std::vector<std::string> assistants;
  std::map<std::string, std::map<std::string, bool>> users;  // assistant -> user -> is_manager
  std::map<std::string, Lead> leads;

  bool IsMember(const std::string& user) const { return members.contains(user); }
  bool IsAdmin(const std::string& user) const { return IsMember(user) && members.at(user).admin; }
  bool IsAssigned(const std::string& user, const std::string& assistant) const {
    return users.at(assistant).contains(user);
  }
  bool IsManager(const std::string& user, const std::string& assistant) const {
    return IsAssigned(user, assistant) && users.at(assistant).at(user);
  }
  int ActiveAdmins() const {
    return static_cast<int>(std::count_if(members.begin(), members.end(),
                                          [](const auto& entry) { return entry.second.admin; }));
  }
  bool MaySee(const std::string& user, const Lead& lead) const {
    return IsAdmin(user) || lead.owner == user || IsManager(user, lead.assistant);
  }
  std::set<std::string> VisibleLeads(const std::string& user) const {
    std::set<std::string> visible;
    for (const auto& [id, lead] : leads) {
      if (MaySee(user, lead)) visible.insert(id);
    }
    return visible;
  }
  // assistant -> user_count, as GET /assistants shows them.
  std::map<std::string, int> VisibleAssistants(const std::string& user) const {
    std::map<std::string, int> visible;
    for (const auto& assistant : assistants) {
      if (IsAdmin(user) || IsManager(user, assistant)) {
        visible[assistant] = static_cast<int>(users.at(assistant).size());
      } else if (IsAssigned(user, assistant)) {
        visible[assistant] = 1;  // he counts only himself
      }
    }
    return visible;
  }
  // user -> is_manager, or nullopt for a 404.
  std::optional<std::map<std::string, bool>> VisibleUsers(const std::string& user,
                                                          const std::string& assistant) const {
    if (IsAdmin(user) || IsManager(user, assistant)) return users.at(assistant);
    if (IsAssigned(user, assistant)) return std::map<std::string, bool>{{user, false}};
    return std::nullopt;
  }
  std::set<std::string> Managed(const std::string& user) const {
    std::set<std::string> managed;
    for (const auto& assistant : assistants) {
      if (IsManager(user, assistant)) managed.insert(assistant);
    }
    return managed;
  }
  std::int64_t LeadsOn(const std::string& user, const std::string& assistant) const {
    return std::count_if(leads.begin(), leads.end(), [&](const auto& entry) {
      return entry.second.owner == user && entry.second.assistant == assistant;
    });
  }
  // Moves `from`'s leads (on `assistant`, or on all) to `to`, assigning `to`
  // where needed: what unassigning and removing a member do.
  std::int64_t Reassign(const std::string& from, const std::string& to,
                        const std::optional<std::string>& assistant) {
    std::int64_t moved = 0;
    for (auto& [id, lead] : leads) {
      if (lead.owner != from || (assistant && lead.assistant != *assistant)) continue;
      users[lead.assistant].try_emplace(to, false);
      lead.owner = to;
      ++moved;
    }
    return moved;
  }
};

class ModelTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    if (!HasFatalFailure()) StartServer();
  }

  // --- Random choices ---
  template <class T>
  const T& Pick(const std::vector<T>& items) {
    return items[std::uniform_int_distribution<std::size_t>(0, items.size() - 1)(random_)];
  }
  bool Chance(double p) { return std::bernoulli_distribution(p)(random_); }
  std::vector<std::string> MemberIds() const {
    std::vector<std::string> ids;
    for (const auto& [id, member] : model_.members) ids.push_back(id);
    return ids;
  }
  std::string AnyMember() { return Pick(MemberIds()); }
  std::string AnyAdmin() {
    std::vector<std::string> admins;
    for (const auto& [id, member] : model_.members) {
      if (member.admin) admins.push_back(id);
    }
    return Pick(admins);
  }
  // Mostly a member, sometimes someone removed or unknown.
  std::string AnyUserId() {
    if (!removed_.empty() && Chance(0.05)) return Pick(removed_);
    if (Chance(0.02)) return "987654321";
    return AnyMember();
  }
  HttpClient& Client(const std::string& user) { return *model_.members.at(user).client; }
  std::string UsersPath(const std::string& assistant, const std::string& user = "") {
    return OrgPath("/assistants/" + assistant + "/users" + (user.empty() ? "" : "/" + user));
  }

  void ExpectStatus(const HttpResponse& answer, int expected, const std::string& what) {
    EXPECT_EQ(answer.status, expected) << what << "\n" << answer.body;
  }

  // --- Operations: each does one request and applies the model's answer ---
  void InviteMember();
  void ChangeRole();
  void CreateAssistant();
  void AssignUser();
  void SetManager();
  void UnassignUser();
  void CreateLead();
  void ReassignLead();
  void EditLead();
  void RemoveMember();
  void RandomOperation();

  // --- Checks ---
  void CheckMember(const std::string& user);
  void CheckInvariants();

  std::mt19937_64 random_;
  Model model_;
  std::vector<std::unique_ptr<HttpClient>> clients_;
  std::vector<std::string> removed_;
  std::vector<HttpClient*> removed_clients_;
  int invited_ = 0;
  std::string last_;  // the last operation, for failure messages
};

void ModelTest::InviteMember() {
  std::string actor = AnyMember();
  std::string email = "member" + std::to_string(++invited_) + "@acme.test";
  bool admin = Chance(0.2);
  std::vector<std::string> assistant_ids;
  for (const auto& assistant : model_.assistants) {
    if (Chance(0.3)) assistant_ids.push_back(assistant);
  }
  last_ = "invite " + email + (admin ? " as admin" : "") + " by " + actor;
  HttpResponse invited = Client(actor).Post(OrgPath("/invitations"),
                                            {{"email", email}, {"name", "Member " + std::to_string(invited_)},
                                             {"role", admin ? "admin" : "user"}, {"assistant_ids", assistant_ids}});
  if (!model_.IsAdmin(actor)) return ExpectStatus(invited, 403, last_);
  ExpectStatus(invited, 201, last_);
  if (invited.status != 201) return;
  std::string user = invited.json["user_id"];
  std::string otp = WaitForOneTimePassword(email);
  auto client = NewClient();
  ASSERT_EQ(client->Login(email, otp).status, 200);
  ASSERT_EQ(client->Post("/api/v1/auth/password", {{"current_password", otp}, {"new_password", kMemberPassword}}).status, 204);
  model_.members[user] = {admin, client.get()};
  clients_.push_back(std::move(client));
  for (const auto& assistant : assistant_ids) model_.users[assistant][user] = false;
}

void ModelTest::ChangeRole() {
  std::string actor = AnyMember(), target = AnyMember();
  bool to_admin = Chance(0.5);
  last_ = "make " + target + (to_admin ? " admin" : " user") + " by " + actor;
  HttpResponse changed = Client(actor).Patch(OrgPath("/members/" + target), {{"role", to_admin ? "admin" : "user"}});
  if (!model_.IsAdmin(actor)) return ExpectStatus(changed, 403, last_);
  if (!to_admin && model_.IsAdmin(target) && model_.ActiveAdmins() <= 1) {
    ExpectStatus(changed, 409, last_);
    EXPECT_EQ(changed.Code(), "last_admin");
    return;
  }
  ExpectStatus(changed, 200, last_);
  model_.members[target].admin = to_admin;
}

void ModelTest::CreateAssistant() {
  std::string actor = AnyMember();
  last_ = "create assistant by " + actor;
  HttpResponse created = Client(actor).Post(OrgPath("/assistants"),
                                            {{"name", "Assistant " + std::to_string(model_.assistants.size() + 1)}});
  if (!model_.IsAdmin(actor)) return ExpectStatus(created, 403, last_);
  ExpectStatus(created, 201, last_);
  if (created.status != 201) return;
  model_.assistants.push_back(created.json["id"]);
  model_.users[created.json["id"]];
}

void ModelTest::AssignUser() {
  std::string actor = AnyMember(), user = AnyUserId(), assistant = Pick(model_.assistants);
  std::optional<bool> is_manager;
  if (Chance(0.6)) is_manager = Chance(0.4);
  last_ = "assign " + user + " to " + assistant + " by " + actor;
  nlohmann::json body = nlohmann::json::object();
  if (is_manager) body["is_manager"] = *is_manager;
  HttpResponse assigned = Client(actor).Put(UsersPath(assistant, user), body);
  if (!model_.IsAdmin(actor)) return ExpectStatus(assigned, 403, last_);
  if (!model_.IsMember(user)) return ExpectStatus(assigned, 404, last_);
  ExpectStatus(assigned, 200, last_);
  auto& flags = model_.users[assistant];
  if (!flags.contains(user)) {
    flags[user] = is_manager.value_or(false);
  } else if (is_manager) {
    flags[user] = *is_manager;
  }
  EXPECT_EQ(assigned.json["is_manager"], flags[user]) << last_;
}

void ModelTest::SetManager() {
  std::string actor = AnyMember(), user = AnyUserId(), assistant = Pick(model_.assistants);
  bool is_manager = Chance(0.5);
  last_ = std::string(is_manager ? "grant" : "revoke") + " manager " + user + " on " + assistant + " by " + actor;
  HttpResponse set = Client(actor).Patch(UsersPath(assistant, user), {{"is_manager", is_manager}});
  if (!model_.IsAdmin(actor)) return ExpectStatus(set, 403, last_);
  if (!model_.IsMember(user) || !model_.IsAssigned(user, assistant)) return ExpectStatus(set, 404, last_);
  ExpectStatus(set, 200, last_);
  model_.users[assistant][user] = is_manager;
}

void ModelTest::UnassignUser() {
  std::string actor = AnyMember(), assistant = Pick(model_.assistants);
  // Mostly someone assigned, so that unassigning happens.
  std::string user = AnyUserId();
  if (!model_.users[assistant].empty() && Chance(0.8)) {
    std::vector<std::string> assigned;
    for (const auto& [id, flag] : model_.users[assistant]) assigned.push_back(id);
    user = Pick(assigned);
  }
  std::optional<std::string> target;
  if (Chance(0.75)) target = AnyUserId();
  last_ = "unassign " + user + " from " + assistant + (target ? " to " + *target : "") + " by " + actor;
  HttpResponse removed = Client(actor).Delete(UsersPath(assistant, user) + (target ? "?reassign_to=" + *target : ""));
  if (!model_.IsAdmin(actor)) return ExpectStatus(removed, 403, last_);
  if (!model_.IsMember(user) || !model_.IsAssigned(user, assistant)) return ExpectStatus(removed, 404, last_);
  if (target && (*target == user || !model_.IsMember(*target))) {
    ExpectStatus(removed, 422, last_);
    EXPECT_EQ(removed.Code(), "invalid_reassign_target") << last_;
    return;
  }
  std::int64_t owned = model_.LeadsOn(user, assistant);
  if (owned > 0 && !target) {
    ExpectStatus(removed, 422, last_);
    EXPECT_EQ(removed.Code(), "reassign_target_required") << last_;
    return;
  }
  ExpectStatus(removed, 200, last_);
  std::int64_t moved = target ? model_.Reassign(user, *target, assistant) : 0;
  EXPECT_EQ(removed.json["reassigned_lead_count"], moved) << last_;
  model_.users[assistant].erase(user);
}

void ModelTest::CreateLead() {
  std::string actor = AnyMember(), assistant = Pick(model_.assistants);
  std::optional<std::string> owner;
  if (Chance(0.6)) owner = AnyUserId();
  last_ = "create lead on " + assistant + " for " + owner.value_or("himself") + " by " + actor;
  nlohmann::json body = {{"name", "Lead " + std::to_string(model_.leads.size())},
                         {"email", "lead@prospect.test"}, {"assistant_id", assistant}};
  if (owner) body["owner_id"] = *owner;
  HttpResponse created = Client(actor).Post(OrgPath("/leads"), body);
  std::string owner_id = owner.value_or(actor);
  // An assistant a member is not on is unknown to him (422, as one that
  // does not exist); on it, only the rule of SPEC 1 refuses (403).
  if (!model_.IsAdmin(actor) && !model_.IsAssigned(actor, assistant)) {
    return ExpectStatus(created, 422, last_);
  }
  bool allowed = model_.IsAdmin(actor) || owner_id == actor || model_.IsManager(actor, assistant);
  if (!allowed) return ExpectStatus(created, 403, last_);
  if (!model_.IsMember(owner_id) || !model_.IsAssigned(owner_id, assistant)) {
    return ExpectStatus(created, 422, last_);
  }
  ExpectStatus(created, 201, last_);
  if (created.status == 201) model_.leads[created.json["id"]] = {assistant, owner_id};
}

void ModelTest::ReassignLead() {
  if (model_.leads.empty()) return CreateLead();
  std::string actor = AnyMember(), to = AnyUserId();
  auto lead = std::next(model_.leads.begin(),
                        std::uniform_int_distribution<long>(0, model_.leads.size() - 1)(random_));
  last_ = "move lead " + lead->first + " to " + to + " by " + actor;
  HttpResponse moved = Client(actor).Patch(OrgPath("/leads/" + lead->first), {{"owner_id", to}});
  if (!model_.MaySee(actor, lead->second)) return ExpectStatus(moved, 404, last_);
  bool reassigning = to != lead->second.owner;
  if (reassigning && !model_.IsAdmin(actor) && !model_.IsManager(actor, lead->second.assistant)) {
    return ExpectStatus(moved, 403, last_);
  }
  if (reassigning && (!model_.IsMember(to) || !model_.IsAssigned(to, lead->second.assistant))) {
    return ExpectStatus(moved, 422, last_);
  }
  ExpectStatus(moved, 200, last_);
  lead->second.owner = to;
}

void ModelTest::EditLead() {
  if (model_.leads.empty()) return CreateLead();
  std::string actor = AnyMember();
  auto lead = std::next(model_.leads.begin(),
                        std::uniform_int_distribution<long>(0, model_.leads.size() - 1)(random_));
  last_ = "edit lead " + lead->first + " by " + actor;
  HttpResponse edited = Client(actor).Patch(OrgPath("/leads/" + lead->first), {{"status", "contacted"}});
  ExpectStatus(edited, model_.MaySee(actor, lead->second) ? 200 : 404, last_);
}

void ModelTest::RemoveMember() {
  std::string actor = AnyMember(), user = AnyUserId();
  std::optional<std::string> target;
  if (Chance(0.8)) target = AnyUserId();
  last_ = "remove " + user + (target ? " to " + *target : "") + " by " + actor;
  HttpResponse removed = Client(actor).Delete(OrgPath("/members/" + user) + (target ? "?reassign_to=" + *target : ""));
  if (!model_.IsAdmin(actor)) return ExpectStatus(removed, 403, last_);
  if (!model_.IsMember(user)) return ExpectStatus(removed, 404, last_);
  if (model_.IsAdmin(user) && model_.ActiveAdmins() <= 1) return ExpectStatus(removed, 409, last_);
  if (target && (*target == user || !model_.IsMember(*target))) return ExpectStatus(removed, 422, last_);
  bool owns = std::any_of(model_.leads.begin(), model_.leads.end(),
                          [&](const auto& entry) { return entry.second.owner == user; });
  if (owns && !target) return ExpectStatus(removed, 422, last_);
  ExpectStatus(removed, 200, last_);
  if (removed.status != 200) return;
  if (target) model_.Reassign(user, *target, std::nullopt);
  for (auto& [assistant, flags] : model_.users) flags.erase(user);
  removed_clients_.push_back(model_.members[user].client);
  model_.members.erase(user);
  removed_.push_back(user);
}

void ModelTest::RandomOperation() {
  int roll = std::uniform_int_distribution<int>(0, 99)(random_);
  if (roll < 3 && model_.members.size() < kMaxMembers) return InviteMember();
  if (roll < 7) return ChangeRole();
  if (roll < 8 && model_.assistants.size() < kMaxAssistants) return CreateAssistant();
  if (roll < 25) return AssignUser();
  if (roll < 37) return SetManager();
  if (roll < 46) return UnassignUser();
  if (roll < 70) return CreateLead();
  if (roll < 88) return ReassignLead();
  if (roll < 94) return EditLead();
  if (roll < 97 && model_.members.size() > 3) return RemoveMember();
  return CreateLead();
}

void ModelTest::CheckMember(const std::string& user) {
  SCOPED_TRACE("as " + user + (model_.IsAdmin(user) ? " (admin)" : ""));
  HttpClient& client = Client(user);
  // Leads, paged with a random page size so pages cross the query's branches.
  std::set<std::string> expected_leads = model_.VisibleLeads(user);
  int limit = Pick(std::vector<int>{3, 50, 200});
  if (expected_leads.size() > 10u * static_cast<std::size_t>(limit)) limit = 200;
  std::set<std::string> leads;
  std::string cursor;
  for (int page = 0; page < 1000; ++page) {
    HttpResponse answer = client.Get(OrgPath("/leads?limit=" + std::to_string(limit)) +
                                     (cursor.empty() ? "" : "&cursor=" + cursor));
    ASSERT_EQ(answer.status, 200) << answer.body;
    for (const auto& item : answer.json["items"]) {
      EXPECT_TRUE(leads.insert(item["id"]).second) << "repeated " << item["id"];
      const auto& expected = model_.leads.find(item["id"]);
      if (expected == model_.leads.end()) continue;
      EXPECT_EQ(item["owner_id"], expected->second.owner) << item;
      EXPECT_EQ(item["assistant_id"], expected->second.assistant) << item;
    }
    if (answer.json["next_cursor"].is_null()) break;
    cursor = answer.json["next_cursor"];
  }
  EXPECT_EQ(leads, expected_leads) << "leads";

  HttpResponse assistants = client.Get(OrgPath("/assistants?limit=200"));
  ASSERT_EQ(assistants.status, 200);
  std::map<std::string, int> seen;
  for (const auto& item : assistants.json["items"]) seen[item["id"]] = item["user_count"];
  EXPECT_EQ(seen, model_.VisibleAssistants(user)) << "assistants";

  for (const auto& assistant : model_.assistants) {
    HttpResponse users = client.Get(UsersPath(assistant) + "?limit=200");
    auto expected = model_.VisibleUsers(user, assistant);
    if (!expected) {
      EXPECT_EQ(users.status, 404) << "users of " << assistant;
      continue;
    }
    ASSERT_EQ(users.status, 200) << users.body;
    std::map<std::string, bool> listed;
    for (const auto& item : users.json["items"]) listed[item["user_id"]] = item["is_manager"];
    EXPECT_EQ(listed, *expected) << "users of " << assistant;
  }

  std::set<std::string> managed;
  HttpResponse me = client.Get("/api/v1/me");
  ASSERT_EQ(me.status, 200) << me.body;
  for (const auto& membership : me.json["memberships"]) {
    for (const auto& id : membership["managed_assistant_ids"]) managed.insert(id);
  }
  EXPECT_EQ(managed, model_.Managed(user)) << "managed_assistant_ids " << me.body;
}

void ModelTest::CheckInvariants() {
  HttpClient& admin = Client(AnyAdmin());
  // 1: an active admin remains.
  HttpResponse admins = admin.Get(OrgPath("/members?role=admin&status=active"));
  ASSERT_EQ(admins.status, 200) << admins.body;
  EXPECT_FALSE(admins.json["items"].empty());
  // 2: every lead's owner is a member assigned to the lead's assistant;
  // 3: only assigned users are managers (a manager flag lives on an assignment).
  std::map<std::string, std::set<std::string>> assigned;
  for (const auto& assistant : model_.assistants) {
    HttpResponse users = admin.Get(UsersPath(assistant) + "?limit=200");
    ASSERT_EQ(users.status, 200) << users.body;
    for (const auto& item : users.json["items"]) assigned[assistant].insert(item["user_id"]);
  }
  std::set<std::string> members;
  HttpResponse member_list = admin.Get(OrgPath("/members?limit=200"));
  ASSERT_EQ(member_list.status, 200) << member_list.body;
  for (const auto& item : member_list.json["items"]) members.insert(item["user_id"]);
  EXPECT_EQ(members.size(), model_.members.size()) << member_list.body;
  for (const auto& [assistant, users] : assigned) {
    for (const auto& user : users) EXPECT_TRUE(members.contains(user)) << user << " on " << assistant;
  }
  std::size_t lead_count = 0;
  std::string cursor;
  do {
    HttpResponse page = admin.Get(OrgPath("/leads?limit=200") + (cursor.empty() ? "" : "&cursor=" + cursor));
    ASSERT_EQ(page.status, 200) << page.body;
    for (const auto& lead : page.json["items"]) {
      ++lead_count;
      EXPECT_TRUE(members.contains(lead["owner_id"])) << lead;
      EXPECT_TRUE(assigned[lead["assistant_id"]].contains(lead["owner_id"])) << lead;
    }
    cursor = page.json["next_cursor"].is_null() ? "" : page.json["next_cursor"].get<std::string>();
  } while (!cursor.empty());
  EXPECT_EQ(lead_count, model_.leads.size());
  // 5: removed members see nothing of the organization.
  for (HttpClient* client : removed_clients_) {
    EXPECT_EQ(client->Get(OrgPath("/leads")).status, 404);
    EXPECT_EQ(client->Get(OrgPath("/assistants")).status, 404);
  }
}

TEST_F(ModelTest, RandomOperationsKeepTheRulesAndTheVisibilityOfTheModel) {
  std::uint64_t seed = EnvNumber("ROSTER_MODEL_SEED", kDefaultSeed);
  int operations = static_cast<int>(EnvNumber("ROSTER_MODEL_OPS", kDefaultOps));
  SCOPED_TRACE("ROSTER_MODEL_SEED=" + std::to_string(seed));
  std::cout << "model test: ROSTER_MODEL_SEED=" << seed << " ROSTER_MODEL_OPS=" << operations << "\n";
  random_.seed(seed);
  model_.members[admin_id_] = {true, admin_.get()};
  for (int i = 0; i < 3; ++i) CreateAssistant();
  for (int i = 0; i < 5; ++i) InviteMember();
  ASSERT_FALSE(HasFailure());

  for (int step = 1; step <= operations; ++step) {
    RandomOperation();
    if (step % kFullCheckEvery == 0) {
      for (const auto& user : MemberIds()) CheckMember(user);
      CheckInvariants();
    } else {
      CheckMember(AnyMember());
    }
    if (HasFailure()) {
      FAIL() << "stopped at step " << step << " of ROSTER_MODEL_SEED=" << seed << " after: " << last_;
    }
  }
  std::cout << "model test: " << operations << " operations, " << model_.members.size() << " members, "
            << model_.assistants.size() << " assistants, " << model_.leads.size() << " leads, "
            << removed_.size() << " removed\n";
}

}  // namespace
}  // namespace roster::testing
