#pragma once

#include <optional>
#include <string>
#include <vector>

namespace roster {

// The categories of failure a client can see. Each maps to one HTTP status in
// http/problem_json.cpp; adding a category means mapping it there too.
enum class ProblemCode {
  kBadRequest,            // 400: malformed JSON, bad query syntax
  kUnauthenticated,       // 401
  kForbidden,             // 403
  kNotFound,              // 404
  kMethodNotAllowed,      // 405
  kConflict,              // 409
  kPayloadTooLarge,       // 413
  kUnsupportedMediaType,  // 415
  kValidation,            // 422
  kRateLimited,           // 429
  kInternal,              // 500
  kUnavailable,           // 503
};

struct FieldError {
  std::string field;
  std::string message;
};

// An expected failure. `slug` is the machine-readable `code` of the RFC 9457
// answer ("last_admin"); `detail` is shown to the client; `internal` goes to
// the log only and never reaches a response.
struct Problem {
  ProblemCode category = ProblemCode::kInternal;
  std::string slug;
  std::string detail;
  std::vector<FieldError> errors;
  std::optional<int> retry_after_seconds;
  std::string internal;

  static Problem BadRequest(std::string detail);
  static Problem Unauthenticated(std::string slug = "unauthenticated",
                                 std::string detail = "Sign in first.");
  static Problem Forbidden(std::string detail = "You are not allowed to do this.",
                           std::string slug = "forbidden");
  static Problem NotFound(std::string detail = "Not found.");
  static Problem Conflict(std::string slug, std::string detail);
  static Problem Validation(std::string field, std::string message);
  static Problem Validation(std::vector<FieldError> errors);
  // A 422 with its own code, e.g. "reassign_target_required".
  static Problem Invalid(std::string slug, std::string detail);
  static Problem RateLimited(int retry_after_seconds, std::string detail);
  static Problem Unavailable(std::string internal);
  static Problem Internal(std::string internal);
};

}  // namespace roster
