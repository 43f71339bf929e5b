#include "http/problem_json.hpp"

#include <string>

namespace roster::http {

int StatusOf(ProblemCode code) {
  switch (code) {
    case ProblemCode::kBadRequest:
      return 400;
    case ProblemCode::kUnauthenticated:
      return 401;
    case ProblemCode::kForbidden:
      return 403;
    case ProblemCode::kNotFound:
      return 404;
    case ProblemCode::kMethodNotAllowed:
      return 405;
    case ProblemCode::kConflict:
      return 409;
    case ProblemCode::kPayloadTooLarge:
      return 413;
    case ProblemCode::kUnsupportedMediaType:
      return 415;
    case ProblemCode::kValidation:
      return 422;
    case ProblemCode::kRateLimited:
      return 429;
    case ProblemCode::kInternal:
      return 500;
    case ProblemCode::kUnavailable:
      return 503;
  }
  return 500;  // An out-of-range value is a bug; fail closed.
}

std::string_view DefaultSlug(ProblemCode code) {
  switch (code) {
    case ProblemCode::kBadRequest:
      return "bad_request";
    case ProblemCode::kUnauthenticated:
      return "unauthenticated";
    case ProblemCode::kForbidden:
      return "forbidden";
    case ProblemCode::kNotFound:
      return "not_found";
    case ProblemCode::kMethodNotAllowed:
      return "method_not_allowed";
    case ProblemCode::kConflict:
      return "conflict";
    case ProblemCode::kPayloadTooLarge:
      return "payload_too_large";
    case ProblemCode::kUnsupportedMediaType:
      return "unsupported_media_type";
    case ProblemCode::kValidation:
      return "validation";
    case ProblemCode::kRateLimited:
      return "rate_limited";
    case ProblemCode::kInternal:
      return "internal";
    case ProblemCode::kUnavailable:
      return "unavailable";
  }
  return "internal";
}

std::string_view ReasonPhrase(int status) {
  switch (status) {
    case 400:
      return "Bad Request";
    case 401:
      return "Unauthorized";
    case 403:
      return "Forbidden";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 408:
      return "Request Timeout";
    case 409:
      return "Conflict";
    case 413:
      return "Content Too Large";
    case 415:
      return "Unsupported Media Type";
    case 422:
      return "Unprocessable Content";
    case 429:
      return "Too Many Requests";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 503:
      return "Service Unavailable";
    default:
      return status >= 500 ? "Server Error" : "Client Error";
  }
}

nlohmann::json ProblemJson(int status, const Problem& problem) {
  std::string slug =
      problem.slug.empty() ? std::string(DefaultSlug(problem.category)) : problem.slug;
  nlohmann::json body = {
      {"type", "/problems/" + slug},
      {"title", ReasonPhrase(status)},
      {"status", status},
      {"detail", problem.detail},
      {"code", slug},
  };
  if (!problem.errors.empty()) {
    nlohmann::json errors = nlohmann::json::array();
    for (const FieldError& error : problem.errors) {
      errors.push_back({{"field", error.field}, {"message", error.message}});
    }
    body["errors"] = std::move(errors);
  }
  return body;
}

Response ProblemResponse(int status, const Problem& problem) {
  Response response = Response::Json(status, ProblemJson(status, problem));
  response.content_type = "application/problem+json";
  if (problem.retry_after_seconds) {
    response.AddHeader("Retry-After", std::to_string(*problem.retry_after_seconds));
  }
  // RFC 9110 15.5.2: a 401 names how to authenticate. The console's session
  // cookie has no scheme of its own; API keys are bearer tokens.
  if (status == 401) response.AddHeader("WWW-Authenticate", "Bearer realm=\"roster\"");
  return response;
}

Problem MakeProblem(ProblemCode code, std::string slug, std::string detail) {
  Problem problem;
  problem.category = code;
  problem.slug = std::move(slug);
  problem.detail = std::move(detail);
  return problem;
}

}  // namespace roster::http
