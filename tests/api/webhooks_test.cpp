// Webhooks (SPEC 7): endpoints for admins only, one signed delivery per
// audited change and subscribed endpoint, retries, redelivery, secret
// rotation, the address rules, auto-disable, and the senders of several
// processes sharing one queue; against a real HTTP receiver.
#include <chrono>
#include <set>
#include <thread>

#include "support/eventually.hpp"
#include "support/webhook_receiver.hpp"
#include "team_fixture.hpp"

namespace roster::testing {
namespace {

using namespace std::chrono_literals;
using test_support::Eventually;
using test_support::VerifyWebhookSignature;
using test_support::WebhookReceiver;

nlohmann::json BodyOf(const WebhookReceiver::Received& request) {
  return nlohmann::json::parse(request.body, nullptr, false);
}

// Shared by both fixtures: endpoints and deliveries through the API.
class WebhookSteps {
 public:
  WebhookSteps(HttpClient* admin, std::string org_path)
      : admin_(admin), org_path_(std::move(org_path)) {}

  nlohmann::json Create(const std::string& url, const nlohmann::json& events = {"*"}) {
    HttpResponse created = admin_->Post(org_path_ + "/webhooks", {{"url", url}, {"events", events}});
    EXPECT_EQ(created.status, 201) << created.body;
    return created.json;
  }

  nlohmann::json Deliveries(const std::string& webhook_id, const std::string& query = "") {
    HttpResponse page = admin_->Get(org_path_ + "/webhooks/" + webhook_id + "/deliveries" + query);
    EXPECT_EQ(page.status, 200) << page.body;
    return page.json["items"];
  }

  // Waits until the endpoint's deliveries satisfy `check`; answers them.
  template <class Check>
  nlohmann::json WaitForDeliveries(const std::string& webhook_id, Check check,
                                   std::chrono::milliseconds timeout = 20s) {
    nlohmann::json items;
    bool met = Eventually([&] {
      items = Deliveries(webhook_id);
      return check(items);
    }, timeout);
    EXPECT_TRUE(met) << items.dump(2);
    return items;
  }

  static bool AllDelivered(const nlohmann::json& items, std::size_t count) {
    if (items.size() < count) return false;
    for (const auto& item : items) {
      if (item["status"] != "delivered") return false;
    }
    return true;
  }

 private:
  HttpClient* admin_;
  std::string org_path_;
};

// The cast of TeamTest; the receiver on 127.0.0.1 over http, so the server
// allows both.
class WebhookTest : public TeamTest {
 protected:
  void SetUp() override {
    env_["ROSTER_WEBHOOK_ALLOW_HTTP"] = "1";
    env_["ROSTER_WEBHOOK_ALLOW_PRIVATE"] = "1";
    env_["ROSTER_WEBHOOK_RETRY_MAX"] = "1";
    TeamTest::SetUp();
    if (HasFatalFailure()) return;
    receiver_.Start();
  }

  HttpClient& user() { return *person("user_a").client; }
  HttpClient& outsider() { return *person("outsider").client; }

  std::vector<nlohmann::json> AuditEvents(const std::string& action) {
    std::vector<nlohmann::json> events;
    HttpResponse page = admin_->Get(OrgPath("/audit-events?limit=200"));
    EXPECT_EQ(page.status, 200);
    for (const auto& event : page.json["items"]) {
      if (event["action"] == action) events.push_back(event);
    }
    return events;
  }

  WebhookSteps steps() { return WebhookSteps(admin_.get(), OrgPath()); }

  WebhookReceiver receiver_;
};

TEST_F(WebhookTest, CreateShowsTheSecretOnceAndAuditsTheEndpoint) {
  HttpResponse created = admin_->Post(OrgPath("/webhooks"), {{"url", receiver_.url()},
                                                             {"events", {"member.invited", "lead.created"}},
                                                             {"description", "CRM sync"}});
  ASSERT_EQ(created.status, 201) << created.body;
  std::string secret = created.json["secret"];
  EXPECT_TRUE(secret.starts_with("whsec_"));
  EXPECT_EQ(secret.size(), 6u + 44u);
  EXPECT_EQ(created.json["enabled"], true);
  EXPECT_EQ(created.json["events"], nlohmann::json({"member.invited", "lead.created"}));
  std::string id = created.json["id"];

  HttpResponse one = admin_->Get(OrgPath("/webhooks/" + id));
  ASSERT_EQ(one.status, 200);
  EXPECT_FALSE(one.json.contains("secret"));
  EXPECT_EQ(one.json["description"], "CRM sync");
  HttpResponse list = admin_->Get(OrgPath("/webhooks"));
  ASSERT_EQ(list.status, 200);
  ASSERT_EQ(list.json["items"].size(), 1u);
  EXPECT_FALSE(list.json["items"][0].contains("secret"));
  EXPECT_TRUE(list.json["next_cursor"].is_null());
  EXPECT_EQ(AuditEvents("webhook_created").size(), 1u);
  EXPECT_EQ(admin_->Get(OrgPath("/webhooks?limit=0")).status, 422);
}

// The audit log is read by read API keys and exported; webhooks are not. A
// URL's path and query often carry the receiver's token: the log names the
// endpoint by its origin.
TEST_F(WebhookTest, TheAuditLogNamesAnEndpointByItsOriginOnly) {
  std::string secret_path = "/services/T000/B000/Xk9SECRETtoken";
  nlohmann::json created = steps().Create(receiver_.url(secret_path + "?sig=QUERYSECRET"));
  std::string id = created["id"];
  ASSERT_EQ(
      admin_->Patch(OrgPath("/webhooks/" + id), {{"url", receiver_.url(secret_path + "2")}}).status,
      200);
  ASSERT_EQ(admin_->Delete(OrgPath("/webhooks/" + id)).status, 204);
  std::string origin = receiver_.url("");
  for (const char* action : {"webhook_created", "webhook_updated", "webhook_deleted"}) {
    auto events = AuditEvents(action);
    ASSERT_EQ(events.size(), 1u) << action;
    EXPECT_EQ(events[0]["details"]["url"], origin + "/…") << action;
  }
  HttpResponse log = admin_->Get(OrgPath("/audit-events?limit=100"));
  ASSERT_EQ(log.status, 200);
  EXPECT_EQ(log.body.find("SECRET"), std::string::npos) << log.body;
}

TEST_F(WebhookTest, RefusesInvalidEndpoints) {
  for (const nlohmann::json& body :
       {nlohmann::json::object(), nlohmann::json{{"url", receiver_.url()}},
        nlohmann::json{{"events", {"*"}}},
        nlohmann::json{{"url", receiver_.url()}, {"events", nlohmann::json::array()}},
        nlohmann::json{{"url", receiver_.url()}, {"events", {"member.exploded"}}},
        nlohmann::json{{"url", receiver_.url()}, {"events", {"*", "lead.created"}}},
        nlohmann::json{{"url", receiver_.url()}, {"events", {"webhook.test"}}},
        nlohmann::json{{"url", receiver_.url()}, {"events", "lead.created"}},
        nlohmann::json{{"url", receiver_.url()}, {"events", {7}}},
        nlohmann::json{{"url", receiver_.url()}, {"events", {"*"}}, {"description", std::string(201, 'd')}},
        nlohmann::json{{"url", "ftp://hooks.example.com/"}, {"events", {"*"}}},
        nlohmann::json{{"url", "https://user:pw@hooks.example.com/"}, {"events", {"*"}}},
        nlohmann::json{{"url", "https://hooks.example.com/" + std::string(2100, 'a')}, {"events", {"*"}}},
        nlohmann::json{{"url", "https://no-such-host.invalid/"}, {"events", {"*"}}},
        nlohmann::json{{"url", 42}, {"events", {"*"}}}}) {
    SCOPED_TRACE(body.dump().substr(0, 200));
    HttpResponse refused = admin_->Post(OrgPath("/webhooks"), body);
    EXPECT_EQ(refused.status, 422) << refused.body;
    EXPECT_EQ(refused.Code(), "validation");
  }
  EXPECT_TRUE(admin_->Get(OrgPath("/webhooks")).json["items"].empty());
  // Types that only some changes emit can be subscribed to alone.
  EXPECT_EQ(admin_->Post(OrgPath("/webhooks"), {{"url", receiver_.url()}, {"events", {"member.deactivated"}}}).status, 201);
}

TEST_F(WebhookTest, AnOrganizationHasAtMostTwentyEndpoints) {
  for (int i = 0; i < 20; ++i) steps().Create(receiver_.url("/" + std::to_string(i)));
  HttpResponse refused = admin_->Post(OrgPath("/webhooks"), {{"url", receiver_.url()}, {"events", {"*"}}});
  EXPECT_EQ(refused.status, 409);
  EXPECT_EQ(refused.Code(), "webhook_limit");
}

TEST_F(WebhookTest, EveryRouteIsForAdminsOnlyAndScopedToTheOrganization) {
  nlohmann::json mine = steps().Create(receiver_.url());
  std::string id = mine["id"];
  HttpResponse tested = admin_->Post(OrgPath("/webhooks/" + id + "/test"));
  ASSERT_EQ(tested.status, 202) << tested.body;
  std::string delivery = tested.json["id"];
  // The outsider's own organization has its own endpoint.
  std::string other = "/api/v1/orgs/" + other_org_id_;
  HttpResponse theirs = outsider().Post(other + "/webhooks", {{"url", receiver_.url("/globex")}, {"events", {"*"}}});
  ASSERT_EQ(theirs.status, 201) << theirs.body;
  std::string their_id = theirs.json["id"];
  HttpResponse their_test = outsider().Post(other + "/webhooks/" + their_id + "/test");
  ASSERT_EQ(their_test.status, 202);
  std::string their_delivery = their_test.json["id"];

  struct Route {
    std::string method, path;
    nlohmann::json body;
  };
  auto routes = [&](const std::string& webhook, const std::string& delivery_id) {
    std::string base = OrgPath("/webhooks/" + webhook);
    return std::vector<Route>{
        {"GET", base, nullptr},
        {"PATCH", base, {{"enabled", false}}},
        {"DELETE", base, nullptr},
        {"POST", base + "/rotate-secret", nullptr},
        {"POST", base + "/test", nullptr},
        {"GET", base + "/deliveries", nullptr},
        {"POST", base + "/deliveries/" + delivery_id + "/redeliver", nullptr},
    };
  };
  auto send = [](HttpClient& client, const Route& route) {
    if (route.method == "GET") return client.Get(route.path);
    if (route.method == "DELETE") return client.Delete(route.path);
    if (route.method == "PATCH") return client.Patch(route.path, route.body);
    return client.Post(route.path, route.body);
  };
  std::vector<Route> org_routes = {{"GET", OrgPath("/webhooks"), nullptr},
                                   {"POST", OrgPath("/webhooks"), {{"url", receiver_.url()}, {"events", {"*"}}}}};
  for (const Route& route : routes(id, delivery)) org_routes.push_back(route);
  for (const Route& route : org_routes) {
    SCOPED_TRACE(route.method + " " + route.path);
    HttpResponse as_user = send(user(), route);
    EXPECT_EQ(as_user.status, 403) << as_user.body;
    EXPECT_EQ(as_user.Code(), "forbidden");
    HttpResponse as_outsider = send(outsider(), route);
    EXPECT_EQ(as_outsider.status, 404) << as_outsider.body;
  }
  // Another organization's ids under this organization's path.
  for (const Route& route : routes(their_id, their_delivery)) {
    SCOPED_TRACE("foreign " + route.method + " " + route.path);
    EXPECT_EQ(send(*admin_, route).status, 404);
  }
  // A delivery of another endpoint of the same organization is not this one's.
  nlohmann::json second = steps().Create(receiver_.url("/second"));
  EXPECT_EQ(admin_->Post(OrgPath("/webhooks/" + std::string(second["id"]) + "/deliveries/" + delivery + "/redeliver")).status, 404);
  // Nothing of the above changed anything.
  EXPECT_EQ(admin_->Get(OrgPath("/webhooks/" + id)).json["enabled"], true);
  EXPECT_EQ(outsider().Get(other + "/webhooks/" + their_id).status, 200);
}

TEST_F(WebhookTest, DeliversSignedEventsOfTheSubscribedTypes) {
  nlohmann::json endpoint = steps().Create(receiver_.url("/roster"), {"member.invited", "lead.created"});
  std::string secret = endpoint["secret"];
  HttpResponse invited_answer = admin_->Post(
      OrgPath("/invitations"),
      {{"email", "nina@acme.test"}, {"name", "Nina New"}, {"assistant_ids", {assistant_a_}}});
  ASSERT_EQ(invited_answer.status, 201) << invited_answer.body;
  std::string invitee = invited_answer.json["user_id"];
  ASSERT_EQ(admin_->Patch(OrgPath("/members/" + person("user_a").user_id), {{"role", "admin"}}).status, 200);
  CreateLead(assistant_a_, person("user_a").user_id, "Fresh Lead");
  ASSERT_TRUE(receiver_.WaitForRequests(2, 20s));
  std::this_thread::sleep_for(1500ms);  // a role change would have arrived by now
  auto requests = receiver_.Requests();
  ASSERT_EQ(requests.size(), 2u);
  std::map<std::string, nlohmann::json> by_type;
  for (const auto& request : requests) {
    EXPECT_EQ(request.method, "POST");
    EXPECT_EQ(request.target, "/roster");
    EXPECT_EQ(request.headers.at("content-type"), "application/json");
    EXPECT_TRUE(VerifyWebhookSignature(request, secret)) << request.headers.at("webhook-signature");
    nlohmann::json body = BodyOf(request);
    EXPECT_EQ(body["id"], request.headers.at("webhook-id"));
    EXPECT_EQ(body["organization_id"], org_id_);
    EXPECT_EQ(body["timestamp"].get<std::string>().back(), 'Z');
    long sent_at = std::stol(request.headers.at("webhook-timestamp"));
    EXPECT_LT(std::abs(sent_at - static_cast<long>(std::time(nullptr))), 60);
    by_type[body["type"]] = body;
  }
  ASSERT_TRUE(by_type.contains("member.invited"));
  ASSERT_TRUE(by_type.contains("lead.created"));
  const nlohmann::json& invited = by_type["member.invited"]["data"];
  EXPECT_EQ(invited["user"]["id"], invitee);
  EXPECT_EQ(invited["user"]["email"], "nina@acme.test");
  EXPECT_EQ(invited["user"]["name"], "Nina New");
  EXPECT_EQ(invited["actor"]["id"], admin_id_);
  EXPECT_EQ(invited["actor"]["email"], kAdminEmail);
  EXPECT_EQ(invited["role"], "user");
  EXPECT_EQ(invited["assistant_ids"], nlohmann::json::array({assistant_a_}));  // ids are strings
  const nlohmann::json& lead = by_type["lead.created"]["data"];
  EXPECT_EQ(lead["name"], "Fresh Lead");
  EXPECT_EQ(lead["assistant_id"], assistant_a_);
  EXPECT_EQ(lead["user"]["id"], person("user_a").user_id);

  // The payload's id is the audit event's.
  auto invited_events = AuditEvents("invited");
  ASSERT_FALSE(invited_events.empty());
  EXPECT_EQ(by_type["member.invited"]["id"], invited_events.front()["id"]);
  auto created_events = AuditEvents("lead_created");
  ASSERT_EQ(created_events.size(), 6u);  // the cast's five and this one
  EXPECT_EQ(by_type["lead.created"]["id"], created_events.front()["id"]);

  nlohmann::json items = steps().WaitForDeliveries(endpoint["id"], [](const nlohmann::json& items) {
    return WebhookSteps::AllDelivered(items, 2);
  });
  ASSERT_EQ(items.size(), 2u);
  EXPECT_EQ(items[0]["type"], "lead.created");  // newest first
  EXPECT_EQ(items[0]["attempts"], 1);
  EXPECT_EQ(items[0]["last_status_code"], 200);
  EXPECT_TRUE(items[0]["delivered_at"].is_string());
  EXPECT_TRUE(items[0]["next_attempt_at"].is_null());
}

TEST_F(WebhookTest, ARemovalWithReassignmentSendsTwoEventsWithCountsPerAssistant) {
  nlohmann::json endpoint = steps().Create(receiver_.url(), {"member.removed", "leads.reassigned"});
  std::string leaver = person("user_ab").user_id;
  std::string receiver_id = person("user_a").user_id;
  HttpResponse removed = admin_->Delete(OrgPath("/members/" + leaver + "?reassign_to=" + receiver_id));
  ASSERT_EQ(removed.status, 200) << removed.body;
  ASSERT_TRUE(receiver_.WaitForRequests(2, 20s));
  auto requests = receiver_.Requests();
  ASSERT_EQ(requests.size(), 2u);
  nlohmann::json first = BodyOf(requests[0]), second = BodyOf(requests[1]);
  EXPECT_EQ(first["type"], "member.removed");
  EXPECT_EQ(second["type"], "leads.reassigned");
  EXPECT_LT(std::stoll(first["id"].get<std::string>()), std::stoll(second["id"].get<std::string>()));
  EXPECT_EQ(first["data"]["user"]["id"], leaver);
  EXPECT_EQ(first["data"]["user"]["email"], "user_ab@acme.test");
  const nlohmann::json& moved = second["data"];
  EXPECT_EQ(moved["user"]["id"], leaver);
  EXPECT_EQ(moved["reassigned_to"]["id"], receiver_id);
  EXPECT_EQ(moved["reassigned_to"]["email"], "user_a@acme.test");
  EXPECT_EQ(moved["reason"], "member_removed");
  EXPECT_EQ(moved["lead_count"], 2);
  std::map<std::string, int> counts;
  for (const auto& count : moved["by_assistant"]) counts[count["assistant_id"]] = count["lead_count"];
  EXPECT_EQ(counts, (std::map<std::string, int>{{assistant_a_, 1}, {assistant_b_, 1}}));
  // user_a was not on B: the move put him there, and that is audited too.
  bool assigned = false;
  for (const auto& event : AuditEvents("assistant_user_assigned")) {
    assigned |= event["target_user_id"] == receiver_id && event["details"]["assistant_id"] == assistant_b_;
  }
  EXPECT_TRUE(assigned);
}

TEST_F(WebhookTest, AnUnassignmentWithReassignmentSendsTwoEvents) {
  nlohmann::json endpoint = steps().Create(receiver_.url(), {"assistant.user_unassigned", "leads.reassigned"});
  HttpResponse done = admin_->Delete(OrgPath("/assistants/" + assistant_a_ + "/users/" + person("user_ab").user_id +
                                             "?reassign_to=" + person("mgr_a").user_id));
  ASSERT_EQ(done.status, 200) << done.body;
  ASSERT_TRUE(receiver_.WaitForRequests(2, 20s));
  auto requests = receiver_.Requests();
  nlohmann::json first = BodyOf(requests[0]), second = BodyOf(requests[1]);
  EXPECT_EQ(first["type"], "assistant.user_unassigned");
  EXPECT_EQ(second["type"], "leads.reassigned");
  EXPECT_EQ(second["data"]["reason"], "assistant_user_unassigned");
  EXPECT_EQ(second["data"]["reassigned_to"]["id"], person("mgr_a").user_id);
  ASSERT_EQ(second["data"]["by_assistant"].size(), 1u);
  EXPECT_EQ(second["data"]["by_assistant"][0]["assistant_id"], assistant_a_);
  EXPECT_EQ(second["data"]["by_assistant"][0]["lead_count"], 1);
}

// A role change writes its audit event in the statement that changes the
// role (PostgreSQL); its delivery still carries that event's id.
TEST_F(WebhookTest, RoleChangesSendTheirAuditEventsBothWays) {
  steps().Create(receiver_.url(), {"member.role_changed"});
  std::string member = person("user_a").user_id;
  ASSERT_EQ(admin_->Patch(OrgPath("/members/" + member), {{"role", "admin"}}).status, 200);
  ASSERT_EQ(admin_->Patch(OrgPath("/members/" + member), {{"role", "user"}}).status, 200);
  ASSERT_TRUE(receiver_.WaitForRequests(2, 20s));
  std::map<std::string, nlohmann::json> by_to;
  for (const auto& request : receiver_.Requests()) {
    nlohmann::json body = BodyOf(request);
    EXPECT_EQ(body["type"], "member.role_changed");
    EXPECT_EQ(body["data"]["user"]["id"], member);
    EXPECT_EQ(body["data"]["actor"]["id"], admin_id_);
    by_to[body["data"]["to"]] = body;
  }
  ASSERT_EQ(by_to.size(), 2u);
  EXPECT_EQ(by_to["admin"]["data"]["from"], "user");
  EXPECT_EQ(by_to["user"]["data"]["from"], "admin");
  auto events = AuditEvents("role_changed");  // newest first
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(by_to["user"]["id"], events[0]["id"]);
  EXPECT_EQ(by_to["admin"]["id"], events[1]["id"]);
}

TEST_F(WebhookTest, ALeadsChangedStatusIsSentAsLeadUpdated) {
  steps().Create(receiver_.url(), {"lead.updated"});
  ASSERT_EQ(user().Patch(OrgPath("/leads/" + ids_["l1"]), {{"status", "won"}}).status, 200);
  ASSERT_TRUE(receiver_.WaitForRequests(1, 20s));
  nlohmann::json body = BodyOf(receiver_.Requests()[0]);
  EXPECT_EQ(body["type"], "lead.updated");
  EXPECT_EQ(body["data"]["lead_id"], ids_["l1"]);
  EXPECT_EQ(body["data"]["user"]["id"], person("user_a").user_id) << "the owner";
  EXPECT_EQ(body["data"]["actor"]["id"], person("user_a").user_id);
  EXPECT_EQ(body["data"]["changes"],
            nlohmann::json({{"status", {{"from", "new"}, {"to", "won"}}}}));
  auto events = AuditEvents("lead_updated");
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(body["id"], events[0]["id"]);
}

TEST_F(WebhookTest, ABulkReassignmentSendsOneEventPerPreviousOwnerWithTheCount) {
  nlohmann::json endpoint = steps().Create(receiver_.url(), {"leads.reassigned"});
  HttpResponse done = person("mgr_a").client->Post(
      OrgPath("/leads/reassign"), {{"assistant_id", assistant_a_},
                                   {"from_owner_id", person("user_ab").user_id},
                                   {"owner_id", person("user_a").user_id}});
  ASSERT_EQ(done.status, 200) << done.body;
  ASSERT_TRUE(receiver_.WaitForRequests(1, 20s));
  nlohmann::json event = BodyOf(receiver_.Requests()[0]);
  EXPECT_EQ(event["type"], "leads.reassigned");
  EXPECT_EQ(event["data"]["reason"], "leads_reassign");
  EXPECT_EQ(event["data"]["actor"]["id"], person("mgr_a").user_id);
  EXPECT_EQ(event["data"]["user"]["id"], person("user_ab").user_id);
  EXPECT_EQ(event["data"]["reassigned_to"]["id"], person("user_a").user_id);
  EXPECT_EQ(event["data"]["lead_count"], 1);
}

TEST_F(WebhookTest, RetriesUntilTheReceiverAnswersAndRecordsOneSuccess) {
  nlohmann::json endpoint = steps().Create(receiver_.url());
  std::string id = endpoint["id"];
  receiver_.Stop();
  ASSERT_EQ(admin_->Post(OrgPath("/webhooks/" + id + "/test")).status, 202);
  nlohmann::json failing = steps().WaitForDeliveries(id, [](const nlohmann::json& items) {
    return items.size() == 1 && items[0]["attempts"].get<int>() >= 2;
  });
  EXPECT_EQ(failing[0]["status"], "pending");
  EXPECT_TRUE(failing[0]["last_error"].is_string());
  EXPECT_TRUE(failing[0]["last_status_code"].is_null());
  EXPECT_TRUE(admin_->Get(OrgPath("/webhooks/" + id)).json["failing_since"].is_string());

  // An error answer is a failure too, with its status code.
  receiver_.set_status(503);
  receiver_.Start();
  steps().WaitForDeliveries(id, [](const nlohmann::json& items) {
    return items.size() == 1 && items[0]["last_status_code"] == 503;
  });
  receiver_.set_status(204);
  nlohmann::json delivered = steps().WaitForDeliveries(id, [](const nlohmann::json& items) {
    return WebhookSteps::AllDelivered(items, 1);
  });
  EXPECT_EQ(delivered[0]["last_status_code"], 204);
  EXPECT_TRUE(delivered[0]["last_error"].is_null());
  EXPECT_TRUE(admin_->Get(OrgPath("/webhooks/" + id)).json["failing_since"].is_null());
  std::this_thread::sleep_for(2s);
  auto requests = receiver_.Requests();
  // Every request after the 503s was answered 204 exactly once: one success.
  std::set<std::string> ids;
  for (const auto& request : requests) ids.insert(request.headers.at("webhook-id"));
  EXPECT_EQ(ids.size(), 1u);
  EXPECT_EQ(steps().Deliveries(id, "?status=delivered").size(), 1u);
  EXPECT_EQ(steps().Deliveries(id, "?status=pending").size(), 0u);
  std::size_t after = receiver_.Requests().size();
  std::this_thread::sleep_for(2s);
  EXPECT_EQ(receiver_.Requests().size(), after) << "a delivered event was sent again";
}

TEST_F(WebhookTest, RedeliverSendsTheSameEventAgain) {
  nlohmann::json endpoint = steps().Create(receiver_.url());
  std::string id = endpoint["id"];
  HttpResponse tested = admin_->Post(OrgPath("/webhooks/" + id + "/test"));
  ASSERT_EQ(tested.status, 202) << tested.body;
  EXPECT_EQ(tested.json["type"], "webhook.test");
  EXPECT_EQ(tested.json["status"], "pending");
  std::string first = tested.json["id"];
  ASSERT_TRUE(receiver_.WaitForRequests(1, 20s));
  steps().WaitForDeliveries(id, [](const nlohmann::json& items) { return WebhookSteps::AllDelivered(items, 1); });
  nlohmann::json test_body = BodyOf(receiver_.Requests()[0]);
  EXPECT_EQ(test_body["type"], "webhook.test");
  EXPECT_EQ(test_body["data"]["webhook_id"], id);
  EXPECT_EQ(test_body["id"], AuditEvents("webhook_tested").at(0)["id"]);

  HttpResponse again = admin_->Post(OrgPath("/webhooks/" + id + "/deliveries/" + first + "/redeliver"));
  ASSERT_EQ(again.status, 202) << again.body;
  EXPECT_NE(again.json["id"], first);
  EXPECT_EQ(again.json["event_id"], tested.json["event_id"]);
  ASSERT_TRUE(receiver_.WaitForRequests(2, 20s));
  auto requests = receiver_.Requests();
  EXPECT_EQ(requests[1].headers.at("webhook-id"), requests[0].headers.at("webhook-id"));
  EXPECT_EQ(requests[1].body, requests[0].body);
  steps().WaitForDeliveries(id, [](const nlohmann::json& items) { return WebhookSteps::AllDelivered(items, 2); });

  EXPECT_EQ(admin_->Post(OrgPath("/webhooks/" + id + "/deliveries/999999/redeliver")).status, 404);
  EXPECT_EQ(admin_->Post(OrgPath("/webhooks/" + id + "/deliveries/abc/redeliver")).status, 404);
  // A disabled endpoint neither tests nor redelivers.
  ASSERT_EQ(admin_->Patch(OrgPath("/webhooks/" + id), {{"enabled", false}}).status, 200);
  HttpResponse disabled_test = admin_->Post(OrgPath("/webhooks/" + id + "/test"));
  EXPECT_EQ(disabled_test.status, 409);
  EXPECT_EQ(disabled_test.Code(), "webhook_disabled");
  HttpResponse disabled_redeliver = admin_->Post(OrgPath("/webhooks/" + id + "/deliveries/" + first + "/redeliver"));
  EXPECT_EQ(disabled_redeliver.status, 409);
  EXPECT_EQ(disabled_redeliver.Code(), "webhook_disabled");
}

TEST_F(WebhookTest, DeliveriesPageByCursorAndFilterByStatus) {
  nlohmann::json endpoint = steps().Create(receiver_.url());
  std::string id = endpoint["id"];
  for (int i = 0; i < 5; ++i) ASSERT_EQ(admin_->Post(OrgPath("/webhooks/" + id + "/test")).status, 202);
  steps().WaitForDeliveries(id, [](const nlohmann::json& items) { return WebhookSteps::AllDelivered(items, 5); });
  std::vector<std::string> seen;
  std::string cursor;
  for (int page = 0; page < 10; ++page) {
    HttpResponse answer = admin_->Get(OrgPath("/webhooks/" + id + "/deliveries?limit=2" +
                                              (cursor.empty() ? "" : "&cursor=" + cursor)));
    ASSERT_EQ(answer.status, 200) << answer.body;
    for (const auto& item : answer.json["items"]) seen.push_back(item["id"]);
    if (answer.json["next_cursor"].is_null()) break;
    cursor = answer.json["next_cursor"];
  }
  ASSERT_EQ(seen.size(), 5u);
  EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end(), [](const std::string& a, const std::string& b) {
    return std::stoll(a) > std::stoll(b);
  }));
  EXPECT_EQ(steps().Deliveries(id, "?status=failed").size(), 0u);
  EXPECT_EQ(admin_->Get(OrgPath("/webhooks/" + id + "/deliveries?status=lost")).status, 422);
  EXPECT_EQ(admin_->Get(OrgPath("/webhooks/" + id + "/deliveries?limit=201")).status, 422);
  EXPECT_EQ(admin_->Get(OrgPath("/webhooks/" + id + "/deliveries?cursor=x")).status, 422);
  EXPECT_EQ(admin_->Get(OrgPath("/webhooks/999999/deliveries")).status, 404);
}

TEST_F(WebhookTest, DuringARotationDeliveriesCarryBothSignatures) {
  nlohmann::json endpoint = steps().Create(receiver_.url());
  std::string id = endpoint["id"];
  std::string old_secret = endpoint["secret"];
  HttpResponse rotated = admin_->Post(OrgPath("/webhooks/" + id + "/rotate-secret"));
  ASSERT_EQ(rotated.status, 200) << rotated.body;
  std::string new_secret = rotated.json["secret"];
  EXPECT_TRUE(new_secret.starts_with("whsec_"));
  EXPECT_NE(new_secret, old_secret);
  EXPECT_TRUE(admin_->Get(OrgPath("/webhooks/" + id)).json["previous_secret_valid_until"].is_string());
  EXPECT_EQ(AuditEvents("webhook_secret_rotated").size(), 1u);
  ASSERT_EQ(admin_->Post(OrgPath("/webhooks/" + id + "/test")).status, 202);
  ASSERT_TRUE(receiver_.WaitForRequests(1, 20s));
  auto request = receiver_.Requests()[0];
  std::string header = request.headers.at("webhook-signature");
  EXPECT_EQ(std::count(header.begin(), header.end(), ' '), 1) << header;
  EXPECT_TRUE(VerifyWebhookSignature(request, new_secret));
  EXPECT_TRUE(VerifyWebhookSignature(request, old_secret));
  EXPECT_FALSE(VerifyWebhookSignature(request, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"));
}

TEST_F(WebhookTest, PatchAndDeleteChangeWhatIsDelivered) {
  nlohmann::json endpoint = steps().Create(receiver_.url(), {"assistant.created"});
  std::string id = endpoint["id"];
  HttpResponse disabled = admin_->Patch(OrgPath("/webhooks/" + id), {{"enabled", false}});
  ASSERT_EQ(disabled.status, 200) << disabled.body;
  EXPECT_EQ(disabled.json["enabled"], false);
  CreateAssistant("Quiet bot");
  HttpResponse changed = admin_->Patch(OrgPath("/webhooks/" + id),
                                       {{"enabled", true}, {"events", {"assistant.created", "lead.created"}},
                                        {"url", receiver_.url("/v2")}});
  ASSERT_EQ(changed.status, 200) << changed.body;
  EXPECT_EQ(changed.json["events"].size(), 2u);
  CreateAssistant("Loud bot");
  ASSERT_TRUE(receiver_.WaitForRequests(1, 20s));
  std::this_thread::sleep_for(1s);
  auto requests = receiver_.Requests();
  ASSERT_EQ(requests.size(), 1u) << "an event while disabled was queued";
  EXPECT_EQ(requests[0].target, "/v2");
  EXPECT_EQ(BodyOf(requests[0])["data"]["name"], "Loud bot");
  EXPECT_EQ(AuditEvents("webhook_updated").size(), 2u);

  for (const nlohmann::json& body : {nlohmann::json{{"url", "ftp://x.example/"}}, nlohmann::json{{"events", nlohmann::json::array()}},
                                     nlohmann::json{{"enabled", "yes"}}, nlohmann::json{{"events", {"nope"}}},
                                     nlohmann::json::array()}) {
    SCOPED_TRACE(body.dump());
    EXPECT_EQ(admin_->Patch(OrgPath("/webhooks/" + id), body).status, 422);
  }
  EXPECT_EQ(admin_->Delete(OrgPath("/webhooks/" + id)).status, 204);
  EXPECT_EQ(admin_->Get(OrgPath("/webhooks/" + id)).status, 404);
  EXPECT_EQ(admin_->Get(OrgPath("/webhooks/" + id + "/deliveries")).status, 404);
  EXPECT_EQ(admin_->Delete(OrgPath("/webhooks/" + id)).status, 404);
  EXPECT_EQ(AuditEvents("webhook_deleted").size(), 1u);

  // The next endpoint gets an ID of its own, not the deleted one's (SQLite
  // hands the highest rowid out again once its row is gone).
  nlohmann::json next = steps().Create(receiver_.url("/next"));
  EXPECT_NE(next["id"], id) << next.dump();
  EXPECT_GT(std::stoll(next["id"].get<std::string>()), std::stoll(id));
}

TEST_F(WebhookTest, ASlowEndpointDoesNotDelayAnother) {
  WebhookReceiver slow;
  slow.set_delay(6s);
  slow.Start();
  nlohmann::json slow_endpoint = steps().Create(slow.url("/slow"));
  nlohmann::json fast_endpoint = steps().Create(receiver_.url("/fast"));
  // Five events for the slow one first: its queue alone would take 30 s.
  for (int i = 0; i < 5; ++i) {
    ASSERT_EQ(admin_->Post(OrgPath("/webhooks/" + std::string(slow_endpoint["id"]) + "/test")).status, 202);
  }
  ASSERT_TRUE(slow.WaitForRequests(1, 10s));
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < 5; ++i) {
    ASSERT_EQ(admin_->Post(OrgPath("/webhooks/" + std::string(fast_endpoint["id"]) + "/test")).status, 202);
  }
  ASSERT_TRUE(receiver_.WaitForRequests(5, 10s));
  auto took = std::chrono::steady_clock::now() - start;
  EXPECT_LT(took, 4s) << "the fast endpoint waited for the slow one";
  std::cerr << "five deliveries to the fast endpoint took "
            << std::chrono::duration_cast<std::chrono::milliseconds>(took).count()
            << " ms while the slow one held its connection\n";
  // One delivery at a time per endpoint: the slow one never saw two at once.
  EXPECT_LE(slow.connections(), 2);
  slow.set_delay(0ms);
}

TEST_F(WebhookTest, RedirectsAreNotFollowed) {
  WebhookReceiver elsewhere;
  elsewhere.Start();
  receiver_.set_status(307);
  receiver_.set_location(elsewhere.url("/moved"));
  nlohmann::json endpoint = steps().Create(receiver_.url());
  ASSERT_EQ(admin_->Post(OrgPath("/webhooks/" + std::string(endpoint["id"]) + "/test")).status, 202);
  nlohmann::json items = steps().WaitForDeliveries(endpoint["id"], [](const nlohmann::json& items) {
    return items.size() == 1 && items[0]["attempts"].get<int>() >= 2;
  });
  EXPECT_EQ(items[0]["status"], "pending");
  EXPECT_EQ(items[0]["last_status_code"], 307);
  EXPECT_NE(items[0]["last_error"].get<std::string>().find("redirect"), std::string::npos);
  EXPECT_EQ(elsewhere.connections(), 0) << "the redirect was followed";
}

TEST_F(WebhookTest, AnAnswerSlowerThanTenSecondsIsAFailure) {
  receiver_.set_delay(11s);
  nlohmann::json endpoint = steps().Create(receiver_.url());
  ASSERT_EQ(admin_->Post(OrgPath("/webhooks/" + std::string(endpoint["id"]) + "/test")).status, 202);
  ASSERT_TRUE(receiver_.WaitForRequests(1, 10s));
  auto sent = std::chrono::steady_clock::now();
  nlohmann::json items = steps().WaitForDeliveries(endpoint["id"], [](const nlohmann::json& items) {
    return items.size() == 1 && items[0]["last_error"].is_string();
  }, 15s);
  auto waited = std::chrono::steady_clock::now() - sent;
  EXPECT_EQ(items[0]["status"], "pending");
  EXPECT_TRUE(items[0]["last_status_code"].is_null());
  EXPECT_GE(waited, 9s);
  EXPECT_LT(waited, 12s);
  receiver_.set_delay(0ms);
}

TEST_F(WebhookTest, MetricsCountOutcomesAndTheQueue) {
  nlohmann::json endpoint = steps().Create(receiver_.url());
  ASSERT_EQ(admin_->Post(OrgPath("/webhooks/" + std::string(endpoint["id"]) + "/test")).status, 202);
  steps().WaitForDeliveries(endpoint["id"], [](const nlohmann::json& items) { return WebhookSteps::AllDelivered(items, 1); });
  // The sender counts a delivery once its status is written, which the
  // list may show first.
  HttpResponse metrics;
  EXPECT_TRUE(Eventually([&] {
    metrics = admin_->Get("/metrics");
    return metrics.body.find("roster_webhook_deliveries_succeeded_total 1") != std::string::npos;
  })) << metrics.body;
  ASSERT_EQ(metrics.status, 200);
  EXPECT_NE(metrics.body.find("roster_webhook_queue_depth 0"), std::string::npos);
  EXPECT_NE(metrics.body.find("roster_webhook_oldest_pending_seconds 0"), std::string::npos);
  EXPECT_NE(metrics.body.find("roster_webhook_attempts_failed_total"), std::string::npos);
}

// Servers started by the test itself, with the settings each case needs.
class WebhookSettingsTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    env_["ROSTER_WEBHOOK_RETRY_MAX"] = "1";
    receiver_.Start();
  }
  void Start() { StartServer(); }
  WebhookSteps steps() { return WebhookSteps(admin_.get(), OrgPath()); }

  WebhookReceiver receiver_;
};

TEST_F(WebhookSettingsTest, RefusesPlainHttpAndNonPublicAddresses) {
  Start();
  for (const std::string& url : std::vector<std::string>{"http://hooks.example.com/", "https://127.0.0.1/", "https://127.1.2.3:8443/x", "https://10.0.0.8/",
        "https://172.16.5.4/", "https://192.168.1.10/", "https://169.254.169.254/latest/meta-data",
        "https://100.64.0.1/", "https://224.0.0.1/", "https://0.0.0.0/", "https://[::1]/",
        "https://[::]/", "https://[fe80::1]/", "https://[fd00::1]/", "https://[ff02::1]/",
        "https://[::ffff:127.0.0.1]/", "https://[::ffff:a9fe:a9fe]/", "https://localhost/",
        "https://localhost:" + std::to_string(receiver_.port()) + "/"}) {
    SCOPED_TRACE(url);
    HttpResponse refused = admin_->Post(OrgPath("/webhooks"), {{"url", url}, {"events", {"*"}}});
    EXPECT_EQ(refused.status, 422) << refused.body;
    ASSERT_FALSE(refused.json["errors"].empty());
    EXPECT_EQ(refused.json["errors"][0]["field"], "url");
  }
  EXPECT_TRUE(admin_->Get(OrgPath("/webhooks")).json["items"].empty());
  EXPECT_EQ(receiver_.connections(), 0);
}

TEST_F(WebhookSettingsTest, ADeliveryToAnAddressNoLongerAllowedFailsWithoutConnecting) {
  env_["ROSTER_WEBHOOK_ALLOW_HTTP"] = "1";
  env_["ROSTER_WEBHOOK_ALLOW_PRIVATE"] = "1";
  Start();
  // A name, resolved again before the attempt, as a rebinding name would be.
  nlohmann::json endpoint = steps().Create("http://localhost:" + std::to_string(receiver_.port()) + "/hook");
  std::string id = endpoint["id"];
  StopServer();
  env_.erase("ROSTER_WEBHOOK_ALLOW_PRIVATE");
  Start();
  ASSERT_EQ(admin_->Post(OrgPath("/webhooks/" + id + "/test")).status, 202);
  nlohmann::json items = steps().WaitForDeliveries(id, [](const nlohmann::json& items) {
    return items.size() == 1 && items[0]["attempts"].get<int>() >= 2;
  });
  EXPECT_EQ(items[0]["status"], "pending");
  EXPECT_NE(items[0]["last_error"].get<std::string>().find("loopback"), std::string::npos) << items.dump();
  EXPECT_EQ(receiver_.connections(), 0) << "the sender connected to a refused address";
}

TEST_F(WebhookSettingsTest, ADeliveryFailingForTheWholeRetryWindowIsFailed) {
  env_["ROSTER_WEBHOOK_ALLOW_HTTP"] = "1";
  env_["ROSTER_WEBHOOK_ALLOW_PRIVATE"] = "1";
  env_["ROSTER_WEBHOOK_RETRY_FOR"] = "2";
  Start();
  receiver_.set_status(500);
  nlohmann::json endpoint = steps().Create(receiver_.url());
  std::string id = endpoint["id"];
  ASSERT_EQ(admin_->Post(OrgPath("/webhooks/" + id + "/test")).status, 202);
  nlohmann::json items = steps().WaitForDeliveries(id, [](const nlohmann::json& items) {
    return items.size() == 1 && items[0]["status"] == "failed";
  });
  EXPECT_GE(items[0]["attempts"].get<int>(), 2);
  EXPECT_EQ(items[0]["last_status_code"], 500);
  EXPECT_EQ(items[0]["last_error"], "HTTP 500");
  EXPECT_TRUE(items[0]["next_attempt_at"].is_null());
  std::size_t seen = receiver_.Requests().size();
  std::this_thread::sleep_for(2500ms);
  EXPECT_EQ(receiver_.Requests().size(), seen) << "a failed delivery was tried again";
  // Failed, it can still be sent again by hand.
  receiver_.set_status(200);
  ASSERT_EQ(admin_->Post(OrgPath("/webhooks/" + id + "/deliveries/" + std::string(items[0]["id"]) + "/redeliver")).status, 202);
  steps().WaitForDeliveries(id, [](const nlohmann::json& items) {
    return items.size() == 2 && items[0]["status"] == "delivered";
  });
}

TEST_F(WebhookSettingsTest, AnEndpointFailingTooLongIsDisabledAuditedAndItsAdminsEmailed) {
  env_["ROSTER_WEBHOOK_ALLOW_HTTP"] = "1";
  env_["ROSTER_WEBHOOK_ALLOW_PRIVATE"] = "1";
  env_["ROSTER_WEBHOOK_DISABLE_AFTER"] = "2";
  Start();
  receiver_.set_status(500);
  nlohmann::json endpoint = steps().Create(receiver_.url());
  std::string id = endpoint["id"];
  ASSERT_EQ(admin_->Post(OrgPath("/webhooks/" + id + "/test")).status, 202);
  HttpResponse disabled;
  ASSERT_TRUE(Eventually([&] {
    disabled = admin_->Get(OrgPath("/webhooks/" + id));
    return disabled.json["enabled"] == false;
  })) << disabled.body;
  EXPECT_NE(disabled.json["disabled_reason"].get<std::string>().find("HTTP 500"), std::string::npos);
  HttpResponse audit = admin_->Get(OrgPath("/audit-events"));
  bool audited = false;
  for (const auto& event : audit.json["items"]) {
    audited |= event["action"] == "webhook_disabled" && event["details"]["webhook_id"] == id &&
               event["actor_user_id"].is_null();
  }
  EXPECT_TRUE(audited) << audit.body;
  std::vector<std::string> mails;
  ASSERT_TRUE(Eventually([&] {
    mails.clear();
    for (const std::string& mail : MessagesTo(kAdminEmail)) {
      if (mail.find("was disabled") != std::string::npos) mails.push_back(mail);
    }
    return !mails.empty();
  }));
  EXPECT_EQ(mails.size(), 1u);
  EXPECT_NE(mails[0].find(receiver_.url()), std::string::npos);
  // Disabled, it is left alone: its pending delivery waits.
  std::size_t seen = receiver_.Requests().size();
  std::this_thread::sleep_for(2500ms);
  EXPECT_EQ(receiver_.Requests().size(), seen);
  EXPECT_EQ(steps().Deliveries(id, "?status=pending").size(), 1u);
  // Enabled again, with a working receiver, the delivery goes out.
  receiver_.set_status(200);
  HttpResponse enabled = admin_->Patch(OrgPath("/webhooks/" + id), {{"enabled", true}});
  ASSERT_EQ(enabled.status, 200);
  EXPECT_TRUE(enabled.json["disabled_reason"].is_null());
  EXPECT_TRUE(enabled.json["failing_since"].is_null());
  steps().WaitForDeliveries(id, [](const nlohmann::json& items) { return WebhookSteps::AllDelivered(items, 1); });
}

TEST_F(WebhookSettingsTest, TwoServersShareTheQueueWithoutDeliveringTwice) {
  env_["ROSTER_WEBHOOK_ALLOW_HTTP"] = "1";
  env_["ROSTER_WEBHOOK_ALLOW_PRIVATE"] = "1";
  Start();
  RosterServer second(env_, dir_.path() / "second.log");
  receiver_.set_delay(20ms);
  std::vector<std::string> endpoints;
  for (int i = 0; i < 3; ++i) endpoints.push_back(steps().Create(receiver_.url("/" + std::to_string(i)))["id"]);
  HttpClient other(second.url());
  ASSERT_EQ(other.Login(kAdminEmail, kAdminPassword).status, 200);
  constexpr int kEvents = 20;
  for (int i = 0; i < kEvents; ++i) {
    HttpClient& client = i % 2 == 0 ? *admin_ : other;
    HttpResponse created = client.Post(OrgPath("/assistants"), {{"name", "Bot " + std::to_string(i)}});
    ASSERT_EQ(created.status, 201) << created.body;
  }
  std::size_t expected = kEvents * endpoints.size();
  auto queued = std::chrono::steady_clock::now();
  ASSERT_TRUE(receiver_.WaitForRequests(expected, 60s)) << receiver_.Requests().size();
  auto took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - queued);
  std::cerr << expected << " deliveries to 3 endpoints by two servers done " << took.count()
            << " ms after the last event was queued\n";
  std::this_thread::sleep_for(2s);
  auto requests = receiver_.Requests();
  EXPECT_EQ(requests.size(), expected) << "some delivery went out twice";
  std::set<std::pair<std::string, std::string>> unique;
  for (const auto& request : requests) unique.insert({request.target, request.headers.at("webhook-id")});
  EXPECT_EQ(unique.size(), expected);
  for (const std::string& id : endpoints) {
    EXPECT_EQ(steps().Deliveries(id, "?status=delivered&limit=200").size(), static_cast<std::size_t>(kEvents));
  }
  EXPECT_EQ(second.Stop(), 0);
}

}  // namespace
}  // namespace roster::testing
