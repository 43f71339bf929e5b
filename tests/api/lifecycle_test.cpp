// Deactivation, reactivation and the offboarding policy (SPEC 8, issue 13).
//
// The cast of TeamTest: assistants A (manager mgr_a; users user_a, user_ab)
// and B (manager mgr_b; user user_ab); leads l1 (A, user_a), l2 (A, user_ab),
// l3 (B, user_ab), l4 (A, mgr_a), l5 (B, mgr_b); user_none is on nothing.
#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "team_fixture.hpp"

namespace roster::testing {
namespace {

class LifecycleTest : public TeamTest {
 protected:
  void SetUp() override {
    // A webhook endpoint that nobody answers still records its deliveries.
    env()["ROSTER_WEBHOOK_ALLOW_HTTP"] = "1";
    env()["ROSTER_WEBHOOK_ALLOW_PRIVATE"] = "1";
    TeamTest::SetUp();
  }

  HttpResponse Deactivate(const std::string& who, const std::string& reassign_to = "") {
    std::string path = OrgPath("/members/" + ids_.at(who) + "/deactivate");
    if (!reassign_to.empty()) path += "?reassign_to=" + ids_.at(reassign_to);
    return admin_->Post(path);
  }
  HttpResponse Reactivate(const std::string& who) {
    return admin_->Post(OrgPath("/members/" + ids_.at(who) + "/reactivate"));
  }
  HttpResponse SetPolicy(const nlohmann::json& offboarding) {
    return admin_->Patch(OrgPath("/settings"), {{"offboarding", offboarding}});
  }

  // lead name -> owner's cast name, as the admin reads them.
  std::map<std::string, std::string> Owners() {
    std::map<std::string, std::string> by_id;
    for (const auto& [name, id] : ids_) by_id[id] = name;
    std::map<std::string, std::string> owners;
    for (const char* lead : {"l1", "l2", "l3", "l4", "l5", "l6"}) {
      if (!ids_.count(lead)) continue;
      HttpResponse read = admin_->Get(OrgPath("/leads/" + ids_.at(lead)));
      EXPECT_EQ(read.status, 200) << read.body;
      owners[lead] = by_id[read.json.value("owner_id", "")];
    }
    return owners;
  }

  std::string Status(const std::string& who) {
    HttpResponse member = admin_->Get(OrgPath("/members/" + ids_.at(who)));
    EXPECT_EQ(member.status, 200) << member.body;
    return member.json.value("status", "");
  }

  // The assistant's users: cast name -> is_manager.
  std::map<std::string, bool> UsersOf(const std::string& assistant) {
    std::map<std::string, std::string> by_id;
    for (const auto& [name, id] : ids_) by_id[id] = name;
    HttpResponse page = admin_->Get(OrgPath("/assistants/" + ids_.at(assistant) + "/users"));
    EXPECT_EQ(page.status, 200) << page.body;
    std::map<std::string, bool> users;
    for (const auto& item : page.json["items"]) {
      users[by_id[item["user_id"].get<std::string>()]] = item["is_manager"].get<bool>();
    }
    return users;
  }

  // The audit actions, oldest first.
  std::vector<std::string> AuditActions() {
    std::vector<std::string> actions = ListAll(*admin_, OrgPath("/audit-events"), "action");
    std::reverse(actions.begin(), actions.end());
    return actions;
  }

  HttpClient& client(const std::string& who) { return *person(who).client; }
};

TEST_F(LifecycleTest, DeactivationMovesEveryLeadAndEndsAccessAtOnce) {
  ASSERT_EQ(client("user_ab").Get(OrgPath("/leads")).status, 200);
  std::size_t events_before = AuditActions().size();

  HttpResponse deactivated = Deactivate("user_ab", "user_none");
  ASSERT_EQ(deactivated.status, 200) << deactivated.body;
  EXPECT_EQ(deactivated.json["status"], "deactivated");
  EXPECT_EQ(deactivated.json["role"], "user");
  EXPECT_EQ(deactivated.json["lead_count"], 0);

  // His very next requests: the organization is gone for him, and his
  // session (which reached no other organization) is over.
  EXPECT_EQ(client("user_ab").Get(OrgPath()).status, 401);
  auto again = NewClient();
  ASSERT_EQ(again->Login("user_ab@acme.test", kMemberPassword).status, 200);
  EXPECT_EQ(again->Get(OrgPath()).status, 404);
  EXPECT_EQ(again->Get(OrgPath("/leads")).status, 404);
  EXPECT_EQ(again->Get(OrgPath("/leads/" + ids_["l2"])).status, 404);
  EXPECT_EQ(again->Get("/api/v1/orgs").json["items"].size(), 0u);
  EXPECT_EQ(again->Get("/api/v1/me").json["memberships"].size(), 0u);

  auto owners = Owners();
  EXPECT_EQ(owners["l2"], "user_none");
  EXPECT_EQ(owners["l3"], "user_none");
  EXPECT_EQ(owners["l1"], "user_a");
  // He keeps his assignments; the receiver joined where the leads are.
  EXPECT_TRUE(UsersOf("A").count("user_ab"));
  EXPECT_TRUE(UsersOf("B").count("user_ab"));
  EXPECT_TRUE(UsersOf("A").count("user_none"));
  EXPECT_TRUE(UsersOf("B").count("user_none"));

  std::vector<std::string> actions = AuditActions();
  std::vector<std::string> added(actions.begin() + static_cast<long>(events_before), actions.end());
  EXPECT_EQ(added, (std::vector<std::string>{"assistant_user_assigned", "assistant_user_assigned",
                                             "member_deactivated", "leads_reassigned"}));

  // Listed, by the new filter and only by it.
  EXPECT_EQ(ListSet(*admin_, OrgPath("/members?status=deactivated"), "user_id"),
            Ids(ids_, {"user_ab"}));
  EXPECT_FALSE(ListSet(*admin_, OrgPath("/members?status=active"), "user_id").count(ids_["user_ab"]));
  EXPECT_FALSE(ListSet(*admin_, OrgPath("/members?status=invited"), "user_id").count(ids_["user_ab"]));
  EXPECT_EQ(admin_->Get(OrgPath("/members?status=asleep")).status, 422);
}

TEST_F(LifecycleTest, SessionsThatReachAnotherOrganizationStay) {
  // The outsider (admin of Globex) joins Acme with his existing account.
  HttpResponse invited =
      admin_->Post(OrgPath("/invitations"), {{"email", "olga@globex.test"}, {"name", "Olga"}});
  ASSERT_EQ(invited.status, 201) << invited.body;
  ASSERT_EQ(client("outsider").Get(OrgPath()).status, 200);
  ASSERT_EQ(Deactivate("outsider").status, 200);
  EXPECT_EQ(client("outsider").Get(OrgPath()).status, 404);
  EXPECT_EQ(client("outsider").Get(OrgPath("/members")).status, 404);
  EXPECT_EQ(client("outsider").Get("/api/v1/orgs/" + other_org_id_).status, 200);
}

TEST_F(LifecycleTest, ManagerFlagGoesAssignmentsStayAndReactivationRestoresTheRole) {
  ASSERT_EQ(Deactivate("mgr_a", "user_a").status, 200);
  EXPECT_EQ(UsersOf("A"), (std::map<std::string, bool>{
                              {"mgr_a", false}, {"user_a", false}, {"user_ab", false}}));
  EXPECT_EQ(Owners()["l4"], "user_a");
  // A deactivated member cannot be made a manager or given a lead.
  HttpResponse manager = admin_->Patch(OrgPath("/assistants/" + assistant_a_ + "/users/" + ids_["mgr_a"]),
                                       {{"is_manager", true}});
  EXPECT_EQ(manager.status, 409) << manager.body;
  EXPECT_EQ(manager.Code(), "member_deactivated");
  HttpResponse lead = admin_->Post(OrgPath("/leads"), {{"name", "New"}, {"email", "n@prospect.test"},
                                                       {"assistant_id", assistant_a_},
                                                       {"owner_id", ids_["mgr_a"]}});
  EXPECT_EQ(lead.status, 422) << lead.body;
  HttpResponse moved = admin_->Patch(OrgPath("/leads/" + ids_["l1"]), {{"owner_id", ids_["mgr_a"]}});
  EXPECT_EQ(moved.status, 422) << moved.body;

  HttpResponse back = Reactivate("mgr_a");
  ASSERT_EQ(back.status, 200) << back.body;
  EXPECT_EQ(back.json["status"], "active");
  EXPECT_EQ(back.json["role"], "user");
  auto signed_in = NewClient();
  ASSERT_EQ(signed_in->Login("mgr_a@acme.test", kMemberPassword).status, 200);
  EXPECT_EQ(signed_in->Get(OrgPath("/leads")).status, 200);
  EXPECT_FALSE(UsersOf("A")["mgr_a"]);  // the flag does not come back

  // An admin comes back an admin.
  ASSERT_EQ(admin_->Patch(OrgPath("/members/" + ids_["user_none"]), {{"role", "admin"}}).status, 200);
  ASSERT_EQ(Deactivate("user_none").status, 200);
  HttpResponse admin_back = Reactivate("user_none");
  ASSERT_EQ(admin_back.status, 200);
  EXPECT_EQ(admin_back.json["role"], "admin");
  EXPECT_EQ(Reactivate("user_none").status, 200);  // already active: as he is
}

TEST_F(LifecycleTest, TheLastActiveAdminCannotBeDeactivated) {
  ids_["ada"] = admin_id_;
  HttpResponse alone = Deactivate("ada", "user_a");
  EXPECT_EQ(alone.status, 409);
  EXPECT_EQ(alone.Code(), "last_admin");
  // A deactivated admin is no active admin.
  ASSERT_EQ(admin_->Patch(OrgPath("/members/" + ids_["user_none"]), {{"role", "admin"}}).status, 200);
  ASSERT_EQ(Deactivate("user_none").status, 200);
  EXPECT_EQ(Deactivate("ada").Code(), "last_admin");
  ASSERT_EQ(Reactivate("user_none").status, 200);
  EXPECT_EQ(Deactivate("ada").status, 200);
}

TEST_F(LifecycleTest, ADeactivatedMemberCannotBeInvitedAgain) {
  ASSERT_EQ(Deactivate("user_none").status, 200);
  HttpResponse again =
      admin_->Post(OrgPath("/invitations"), {{"email", "user_none@acme.test"}, {"name", "Una"}});
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(again.Code(), "already_member");
  EXPECT_EQ(admin_->Post(OrgPath("/members/" + ids_["user_none"] + "/resend-invite")).Code(),
            "not_invited");
  EXPECT_EQ(Status("user_none"), "deactivated");
  EXPECT_EQ(Deactivate("user_none").status, 200);  // already deactivated: as he is

  std::string invitee = Invite("ivy@acme.test", "Ivy Invitee");
  ids_["ivy"] = invitee;
  EXPECT_EQ(Reactivate("ivy").Code(), "not_deactivated");
}

// Identity providers deprovision people who never signed in (Okta and
// Entra send active=false on unassignment): the invitation dies with the
// deactivation, and a reactivation invites him again.
TEST_F(LifecycleTest, DeactivatingSomeoneWhoHasNotJoinedKillsHisInvitation) {
  ids_["ivy"] = Invite("ivy@acme.test", "Ivy Invitee");
  std::string first = WaitForOneTimePassword("ivy@acme.test", 0);
  auto ivy = NewClient();
  ASSERT_EQ(ivy->Login("ivy@acme.test", first).status, 200);  // signed in, password not set yet

  HttpResponse deactivated = Deactivate("ivy");
  ASSERT_EQ(deactivated.status, 200) << deactivated.body;
  EXPECT_EQ(deactivated.json["status"], "deactivated");
  EXPECT_TRUE(deactivated.json["invite_expires_at"].is_null()) << deactivated.body;
  EXPECT_EQ(NewClient()->Login("ivy@acme.test", first).Code(), "invalid_credentials");
  EXPECT_EQ(ivy->Post("/api/v1/auth/password",
                      {{"current_password", first}, {"new_password", kMemberPassword}})
                .status,
            401);  // his half-finished sign-in ended with it
  EXPECT_EQ(admin_->Post(OrgPath("/members/" + ids_["ivy"] + "/resend-invite")).Code(),
            "not_invited");
  HttpResponse audit = admin_->Get(OrgPath("/audit-events?target=" + ids_["ivy"]));
  ASSERT_EQ(audit.json["items"][0]["action"], "member_deactivated") << audit.body;
  EXPECT_EQ(audit.json["items"][0]["details"]["invitation_revoked"], true);

  HttpResponse reactivated = Reactivate("ivy");
  ASSERT_EQ(reactivated.status, 200) << reactivated.body;
  EXPECT_EQ(reactivated.json["status"], "invited");
  EXPECT_TRUE(reactivated.json["invite_expires_at"].is_string()) << reactivated.body;
  audit = admin_->Get(OrgPath("/audit-events?target=" + ids_["ivy"]));
  ASSERT_EQ(audit.json["items"][0]["action"], "member_reactivated") << audit.body;
  EXPECT_TRUE(audit.json["items"][0]["details"]["invitation"]["expires_at"].is_string());
  std::string second = WaitForOneTimePassword("ivy@acme.test", 1);
  EXPECT_NE(second, first);
  EXPECT_EQ(NewClient()->Login("ivy@acme.test", first).Code(), "invalid_credentials");
  auto joined = NewClient();
  ASSERT_EQ(joined->Login("ivy@acme.test", second).status, 200);
  ASSERT_EQ(joined
                ->Post("/api/v1/auth/password",
                       {{"current_password", second}, {"new_password", kMemberPassword}})
                .status,
            204);
  EXPECT_EQ(Status("ivy"), "active");
}

TEST_F(LifecycleTest, ARefusedDeactivationChangesNothing) {
  auto owners_before = Owners();
  std::size_t events_before = AuditActions().size();
  HttpResponse no_policy = Deactivate("user_ab");
  EXPECT_EQ(no_policy.status, 409);
  EXPECT_EQ(no_policy.Code(), "no_offboarding_heir");
  EXPECT_EQ(Deactivate("user_ab", "user_ab").Code(), "invalid_reassign_target");
  EXPECT_EQ(Deactivate("user_ab", "outsider").Code(), "invalid_reassign_target");
  EXPECT_EQ(admin_->Post(OrgPath("/members/" + ids_["user_ab"] + "/deactivate?reassign_to=x")).Code(),
            "invalid_reassign_target");

  // The policy places A's lead (mgr_a) but not one on a managerless assistant:
  // nothing moves at all.
  std::string c = CreateAssistant("Assistant C");
  Assign(c, ids_["user_ab"]);
  ids_["l6"] = CreateLead(c, ids_["user_ab"], "Lead Six");
  owners_before["l6"] = "user_ab";
  ASSERT_EQ(SetPolicy({{"prefer_assistant_manager", true}}).status, 200);
  HttpResponse partly = Deactivate("user_ab");
  EXPECT_EQ(partly.status, 409);
  EXPECT_EQ(partly.Code(), "no_offboarding_heir");

  EXPECT_EQ(Owners(), owners_before);
  EXPECT_EQ(Status("user_ab"), "active");
  EXPECT_EQ(client("user_ab").Get(OrgPath("/leads")).status, 200);
  EXPECT_FALSE(UsersOf("A").count("user_none"));
  std::vector<std::string> actions = AuditActions();
  EXPECT_EQ(actions.size(), events_before + 4);  // the assistant, assignment, lead, settings
  EXPECT_EQ(actions.back(), "settings_updated");
}

TEST_F(LifecycleTest, ThePolicyPrefersTheLeastLoadedManagerOfEachAssistant) {
  // A gets a second manager, user_a (1 lead on A); mgr_a gets a second lead on A.
  ASSERT_EQ(admin_->Patch(OrgPath("/assistants/" + assistant_a_ + "/users/" + ids_["user_a"]),
                          {{"is_manager", true}}).status, 200);
  ids_["l6"] = CreateLead(assistant_a_, ids_["mgr_a"], "Lead Six");
  ASSERT_EQ(SetPolicy({{"heir_user_id", ids_["user_none"]}, {"prefer_assistant_manager", true}}).status,
            200);
  HttpResponse deactivated = Deactivate("user_ab");
  ASSERT_EQ(deactivated.status, 200) << deactivated.body;
  auto owners = Owners();
  EXPECT_EQ(owners["l2"], "user_a");  // A: user_a owns 1 there, mgr_a 2
  EXPECT_EQ(owners["l3"], "mgr_b");   // B: its only manager
  EXPECT_FALSE(UsersOf("A").count("user_none"));

  // One leads_reassigned per receiver, each with its assistant's count.
  HttpResponse events = admin_->Get(OrgPath("/audit-events?limit=3"));
  ASSERT_EQ(events.status, 200);
  std::map<std::string, std::string> receivers;
  for (const auto& event : events.json["items"]) {
    if (event["action"] != "leads_reassigned") continue;
    const auto& details = event["details"];
    ASSERT_EQ(details["by_assistant"].size(), 1u) << details.dump();
    receivers[details["by_assistant"][0]["assistant_id"]] = details["reassigned_to"];
    EXPECT_EQ(details["reason"], "member_deactivated");
  }
  EXPECT_EQ(receivers, (std::map<std::string, std::string>{{assistant_a_, ids_["user_a"]},
                                                           {assistant_b_, ids_["mgr_b"]}}));
}

TEST_F(LifecycleTest, ThePolicyNeverHandsLeadsToTheLeaverAndFallsBackToTheHeir) {
  // mgr_a is A's only manager: his own leads go to the heir, who joins A.
  ASSERT_EQ(SetPolicy({{"heir_user_id", ids_["user_none"]}, {"prefer_assistant_manager", true}}).status,
            200);
  ASSERT_EQ(Deactivate("mgr_a").status, 200);
  EXPECT_EQ(Owners()["l4"], "user_none");
  EXPECT_TRUE(UsersOf("A").count("user_none"));

  // Without the preference every lead goes to the heir.
  ASSERT_EQ(SetPolicy({{"prefer_assistant_manager", false}}).status, 200);
  ASSERT_EQ(Deactivate("mgr_b").status, 200);
  EXPECT_EQ(Owners()["l5"], "user_none");

  // A heir who is himself deactivated since is no heir.
  ASSERT_EQ(Reactivate("mgr_a").status, 200);
  ASSERT_EQ(Deactivate("user_none", "mgr_a").status, 200);
  HttpResponse orphaned = Deactivate("user_a");
  EXPECT_EQ(orphaned.Code(), "no_offboarding_heir");
  EXPECT_NE(orphaned.json["detail"].get<std::string>().find("not an active member now"),
            std::string::npos)
      << orphaned.body;
  EXPECT_EQ(Owners()["l1"], "user_a");

  // The heir himself leaving is told so, not that he is inactive.
  ASSERT_EQ(SetPolicy({{"heir_user_id", ids_["user_a"]}}).status, 200);
  HttpResponse himself = Deactivate("user_a");
  EXPECT_EQ(himself.Code(), "no_offboarding_heir");
  EXPECT_NE(himself.json["detail"].get<std::string>().find("is this member himself"),
            std::string::npos)
      << himself.body;
}

TEST_F(LifecycleTest, AHeirRemovedFromTheOrganizationIsNoLongerTheHeir) {
  ASSERT_EQ(SetPolicy({{"heir_user_id", ids_["user_none"]}, {"prefer_assistant_manager", true}}).status,
            200);
  ASSERT_EQ(admin_->Delete(OrgPath("/members/" + ids_["user_none"])).status, 200);
  HttpResponse settings = admin_->Get(OrgPath("/settings"));
  EXPECT_TRUE(settings.json["offboarding"]["heir_user_id"].is_null()) << settings.body;
  EXPECT_EQ(settings.json["offboarding"]["prefer_assistant_manager"], true);
  // Audited as a change of the settings by the admin who removed him.
  HttpResponse events = admin_->Get(OrgPath("/audit-events?action=settings_updated"));
  ASSERT_EQ(events.status, 200) << events.body;
  ASSERT_EQ(events.json["items"].size(), 2u);
  EXPECT_EQ(events.json["items"][0]["details"]["from"]["offboarding"]["heir_user_id"],
            ids_["user_none"]);
  EXPECT_TRUE(events.json["items"][0]["details"]["to"]["offboarding"]["heir_user_id"].is_null());
  // A removal of anyone else leaves the heir alone.
  ASSERT_EQ(SetPolicy({{"heir_user_id", ids_["mgr_a"]}}).status, 200);
  ASSERT_EQ(admin_->Delete(OrgPath("/members/" + ids_["user_a"])).status, 200);
  EXPECT_EQ(admin_->Get(OrgPath("/settings")).json["offboarding"]["heir_user_id"], ids_["mgr_a"]);
}

TEST_F(LifecycleTest, RemovalWithoutReassignToFollowsThePolicy) {
  // No policy: the admin is asked to choose, as before.
  HttpResponse ask = admin_->Delete(OrgPath("/members/" + ids_["user_ab"]));
  EXPECT_EQ(ask.status, 422);
  EXPECT_EQ(ask.Code(), "reassign_target_required");
  // A policy that cannot place them: refused, nothing changed.
  ASSERT_EQ(SetPolicy({{"prefer_assistant_manager", true}}).status, 200);
  std::string c = CreateAssistant("Assistant C");
  Assign(c, ids_["user_ab"]);
  ids_["l6"] = CreateLead(c, ids_["user_ab"], "Lead Six");
  HttpResponse refused = admin_->Delete(OrgPath("/members/" + ids_["user_ab"]));
  EXPECT_EQ(refused.status, 409);
  EXPECT_EQ(refused.Code(), "no_offboarding_heir");
  EXPECT_EQ(Owners()["l2"], "user_ab");
  // With a heir: managers take A's and B's leads, the heir C's.
  ASSERT_EQ(SetPolicy({{"heir_user_id", ids_["user_none"]}}).status, 200);
  HttpResponse removed = admin_->Delete(OrgPath("/members/" + ids_["user_ab"]));
  ASSERT_EQ(removed.status, 200) << removed.body;
  EXPECT_TRUE(removed.json["reassigned_to"].is_null());  // three receivers
  EXPECT_EQ(removed.json["reassigned_lead_count"], 3);
  auto owners = Owners();
  EXPECT_EQ(owners["l2"], "mgr_a");
  EXPECT_EQ(owners["l3"], "mgr_b");
  EXPECT_EQ(owners["l6"], "user_none");
  EXPECT_EQ(admin_->Get(OrgPath("/members/" + ids_["user_ab"])).status, 404);
}

TEST_F(LifecycleTest, SettingsReadAndMergePatch) {
  HttpResponse initial = admin_->Get(OrgPath("/settings"));
  ASSERT_EQ(initial.status, 200) << initial.body;
  EXPECT_EQ(initial.json, (nlohmann::json{{"offboarding", {{"heir_user_id", nullptr},
                                                           {"prefer_assistant_manager", false}}},
                                          {"require_mfa", false},
                                          {"invite_ttl_seconds", 86400}}));
  HttpResponse heir = SetPolicy({{"heir_user_id", ids_["mgr_a"]}});
  ASSERT_EQ(heir.status, 200) << heir.body;
  EXPECT_EQ(heir.json["offboarding"]["heir_user_id"], ids_["mgr_a"]);
  EXPECT_EQ(heir.json["offboarding"]["prefer_assistant_manager"], false);
  // Members left out stay.
  HttpResponse prefer = SetPolicy({{"prefer_assistant_manager", true}});
  EXPECT_EQ(prefer.json["offboarding"]["heir_user_id"], ids_["mgr_a"]);
  EXPECT_EQ(prefer.json["offboarding"]["prefer_assistant_manager"], true);
  EXPECT_EQ(admin_->Patch(OrgPath("/settings"), nlohmann::json::object()).json, prefer.json);
  EXPECT_EQ(admin_->Get(OrgPath("/settings")).json, prefer.json);
  // null resets one member, or the whole policy.
  HttpResponse cleared = SetPolicy({{"heir_user_id", nullptr}});
  EXPECT_TRUE(cleared.json["offboarding"]["heir_user_id"].is_null());
  EXPECT_EQ(cleared.json["offboarding"]["prefer_assistant_manager"], true);
  HttpResponse reset = admin_->Patch(OrgPath("/settings"), {{"offboarding", nullptr}});
  EXPECT_EQ(reset.json, initial.json);

  std::vector<std::string> actions = AuditActions();
  EXPECT_EQ(std::count(actions.begin(), actions.end(), "settings_updated"), 4);  // not the no-op
  HttpResponse last = admin_->Get(OrgPath("/audit-events?limit=1"));
  // require_mfa is audited by its own event (mfa_requirement_changed).
  EXPECT_EQ(last.json["items"][0]["details"]["to"]["offboarding"], initial.json["offboarding"]);
}

TEST_F(LifecycleTest, SettingsRefuseABadHeirAndBadFields) {
  auto refused = [&](const nlohmann::json& body, const std::string& code) {
    HttpResponse answer = admin_->Patch(OrgPath("/settings"), body);
    EXPECT_EQ(answer.status, 422) << body.dump() << " " << answer.body;
    EXPECT_EQ(answer.Code(), code) << body.dump();
    EXPECT_EQ(answer.Header("content-type"), "application/problem+json");
  };
  refused({{"offboarding", {{"heir_user_id", ids_["outsider"]}}}}, "invalid_offboarding_heir");
  refused({{"offboarding", {{"heir_user_id", "999999"}}}}, "invalid_offboarding_heir");
  refused({{"offboarding", {{"heir_user_id", "seven"}}}}, "validation");
  refused({{"offboarding", {{"heir_user_id", 7}}}}, "validation");
  refused({{"offboarding", {{"prefer_assistant_manager", "yes"}}}}, "validation");
  refused({{"offboarding", {{"heir", ids_["mgr_a"]}}}}, "validation");
  refused({{"offboarding", "mgr_a"}}, "validation");
  refused({{"colour", "blue"}}, "validation");
  refused({{"invite_ttl_seconds", 3600}}, "validation");  // the server's setting
  refused(nlohmann::json::array(), "validation");
  std::string invitee = Invite("ivy@acme.test", "Ivy Invitee");
  refused({{"offboarding", {{"heir_user_id", invitee}}}}, "invalid_offboarding_heir");
  ASSERT_EQ(Deactivate("user_none").status, 200);
  refused({{"offboarding", {{"heir_user_id", ids_["user_none"]}}}}, "invalid_offboarding_heir");
  EXPECT_TRUE(admin_->Get(OrgPath("/settings")).json["offboarding"]["heir_user_id"].is_null());
}

TEST_F(LifecycleTest, OnlyAdminsManageSettingsAndMembersLifecycle) {
  for (const char* who : {"mgr_a", "user_a"}) {
    EXPECT_EQ(client(who).Get(OrgPath("/settings")).status, 403) << who;
    EXPECT_EQ(client(who).Patch(OrgPath("/settings"), {{"offboarding", nullptr}}).status, 403) << who;
    EXPECT_EQ(client(who).Post(OrgPath("/members/" + ids_["user_none"] + "/deactivate")).status, 403)
        << who;
    EXPECT_EQ(client(who).Post(OrgPath("/members/" + ids_["user_none"] + "/reactivate")).status, 403)
        << who;
  }
  // Another organization's admin, and unknown members or organizations: 404.
  HttpClient& outsider = client("outsider");
  EXPECT_EQ(outsider.Get(OrgPath("/settings")).status, 404);
  EXPECT_EQ(outsider.Patch(OrgPath("/settings"), {{"offboarding", nullptr}}).status, 404);
  EXPECT_EQ(outsider.Post(OrgPath("/members/" + ids_["user_none"] + "/deactivate")).status, 404);
  EXPECT_EQ(admin_->Post(OrgPath("/members/999999/deactivate")).status, 404);
  EXPECT_EQ(admin_->Post(OrgPath("/members/" + ids_["outsider"] + "/reactivate")).status, 404);
  EXPECT_EQ(admin_->Get("/api/v1/orgs/" + other_org_id_ + "/settings").status, 404);
  // The CSRF guard holds for the new operations too.
  auto no_csrf = NewClient();
  ASSERT_EQ(no_csrf->Login(kAdminEmail, kAdminPassword).status, 200);
  no_csrf->set_csrf_header(false);
  EXPECT_EQ(no_csrf->Post(OrgPath("/members/" + ids_["user_none"] + "/deactivate")).Code(), "csrf");
  EXPECT_EQ(Status("user_none"), "active");

  // Keys: admin keys may, read keys read, SCIM keys stay out of /api/v1.
  auto key = [&](const std::string& scope) {
    HttpResponse created = admin_->Post(OrgPath("/api-keys"), {{"name", scope}, {"scope", scope}});
    EXPECT_EQ(created.status, 201) << created.body;
    return std::map<std::string, std::string>{{"Authorization", "Bearer " + created.json.value("key", "")},
                                              {"Content-Type", "application/json"}};
  };
  auto admin_key = key("admin"), read_key = key("read"), scim_key = key("scim");
  auto send = [&](const std::string& method, const std::string& path,
                  const std::map<std::string, std::string>& headers, const std::string& body = "") {
    auto plain = NewClient();
    return plain->Send(method, path, body, headers);
  };
  EXPECT_EQ(send("GET", OrgPath("/settings"), read_key).status, 200);
  EXPECT_EQ(send("PATCH", OrgPath("/settings"), read_key, "{}").status, 403);
  EXPECT_EQ(send("GET", OrgPath("/settings"), scim_key).status, 403);
  EXPECT_EQ(send("POST", OrgPath("/members/" + ids_["user_none"] + "/deactivate"), scim_key).status,
            403);
  EXPECT_EQ(send("POST", OrgPath("/members/" + ids_["user_none"] + "/deactivate"), read_key).status,
            403);
  HttpResponse by_key =
      send("POST", OrgPath("/members/" + ids_["user_none"] + "/deactivate"), admin_key);
  EXPECT_EQ(by_key.status, 200) << by_key.body;
  EXPECT_EQ(send("PATCH", OrgPath("/settings"), admin_key,
                 R"({"offboarding":{"prefer_assistant_manager":true}})").status,
            200);
  HttpResponse audited = admin_->Get(OrgPath("/audit-events?limit=2"));
  for (const auto& event : audited.json["items"]) {
    EXPECT_TRUE(event["actor_user_id"].is_null());
    EXPECT_FALSE(event["actor_api_key_id"].is_null());
  }
}

TEST_F(LifecycleTest, WebhooksHearOfDeactivationHandOverAndReactivation) {
  HttpResponse endpoint = admin_->Post(
      OrgPath("/webhooks"),
      {{"url", "http://127.0.0.1:9/hook"},
       {"events", {"member.deactivated", "member.reactivated", "leads.reassigned"}}});
  ASSERT_EQ(endpoint.status, 201) << endpoint.body;
  std::string id = endpoint.json["id"];
  ASSERT_EQ(Deactivate("user_ab", "user_a").status, 200);
  ASSERT_EQ(Reactivate("user_ab").status, 200);
  HttpResponse deliveries = admin_->Get(OrgPath("/webhooks/" + id + "/deliveries"));
  ASSERT_EQ(deliveries.status, 200) << deliveries.body;
  std::multiset<std::string> types;
  for (const auto& delivery : deliveries.json["items"]) types.insert(delivery["type"]);
  EXPECT_EQ(types, (std::multiset<std::string>{"member.deactivated", "leads.reassigned",
                                               "member.reactivated"}));
}

}  // namespace
}  // namespace roster::testing
