#include "app/api_keys.hpp"
#include "http/api/api_json.hpp"
#include "http/api/api_support.hpp"
#include "http/api/for_organization.hpp"
#include "http/api/handlers.hpp"
#include "http/api/request_bodies.hpp"

namespace roster::http {

void AddApiKeyRoutes(Router& router, app::Context& context) {
  router.Add("POST", "/api/v1/orgs/{org}/api-keys", ForOrganization(context, [&context](Request& request, const app::Principal& caller, Id org) {
    auto key = ParseApiKeyRequest(request);
    if (!key.ok()) return ProblemResponse(key.problem());
    Response response = Reply(201, app::CreateApiKey(context, caller, org, *key), CreatedApiKeyJson);
    // The key is in this answer and nowhere else; no cache may keep it.
    return response.AddHeader("Cache-Control", "no-store");
  }));

  router.Add("GET", "/api/v1/orgs/{org}/api-keys", ForOrganization(context, [&context](Request& request, const app::Principal& caller, Id org) {
    auto limit = PageLimit(request);
    if (!limit.ok()) return ProblemResponse(limit.problem());
    auto status = request.Query("status").value_or("");
    if (!status.empty() && status != "active" && status != "revoked") {
      return ProblemResponse(Problem::Validation("status", "status must be active or revoked."));
    }
    bool revoked = status == "revoked";
    return Reply(200, app::ListApiKeys(context, caller, org, revoked, *limit, PageCursor(request)),
                 [](const Page<domain::ApiKey>& page) {
                   nlohmann::json items = nlohmann::json::array();
                   for (const auto& key : page.items) items.push_back(ApiKeyJson(key));
                   return PageJson(items, page.next_cursor);
                 });
  }));

  router.Add("DELETE", "/api/v1/orgs/{org}/api-keys/{key}", ForOrganization(context, [&context](Request& request, const app::Principal& caller, Id org) {
    auto key_id = PathId(request, "key");
    if (!key_id.ok()) return ProblemResponse(key_id.problem());
    Status revoked = app::RevokeApiKey(context, caller, org, *key_id);
    if (!revoked.ok()) return ProblemResponse(revoked.problem());
    return Response::NoContent();
  }));
}

}  // namespace roster::http
