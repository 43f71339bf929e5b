#include "http/api/api_support.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>

#include "app/api_keys.hpp"
#include "app/sign_in.hpp"

namespace roster::http {

RequestCredentials CredentialsOf(const Request& request) {
  return {request.Cookie(kSessionCookie), request.Header("authorization")};
}

Result<app::Principal> RequireCaller(app::Context& context, const Request& request, SessionUse use,
                                     std::optional<Id> organization_id) {
  return RequireCaller(context, CredentialsOf(request), use, organization_id);
}

Result<app::Principal> RequireCaller(app::Context& context, const RequestCredentials& credentials,
                                     SessionUse use, std::optional<Id> organization_id) {
  const std::optional<std::string>& token = credentials.session_token;
  const std::string& authorization = credentials.authorization;
  if (!authorization.empty()) {
    if (token) {
      Problem both = Problem::BadRequest("Send a session cookie or an API key, not both.");
      both.slug = "ambiguous_credentials";
      return both;
    }
    constexpr std::string_view kScheme = "bearer ";
    if (authorization.size() <= kScheme.size() ||
        !std::equal(kScheme.begin(), kScheme.end(), authorization.begin(), [](char a, char b) {
          return a == std::tolower(static_cast<unsigned char>(b));
        })) {
      return Problem::Unauthenticated();
    }
    // RFC 9110: the scheme, then one or more spaces, then the token.
    std::string_view token68 = std::string_view(authorization).substr(kScheme.size());
    token68.remove_prefix(std::min(token68.find_first_not_of(' '), token68.size()));
    app::Principal key = ROSTER_TRY(app::AuthenticateApiKey(context, std::string(token68)));
    if (use != SessionUse::kAnyRequest) {
      return Problem::Forbidden("This is about a signed-in person; an API key acts for its "
                                "organization only.");
    }
    return key;
  }
  if (!token) { spdlog::debug("event=no_session_cookie"); return Problem::Unauthenticated(); }
  app::Principal principal = ROSTER_TRY(app::Authenticate(context, *token, organization_id));
  if (principal.second_factor_pending && use != SessionUse::kSignInStep) {
    return Problem::Unauthenticated("mfa_required",
                                    "Enter the code from your authenticator app to finish "
                                    "signing in (POST /api/v1/auth/mfa).");
  }
  if (principal.must_change_password && use == SessionUse::kAnyRequest) {
    return Problem::Forbidden("Set a new password first.", "password_change_required");
  }
  return principal;
}

std::string LogUser(const app::Principal& principal) {
  return principal.api_key ? "key:" + FormatId(principal.api_key->id) : FormatId(principal.user_id);
}

Result<Id> PathId(const Request& request, const std::string& name) {
  auto found = request.path_params.find(name);
  if (found == request.path_params.end()) return Problem::NotFound();
  auto id = ParseId(found->second);
  if (!id) return Problem::NotFound();
  return *id;
}

Result<int> PageLimit(const Request& request) {
  auto text = request.Query("limit");
  if (!text) return 50;
  int limit = 0;
  try {
    std::size_t used = 0;
    limit = std::stoi(*text, &used);
    if (used != text->size()) limit = 0;
  } catch (const std::exception&) {
    limit = 0;
  }
  if (limit < 1 || limit > 200) {
    return Problem::Validation("limit", "limit must be a whole number from 1 to 200.");
  }
  return limit;
}

std::optional<std::string> PageCursor(const Request& request) {
  auto cursor = request.Query("cursor");
  if (cursor && cursor->empty()) return std::nullopt;
  return cursor;
}

Result<std::optional<Id>> QueryId(const Request& request, const std::string& name) {
  auto text = request.Query(name);
  if (!text || text->empty()) return std::optional<Id>();
  auto id = ParseId(*text);
  if (!id) return Problem::Validation(name, name + " is not a valid ID.");
  return std::optional<Id>(*id);
}

BodyReader::BodyReader(const Request& request) {
  if (request.json.is_object()) {
    body_ = &request.json;
  } else if (!request.json.is_null()) {
    errors_.push_back({"body", "The body must be a JSON object."});
  }
}

bool BodyReader::Has(const std::string& field) const {
  asked_.push_back(field);
  return body_ != nullptr && body_->contains(field) && !(*body_)[field].is_null();
}

std::string BodyReader::String(const std::string& field, bool required) {
  if (!Has(field)) {
    if (required) errors_.push_back({field, "This field is required."});
    return {};
  }
  const nlohmann::json& value = (*body_)[field];
  if (!value.is_string()) {
    errors_.push_back({field, "Must be a string."});
    return {};
  }
  return value.get<std::string>();
}

std::optional<bool> BodyReader::Bool(const std::string& field) {
  if (!Has(field)) return std::nullopt;
  const nlohmann::json& value = (*body_)[field];
  if (!value.is_boolean()) {
    errors_.push_back({field, "Must be true or false."});
    return std::nullopt;
  }
  return value.get<bool>();
}

std::vector<Id> BodyReader::Ids(const std::string& field) {
  std::vector<Id> ids;
  if (!Has(field)) return ids;
  const nlohmann::json& value = (*body_)[field];
  if (!value.is_array() || value.size() > 1000) {
    errors_.push_back({field, "Must be a list of IDs."});
    return ids;
  }
  for (const auto& item : value) {
    auto id = item.is_string() ? ParseId(item.get<std::string>()) : std::nullopt;
    if (!id) {
      errors_.push_back({field, "Must be a list of IDs."});
      return {};
    }
    ids.push_back(*id);
  }
  return ids;
}

void BodyReader::Accept(std::initializer_list<std::string_view> fields) {
  for (std::string_view field : fields) asked_.emplace_back(field);
}

Status BodyReader::Finish() {
  if (body_ != nullptr) {
    for (const auto& [field, value] : body_->items()) {
      if (std::find(asked_.begin(), asked_.end(), field) == asked_.end()) {
        errors_.push_back({field, unknown_why_});
      }
    }
  }
  if (errors_.empty()) return {};
  return Problem::Validation(std::move(errors_));
}

std::string SessionCookie(const app::Context& context, const std::string& token,
                          bool challenge) {
  bool secure = context.settings.public_url.rfind("https://", 0) == 0;
  UnixSeconds lifetime = challenge
                             ? std::min(app::kMfaChallengeSeconds, context.settings.session_max)
                             : context.settings.session_max;
  std::string cookie = std::string(kSessionCookie) + "=" + token +
                       "; Path=/; HttpOnly; SameSite=Lax; Max-Age=" +
                       (token.empty() ? "0" : std::to_string(lifetime));
  if (secure) cookie += "; Secure";
  return cookie;
}

Response ProblemResponse(const Problem& problem) {
  if (problem.slug == "busy") {
    // Load shed on purpose (the password hasher's limit), not a failure.
    spdlog::warn("event=request_failed code={} internal={}", problem.slug, problem.internal);
  } else if (problem.category == ProblemCode::kInternal ||
             problem.category == ProblemCode::kUnavailable) {
    spdlog::error("event=request_failed code={} internal={}", problem.slug, problem.internal);
  } else if (problem.category == ProblemCode::kForbidden) {
    spdlog::info("event=request_denied code={}", problem.slug);
  }
  return Response::FromProblem(problem);
}

nlohmann::json PageJson(nlohmann::json items, const std::optional<std::string>& next_cursor) {
  return {{"items", std::move(items)},
          {"next_cursor", next_cursor ? nlohmann::json(*next_cursor) : nlohmann::json()}};
}

}  // namespace roster::http
