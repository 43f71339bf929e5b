#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/principal.hpp"
#include "domain/webhook_events.hpp"
#include "store/audit.hpp"
#include "store/leads.hpp"

// For the use cases of app/ only: one audit event, written in the
// transaction of the change it describes, with its webhook deliveries.
namespace roster::app {

// Writes the audit event and, when its action is one of the webhook event
// types (domain/webhook_events.hpp), one pending delivery per enabled
// endpoint of the organization subscribed to that type, all in `tx`. The
// delivery's payload is {id, type, timestamp, organization_id, data}: `id`
// the audit event's, `data` the details with `actor` and `user` (the
// target) added and every person named by id, e-mail and name. Answers the
// audit event's id.
Id RecordAudit(store::Tx& tx, Id organization_id, UnixSeconds now, const domain::Actor& actor,
               std::string action, std::optional<Id> target, const nlohmann::json& details);

// Ids as an audit event's details (and a webhook's data) name them: a
// list of decimal strings, as the API writes every id.
nlohmann::json IdList(const std::vector<Id>& ids);

// The organization's enabled webhook endpoints, for RecordAudit. A change
// that holds a lock other writers queue for reads them before taking it,
// so that the hold is one statement shorter.
struct WebhookEndpoints {
  std::vector<domain::WebhookEndpoint> enabled;
};
WebhookEndpoints ReadWebhookEndpoints(store::Tx& tx, Id organization_id);

// RecordAudit with the endpoints read earlier in `tx` (READ COMMITTED: an
// endpoint registered after that read misses this event, as it would when
// registered a moment later).
Id RecordAudit(store::Tx& tx, Id organization_id, UnixSeconds now, const domain::Actor& actor,
               std::string action, std::optional<Id> target, const nlohmann::json& details,
               const WebhookEndpoints& endpoints);

// The webhook deliveries of an audit event already written in `tx` (its id
// set), as RecordAudit queues them: for a change that writes its event in
// the same statement.
void QueueAuditDeliveries(store::Tx& tx, const store::AuditEvent& event,
                          const nlohmann::json& details, const WebhookEndpoints& endpoints);

// The `leads_reassigned` event of a bulk move (`leads.reassigned`): written
// after the removal or unassignment that caused it (`reason` names that
// action), with the counts per assistant and the receiver.
Id RecordLeadsReassigned(store::Tx& tx, Id organization_id, UnixSeconds now,
                         const domain::Actor& actor, Id from_user_id, Id receiver_id,
                         std::string_view reason,
                         const std::vector<store::AssistantLeadCount>& by_assistant);

// The webhook payload of an audit event as RecordAudit builds it, for the
// event `type` (a test event is built the same way).
nlohmann::json WebhookPayload(store::Tx& tx, const store::AuditEvent& event, std::string_view type,
                              const nlohmann::json& details);

// The principal for a log line: "7" for a person, "key:3" for an API key.
inline std::string ActorText(const Principal& caller) {
  return caller.api_key ? "key:" + FormatId(caller.api_key->id) : FormatId(caller.user_id);
}

}  // namespace roster::app
