// Account recovery: SPEC section 11.
#include "app/recovery.hpp"
#include "http/api/api_json.hpp"
#include "http/api/api_support.hpp"
#include "http/api/for_organization.hpp"
#include "http/api/handlers.hpp"
#include "http/client_address.hpp"

namespace roster::http {

// The one answer of POST /auth/password-reset, whatever the e-mail.
constexpr const char* kResetAccepted =
    "If an account uses this e-mail, a one-time password is on its way to it.";

void AddRecoveryRoutes(Router& router, app::Context& context) {
  router.Add("POST", "/api/v1/auth/password-reset", [&context](Request& request) {
    BodyReader body(request);
    std::string email = body.String("email", true);
    if (Status read = body.Finish(); !read.ok()) return ProblemResponse(read.problem());
    Status requested =
        app::RequestPasswordReset(context, {email, ClientNetwork(request.client_address)});
    if (!requested.ok()) return ProblemResponse(requested.problem());
    // How long a one-time password works: the same for every e-mail.
    return Response::Json(
        202, {{"detail", kResetAccepted}, {"expires_in_seconds", context.settings.reset_ttl}});
  });

  router.Add("POST", "/api/v1/orgs/{org}/members/{user}/password-reset", ForOrganization(context, [&context](Request& request, const app::Principal& caller, Id org) {
    auto user_id = PathId(request, "user");
    if (!user_id.ok()) return ProblemResponse(user_id.problem());
    return Reply(202, app::SendPasswordReset(context, caller, org, *user_id), [](const app::ResetSent& sent) {
      return nlohmann::json{{"user_id", FormatId(sent.user_id)},
                            {"expires_at", FormatRfc3339(sent.expires_at)}};
    });
  }));
}

}  // namespace roster::http
