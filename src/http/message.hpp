#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/problem.hpp"
#include "core/result.hpp"

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
  std::string id;                                  // for logs (http/log_format.hpp); set by HandleRequest

  // Empty when absent.
  std::string Header(std::string_view lower_case_name) const;
  // The value of cookie `name`, or nullopt.
  std::optional<std::string> Cookie(std::string_view name) const;
  // The query parameter, or nullopt.
  std::optional<std::string> Query(std::string_view name) const;
};

// The body of an answer that is produced while it is sent (exports), so
// that the server never holds more of it than one part. The connection asks
// for the next part only once the previous one has been written to the
// socket: a client that reads slowly slows the producer down instead of
// making the process buffer the answer.
class BodySource {
 public:
  virtual ~BodySource() = default;
  // Replaces `part` with the next bytes of the body (possibly none) and
  // returns true while more may follow, false once the body is complete.
  // A Problem ends the answer early: the status line has gone out already,
  // so the connection is closed without the terminating chunk and the
  // client sees a truncated transfer, never a complete-looking file.
  // Called on a handler thread (it may block on the database), one call at
  // a time, never again after it returned false or a Problem.
  virtual Result<bool> Next(std::string& part) = 0;
};

struct Response {
  int status = 200;
  std::string content_type;                               // empty: no body
  std::string body;
  // When set, the body comes from here instead of `body`: it is sent with
  // Transfer-Encoding: chunked (HTTP/1.0: until the connection closes).
  std::shared_ptr<BodySource> stream;
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
