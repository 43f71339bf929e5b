#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/problem.hpp"

namespace roster::http {

// One parsed HTTP request, as handlers see it. Header names are lower-case.
struct Request {
  std::string method;                              // "GET", "POST", ...
  std::string target;                              // raw request target, for the access log
  std::string path;                                // percent-decoded path, no query
  std::map<std::string, std::string> query;        // percent-decoded query parameters
  std::map<std::string, std::string> path_params;  // filled by the Router: {org} -> "12"
  std::map<std::string, std::string> headers;      // lower-case names
  std::string body;
  nlohmann::json json;                             // parsed body (null when there is none)
  std::string client_address;                      // socket peer, or trusted proxy header
  std::string route;                               // matched pattern, for metrics and logs

  // Empty when absent.
  std::string Header(std::string_view lower_case_name) const;
  // The value of cookie `name`, or nullopt.
  std::optional<std::string> Cookie(std::string_view name) const;
  // The query parameter, or nullopt.
  std::optional<std::string> Query(std::string_view name) const;
};

struct Response {
  int status = 200;
  std::string content_type;                               // empty: no body
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // extra headers (Set-Cookie, ...)
  // What the access log adds about the caller (user id), never secrets.
  std::string log_user;

  static Response Json(int status, const nlohmann::json& body);
  // `json_text` is already JSON (written by a JsonWriter).
  static Response JsonText(int status, std::string json_text);
  static Response NoContent();
  // RFC 9457 problem+json; adds Retry-After when the problem has one.
  static Response FromProblem(const Problem& problem);

  Response& AddHeader(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
    return *this;
  }
};

// The HTTP status of a problem category; defined in problem_json.cpp.
int StatusOf(ProblemCode code);

}  // namespace roster::http
