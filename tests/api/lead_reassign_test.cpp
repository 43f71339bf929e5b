// POST /orgs/{org}/leads/reassign: the single PATCH's rules for each lead,
// all or nothing; the named-leads form and the "all of X's leads on this
// assistant" form; its limits, its 404s that leak nothing, its audit trail.
#include "team_fixture.hpp"

namespace roster::testing {
namespace {

class LeadReassignTest : public TeamTest {
 protected:
  // lead id -> owner id, as the admin sees every lead.
  std::map<std::string, std::string> Owners() {
    std::map<std::string, std::string> owners;
    HttpResponse all = admin_->Get(OrgPath("/leads?limit=200"));
    EXPECT_EQ(all.status, 200);
    for (const auto& lead : all.json["items"]) owners[lead["id"]] = lead["owner_id"];
    return owners;
  }
  HttpResponse Move(const std::string& who, const std::vector<std::string>& leads,
                    const std::string& receiver) {
    nlohmann::json ids = nlohmann::json::array();
    for (const auto& lead : leads) ids.push_back(ids_.contains(lead) ? ids_[lead] : lead);
    return person(who).client->Post(OrgPath("/leads/reassign"),
                                    {{"lead_ids", ids}, {"owner_id", ids_[receiver]}});
  }
  HttpResponse MoveAll(const std::string& who, const std::string& assistant,
                       const std::string& from, const std::string& receiver) {
    return person(who).client->Post(OrgPath("/leads/reassign"),
                                    {{"assistant_id", assistant},
                                     {"from_owner_id", ids_[from]},
                                     {"owner_id", ids_[receiver]}});
  }
  // A refusal changes nothing.
  void ExpectRefused(const HttpResponse& answer, int status, const std::string& code,
                     const std::map<std::string, std::string>& owners_before) {
    EXPECT_EQ(answer.status, status) << answer.body;
    EXPECT_EQ(answer.Code(), code) << answer.body;
    EXPECT_EQ(answer.Header("content-type"), "application/problem+json");
    EXPECT_EQ(Owners(), owners_before);
  }
};

TEST_F(LeadReassignTest, AnAdminMovesAnyLeadsAndEachPreviousOwnerIsAudited) {
  HttpResponse done = Move("admin", {"l1", "l4", "l2"}, "user_ab");
  ASSERT_EQ(done.status, 200) << done.body;
  // l2 was his already: it stays and is not counted.
  EXPECT_EQ(done.json["reassigned_lead_count"], 2);
  EXPECT_EQ(done.json["owner_id"], ids_["user_ab"]);
  auto owners = Owners();
  for (const std::string lead : {"l1", "l2", "l4"}) EXPECT_EQ(owners[ids_[lead]], ids_["user_ab"]);
  EXPECT_EQ(owners[ids_["l5"]], ids_["mgr_b"]);
  HttpResponse events = admin_->Get(OrgPath("/audit-events?action=leads_reassigned"));
  ASSERT_EQ(events.status, 200);
  ASSERT_EQ(events.json["items"].size(), 2u);
  std::set<std::string> from;
  for (const auto& event : events.json["items"]) {
    from.insert(event["target_user_id"]);
    EXPECT_EQ(event["actor_user_id"], ids_["admin"]);
    EXPECT_EQ(event["details"]["reassigned_to"], ids_["user_ab"]);
    EXPECT_EQ(event["details"]["reason"], "leads_reassign");
    EXPECT_EQ(event["details"]["lead_count"], 1);
    EXPECT_EQ(event["details"]["by_assistant"][0]["assistant_id"], assistant_a_);
  }
  EXPECT_EQ(from, Ids(ids_, {"user_a", "mgr_a"}));
  // Leads on two assistants move together when the receiver is on both.
  done = Move("admin", {"l1", "l3", "l5"}, "user_ab");
  EXPECT_EQ(done.status, 200) << done.body;
  EXPECT_EQ(done.json["reassigned_lead_count"], 1);  // l1 and l3 were his
}

TEST_F(LeadReassignTest, AManagerMovesLeadsWithinHisAssistantOnly) {
  ASSERT_EQ(Move("mgr_a", {"l1", "l2"}, "mgr_a").status, 200);
  EXPECT_EQ(Owners()[ids_["l1"]], ids_["mgr_a"]);
  EXPECT_EQ(Owners()[ids_["l2"]], ids_["mgr_a"]);
  // A lead of B that he cannot see: 404, as the single PATCH; l4 stays.
  auto before = Owners();
  ExpectRefused(Move("mgr_a", {"l4", "l3"}, "user_ab"), 404, "not_found", before);
  // A lead he sees as its owner on an assistant he does not manage: 403.
  Assign(assistant_b_, ids_["mgr_a"]);
  ids_["l6"] = CreateLead(assistant_b_, ids_["mgr_a"], "Lead Six");
  before = Owners();
  ExpectRefused(Move("mgr_a", {"l4", "l6"}, "user_ab"), 403, "forbidden", before);
  // The receiver must already be on the lead's assistant: a manager cannot
  // put anyone on an assistant.
  ExpectRefused(Move("mgr_a", {"l4"}, "user_none"), 422, "validation", before);
  ExpectRefused(Move("admin", {"l3"}, "user_a"), 422, "validation", before);
  EXPECT_EQ(Move("admin", {"l3"}, "user_a").json["errors"][0]["field"], "owner_id");
}

TEST_F(LeadReassignTest, AUserNeverMovesLeadsEvenHisOwn) {
  auto before = Owners();
  ExpectRefused(Move("user_ab", {"l2"}, "user_a"), 403, "forbidden", before);
  ExpectRefused(Move("user_a", {"l2"}, "user_a"), 404, "not_found", before);  // not his to see
  // Naming himself as receiver of his own leads moves nothing.
  HttpResponse none = Move("user_ab", {"l2", "l3"}, "user_ab");
  EXPECT_EQ(none.status, 200) << none.body;
  EXPECT_EQ(none.json["reassigned_lead_count"], 0);
  ExpectRefused(MoveAll("user_ab", assistant_a_, "user_a", "user_ab"), 403, "forbidden", before);
  ExpectRefused(person("outsider").client->Post(OrgPath("/leads/reassign"),
                                                {{"lead_ids", {ids_["l1"]}}, {"owner_id", ids_["admin"]}}),
                404, "not_found", before);
}

TEST_F(LeadReassignTest, UnknownAndForeignLeadsAre404AndNothingMoves) {
  auto before = Owners();
  ExpectRefused(Move("admin", {"l1", "987654"}, "user_ab"), 404, "not_found", before);
  ExpectRefused(Move("admin", {"l1", other_lead_id_}, "user_ab"), 404, "not_found", before);
  // A receiver who is no member, or a member of another organization.
  ExpectRefused(Move("admin", {"l1"}, "outsider"), 422, "validation", before);
}

TEST_F(LeadReassignTest, TheBodyIsCheckedAndAtMost500LeadsMoveAtOnce) {
  auto before = Owners();
  nlohmann::json many = nlohmann::json::array();
  for (int i = 1; i <= 501; ++i) many.push_back(std::to_string(900000 + i));
  HttpResponse too_many =
      admin_->Post(OrgPath("/leads/reassign"), {{"lead_ids", many}, {"owner_id", ids_["user_a"]}});
  ExpectRefused(too_many, 422, "too_many_leads", before);
  EXPECT_EQ(too_many.json["errors"][0]["field"], "lead_ids");
  many.erase(many.size() - 1);
  many[0] = ids_["l1"];  // 500 is allowed: then the unknown IDs answer
  ExpectRefused(admin_->Post(OrgPath("/leads/reassign"), {{"lead_ids", many}, {"owner_id", ids_["user_ab"]}}),
                404, "not_found", before);
  const std::vector<nlohmann::json> bad = {
      nlohmann::json::object(),
      {{"lead_ids", {ids_["l1"]}}},                                    // no receiver
      {{"lead_ids", nlohmann::json::array()}, {"owner_id", ids_["user_a"]}},
      {{"lead_ids", {12}}, {"owner_id", ids_["user_a"]}},              // IDs are strings
      {{"lead_ids", ids_["l1"]}, {"owner_id", ids_["user_a"]}},
      {{"lead_ids", {ids_["l1"]}}, {"owner_id", 7}},
      {{"lead_ids", {ids_["l1"]}}, {"assistant_id", assistant_a_}, {"from_owner_id", ids_["user_a"]},
       {"owner_id", ids_["mgr_a"]}},                                   // both forms
      {{"assistant_id", assistant_a_}, {"owner_id", ids_["mgr_a"]}},  // half the second form
      {{"from_owner_id", ids_["user_a"]}, {"owner_id", ids_["mgr_a"]}},
  };
  for (const auto& body : bad) {
    SCOPED_TRACE(body.dump());
    ExpectRefused(admin_->Post(OrgPath("/leads/reassign"), body), 422, "validation", before);
  }
  HttpResponse not_json = admin_->Send("POST", OrgPath("/leads/reassign"), "lead_ids=1",
                                       {{"Content-Type", "text/plain"}});
  EXPECT_EQ(not_json.status, 415);
}

TEST_F(LeadReassignTest, MoveAllOfOnePersonsLeadsOnAnAssistantAndNobodyElses) {
  std::string extra1 = CreateLead(assistant_a_, ids_["user_ab"], "Extra One");
  std::string extra2 = CreateLead(assistant_a_, ids_["user_ab"], "Extra Two");
  auto before = Owners();
  HttpResponse done = MoveAll("mgr_a", assistant_a_, "user_ab", "user_a");
  ASSERT_EQ(done.status, 200) << done.body;
  EXPECT_EQ(done.json["reassigned_lead_count"], 3);
  auto after = Owners();
  for (const auto& [lead, owner] : before) {
    bool moves = lead == ids_["l2"] || lead == extra1 || lead == extra2;
    EXPECT_EQ(after[lead], moves ? ids_["user_a"] : owner) << lead;
  }
  EXPECT_EQ(after[ids_["l3"]], ids_["user_ab"]) << "his lead on B stays";
  HttpResponse events = admin_->Get(OrgPath("/audit-events?action=leads_reassigned"));
  ASSERT_EQ(events.json["items"].size(), 1u);
  EXPECT_EQ(events.json["items"][0]["target_user_id"], ids_["user_ab"]);
  EXPECT_EQ(events.json["items"][0]["details"]["lead_count"], 3);
  // Nothing left to move: 0, and no event.
  EXPECT_EQ(MoveAll("admin", assistant_a_, "user_ab", "user_a").json["reassigned_lead_count"], 0);
  EXPECT_EQ(admin_->Get(OrgPath("/audit-events?action=leads_reassigned")).json["items"].size(), 1u);

  before = Owners();
  ExpectRefused(MoveAll("mgr_b", assistant_a_, "user_a", "mgr_a"), 403, "forbidden", before);
  ExpectRefused(MoveAll("mgr_a", assistant_b_, "user_ab", "user_ab"), 403, "forbidden", before);
  ExpectRefused(MoveAll("admin", "987654", "user_a", "mgr_a"), 422, "validation", before);
  ExpectRefused(MoveAll("admin", assistant_a_, "user_a", "user_a"), 422, "validation", before);
  ExpectRefused(MoveAll("admin", assistant_a_, "user_a", "mgr_b"), 422, "validation", before);
  ExpectRefused(MoveAll("admin", assistant_a_, "user_a", "user_none"), 422, "validation", before);
}

}  // namespace
}  // namespace roster::testing
