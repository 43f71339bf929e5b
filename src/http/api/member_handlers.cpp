#include "app/members.hpp"
#include "http/api/api_json.hpp"
#include "http/api/api_support.hpp"
#include "http/api/for_organization.hpp"
#include "http/api/handlers.hpp"
#include "http/api/list_filters.hpp"
#include "http/api/request_bodies.hpp"

namespace roster::http {

void AddMemberRoutes(Router& router, app::Context& context) {
  router.Add("GET", "/api/v1/orgs", [&context](Request& request) {
    auto caller = RequireCaller(context, request);
    if (!caller.ok()) return ProblemResponse(caller.problem());
    return Reply(200, app::ListMyOrganizations(context, *caller), [](const auto& memberships) {
      nlohmann::json items = nlohmann::json::array();
      for (const auto& membership : memberships) {
        nlohmann::json item = OrganizationJson(membership.organization);
        item.erase("member_count");
        item["role"] = domain::ToString(membership.role);
        items.push_back(item);
      }
      return PageJson(items, std::nullopt);
    });
  });

  router.Add("GET", "/api/v1/orgs/{org}", ForOrganization(context, [&context](Request&, const app::Principal& caller, Id org) {
    return Reply(200, app::GetOrganization(context, caller, org), OrganizationJson);
  }));

  router.Add("GET", "/api/v1/orgs/{org}/members", ForOrganization(context, [&context](Request& request, const app::Principal& caller, Id org) {
    auto filter = ParseMemberFilter(request);
    if (!filter.ok()) return ProblemResponse(filter.problem());
    auto list = app::ListMembers(context, caller, org, *filter);
    if (!list.ok()) return ProblemResponse(list.problem());
    return Response::JsonText(200, MemberPageText(*list));
  }));

  router.Add("GET", "/api/v1/orgs/{org}/members/{user}", ForOrganization(context, [&context](Request& request, const app::Principal& caller, Id org) {
    auto user_id = PathId(request, "user");
    if (!user_id.ok()) return ProblemResponse(user_id.problem());
    return ReplyWritten(200, app::GetMember(context, caller, org, *user_id), WriteMember);
  }));

  router.Add("POST", "/api/v1/orgs/{org}/invitations", ForOrganization(context, [&context](Request& request, const app::Principal& caller, Id org) {
    auto invite = ParseInvitation(request);
    if (!invite.ok()) return ProblemResponse(invite.problem());
    return ReplyWritten(201, app::InviteMember(context, caller, org, *invite), WriteMember);
  }));

  router.Add("POST", "/api/v1/orgs/{org}/members/{user}/resend-invite", ForOrganization(context, [&context](Request& request, const app::Principal& caller, Id org) {
    auto user_id = PathId(request, "user");
    if (!user_id.ok()) return ProblemResponse(user_id.problem());
    return ReplyWritten(200, app::ResendInvitation(context, caller, org, *user_id), WriteMember);
  }));

  router.Add("PATCH", "/api/v1/orgs/{org}/members/{user}", ForOrganization(context, [&context](Request& request, const app::Principal& caller, Id org) {
    auto user_id = PathId(request, "user");
    if (!user_id.ok()) return ProblemResponse(user_id.problem());
    auto role = ParseRoleChange(request);
    if (!role.ok()) return ProblemResponse(role.problem());
    return ReplyWritten(200, app::ChangeRole(context, caller, org, *user_id, *role), WriteMember);
  }));

  router.Add("GET", "/api/v1/orgs/{org}/members/{user}/removal-preview", ForOrganization(context, [&context](Request& request, const app::Principal& caller, Id org) {
    auto user_id = PathId(request, "user");
    if (!user_id.ok()) return ProblemResponse(user_id.problem());
    return Reply(200, app::PreviewRemoval(context, caller, org, *user_id), RemovalPreviewJson);
  }));

  router.Add("DELETE", "/api/v1/orgs/{org}/members/{user}", ForOrganization(context, [&context](Request& request, const app::Principal& caller, Id org) {
    auto user_id = PathId(request, "user");
    if (!user_id.ok()) return ProblemResponse(user_id.problem());
    auto reassign_to = QueryId(request, "reassign_to");
    if (!reassign_to.ok()) {
      return ProblemResponse(Problem::Invalid("invalid_reassign_target", "reassign_to is not a valid member ID."));
    }
    return Reply(200, app::RemoveMember(context, caller, org, *user_id, *reassign_to), RemovalJson);
  }));

  router.Add("GET", "/api/v1/orgs/{org}/audit-events", ForOrganization(context, [&context](Request& request, const app::Principal& caller, Id org) {
    auto limit = PageLimit(request);
    if (!limit.ok()) return ProblemResponse(limit.problem());
    auto filter = ParseAuditFilter(request);
    if (!filter.ok()) return ProblemResponse(filter.problem());
    return Reply(200, app::ListAuditEvents(context, caller, org, *limit, PageCursor(request), *filter), [](const auto& page) {
      nlohmann::json items = nlohmann::json::array();
      for (const auto& event : page.items) items.push_back(AuditEventJson(event));
      return PageJson(items, page.next_cursor);
    });
  }));
}

}  // namespace roster::http
