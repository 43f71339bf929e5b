#include "core/problem.hpp"

namespace roster {

Problem Problem::BadRequest(std::string detail) {
  return {ProblemCode::kBadRequest, "bad_request", std::move(detail), {}, {}, {}};
}

Problem Problem::Unauthenticated(std::string slug, std::string detail) {
  return {ProblemCode::kUnauthenticated, std::move(slug), std::move(detail), {}, {}, {}};
}

Problem Problem::Forbidden(std::string detail, std::string slug) {
  return {ProblemCode::kForbidden, std::move(slug), std::move(detail), {}, {}, {}};
}

Problem Problem::NotFound(std::string detail) {
  return {ProblemCode::kNotFound, "not_found", std::move(detail), {}, {}, {}};
}

Problem Problem::Conflict(std::string slug, std::string detail) {
  return {ProblemCode::kConflict, std::move(slug), std::move(detail), {}, {}, {}};
}

Problem Problem::Validation(std::string field, std::string message) {
  std::string detail = message;
  return {ProblemCode::kValidation, "validation", std::move(detail),
          {{std::move(field), std::move(message)}}, {}, {}};
}

Problem Problem::Validation(std::vector<FieldError> errors) {
  std::string detail = errors.empty() ? "The request is not valid." : errors.front().message;
  return {ProblemCode::kValidation, "validation", std::move(detail), std::move(errors), {}, {}};
}

Problem Problem::Invalid(std::string slug, std::string detail) {
  return {ProblemCode::kValidation, std::move(slug), std::move(detail), {}, {}, {}};
}

Problem Problem::RateLimited(int retry_after_seconds, std::string detail) {
  return {ProblemCode::kRateLimited, "rate_limited", std::move(detail), {}, retry_after_seconds, {}};
}

Problem Problem::Unavailable(std::string internal) {
  return {ProblemCode::kUnavailable, "unavailable",
          "The service is temporarily unavailable; try again shortly.", {}, 5, std::move(internal)};
}

Problem Problem::Internal(std::string internal) {
  return {ProblemCode::kInternal, "internal", "Something went wrong on our side.", {}, {},
          std::move(internal)};
}

}  // namespace roster
