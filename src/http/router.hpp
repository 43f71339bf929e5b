#pragma once

#include <functional>
#include <set>
#include <string>
#include <vector>

#include "http/message.hpp"

namespace roster::http {

using Handler = std::function<Response(Request&)>;

// Maps (method, path pattern) to handlers. Patterns are literal segments and
// `{name}` placeholders: "/api/v1/orgs/{org}/members/{user}".
//
// Matching splits the raw request target's path at '/' and percent-decodes
// each segment, so path parameters are decoded and an encoded slash (%2F)
// stays inside one parameter. A request built without a target (unit tests)
// is matched on `path`. When several patterns match, the one with a literal
// segment where the other has a placeholder (leftmost difference) wins.
// HEAD is served by the GET handler unless a HEAD route exists; the transport
// drops the body.
class Router {
 public:
  // REQUIRES: `pattern` starts with '/', and (method, pattern) is not
  // registered yet; otherwise throws std::logic_error (a wiring bug).
  void Add(std::string method, std::string pattern, Handler handler);

  // The handler for GET and HEAD requests whose path matches no route and
  // does not start with "/api/" (the web console's files and client-side
  // routes). Its requests get route "fallback".
  void SetFallback(Handler handler);

  // Finds the handler, fills request.path_params and request.route, runs it.
  // No pattern matches the path: 404 `not_found`. A pattern matches but not
  // the method: 405 `method_not_allowed` with an Allow header.
  // Exceptions from the handler propagate (the server's request boundary
  // turns them into a 500).
  Response Dispatch(Request& request) const;

  // The pattern Dispatch would pick for the request, or "" for none: the
  // route of a request refused before dispatch (its log line and metrics).
  std::string RouteOf(const Request& request) const;

  struct Route {
    std::string method;
    std::string pattern;
  };
  // Every registered route, for the OpenAPI consistency test.
  std::vector<Route> Routes() const;

 private:
  struct Entry {
    std::string method;
    std::string pattern;
    std::vector<std::string> segments;
    Handler handler;
  };
  // The entry of the method among those of the most literal pattern that
  // matches the path's segments (HEAD falls back to GET); with `allowed`,
  // adds that pattern's methods.
  const Entry* Find(const std::vector<std::string>& segments, const std::string& method,
                    std::set<std::string>* allowed) const;

  std::vector<Entry> entries_;
  Handler fallback_;
};

}  // namespace roster::http
