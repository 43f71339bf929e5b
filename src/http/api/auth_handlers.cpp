#include "http/api/api_json.hpp"
#include "http/api/api_support.hpp"
#include "http/api/handlers.hpp"
#include "http/client_address.hpp"

namespace roster::http {

void AddAuthRoutes(Router& router, app::Context& context) {
  router.Add("POST", "/api/v1/auth/login", [&context](Request& request) {
    BodyReader body(request);
    std::string email = body.String("email", true);
    std::string password = body.String("password", true);
    if (Status valid = body.Finish(); !valid.ok()) return ProblemResponse(valid.problem());
    auto signed_in = app::Login(context, {email, password, ClientNetwork(request.client_address),
                                          request.Cookie(kSessionCookie).value_or("")});
    if (!signed_in.ok()) return ProblemResponse(signed_in.problem());
    Response response =
        Response::Json(200, {{"user", UserJson(signed_in->user)},
                             {"must_change_password", signed_in->must_change_password}});
    response.log_user = FormatId(signed_in->user.id);
    return response.AddHeader("Set-Cookie", SessionCookie(context, signed_in->session_token));
  });

  router.Add("POST", "/api/v1/auth/logout", [&context](Request& request) {
    auto caller = RequireCaller(context, request, SessionUse::kAlsoWhilePasswordChangeRequired);
    if (!caller.ok()) return ProblemResponse(caller.problem());
    app::Logout(context, *caller);
    return Response::NoContent().AddHeader("Set-Cookie", SessionCookie(context, ""));
  });

  router.Add("POST", "/api/v1/auth/password", [&context](Request& request) {
    auto caller = RequireCaller(context, request, SessionUse::kAlsoWhilePasswordChangeRequired);
    if (!caller.ok()) return ProblemResponse(caller.problem());
    BodyReader body(request);
    std::string current = body.String("current_password", true);
    std::string next = body.String("new_password", true);
    if (Status valid = body.Finish(); !valid.ok()) return ProblemResponse(valid.problem());
    auto signed_in = app::ChangePassword(context, *caller, current, next);
    if (!signed_in.ok()) return ProblemResponse(signed_in.problem());
    Response response = Response::NoContent();
    response.log_user = FormatId(caller->user_id);
    return response.AddHeader("Set-Cookie", SessionCookie(context, signed_in->session_token));
  });

  router.Add("GET", "/api/v1/me", [&context](Request& request) {
    auto caller = RequireCaller(context, request, SessionUse::kAlsoWhilePasswordChangeRequired);
    if (!caller.ok()) return ProblemResponse(caller.problem());
    Response response = Reply(200, app::DescribeMe(context, *caller), MeJson);
    response.log_user = FormatId(caller->user_id);
    return response;
  });
}

}  // namespace roster::http
