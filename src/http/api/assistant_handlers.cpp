#include "app/assistants.hpp"
#include "http/api/api_support.hpp"
#include "http/api/for_organization.hpp"
#include "http/api/handlers.hpp"
#include "http/api/lead_json.hpp"
#include "http/api/request_bodies.hpp"

namespace roster::http {
namespace {

constexpr const char* kAssistantUser = "/api/v1/orgs/{org}/assistants/{a}/users/{user}";

// The {a} and {user} of an assistant-user route.
struct AssignmentPath {
  Id assistant_id = 0;
  Id user_id = 0;
};
Result<AssignmentPath> ParseAssignmentPath(const Request& request) {
  Id assistant_id = ROSTER_TRY(PathId(request, "a"));
  Id user_id = ROSTER_TRY(PathId(request, "user"));
  return AssignmentPath{assistant_id, user_id};
}

template <class Items, class Render>
nlohmann::json ItemsJson(const Items& items, Render render) {
  nlohmann::json json = nlohmann::json::array();
  for (const auto& item : items) json.push_back(render(item));
  return json;
}

}  // namespace

void AddAssistantRoutes(Router& router, app::Context& context) {
  // An assistant user with his status as of the answer.
  auto user_json = [&context](const domain::AssistantUser& assignment) {
    return AssistantUserJson(assignment, context.clock.Now());
  };
  router.Add("GET", "/api/v1/orgs/{org}/assistants", ForOrganization(context, [&context](Request& request, const app::Principal& caller, Id org) {
    auto limit = PageLimit(request);
    if (!limit.ok()) return ProblemResponse(limit.problem());
    return Reply(200, app::ListAssistants(context, caller, org, *limit, PageCursor(request)), [](const auto& page) {
      return PageJson(ItemsJson(page.items, AssistantJson), page.next_cursor);
    });
  }));

  router.Add("POST", "/api/v1/orgs/{org}/assistants", ForOrganization(context, [&context](Request& request, const app::Principal& caller, Id org) {
    auto name = ParseNewAssistant(request);
    if (!name.ok()) return ProblemResponse(name.problem());
    return Reply(201, app::CreateAssistant(context, caller, org, *name), AssistantJson);
  }));

  router.Add("GET", "/api/v1/orgs/{org}/assistants/{a}/users", ForOrganization(context, [&context, user_json](Request& request, const app::Principal& caller, Id org) {
    auto assistant_id = PathId(request, "a");
    if (!assistant_id.ok()) return ProblemResponse(assistant_id.problem());
    auto limit = PageLimit(request);
    if (!limit.ok()) return ProblemResponse(limit.problem());
    return Reply(200, app::ListAssistantUsers(context, caller, org, *assistant_id, *limit, PageCursor(request)), [&user_json](const auto& page) {
      return PageJson(ItemsJson(page.items, user_json), page.next_cursor);
    });
  }));

  router.Add("PUT", kAssistantUser, ForOrganization(context, [&context, user_json](Request& request, const app::Principal& caller, Id org) {
    auto path = ParseAssignmentPath(request);
    if (!path.ok()) return ProblemResponse(path.problem());
    auto is_manager = ParseAssignment(request);
    if (!is_manager.ok()) return ProblemResponse(is_manager.problem());
    return Reply(200, app::AssignUser(context, caller, org, path->assistant_id, path->user_id, *is_manager), user_json);
  }));

  router.Add("PATCH", kAssistantUser, ForOrganization(context, [&context, user_json](Request& request, const app::Principal& caller, Id org) {
    auto path = ParseAssignmentPath(request);
    if (!path.ok()) return ProblemResponse(path.problem());
    auto is_manager = ParseManagerChange(request);
    if (!is_manager.ok()) return ProblemResponse(is_manager.problem());
    return Reply(200, app::SetManager(context, caller, org, path->assistant_id, path->user_id, *is_manager), user_json);
  }));

  router.Add("DELETE", kAssistantUser, ForOrganization(context, [&context](Request& request, const app::Principal& caller, Id org) {
    auto path = ParseAssignmentPath(request);
    if (!path.ok()) return ProblemResponse(path.problem());
    auto reassign_to = QueryId(request, "reassign_to");
    if (!reassign_to.ok()) {
      return ProblemResponse(Problem::Invalid("invalid_reassign_target", "reassign_to is not a valid member ID."));
    }
    return Reply(200, app::UnassignUser(context, caller, org, path->assistant_id, path->user_id, *reassign_to), UnassignmentJson);
  }));
}

}  // namespace roster::http
