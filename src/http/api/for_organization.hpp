#pragma once

#include "app/context.hpp"
#include "http/api/api_support.hpp"
#include "http/router.hpp"

namespace roster::http {

// Wraps `handle(request, caller, organization_id)` for a route under
// /orgs/{org}: 401 without a session, 404 for an {org} that cannot be an ID;
// fills the access log's user.
template <class Handle>
Handler ForOrganization(app::Context& context, Handle handle) {
  return [&context, handle](Request& request) {
    auto caller = RequireCaller(context, request);
    if (!caller.ok()) return ProblemResponse(caller.problem());
    auto organization_id = PathId(request, "org");
    if (!organization_id.ok()) return ProblemResponse(organization_id.problem());
    Response response = handle(request, *caller, *organization_id);
    response.log_user = LogUser(*caller);
    return response;
  };
}

}  // namespace roster::http
