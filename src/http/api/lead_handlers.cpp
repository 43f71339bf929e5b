#include "app/leads.hpp"
#include "http/api/api_support.hpp"
#include "http/api/for_organization.hpp"
#include "http/api/handlers.hpp"
#include "http/api/lead_json.hpp"

namespace roster::http {
namespace {

// An ID field of the body: absent (or null) is nullopt; anything but an ID
// string is a 422 naming the field.
Result<std::optional<Id>> BodyId(const Request& request, const std::string& field) {
  if (!request.json.is_object() || !request.json.contains(field) || request.json[field].is_null()) {
    return std::optional<Id>();
  }
  const nlohmann::json& value = request.json[field];
  auto id = value.is_string() ? ParseId(value.get<std::string>()) : std::nullopt;
  if (!id) return Problem::Validation(field, "Must be an ID (a string of digits).");
  return std::optional<Id>(*id);
}

Result<store::LeadFilter> ParseLeadFilter(const Request& request) {
  store::LeadFilter filter;
  filter.limit = ROSTER_TRY(PageLimit(request));
  filter.cursor = PageCursor(request);
  filter.assistant_id = ROSTER_TRY(QueryId(request, "assistant_id"));
  filter.owner_id = ROSTER_TRY(QueryId(request, "owner_id"));
  filter.query = request.Query("q").value_or("");
  return filter;
}

Result<app::LeadRequest> ParseNewLead(const Request& request) {
  BodyReader body(request);
  app::LeadRequest lead;
  lead.name = body.String("name", true);
  lead.email = body.String("email", true);
  lead.company = body.String("company", false);
  std::vector<FieldError> errors;
  if (Status valid = body.Finish(); !valid.ok()) errors = valid.problem().errors;
  for (auto [field, target] : {std::pair{"assistant_id", &lead.assistant_id},
                               std::pair{"owner_id", &lead.owner_id}}) {
    auto id = BodyId(request, field);
    if (id.ok()) *target = *id; else errors.push_back(id.problem().errors.front());
  }
  if (!lead.assistant_id && BodyId(request, "assistant_id").ok()) {
    errors.push_back({"assistant_id", "This field is required."});
  }
  if (!errors.empty()) return Problem::Validation(std::move(errors));
  return lead;
}

Result<app::LeadPatch> ParseLeadPatch(const Request& request) {
  BodyReader body(request);
  app::LeadPatch patch;
  for (auto [field, target] : {std::pair{"status", &patch.status}, std::pair{"name", &patch.name},
                               std::pair{"company", &patch.company}}) {
    if (body.Has(field)) *target = body.String(field, true);
  }
  ROSTER_TRY_STATUS(body.Finish());
  patch.owner_id = ROSTER_TRY(BodyId(request, "owner_id"));
  return patch;
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
