#include "app/two_factor.hpp"
#include "http/api/api_json.hpp"
#include "http/api/api_support.hpp"
#include "http/api/for_organization.hpp"
#include "http/api/handlers.hpp"

// Two-factor sign-in (SPEC section 9); see docs/two-factor.md.
namespace roster::http {
namespace {

// The person himself, fully signed in: no API key, no one-time-password
// session, no sign-in still waiting for its second factor.
Result<app::Principal> RequirePerson(app::Context& context, const Request& request) {
  app::Principal caller = ROSTER_TRY(RequireCaller(context, request, SessionUse::kOwnSession));
  if (caller.must_change_password) {
    return Problem::Forbidden("Set a new password first.", "password_change_required");
  }
  return caller;
}

template <class Handle>
Handler ForPerson(app::Context& context, Handle handle) {
  return [&context, handle](Request& request) {
    auto caller = RequirePerson(context, request);
    if (!caller.ok()) return ProblemResponse(caller.problem());
    Response response = handle(request, *caller);
    response.log_user = LogUser(*caller);
    return response;
  };
}

}  // namespace

void AddTwoFactorRoutes(Router& router, app::Context& context) {
  router.Add("GET", "/api/v1/auth/mfa/totp", ForPerson(context, [&context](Request&, const app::Principal& caller) {
    return Reply(200, app::DescribeTotp(context, caller), [](const app::TotpStatus& status) {
      return nlohmann::json{{"enabled", status.enabled},
                            {"recovery_codes_left", status.recovery_codes_left}};
    });
  }));

  router.Add("POST", "/api/v1/auth/mfa/totp/setup", ForPerson(context, [&context](Request& request, const app::Principal& caller) {
    // The body is optional: {"password"} once the sign-in is not recent.
    BodyReader body(request);
    std::string password = body.String("password", false);
    if (Status read = body.Finish(); !read.ok()) return ProblemResponse(read.problem());
    return Reply(200, app::SetUpTotp(context, caller, password), [](const app::TotpSetup& setup) {
      return nlohmann::json{{"secret", setup.secret}, {"otpauth_uri", setup.otpauth_uri}};
    });
  }));

  router.Add("POST", "/api/v1/auth/mfa/totp/confirm", ForPerson(context, [&context](Request& request, const app::Principal& caller) {
    BodyReader body(request);
    std::string code = body.String("code", true);
    if (Status read = body.Finish(); !read.ok()) return ProblemResponse(read.problem());
    return Reply(200, app::ConfirmTotp(context, caller, code),
                 [](const std::vector<std::string>& codes) {
                   return nlohmann::json{{"recovery_codes", codes}};
                 });
  }));

  router.Add("DELETE", "/api/v1/auth/mfa/totp", ForPerson(context, [&context](Request& request, const app::Principal& caller) {
    BodyReader body(request);
    std::string password = body.String("password", true);
    app::SecondFactor factor{body.String("code", false), body.String("recovery_code", false)};
    if (Status read = body.Finish(); !read.ok()) return ProblemResponse(read.problem());
    Status removed = app::RemoveTotp(context, caller, password, factor);
    if (!removed.ok()) return ProblemResponse(removed.problem());
    return Response::NoContent();
  }));

  router.Add("POST", "/api/v1/auth/mfa", [&context](Request& request) {
    auto caller = RequireCaller(context, request, SessionUse::kSignInStep);
    if (!caller.ok()) return ProblemResponse(caller.problem());
    if (!caller->second_factor_pending) {
      return ProblemResponse(Problem::Conflict(
          "no_sign_in_pending", "This session is signed in already; no second factor is due."));
    }
    BodyReader body(request);
    app::SecondFactor factor{body.String("code", false), body.String("recovery_code", false)};
    if (Status read = body.Finish(); !read.ok()) return ProblemResponse(read.problem());
    auto signed_in = app::CompleteSignIn(context, *caller, factor);
    if (!signed_in.ok()) return ProblemResponse(signed_in.problem());
    Response response =
        Response::Json(200, {{"user", UserJson(signed_in->user)},
                             {"must_change_password", false},
                             {"mfa_required", false}});
    response.log_user = LogUser(*caller);
    return response.AddHeader("Set-Cookie", SessionCookie(context, signed_in->session_token));
  });

  router.Add("DELETE", "/api/v1/orgs/{org}/members/{user}/mfa", ForOrganization(context, [&context](Request& request, const app::Principal& caller, Id org) {
    auto user_id = PathId(request, "user");
    if (!user_id.ok()) return ProblemResponse(user_id.problem());
    Status reset = app::ResetMemberMfa(context, caller, org, *user_id);
    if (!reset.ok()) return ProblemResponse(reset.problem());
    return Response::NoContent();
  }));
}

}  // namespace roster::http
