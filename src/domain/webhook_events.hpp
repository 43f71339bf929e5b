#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

// The event types of webhooks (SPEC 7) and how the audit trail's actions
// map onto them: every webhook event is one audit event.
namespace roster::domain {

// Every type an endpoint may subscribe to, in the order of SPEC 7.
// `member.deactivated` and `member.reactivated` are accepted in
// subscriptions before anything emits them.
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

}  // namespace roster::domain
