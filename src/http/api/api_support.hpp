#pragma once

#include <initializer_list>
#include <string_view>

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/context.hpp"
#include "core/result.hpp"
#include "http/api/json_writer.hpp"
#include "http/message.hpp"

// Parsing and rendering shared by the API handlers.
namespace roster::http {

inline constexpr const char* kSessionCookie = "roster_session";

// kAnyRequest: a person's session or an organization's API key.
// kOwnSession: the routes about the signed-in person himself (/me, logout,
// password), which a one-time-password session may use and a key may not.
// kSignInStep: logout and POST /auth/mfa, which a sign-in still waiting for
// its second factor may use too (SPEC 9).
enum class SessionUse { kAnyRequest, kOwnSession, kSignInStep };

// The request's principal (SPEC section 7): the session cookie's person, or
// the API key of `Authorization: Bearer rk_…`. 400 `ambiguous_credentials`
// for both at once; 401 without a valid one; 403 `password_change_required`
// for a one-time-password session on other routes; 403 for a key on a
// kOwnSession route; 401 `mfa_required` for a sign-in waiting for its second
// factor anywhere but a kSignInStep route.
// With `organization_id` (a GET under /orgs/{org}), a person's membership
// of it is read with his session.
Result<app::Principal> RequireCaller(app::Context& context, const Request& request,
                                     SessionUse use = SessionUse::kAnyRequest,
                                     std::optional<Id> organization_id = std::nullopt);

// What a request authenticates with, kept apart from the request so that a
// streamed answer (an export) can authenticate each of its parts again, as
// if it were the next request: a session that ended, a key revoked or a
// membership that changed stops it there (SPEC 6 and 7).
struct RequestCredentials {
  std::optional<std::string> session_token;  // the session cookie
  std::string authorization;                 // the Authorization header
};
RequestCredentials CredentialsOf(const Request& request);
Result<app::Principal> RequireCaller(app::Context& context, const RequestCredentials& credentials,
                                     SessionUse use, std::optional<Id> organization_id);

// Who the access log names: the user's id, or "key:<id>".
std::string LogUser(const app::Principal& principal);

// A path parameter that must be an ID; 404 when it cannot be one.
Result<Id> PathId(const Request& request, const std::string& name);
// `limit` (1-200, default 50) and `cursor` of a list.
Result<int> PageLimit(const Request& request);
std::optional<std::string> PageCursor(const Request& request);
// An optional ID query parameter; 422 when present but malformed.
Result<std::optional<Id>> QueryId(const Request& request, const std::string& name);

// Reads the fields of a JSON object body; collects every problem so one 422
// names all bad fields. A field of the body that nothing asked for is one
// of them: a misspelled or unsupported field would otherwise be ignored
// with a 2xx (`"expires": ...` gave a key that never expires).
class BodyReader {
 public:
  explicit BodyReader(const Request& request);
  std::string String(const std::string& field, bool required);
  std::optional<bool> Bool(const std::string& field);
  std::vector<Id> Ids(const std::string& field);
  bool Has(const std::string& field) const;
  // Fields the parser reads by other means (IDs, event lists).
  void Accept(std::initializer_list<std::string_view> fields);
  // What the 422 says of a field nothing asked for, in place of the
  // general words (a lead's patch says what can be changed).
  void SayOfUnknownFields(std::string why) { unknown_why_ = std::move(why); }
  // 422 naming every bad, missing or unknown field, or OK.
  Status Finish();

 private:
  const nlohmann::json* body_ = nullptr;
  std::vector<FieldError> errors_;
  mutable std::vector<std::string> asked_;
  std::string unknown_why_ = "Roster takes no such field here: check its name.";
};

// The Set-Cookie header value for a new session (or, empty token, to clear
// it); a sign-in's challenge cookie lives as long as the challenge.
std::string SessionCookie(const app::Context& context, const std::string& token,
                          bool challenge = false);

Response ProblemResponse(const Problem& problem);

template <class T, class Render>
Response Reply(int status, const Result<T>& result, Render render) {
  if (!result.ok()) return ProblemResponse(result.problem());
  return Response::Json(status, render(result.value()));
}

// The answer of one object written straight into its text by
// `write(JsonWriter&, value)`, without a DOM in between (the writes'
// answers: a member after an invitation or a role change, a lead).
template <class T, class Write>
Response ReplyWritten(int status, const Result<T>& result, Write write) {
  if (!result.ok()) return ProblemResponse(result.problem());
  std::string text;
  JsonWriter out(text);
  write(out, result.value());
  return Response::JsonText(status, std::move(text));
}

nlohmann::json PageJson(nlohmann::json items, const std::optional<std::string>& next_cursor);

}  // namespace roster::http
