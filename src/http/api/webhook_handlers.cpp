#include "app/webhooks.hpp"
#include "http/api/api_json.hpp"
#include "http/api/api_support.hpp"
#include "http/api/for_organization.hpp"
#include "http/api/handlers.hpp"
#include "http/api/request_bodies.hpp"

namespace roster::http {
namespace {

using Delivery = domain::WebhookDelivery;
using Endpoint = domain::WebhookEndpoint;

constexpr const char* kWebhook = "/api/v1/orgs/{org}/webhooks/{id}";

nlohmann::json EndpointJson(const Endpoint& endpoint) {
  return {{"id", FormatId(endpoint.id)},
          {"url", endpoint.url},
          {"events", endpoint.events},
          {"description", endpoint.description},
          {"enabled", endpoint.enabled},
          {"disabled_reason", endpoint.disabled_reason ? nlohmann::json(*endpoint.disabled_reason)
                                                       : nlohmann::json()},
          {"failing_since", TimeOrNull(endpoint.failing_since)},
          {"previous_secret_valid_until",
           endpoint.previous_secret ? TimeOrNull(endpoint.previous_secret_until) : nlohmann::json()},
          {"created_at", FormatRfc3339(endpoint.created_at)}};
}

nlohmann::json DeliveryJson(const Delivery& delivery) {
  bool pending = delivery.status == domain::DeliveryStatus::kPending;
  return {{"id", FormatId(delivery.id)},
          {"event_id", FormatId(delivery.event_id)},
          {"type", delivery.event_type},
          {"status", domain::ToString(delivery.status)},
          {"attempts", delivery.attempts},
          {"last_status_code", delivery.last_status_code ? nlohmann::json(*delivery.last_status_code)
                                                         : nlohmann::json()},
          {"last_error", delivery.last_error ? nlohmann::json(*delivery.last_error) : nlohmann::json()},
          {"next_attempt_at", pending ? nlohmann::json(FormatRfc3339(delivery.next_attempt_at))
                                      : nlohmann::json()},
          {"delivered_at", TimeOrNull(delivery.delivered_at)},
          {"created_at", FormatRfc3339(delivery.created_at)}};
}

Result<std::optional<domain::DeliveryStatus>> StatusFilter(const Request& request) {
  auto text = request.Query("status");
  if (!text || text->empty()) return std::optional<domain::DeliveryStatus>();
  auto status = domain::ParseDeliveryStatus(*text);
  if (!status) return Problem::Validation("status", "status must be pending, delivered or failed.");
  return status;
}

template <class Items, class Render>
nlohmann::json ItemsJson(const Items& items, Render render) {
  nlohmann::json json = nlohmann::json::array();
  for (const auto& item : items) json.push_back(render(item));
  return json;
}

}  // namespace

void AddWebhookRoutes(Router& router, app::Context& context) {
  router.Add("POST", "/api/v1/orgs/{org}/webhooks", ForOrganization(context, [&context](Request& request, const app::Principal& caller, Id org) {
    auto webhook = ParseNewWebhook(request);
    if (!webhook.ok()) return ProblemResponse(webhook.problem());
    return Reply(201, app::CreateWebhook(context, caller, org, *webhook), [](const app::CreatedWebhook& created) {
      nlohmann::json json = EndpointJson(created.endpoint);
      json["secret"] = created.secret;
      return json;
    });
  }));

  router.Add("GET", "/api/v1/orgs/{org}/webhooks", ForOrganization(context, [&context](Request& request, const app::Principal& caller, Id org) {
    auto limit = PageLimit(request);
    if (!limit.ok()) return ProblemResponse(limit.problem());
    return Reply(200, app::ListWebhooks(context, caller, org, *limit, PageCursor(request)), [](const auto& page) {
      return PageJson(ItemsJson(page.items, EndpointJson), page.next_cursor);
    });
  }));

  router.Add("GET", kWebhook, ForOrganization(context, [&context](Request& request, const app::Principal& caller, Id org) {
    auto id = PathId(request, "id");
    if (!id.ok()) return ProblemResponse(id.problem());
    return Reply(200, app::GetWebhook(context, caller, org, *id), EndpointJson);
  }));

  router.Add("PATCH", kWebhook, ForOrganization(context, [&context](Request& request, const app::Principal& caller, Id org) {
    auto id = PathId(request, "id");
    if (!id.ok()) return ProblemResponse(id.problem());
    auto patch = ParseWebhookPatch(request);
    if (!patch.ok()) return ProblemResponse(patch.problem());
    return Reply(200, app::UpdateWebhook(context, caller, org, *id, *patch), EndpointJson);
  }));

  router.Add("DELETE", kWebhook, ForOrganization(context, [&context](Request& request, const app::Principal& caller, Id org) {
    auto id = PathId(request, "id");
    if (!id.ok()) return ProblemResponse(id.problem());
    Status deleted = app::DeleteWebhook(context, caller, org, *id);
    if (!deleted.ok()) return ProblemResponse(deleted.problem());
    return Response::NoContent();
  }));

  router.Add("POST", "/api/v1/orgs/{org}/webhooks/{id}/rotate-secret", ForOrganization(context, [&context](Request& request, const app::Principal& caller, Id org) {
    auto id = PathId(request, "id");
    if (!id.ok()) return ProblemResponse(id.problem());
    return Reply(200, app::RotateWebhookSecret(context, caller, org, *id), [](const std::string& secret) {
      return nlohmann::json{{"secret", secret}};
    });
  }));

  router.Add("POST", "/api/v1/orgs/{org}/webhooks/{id}/test", ForOrganization(context, [&context](Request& request, const app::Principal& caller, Id org) {
    auto id = PathId(request, "id");
    if (!id.ok()) return ProblemResponse(id.problem());
    return Reply(202, app::SendTestWebhook(context, caller, org, *id), DeliveryJson);
  }));

  router.Add("GET", "/api/v1/orgs/{org}/webhooks/{id}/deliveries", ForOrganization(context, [&context](Request& request, const app::Principal& caller, Id org) {
    auto id = PathId(request, "id");
    if (!id.ok()) return ProblemResponse(id.problem());
    auto status = StatusFilter(request);
    if (!status.ok()) return ProblemResponse(status.problem());
    auto limit = PageLimit(request);
    if (!limit.ok()) return ProblemResponse(limit.problem());
    return Reply(200, app::ListWebhookDeliveries(context, caller, org, *id, *status, *limit, PageCursor(request)), [](const auto& page) {
      return PageJson(ItemsJson(page.items, DeliveryJson), page.next_cursor);
    });
  }));

  router.Add("POST", "/api/v1/orgs/{org}/webhooks/{id}/deliveries/{d}/redeliver", ForOrganization(context, [&context](Request& request, const app::Principal& caller, Id org) {
    auto id = PathId(request, "id");
    if (!id.ok()) return ProblemResponse(id.problem());
    auto delivery = PathId(request, "d");
    if (!delivery.ok()) return ProblemResponse(delivery.problem());
    return Reply(202, app::Redeliver(context, caller, org, *id, *delivery), DeliveryJson);
  }));
}

}  // namespace roster::http
