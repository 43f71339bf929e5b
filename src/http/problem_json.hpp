#pragma once

// RFC 9457 rendering of a Problem. StatusOf (declared in message.hpp) is the
// one place where a ProblemCode becomes an HTTP status.

#include <string_view>

#include <nlohmann/json.hpp>

#include "core/problem.hpp"
#include "http/message.hpp"

namespace roster::http {

// The reason phrase of `status` ("Not Found"), used as the problem title.
std::string_view ReasonPhrase(int status);

// The default machine-readable code of a category ("not_found"), used when a
// Problem carries no slug.
std::string_view DefaultSlug(ProblemCode code);

// {"type":"/problems/<slug>","title":...,"status":status,"detail":...,
//  "code":<slug>} plus "errors" when the problem has field errors.
// `problem.internal` is never included.
nlohmann::json ProblemJson(int status, const Problem& problem);

// An application/problem+json response with the given status (for statuses
// that have no ProblemCode, such as 431), with Retry-After when the problem
// has one.
Response ProblemResponse(int status, const Problem& problem);

// Shorthand for a Problem built at the HTTP layer (405, 413, 415, ...).
Problem MakeProblem(ProblemCode code, std::string slug, std::string detail);

}  // namespace roster::http
