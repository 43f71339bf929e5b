#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/context.hpp"
#include "core/result.hpp"
#include "core/page.hpp"
#include "domain/webhook_events.hpp"

// Webhook endpoints and their deliveries, for the organization's admins
// (403 for other members, 404 for non-members and other organizations' ids).
namespace roster::app {

// An organization has at most this many endpoints (409 `webhook_limit`):
// every audited change reads them.
inline constexpr std::int64_t kMaxWebhooksPerOrganization = 20;
// After a rotation the old secret signs too, for this long.
inline constexpr UnixSeconds kPreviousSecretOverlap = 24 * 3600;

// A webhook URL as audit events name it: its origin (scheme, host, port),
// "/…" standing for a path or query. Those often carry the receiver's
// token (https://hooks.example.com/services/T0/B0/SECRET), and the audit log
// is read by read API keys and exported, where webhooks themselves are not.
std::string AuditedUrl(const std::string& url);

struct WebhookRequest {
  std::string url;
  std::vector<std::string> events;
  std::string description;
};

struct WebhookPatch {
  std::optional<std::string> url;
  std::optional<std::vector<std::string>> events;
  std::optional<std::string> description;
  std::optional<bool> enabled;
};

struct CreatedWebhook {
  domain::WebhookEndpoint endpoint;
  std::string secret;  // shown once
};

// The URL is checked (https://, a host resolving to public addresses;
// ROSTER_WEBHOOK_ALLOW_HTTP / _ALLOW_PRIVATE relax it) before anything is
// written: 422 on `url`.
Result<CreatedWebhook> CreateWebhook(Context& context, const Principal& caller, Id organization_id,
                                     const WebhookRequest& request);
Result<Page<domain::WebhookEndpoint>> ListWebhooks(Context& context,
                                                            const Principal& caller,
                                                            Id organization_id, int limit,
                                                            const std::optional<std::string>& cursor);
Result<domain::WebhookEndpoint> GetWebhook(Context& context, const Principal& caller,
                                             Id organization_id, Id webhook_id);
// Enabling an endpoint forgets its failures (it gets a fresh
// ROSTER_WEBHOOK_DISABLE_AFTER).
Result<domain::WebhookEndpoint> UpdateWebhook(Context& context, const Principal& caller,
                                                Id organization_id, Id webhook_id,
                                                const WebhookPatch& patch);
// Deletes the endpoint and its deliveries.
Status DeleteWebhook(Context& context, const Principal& caller, Id organization_id, Id webhook_id);
// A new secret, answered once; the old one keeps signing for
// kPreviousSecretOverlap.
Result<std::string> RotateWebhookSecret(Context& context, const Principal& caller,
                                        Id organization_id, Id webhook_id);
// Queues a `webhook.test` event to this endpoint only (an audit event of its
// own, whose id it carries). 409 `webhook_disabled` on a disabled endpoint.
Result<domain::WebhookDelivery> SendTestWebhook(Context& context, const Principal& caller,
                                                  Id organization_id, Id webhook_id);
Result<Page<domain::WebhookDelivery>> ListWebhookDeliveries(
    Context& context, const Principal& caller, Id organization_id, Id webhook_id,
    std::optional<domain::DeliveryStatus> status, int limit,
    const std::optional<std::string>& cursor);
// A delivered or failed delivery is queued again as a new delivery of the
// same event (same payload and webhook-id); a pending one is made due now.
// 409 `webhook_disabled` on a disabled endpoint.
Result<domain::WebhookDelivery> Redeliver(Context& context, const Principal& caller,
                                            Id organization_id, Id webhook_id, Id delivery_id);

}  // namespace roster::app
