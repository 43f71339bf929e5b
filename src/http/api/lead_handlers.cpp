#include "app/lead_reassign.hpp"
#include "app/leads.hpp"
#include "http/api/api_support.hpp"
#include "http/api/for_organization.hpp"
#include "http/api/handlers.hpp"
#include "http/api/lead_json.hpp"
#include "http/api/list_filters.hpp"
#include "http/api/request_bodies.hpp"

namespace roster::http {

void AddLeadRoutes(Router& router, app::Context& context) {
  router.Add("GET", "/api/v1/orgs/{org}/leads", ForOrganization(context, [&context](Request& request, const app::Principal& caller, Id org) {
    auto filter = ParseLeadFilter(request);
    if (!filter.ok()) return ProblemResponse(filter.problem());
    auto page = app::ListLeads(context, caller, org, *filter);
    if (!page.ok()) return ProblemResponse(page.problem());
    return Response::JsonText(200, LeadPageText(*page));
  }));

  router.Add("POST", "/api/v1/orgs/{org}/leads", ForOrganization(context, [&context](Request& request, const app::Principal& caller, Id org) {
    auto lead = ParseNewLead(request);
    if (!lead.ok()) return ProblemResponse(lead.problem());
    return ReplyWritten(201, app::CreateLead(context, caller, org, *lead), WriteLead);
  }));

  router.Add("POST", "/api/v1/orgs/{org}/leads/reassign", ForOrganization(context, [&context](Request& request, const app::Principal& caller, Id org) {
    auto reassignment = ParseLeadsReassignment(request);
    if (!reassignment.ok()) return ProblemResponse(reassignment.problem());
    return Reply(200, app::ReassignLeads(context, caller, org, *reassignment), [](const auto& done) {
      return nlohmann::json{{"owner_id", FormatId(done.owner_id)},
                            {"reassigned_lead_count", done.reassigned_lead_count}};
    });
  }));

  router.Add("GET", "/api/v1/orgs/{org}/leads/{id}", ForOrganization(context, [&context](Request& request, const app::Principal& caller, Id org) {
    auto lead_id = PathId(request, "id");
    if (!lead_id.ok()) return ProblemResponse(lead_id.problem());
    return ReplyWritten(200, app::GetLead(context, caller, org, *lead_id), WriteLead);
  }));

  router.Add("GET", "/api/v1/orgs/{org}/leads/{id}/access", ForOrganization(context, [&context](Request& request, const app::Principal& caller, Id org) {
    auto lead_id = PathId(request, "id");
    if (!lead_id.ok()) return ProblemResponse(lead_id.problem());
    return Reply(200, app::ListLeadAccess(context, caller, org, *lead_id), LeadAccessJson);
  }));

  router.Add("PATCH", "/api/v1/orgs/{org}/leads/{id}", ForOrganization(context, [&context](Request& request, const app::Principal& caller, Id org) {
    auto lead_id = PathId(request, "id");
    if (!lead_id.ok()) return ProblemResponse(lead_id.problem());
    auto patch = ParseLeadPatch(request);
    if (!patch.ok()) return ProblemResponse(patch.problem());
    return ReplyWritten(200, app::PatchLead(context, caller, org, *lead_id, *patch), WriteLead);
  }));
}

}  // namespace roster::http
