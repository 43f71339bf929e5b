#include "app/webhooks.hpp"

#include "store/webhooks.hpp"

#include <spdlog/spdlog.h>

#include "app/access.hpp"
#include "app/audit_trail.hpp"
#include "domain/validation.hpp"
#include "domain/webhook_events.hpp"
#include "webhook/signature.hpp"
#include "webhook/target.hpp"

namespace roster::app {
namespace {

using store::Tx;
using store::webhooks::Delivery;
using store::webhooks::Endpoint;

webhook::TargetPolicy PolicyOf(const Context& context) {
  return {context.settings.webhook_allow_http, context.settings.webhook_allow_private};
}

// Runs outside any transaction: resolving a name may take a while.
Status CheckUrl(const Context& context, const std::string& url) {
  webhook::WebhookUrl parsed = ROSTER_TRY(webhook::ParseWebhookUrl(url, PolicyOf(context)));
  ROSTER_TRY(webhook::ResolveTarget(parsed, PolicyOf(context)));
  return {};
}

Result<Endpoint> LoadEndpoint(Tx& tx, Id organization_id, Id webhook_id) {
  auto endpoint = store::webhooks::FindEndpoint(tx, organization_id, webhook_id);
  if (!endpoint) return Problem::NotFound("No such webhook.");
  return *endpoint;
}

Status RequireEnabled(const Endpoint& endpoint) {
  if (endpoint.enabled) return {};
  return Problem::Conflict("webhook_disabled", "This webhook is disabled; enable it first.");
}

Result<std::string> ValidateDescription(const std::string& description) {
  return domain::ValidateLabel(description, "description", /*allow_empty=*/true);
}

}  // namespace

std::string AuditedUrl(const std::string& url) {
  auto parsed = webhook::ParseWebhookUrl(url, {.allow_http = true, .allow_private = true});
  if (!parsed.ok()) return "";  // every stored URL parses; nothing is better than a token
  bool more = !parsed->target.empty() && parsed->target != "/";
  return more ? parsed->Origin() + "/…" : parsed->Origin();
}

Result<CreatedWebhook> CreateWebhook(Context& context, const Principal& caller, Id organization_id,
                                     const WebhookRequest& request) {
  // Who may ask comes first: a non-admin learns nothing about URLs.
  ROSTER_TRY_STATUS(context.database.Read<bool>([&](Tx& tx) -> Result<bool> {
    ROSTER_TRY(Require(tx, caller, organization_id, Action::kManageWebhooks));
    return true;
  }));
  std::vector<std::string> events = ROSTER_TRY(domain::ValidateWebhookEvents(request.events));
  std::string description = ROSTER_TRY(ValidateDescription(request.description));
  ROSTER_TRY_STATUS(CheckUrl(context, request.url));
  UnixSeconds now = context.clock.Now();
  std::string secret = webhook::NewSecret();
  return context.database.Write<CreatedWebhook>([&](Tx& tx) -> Result<CreatedWebhook> {
    ROSTER_TRY(Require(tx, caller, organization_id, Action::kManageWebhooks));
    // Creations take turns, so that two of them never both count 19.
    store::LockOrganization(tx, organization_id);
    if (store::webhooks::CountEndpoints(tx, organization_id) >= kMaxWebhooksPerOrganization) {
      return Problem::Conflict("webhook_limit", "An organization has at most " +
                                                    std::to_string(kMaxWebhooksPerOrganization) +
                                                    " webhooks; delete one first.");
    }
    Endpoint endpoint;
    endpoint.organization_id = organization_id;
    endpoint.url = request.url;
    endpoint.events = events;
    endpoint.description = description;
    endpoint.enabled = true;
    endpoint.secret = secret;
    endpoint.created_at = now;
    endpoint.id = store::webhooks::InsertEndpoint(tx, endpoint);
    RecordAudit(tx, organization_id, now, caller.AsActor(), "webhook_created", std::nullopt,
                {{"webhook_id", FormatId(endpoint.id)},
                 {"url", AuditedUrl(endpoint.url)},
                 {"events", events}});
    return CreatedWebhook{ROSTER_TRY(LoadEndpoint(tx, organization_id, endpoint.id)), secret};
  });
}

Result<store::Page<Endpoint>> ListWebhooks(Context& context, const Principal& caller,
                                           Id organization_id, int limit,
                                           const std::optional<std::string>& cursor) {
  return context.database.Read<store::Page<Endpoint>>([&](Tx& tx) -> Result<store::Page<Endpoint>> {
    ROSTER_TRY(Require(tx, caller, organization_id, Action::kManageWebhooks));
    return store::webhooks::ListEndpoints(tx, organization_id, limit, cursor);
  });
}

Result<Endpoint> GetWebhook(Context& context, const Principal& caller, Id organization_id,
                            Id webhook_id) {
  return context.database.Read<Endpoint>([&](Tx& tx) -> Result<Endpoint> {
    ROSTER_TRY(Require(tx, caller, organization_id, Action::kManageWebhooks));
    return LoadEndpoint(tx, organization_id, webhook_id);
  });
}

Result<Endpoint> UpdateWebhook(Context& context, const Principal& caller, Id organization_id,
                               Id webhook_id, const WebhookPatch& patch) {
  ROSTER_TRY(GetWebhook(context, caller, organization_id, webhook_id));
  std::optional<std::vector<std::string>> events;
  if (patch.events) events = ROSTER_TRY(domain::ValidateWebhookEvents(*patch.events));
  std::optional<std::string> description;
  if (patch.description) description = ROSTER_TRY(ValidateDescription(*patch.description));
  if (patch.url) ROSTER_TRY_STATUS(CheckUrl(context, *patch.url));
  UnixSeconds now = context.clock.Now();
  return context.database.Write<Endpoint>([&](Tx& tx) -> Result<Endpoint> {
    ROSTER_TRY(Require(tx, caller, organization_id, Action::kManageWebhooks));
    Endpoint endpoint = ROSTER_TRY(LoadEndpoint(tx, organization_id, webhook_id));
    nlohmann::json changes = nlohmann::json::object();
    if (patch.url && *patch.url != endpoint.url) {
      endpoint.url = *patch.url;
      changes["url"] = AuditedUrl(endpoint.url);
    }
    if (events && *events != endpoint.events) {
      endpoint.events = *events;
      changes["events"] = endpoint.events;
    }
    if (description && *description != endpoint.description) {
      endpoint.description = *description;
      changes["description"] = endpoint.description;
    }
    if (patch.enabled && *patch.enabled != endpoint.enabled) {
      endpoint.enabled = *patch.enabled;
      endpoint.disabled_reason = endpoint.enabled ? std::nullopt
                                                  : std::optional<std::string>("disabled by an admin");
      endpoint.failing_since = std::nullopt;
      changes["enabled"] = endpoint.enabled;
    }
    if (changes.empty()) return endpoint;
    store::webhooks::UpdateEndpoint(tx, endpoint);
    changes["webhook_id"] = FormatId(endpoint.id);
    RecordAudit(tx, organization_id, now, caller.AsActor(), "webhook_updated", std::nullopt, changes);
    return LoadEndpoint(tx, organization_id, webhook_id);
  });
}

Status DeleteWebhook(Context& context, const Principal& caller, Id organization_id, Id webhook_id) {
  UnixSeconds now = context.clock.Now();
  return context.database.Write<void>([&](Tx& tx) -> Status {
    ROSTER_TRY(Require(tx, caller, organization_id, Action::kManageWebhooks));
    Endpoint endpoint = ROSTER_TRY(LoadEndpoint(tx, organization_id, webhook_id));
    store::webhooks::DeleteEndpoint(tx, organization_id, webhook_id);
    RecordAudit(tx, organization_id, now, caller.AsActor(), "webhook_deleted", std::nullopt,
                {{"webhook_id", FormatId(webhook_id)}, {"url", AuditedUrl(endpoint.url)}});
    return {};
  });
}

Result<std::string> RotateWebhookSecret(Context& context, const Principal& caller,
                                        Id organization_id, Id webhook_id) {
  UnixSeconds now = context.clock.Now();
  std::string secret = webhook::NewSecret();
  return context.database.Write<std::string>([&](Tx& tx) -> Result<std::string> {
    ROSTER_TRY(Require(tx, caller, organization_id, Action::kManageWebhooks));
    ROSTER_TRY(LoadEndpoint(tx, organization_id, webhook_id));
    store::webhooks::RotateSecret(tx, organization_id, webhook_id, secret,
                                  now + kPreviousSecretOverlap);
    RecordAudit(tx, organization_id, now, caller.AsActor(), "webhook_secret_rotated", std::nullopt,
                {{"webhook_id", FormatId(webhook_id)},
                 {"previous_secret_until", FormatRfc3339(now + kPreviousSecretOverlap)}});
    return secret;
  });
}

Result<Delivery> SendTestWebhook(Context& context, const Principal& caller, Id organization_id,
                                 Id webhook_id) {
  UnixSeconds now = context.clock.Now();
  return context.database.Write<Delivery>([&](Tx& tx) -> Result<Delivery> {
    ROSTER_TRY(Require(tx, caller, organization_id, Action::kManageWebhooks));
    Endpoint endpoint = ROSTER_TRY(LoadEndpoint(tx, organization_id, webhook_id));
    ROSTER_TRY_STATUS(RequireEnabled(endpoint));
    nlohmann::json details = {{"webhook_id", FormatId(webhook_id)}};
    store::AuditEvent event{0, organization_id, now, caller.AsActor(), "webhook_tested",
                            std::nullopt, details.dump()};
    event.id = RecordAudit(tx, organization_id, now, caller.AsActor(), event.action, std::nullopt,
                           details);
    std::string payload =
        WebhookPayload(tx, event, domain::kWebhookTestEvent, details).dump();
    Id id = store::webhooks::InsertDelivery(tx, organization_id, webhook_id, event.id,
                                            std::string(domain::kWebhookTestEvent), payload, now);
    return *store::webhooks::FindDelivery(tx, organization_id, webhook_id, id);
  });
}

Result<store::Page<Delivery>> ListWebhookDeliveries(
    Context& context, const Principal& caller, Id organization_id, Id webhook_id,
    std::optional<store::webhooks::DeliveryStatus> status, int limit,
    const std::optional<std::string>& cursor) {
  return context.database.Read<store::Page<Delivery>>([&](Tx& tx) -> Result<store::Page<Delivery>> {
    ROSTER_TRY(Require(tx, caller, organization_id, Action::kManageWebhooks));
    ROSTER_TRY(LoadEndpoint(tx, organization_id, webhook_id));
    return store::webhooks::ListDeliveries(tx, organization_id, webhook_id, status, limit, cursor);
  });
}

Result<Delivery> Redeliver(Context& context, const Principal& caller, Id organization_id,
                           Id webhook_id, Id delivery_id) {
  UnixSeconds now = context.clock.Now();
  return context.database.Write<Delivery>([&](Tx& tx) -> Result<Delivery> {
    ROSTER_TRY(Require(tx, caller, organization_id, Action::kManageWebhooks));
    Endpoint endpoint = ROSTER_TRY(LoadEndpoint(tx, organization_id, webhook_id));
    auto delivery = store::webhooks::FindDelivery(tx, organization_id, webhook_id, delivery_id);
    if (!delivery) return Problem::NotFound("No such delivery.");
    ROSTER_TRY_STATUS(RequireEnabled(endpoint));
    Id id = delivery->id;
    if (delivery->status == store::webhooks::DeliveryStatus::kPending) {
      store::webhooks::MakeDue(tx, id, now);
    } else {
      id = store::webhooks::InsertDelivery(tx, organization_id, webhook_id, delivery->event_id,
                                           delivery->event_type, delivery->payload, now);
    }
    spdlog::info("event=webhook_redelivery organization={} actor={} webhook={} delivery={}",
                 organization_id, ActorText(caller), webhook_id, id);
    return *store::webhooks::FindDelivery(tx, organization_id, webhook_id, id);
  });
}

}  // namespace roster::app
