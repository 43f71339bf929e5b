#include "http/api/api_json.hpp"
#include "http/api/api_support.hpp"
#include "http/api/handlers.hpp"
#include "http/api/request_bodies.hpp"
#include "http/client_address.hpp"

namespace roster::http {

void AddAuthRoutes(Router& router, app::Context& context) {
  router.Add("POST", "/api/v1/auth/login", [&context](Request& request) {
    auto credentials = ParseLogin(request);
    if (!credentials.ok()) return ProblemResponse(credentials.problem());
    auto signed_in =
        app::Login(context, {credentials->email, credentials->password,
                             ClientNetwork(request.client_address),
                             request.Cookie(kSessionCookie).value_or("")});
    if (!signed_in.ok()) return ProblemResponse(signed_in.problem());
    // With two-factor on nothing about the account is answered before the
    // second factor (POST /auth/mfa answers what a login does).
    Response response =
        signed_in->mfa_required
            ? Response::Json(200, {{"mfa_required", true}})
            : Response::Json(200, {{"user", UserJson(signed_in->user)},
                                   {"must_change_password", signed_in->must_change_password},
                                   {"mfa_required", false}});
    response.log_user = FormatId(signed_in->user.id);
    return response.AddHeader(
        "Set-Cookie", SessionCookie(context, signed_in->session_token, signed_in->mfa_required));
  });

  router.Add("POST", "/api/v1/auth/logout", [&context](Request& request) {
    auto caller = RequireCaller(context, request, SessionUse::kSignInStep);
    // Signing out again, or after the session expired, ends nothing and is
    // done all the same (SPEC 3: afterwards the session is dead).
    if (!caller.ok() && caller.problem().category == ProblemCode::kUnauthenticated) {
      return Response::NoContent().AddHeader("Set-Cookie", SessionCookie(context, ""));
    }
    if (!caller.ok()) return ProblemResponse(caller.problem());
    app::Logout(context, *caller);
    return Response::NoContent().AddHeader("Set-Cookie", SessionCookie(context, ""));
  });

  router.Add("POST", "/api/v1/auth/password", [&context](Request& request) {
    auto caller = RequireCaller(context, request, SessionUse::kOwnSession);
    if (!caller.ok()) return ProblemResponse(caller.problem());
    auto change = ParsePasswordChange(request);
    if (!change.ok()) return ProblemResponse(change.problem());
    auto signed_in =
        app::ChangePassword(context, *caller, change->current_password, change->new_password);
    if (!signed_in.ok()) return ProblemResponse(signed_in.problem());
    Response response = Response::NoContent();
    response.log_user = LogUser(*caller);
    // After a reset of an account with two-factor on the cookie is cleared:
    // signing in again asks for the second factor.
    return response.AddHeader("Set-Cookie", SessionCookie(context, signed_in->session_token));
  });

  router.Add("GET", "/api/v1/me", [&context](Request& request) {
    auto caller = RequireCaller(context, request, SessionUse::kOwnSession);
    if (!caller.ok()) return ProblemResponse(caller.problem());
    Response response = Reply(200, app::DescribeMe(context, *caller), MeJson);
    response.log_user = LogUser(*caller);
    return response;
  });
}

}  // namespace roster::http
