#include "app/audit_trail.hpp"

#include <algorithm>

#include "domain/webhook_events.hpp"
#include "store/accounts.hpp"
#include "store/api_keys.hpp"
#include "store/webhooks.hpp"

namespace roster::app {
namespace {

nlohmann::json Person(store::Tx& tx, std::optional<Id> user_id) {
  if (!user_id) return nullptr;
  auto user = store::FindUserById(tx, *user_id);
  if (!user) return {{"id", FormatId(*user_id)}, {"email", nullptr}, {"name", nullptr}};
  return {{"id", FormatId(user->id)}, {"email", user->email}, {"name", user->name}};
}

// Details that hold a user's id. `from` and `to` are people only in a
// lead's reassignment (elsewhere they are roles).
bool NamesPerson(std::string_view action, std::string_view key) {
  if (key == "reassigned_to" || key == "owner_id" || key == "from_user_id") return true;
  return action == "lead_reassigned" && (key == "from" || key == "to");
}

// "owner_id" -> "owner"; other keys stay.
std::string PersonKey(std::string key) {
  if (key.size() > 3 && key.ends_with("_id")) key.resize(key.size() - 3);
  if (key.size() > 5 && key.ends_with("_user")) key.resize(key.size() - 5);
  return key;
}

}  // namespace

nlohmann::json WebhookPayload(store::Tx& tx, const store::AuditEvent& event, std::string_view type,
                              const nlohmann::json& details) {
  nlohmann::json data = nlohmann::json::object();
  data["actor"] = Person(tx, event.actor.user_id);
  if (event.actor.api_key_id) {
    auto key = store::FindApiKey(tx, event.organization_id, *event.actor.api_key_id);
    data["actor_api_key"] = {{"id", FormatId(*event.actor.api_key_id)},
                             {"name", key ? nlohmann::json(key->name) : nlohmann::json()}};
  }
  data["user"] = Person(tx, event.target_user_id);
  if (details.is_object()) {
    for (const auto& [key, value] : details.items()) {
      std::optional<Id> person;
      if (value.is_string() && NamesPerson(event.action, key)) {
        person = ParseId(value.get<std::string>());
      }
      if (person) {
        data[PersonKey(key)] = Person(tx, person);
      } else if (!data.contains(key)) {
        data[key] = value;
      }
    }
  }
  return {{"id", FormatId(event.id)},
          {"type", type},
          {"timestamp", FormatRfc3339(event.at)},
          {"organization_id", FormatId(event.organization_id)},
          {"data", std::move(data)}};
}

// One pending delivery of the event per endpoint subscribed to its type.
void QueueAuditDeliveries(store::Tx& tx, const store::AuditEvent& event,
                          const nlohmann::json& details, const WebhookEndpoints& endpoints) {
  std::optional<std::string_view> type = domain::WebhookTypeOfAuditAction(event.action);
  if (!type) return;
  std::string payload;
  for (const auto& endpoint : endpoints.enabled) {
    if (!domain::WebhookSubscribes(endpoint.events, *type)) continue;
    if (payload.empty()) payload = WebhookPayload(tx, event, *type, details).dump();
    store::webhooks::InsertDelivery(tx, event.organization_id, endpoint.id, event.id,
                                    std::string(*type), payload, event.at);
  }
}

nlohmann::json IdList(const std::vector<Id>& ids) {
  nlohmann::json list = nlohmann::json::array();
  for (Id id : ids) list.push_back(FormatId(id));
  return list;
}

WebhookEndpoints ReadWebhookEndpoints(store::Tx& tx, Id organization_id) {
  return {store::webhooks::EnabledEndpoints(tx, organization_id)};
}

Id RecordAudit(store::Tx& tx, Id organization_id, UnixSeconds now, const domain::Actor& actor,
               std::string action, std::optional<Id> target, const nlohmann::json& details) {
  if (!domain::WebhookTypeOfAuditAction(action)) {
    return RecordAudit(tx, organization_id, now, actor, std::move(action), target, details, {});
  }
  store::AuditEvent event{0, organization_id, now, actor, std::move(action), target,
                          details.dump()};
  WebhookEndpoints endpoints;
  event.id = store::webhooks::InsertAuditEventReadingEndpoints(tx, event, endpoints.enabled);
  QueueAuditDeliveries(tx, event, details, endpoints);
  return event.id;
}

Id RecordAudit(store::Tx& tx, Id organization_id, UnixSeconds now, const domain::Actor& actor,
               std::string action, std::optional<Id> target, const nlohmann::json& details,
               const WebhookEndpoints& endpoints) {
  store::AuditEvent event{0, organization_id, now, actor, std::move(action), target,
                          details.dump()};
  event.id = store::InsertAuditEvent(tx, event);
  QueueAuditDeliveries(tx, event, details, endpoints);
  return event.id;
}

}  // namespace roster::app

namespace roster::app {

Id RecordLeadsReassigned(store::Tx& tx, Id organization_id, UnixSeconds now,
                         const domain::Actor& actor, Id from_user_id, Id receiver_id,
                         std::string_view reason,
                         const std::vector<store::AssistantLeadCount>& by_assistant) {
  nlohmann::json counts = nlohmann::json::array();
  std::int64_t total = 0;
  for (const auto& count : by_assistant) {
    if (count.lead_count == 0) continue;
    counts.push_back({{"assistant_id", FormatId(count.assistant_id)}, {"lead_count", count.lead_count}});
    total += count.lead_count;
  }
  return RecordAudit(tx, organization_id, now, actor, "leads_reassigned", from_user_id,
                     {{"reason", reason},
                      {"reassigned_to", FormatId(receiver_id)},
                      {"lead_count", total},
                      {"by_assistant", std::move(counts)}});
}

}  // namespace roster::app
