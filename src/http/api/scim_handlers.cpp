// The SCIM 2.0 service provider at /scim/v2 (SPEC section 8; RFC 7643 and
// 7644): parse, call a use case of app/scim.hpp, answer application/scim+json.
// Every failure is a SCIM error message, never problem+json.
#include <set>
#include <string>

#include "app/scim.hpp"
#include "http/api/api_support.hpp"
#include "http/api/handlers.hpp"
#include "http/api/scim_json.hpp"
#include "http/api/scim_patch.hpp"
#include "http/api/scim_syntax.hpp"

namespace roster::http {
namespace {

using nlohmann::json;

// The public URL of /scim/v2, for meta.location and Location.
std::string ScimBase(const app::Context& context) {
  std::string base = context.settings.public_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base + "/scim/v2";
}

bool IsJsonMediaType(std::string media_type) {
  media_type = media_type.substr(0, media_type.find(';'));
  std::erase_if(media_type, [](char c) { return c == ' ' || c == '\t'; });
  for (char& c : media_type) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return media_type == "application/scim+json" || media_type == "application/json";
}

// The request's body as JSON: 415 unless it says it is SCIM or JSON, 400
// `invalidSyntax` when it is not JSON.
Result<json> Body(const Request& request) {
  if (!IsJsonMediaType(request.Header("content-type"))) {
    return scim::Error(ProblemCode::kUnsupportedMediaType, "",
                       "The body must be application/scim+json.");
  }
  json body = json::parse(request.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded()) {
    return scim::Error(ProblemCode::kBadRequest, "invalidSyntax", "The body is not valid JSON.");
  }
  return body;
}

// The {id} of a resource; 404 when it cannot be one.
Result<Id> ResourceId(const Request& request) {
  auto id = PathId(request, "id");
  if (!id.ok()) return Problem::NotFound("No such resource.");
  return *id;
}

Result<std::int64_t> QueryNumber(const Request& request, std::string_view name,
                                 std::int64_t fallback) {
  auto text = request.Query(name);
  if (!text) return fallback;
  try {
    std::size_t used = 0;
    long long value = std::stoll(*text, &used);
    if (used == text->size()) return static_cast<std::int64_t>(value);
  } catch (const std::exception&) {
  }
  return scim::Error(ProblemCode::kBadRequest, "invalidValue",
                     std::string(name) + " must be a whole number.");
}

// startIndex below 1 counts as 1 and a negative count as 0 (RFC 7644
// section 3.4.2.4); count is capped at the advertised maximum.
Result<app::ScimPaging> Paging(const Request& request) {
  app::ScimPaging paging;
  paging.start_index = std::max<std::int64_t>(1, ROSTER_TRY(QueryNumber(request, "startIndex", 1)));
  paging.count = std::clamp<std::int64_t>(ROSTER_TRY(QueryNumber(request, "count", 100)), 0,
                                          app::kScimMaxResults);
  return paging;
}

Result<std::optional<domain::ScimUserFilter>> UserFilter(const Request& request) {
  auto text = request.Query("filter");
  if (!text) return std::optional<domain::ScimUserFilter>();
  scim::Equality equality = ROSTER_TRY(scim::ParseFilter(*text));
  domain::ScimUserFilter filter;
  filter.value = equality.value;
  if (equality.attribute == "username") {
    filter.attribute = domain::ScimUserAttribute::kUserName;
  } else if (equality.attribute == "externalid") {
    filter.attribute = domain::ScimUserAttribute::kExternalId;
  } else if (equality.attribute == "displayname") {
    filter.attribute = domain::ScimUserAttribute::kDisplayName;
  } else {
    return scim::Error(ProblemCode::kBadRequest, "invalidFilter",
                       "Users are filtered by userName, externalId or displayName.");
  }
  return std::optional<domain::ScimUserFilter>(filter);
}

Result<std::optional<std::string>> GroupFilter(const Request& request) {
  auto text = request.Query("filter");
  if (!text) return std::optional<std::string>();
  scim::Equality equality = ROSTER_TRY(scim::ParseFilter(*text));
  if (equality.attribute != "displayname") {
    return scim::Error(ProblemCode::kBadRequest, "invalidFilter",
                       "Groups are filtered by displayName.");
  }
  return std::optional<std::string>(equality.value);
}

// `excludedAttributes=members` (Entra asks for groups so) leaves the
// members out.
bool WithMembers(const Request& request) {
  auto excluded = request.Query("excludedAttributes");
  if (!excluded) return true;
  std::string text = *excluded;
  for (char& c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text.find("members") == std::string::npos;
}

// Wraps a handler: the caller (an API key; a cookie or no credential is
// refused), SCIM errors for every problem, the access log's user.
template <class Handle>
Handler Scim(app::Context& context, Handle handle) {
  return [&context, handle](Request& request) {
    auto caller = RequireCaller(context, request);
    if (!caller.ok()) return scim::ErrorAnswer(caller.problem());
    // Who may call comes before anything about the request.
    auto tenant = app::ScimTenant(context, *caller);
    Result<Response> response =
        tenant.ok() ? handle(request, *caller) : Result<Response>(tenant.problem());
    Response answer = response.ok() ? std::move(*response) : scim::ErrorAnswer(response.problem());
    answer.log_user = LogUser(*caller);
    return answer;
  };
}

template <class T, class Renderer>
Result<Response> Rendered(int status, Result<T> result, Renderer render) {
  if (!result.ok()) return std::move(result).problem();
  return scim::Answer(status, render(*result));
}

void AddDiscoveryRoutes(Router& router, app::Context& context) {
  router.Add("GET", "/scim/v2/ServiceProviderConfig",
             Scim(context, [&context](Request&, const app::Principal&) -> Result<Response> {
               return scim::Answer(200, scim::ServiceProviderConfigJson(ScimBase(context)));
             }));
  router.Add("GET", "/scim/v2/ResourceTypes",
             Scim(context, [&context](Request&, const app::Principal&) -> Result<Response> {
               json types = scim::ResourceTypesJson(ScimBase(context));
               return scim::Answer(200, scim::ListJson(types, types.size(), 1));
             }));
  router.Add("GET", "/scim/v2/ResourceTypes/{id}",
             Scim(context, [&context](Request& request, const app::Principal&) -> Result<Response> {
               for (const json& type : scim::ResourceTypesJson(ScimBase(context))) {
                 if (type["id"] == request.path_params["id"]) return scim::Answer(200, type);
               }
               return Problem::NotFound("No such resource type.");
             }));
  router.Add("GET", "/scim/v2/Schemas",
             Scim(context, [&context](Request&, const app::Principal&) -> Result<Response> {
               json schemas = scim::SchemasJson(ScimBase(context));
               return scim::Answer(200, scim::ListJson(schemas, schemas.size(), 1));
             }));
  router.Add("GET", "/scim/v2/Schemas/{id}",
             Scim(context, [&context](Request& request, const app::Principal&) -> Result<Response> {
               for (const json& schema : scim::SchemasJson(ScimBase(context))) {
                 if (schema["id"] == request.path_params["id"]) return scim::Answer(200, schema);
               }
               return Problem::NotFound("No such schema.");
             }));
}

void AddUserRoutes(Router& router, app::Context& context) {
  auto user_json = [&context](const domain::ScimUser& user) {
    return scim::UserJson(user, ScimBase(context));
  };
  router.Add("GET", "/scim/v2/Users",
             Scim(context, [&context, user_json](Request& request, const app::Principal& caller) -> Result<Response> {
               auto filter = ROSTER_TRY(UserFilter(request));
               app::ScimPaging paging = ROSTER_TRY(Paging(request));
               auto page = ROSTER_TRY(app::ListScimUsers(context, caller, filter, paging));
               json resources = json::array();
               for (const auto& user : page.items) resources.push_back(user_json(user));
               return scim::Answer(200, scim::ListJson(resources, page.total, page.start_index));
             }));
  router.Add("GET", "/scim/v2/Users/{id}",
             Scim(context, [&context, user_json](Request& request, const app::Principal& caller) -> Result<Response> {
               Id id = ROSTER_TRY(ResourceId(request));
               return Rendered(200, app::GetScimUser(context, caller, id), user_json);
             }));
  router.Add("POST", "/scim/v2/Users",
             Scim(context, [&context, user_json](Request& request, const app::Principal& caller) -> Result<Response> {
               json body = ROSTER_TRY(Body(request));
               app::ScimUserInput input = ROSTER_TRY(scim::ReadUser(body));
               domain::ScimUser user = ROSTER_TRY(app::CreateScimUser(context, caller, input));
               json created = user_json(user);
               Response response = scim::Answer(201, created);
               response.AddHeader("Location", created["meta"]["location"]);
               return response;
             }));
  router.Add("PUT", "/scim/v2/Users/{id}",
             Scim(context, [&context, user_json](Request& request, const app::Principal& caller) -> Result<Response> {
               Id id = ROSTER_TRY(ResourceId(request));
               json body = ROSTER_TRY(Body(request));
               app::ScimUserInput input = ROSTER_TRY(scim::ReadUser(body));
               auto whole = [&input](const domain::ScimUser&) -> Result<app::ScimUserInput> {
                 return input;
               };
               return Rendered(200, app::ReplaceScimUser(context, caller, id, whole), user_json);
             }));
  router.Add("PATCH", "/scim/v2/Users/{id}",
             Scim(context, [&context, user_json](Request& request, const app::Principal& caller) -> Result<Response> {
               Id id = ROSTER_TRY(ResourceId(request));
               json body = ROSTER_TRY(Body(request));
               auto patched = [&](const domain::ScimUser& stored) -> Result<app::ScimUserInput> {
                 app::ScimUserInput input{stored.email, app::ShownScimName(stored),
                                          stored.external_id, std::nullopt, std::nullopt};
                 ROSTER_TRY_STATUS(scim::ApplyUserPatch(body, id, stored.role, input));
                 return input;
               };
               return Rendered(200, app::ReplaceScimUser(context, caller, id, patched), user_json);
             }));
  router.Add("DELETE", "/scim/v2/Users/{id}",
             Scim(context, [&context](Request& request, const app::Principal& caller) -> Result<Response> {
               Id id = ROSTER_TRY(ResourceId(request));
               ROSTER_TRY_STATUS(app::DeleteScimUser(context, caller, id));
               Response response = Response::NoContent();
               response.AddHeader("Cache-Control", "no-store");
               return response;
             }));
}

void AddGroupRoutes(Router& router, app::Context& context) {
  auto group_json = [&context](const domain::ScimGroup& group) {
    return scim::GroupJson(group, ScimBase(context), true);
  };
  router.Add("GET", "/scim/v2/Groups",
             Scim(context, [&context](Request& request, const app::Principal& caller) -> Result<Response> {
               auto name = ROSTER_TRY(GroupFilter(request));
               app::ScimPaging paging = ROSTER_TRY(Paging(request));
               bool members = WithMembers(request);
               auto page = ROSTER_TRY(app::ListScimGroups(context, caller, name, paging, members));
               json resources = json::array();
               for (const auto& group : page.items) {
                 resources.push_back(scim::GroupJson(group, ScimBase(context), members));
               }
               return scim::Answer(200, scim::ListJson(resources, page.total, page.start_index));
             }));
  router.Add("GET", "/scim/v2/Groups/{id}",
             Scim(context, [&context](Request& request, const app::Principal& caller) -> Result<Response> {
               Id id = ROSTER_TRY(ResourceId(request));
               bool members = WithMembers(request);
               return Rendered(200, app::GetScimGroup(context, caller, id),
                             [&](const domain::ScimGroup& group) {
                               return scim::GroupJson(group, ScimBase(context), members);
                             });
             }));
  router.Add("POST", "/scim/v2/Groups",
             Scim(context, [&context, group_json](Request& request, const app::Principal& caller) -> Result<Response> {
               json body = ROSTER_TRY(Body(request));
               scim::GroupInput input = ROSTER_TRY(scim::ReadGroup(body));
               domain::ScimGroup group = ROSTER_TRY(app::CreateScimGroup(
                   context, caller, input.display_name, input.members.value_or(std::vector<Id>{})));
               json created = group_json(group);
               Response response = scim::Answer(201, created);
               response.AddHeader("Location", created["meta"]["location"]);
               return response;
             }));
  router.Add("PUT", "/scim/v2/Groups/{id}",
             Scim(context, [&context, group_json](Request& request, const app::Principal& caller) -> Result<Response> {
               Id id = ROSTER_TRY(ResourceId(request));
               json body = ROSTER_TRY(Body(request));
               scim::GroupInput input = ROSTER_TRY(scim::ReadGroup(body));
               app::ScimGroupEdit edit{input.display_name, {input.members, {}, {}}};
               auto whole = [&edit](const domain::ScimGroup&) -> Result<app::ScimGroupEdit> {
                 return edit;
               };
               return Rendered(200, app::ChangeScimGroup(context, caller, id, whole), group_json);
             }));
  router.Add("PATCH", "/scim/v2/Groups/{id}",
             Scim(context, [&context, group_json](Request& request, const app::Principal& caller) -> Result<Response> {
               Id id = ROSTER_TRY(ResourceId(request));
               json body = ROSTER_TRY(Body(request));
               auto patched = [&](const domain::ScimGroup& stored) -> Result<app::ScimGroupEdit> {
                 std::set<Id> current;
                 for (const auto& member : stored.members) current.insert(member.user_id);
                 scim::GroupPatch patch = ROSTER_TRY(scim::ReadGroupPatch(body, id, current));
                 return app::ScimGroupEdit{patch.display_name, patch.members};
               };
               return Rendered(200, app::ChangeScimGroup(context, caller, id, patched), group_json);
             }));
  // An assistant holds the organization's leads and is what its customers
  // pay for: an identity provider may change its members, never delete it.
  router.Add("DELETE", "/scim/v2/Groups/{id}",
             Scim(context, [&context](Request& request, const app::Principal& caller) -> Result<Response> {
               Id id = ROSTER_TRY(ResourceId(request));
               ROSTER_TRY(app::GetScimGroup(context, caller, id));
               return scim::Error(ProblemCode::kMethodNotAllowed, "",
                                  "Assistants are not deleted through SCIM; remove its members "
                                  "instead, or delete it in Roster.");
             }));
}

}  // namespace

void AddScimRoutes(Router& router, app::Context& context) {
  AddDiscoveryRoutes(router, context);
  AddUserRoutes(router, context);
  AddGroupRoutes(router, context);
}

}  // namespace roster::http
