#include "app/leads.hpp"
#include "http/api/api_support.hpp"
#include "http/api/for_organization.hpp"
#include "http/api/handlers.hpp"
#include "http/api/lead_json.hpp"
#include "http/api/request_bodies.hpp"

namespace roster::http {
namespace {

Result<domain::LeadFilter> ParseLeadFilter(const Request& request) {
  domain::LeadFilter filter;
  filter.limit = ROSTER_TRY(PageLimit(request));
  filter.cursor = PageCursor(request);
  filter.assistant_id = ROSTER_TRY(QueryId(request, "assistant_id"));
  filter.owner_id = ROSTER_TRY(QueryId(request, "owner_id"));
  filter.query = request.Query("q").value_or("");
  return filter;
}

}  // namespace

void AddLeadRoutes(Router& router, app::Context& context) {
  router.Add("GET", "/api/v1/orgs/{org}/leads", ForOrganization(context, [&context](Request& request, const app::Principal& caller, Id org) {
    auto filter = ParseLeadFilter(request);
    if (!filter.ok()) return ProblemResponse(filter.problem());
    return Reply(200, app::ListLeads(context, caller, org, *filter), [](const auto& page) {
      nlohmann::json items = nlohmann::json::array();
      for (const auto& lead : page.items) items.push_back(LeadJson(lead));
      return PageJson(items, page.next_cursor);
    });
  }));

  router.Add("POST", "/api/v1/orgs/{org}/leads", ForOrganization(context, [&context](Request& request, const app::Principal& caller, Id org) {
    auto lead = ParseNewLead(request);
    if (!lead.ok()) return ProblemResponse(lead.problem());
    return Reply(201, app::CreateLead(context, caller, org, *lead), LeadJson);
  }));

  router.Add("GET", "/api/v1/orgs/{org}/leads/{id}", ForOrganization(context, [&context](Request& request, const app::Principal& caller, Id org) {
    auto lead_id = PathId(request, "id");
    if (!lead_id.ok()) return ProblemResponse(lead_id.problem());
    return Reply(200, app::GetLead(context, caller, org, *lead_id), LeadJson);
  }));

  router.Add("PATCH", "/api/v1/orgs/{org}/leads/{id}", ForOrganization(context, [&context](Request& request, const app::Principal& caller, Id org) {
    auto lead_id = PathId(request, "id");
    if (!lead_id.ok()) return ProblemResponse(lead_id.problem());
    auto patch = ParseLeadPatch(request);
    if (!patch.ok()) return ProblemResponse(patch.problem());
    return Reply(200, app::PatchLead(context, caller, org, *lead_id, *patch), LeadJson);
  }));
}

}  // namespace roster::http
