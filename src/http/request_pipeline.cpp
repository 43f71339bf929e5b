#include "http/request_pipeline.hpp"

#include <algorithm>
#include <cctype>
#include <exception>
#include <string>

#include <spdlog/spdlog.h>

#include "http/log_format.hpp"
#include "http/log_line.hpp"
#include "http/problem_json.hpp"
#include "http/url.hpp"

namespace roster::http {
namespace {

constexpr std::string_view kContentSecurityPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) ==
           std::tolower(static_cast<unsigned char>(y));
  });
}

// Replaces every header named `name` (case-insensitively) with one value.
void SetHeader(Response& response, std::string_view name, std::string_view value) {
  std::erase_if(response.headers,
                [&](const auto& header) { return EqualsIgnoreCase(header.first, name); });
  response.AddHeader(std::string(name), std::string(value));
}

bool ChangesState(std::string_view method) {
  return method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE";
}

// "application/json; charset=utf-8" and "application/merge-patch+json" are
// JSON; anything else is not.
bool IsJsonMediaType(std::string_view content_type) {
  std::string media_type(content_type.substr(0, content_type.find(';')));
  std::erase_if(media_type, [](char c) { return c == ' ' || c == '\t'; });
  std::transform(media_type.begin(), media_type.end(), media_type.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (media_type == "application/json") return true;
  return media_type.starts_with("application/") && media_type.ends_with("+json");
}

// The one route that takes a CSV body (POST .../invitations/bulk): its
// handler reads request.body itself.
bool AcceptsCsv(const Request& request, std::string_view content_type) {
  std::string media_type(content_type.substr(0, content_type.find(';')));
  std::erase_if(media_type, [](char c) { return c == ' ' || c == '\t'; });
  std::transform(media_type.begin(), media_type.end(), media_type.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return media_type == "text/csv" && request.path.ends_with("/invitations/bulk");
}

Response InternalError(const Request& request, std::string_view what) {
  spdlog::error(LogLine("handler_exception")
                    .Add("method", request.method)
                    .Add("route", request.route)
                    .Add("path", request.path)
                    .Add("error", what)
                    .str());
  return Response::FromProblem(Problem::Internal(std::string(what)));
}

// The SCIM error message of a problem+json answer: the same status and
// detail, SCIM's schema and media type.
void AsScimError(Response& response) {
  if (!response.content_type.starts_with("application/problem+json")) return;
  auto problem = nlohmann::json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  nlohmann::json error = {{"schemas", {"urn:ietf:params:scim:api:messages:2.0:Error"}},
                          {"status", std::to_string(response.status)}};
  if (problem.is_object() && problem.contains("detail")) error["detail"] = problem["detail"];
  response.content_type = "application/scim+json";
  response.body = error.dump();
}

}  // namespace

std::optional<Response> PreDispatch(Request& request) {
  if (!IsApiPath(request.path) || !ChangesState(request.method)) return std::nullopt;
  // A request with an Authorization header cannot be forged cross-site (the
  // header needs a CORS preflight that Roster never grants), and an API key
  // is no ambient credential: such requests need no CSRF header. One that
  // also carries the session cookie is refused by authentication (400).
  if (request.Header("authorization").empty() && request.Header("x-requested-with") != "roster") {
    return Response::FromProblem(
        MakeProblem(ProblemCode::kForbidden, "csrf",
                    "Requests that change state must carry the header X-Requested-With: roster."));
  }
  if (request.body.empty()) return std::nullopt;
  if (AcceptsCsv(request, request.Header("content-type"))) return std::nullopt;
  if (!IsJsonMediaType(request.Header("content-type"))) {
    return Response::FromProblem(MakeProblem(ProblemCode::kUnsupportedMediaType,
                                             "unsupported_media_type",
                                             "The request body must be application/json."));
  }
  request.json = nlohmann::json::parse(request.body, nullptr, /*allow_exceptions=*/false);
  if (request.json.is_discarded()) {
    request.json = nullptr;
    return Response::FromProblem(MakeProblem(ProblemCode::kBadRequest, "malformed_json",
                                             "The request body is not valid JSON."));
  }
  return std::nullopt;
}

void AddSecurityHeaders(std::string_view path, Response& response) {
  SetHeader(response, "Content-Security-Policy", kContentSecurityPolicy);
  SetHeader(response, "X-Content-Type-Options", "nosniff");
  SetHeader(response, "Referrer-Policy", "no-referrer");
  SetHeader(response, "X-Frame-Options", "DENY");
  SetHeader(response, "Cross-Origin-Opener-Policy", "same-origin");
  if (IsApiPath(path)) SetHeader(response, "Cache-Control", "no-store");
}

Response HandleRequest(const Router& router, Request& request) {
  // Every line logged while the handler runs on this thread names the request.
  if (request.id.empty()) request.id = NewRequestId();
  RequestIdScope request_id(request.id);
  Response response;
  if (std::optional<Response> refusal = PreDispatch(request)) {
    response = std::move(*refusal);
    request.route = router.RouteOf(request);  // a bad body on a known route is that route's
  } else {
    // The request boundary: a handler's exception is a bug, reported as a 500
    // and logged; the server goes on serving.
    try {
      response = router.Dispatch(request);
    } catch (const std::exception& error) {
      response = InternalError(request, error.what());
    } catch (...) {
      response = InternalError(request, "non-standard exception");
    }
  }
  FinishResponse(request.path, response);
  return response;
}

void FinishResponse(std::string_view path, Response& response) {
  if (IsScimPath(path)) AsScimError(response);
  AddSecurityHeaders(path, response);
}

}  // namespace roster::http
