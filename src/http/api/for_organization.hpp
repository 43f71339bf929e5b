#pragma once

#include "app/context.hpp"
#include "http/api/api_support.hpp"
#include "http/router.hpp"

namespace roster::http {

// Wraps `handle(request, caller, organization_id)` for a route under
// /orgs/{org}: 401 without a session, 404 for an {org} that cannot be an ID;
// fills the access log's user. A GET reads the person's membership of the
// organization with his session (app::Principal::membership_read).
template <class Handle>
Handler ForOrganization(app::Context& context, Handle handle) {
  return [&context, handle](Request& request) {
    auto organization_id = PathId(request, "org");
    std::optional<Id> read_with_session;
    if (request.method == "GET" && organization_id.ok()) read_with_session = *organization_id;
    auto caller = RequireCaller(context, request, SessionUse::kAnyRequest, read_with_session);
    if (!caller.ok()) return ProblemResponse(caller.problem());
    if (!organization_id.ok()) return ProblemResponse(organization_id.problem());
    Response response = handle(request, *caller, *organization_id);
    response.log_user = LogUser(*caller);
    return response;
  };
}

}  // namespace roster::http
