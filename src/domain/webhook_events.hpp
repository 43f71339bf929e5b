#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/ids.hpp"
#include "core/result.hpp"

// The event types of webhooks (SPEC 7) and how the audit trail's actions
// map onto them: every webhook event is one audit event.
namespace roster::domain {

// Every type an endpoint may subscribe to, in the order of SPEC 7.
std::span<const std::string_view> WebhookEventTypes();

// The event sent by POST .../webhooks/{id}/test; it goes only to that
// endpoint and cannot be subscribed to.
inline constexpr std::string_view kWebhookTestEvent = "webhook.test";
// Subscribes to every type.
inline constexpr std::string_view kAllWebhookEvents = "*";

// The webhook type of an audit action ("member_removed" ->
// "member.removed"); nullopt for actions no endpoint hears of (the
// organization's creation, changes to the webhooks themselves).
std::optional<std::string_view> WebhookTypeOfAuditAction(std::string_view action);

// An endpoint's subscription as sent by a client: at least one type, each
// one of WebhookEventTypes(), or ["*"] alone; duplicates dropped, order
// kept. 422 on `field` otherwise.
Result<std::vector<std::string>> ValidateWebhookEvents(const std::vector<std::string>& events,
                                                       std::string_view field = "events");

// True when a subscription (as ValidateWebhookEvents returns it) includes `type`.
bool WebhookSubscribes(const std::vector<std::string>& events, std::string_view type);

// A registered endpoint of an organization (SPEC 7).
struct WebhookEndpoint {
  Id id = 0;
  Id organization_id = 0;
  std::string url;
  std::vector<std::string> events;  // types, or {"*"}
  std::string description;
  bool enabled = true;
  std::optional<std::string> disabled_reason;
  std::string secret;
  std::optional<std::string> previous_secret;  // signs too until previous_secret_until
  std::optional<UnixSeconds> previous_secret_until;
  UnixSeconds created_at = 0;
  std::optional<UnixSeconds> failing_since;
};

enum class DeliveryStatus { kPending, kDelivered, kFailed };
const char* ToString(DeliveryStatus status);
std::optional<DeliveryStatus> ParseDeliveryStatus(std::string_view text);

struct WebhookDelivery {
  Id id = 0;
  Id organization_id = 0;
  Id endpoint_id = 0;
  Id event_id = 0;
  std::string event_type;
  std::string payload;
  DeliveryStatus status = DeliveryStatus::kPending;
  int attempts = 0;
  UnixSeconds created_at = 0;
  UnixSeconds next_attempt_at = 0;
  std::optional<int> last_status_code;
  std::optional<std::string> last_error;
  std::optional<UnixSeconds> delivered_at;
};

}  // namespace roster::domain
