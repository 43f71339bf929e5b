#include "http/router.hpp"

#include <optional>
#include <set>
#include <stdexcept>

#include "http/problem_json.hpp"
#include "http/url.hpp"

namespace roster::http {
namespace {

bool IsPlaceholder(const std::string& segment) {
  return segment.size() >= 2 && segment.front() == '{' && segment.back() == '}';
}

std::vector<std::string> SplitPlain(std::string_view path) {
  if (!path.empty() && path.front() == '/') path.remove_prefix(1);
  std::vector<std::string> segments;
  while (true) {
    std::size_t slash = path.find('/');
    segments.emplace_back(path.substr(0, slash));
    if (slash == std::string_view::npos) return segments;
    path.remove_prefix(slash + 1);
  }
}

// True when `pattern` matches `segments`; `literal` records, per segment,
// whether it matched literally (the specificity used to break ties).
bool Matches(const std::vector<std::string>& pattern, const std::vector<std::string>& segments,
             std::vector<bool>& literal) {
  if (pattern.size() != segments.size()) return false;
  literal.assign(pattern.size(), false);
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    if (IsPlaceholder(pattern[i])) {
      if (segments[i].empty()) return false;
    } else if (pattern[i] == segments[i]) {
      literal[i] = true;
    } else {
      return false;
    }
  }
  return true;
}

std::string JoinMethods(const std::set<std::string>& methods) {
  std::string joined;
  for (const std::string& method : methods) {
    if (!joined.empty()) joined += ", ";
    joined += method;
  }
  return joined;
}

}  // namespace

void Router::Add(std::string method, std::string pattern, Handler handler) {
  if (pattern.empty() || pattern.front() != '/') {
    throw std::logic_error("route pattern must start with '/': " + pattern);
  }
  for (const Entry& entry : entries_) {
    if (entry.method == method && entry.pattern == pattern) {
      throw std::logic_error("route registered twice: " + method + " " + pattern);
    }
  }
  std::vector<std::string> segments = SplitPlain(pattern);
  entries_.push_back(
      {std::move(method), std::move(pattern), std::move(segments), std::move(handler)});
}

void Router::SetFallback(Handler handler) { fallback_ = std::move(handler); }

namespace {

std::optional<std::vector<std::string>> SegmentsOf(const Request& request) {
  return request.target.empty() ? std::optional(SplitPlain(request.path))
                                : DecodePathSegments(RawPath(request.target));
}

}  // namespace

const Router::Entry* Router::Find(const std::vector<std::string>& segments,
                                  const std::string& method,
                                  std::set<std::string>* allowed) const {
  // The resource is the most literal pattern that matches the path: its
  // methods are the path's, and a method it lacks is 405 even where a less
  // literal pattern has it (DELETE …/members/export is not a removal of a
  // member called "export").
  std::optional<std::vector<bool>> best_literal;
  std::vector<bool> literal;
  for (const Entry& entry : entries_) {
    if (Matches(entry.segments, segments, literal) && (!best_literal || literal > *best_literal)) {
      best_literal = literal;
    }
  }
  if (!best_literal) return nullptr;
  // HEAD falls back to GET unless the resource declares HEAD.
  const Entry* best = nullptr;
  const Entry* get = nullptr;
  for (const Entry& entry : entries_) {
    if (!Matches(entry.segments, segments, literal) || literal != *best_literal) continue;
    if (allowed != nullptr) allowed->insert(entry.method);
    if (entry.method == method) best = &entry;
    if (entry.method == "GET") get = &entry;
  }
  if (!best && method == "HEAD") best = get;
  return best;
}

std::string Router::RouteOf(const Request& request) const {
  std::optional<std::vector<std::string>> segments = SegmentsOf(request);
  if (!segments) return "";
  const Entry* entry = Find(*segments, request.method, nullptr);
  return entry != nullptr ? entry->pattern : "";
}

Response Router::Dispatch(Request& request) const {
  std::optional<std::vector<std::string>> segments = SegmentsOf(request);
  if (!segments) return Response::FromProblem(Problem::NotFound());
  std::set<std::string> allowed;
  const Entry* best = Find(*segments, request.method, &allowed);

  if (best) {
    request.path_params.clear();
    for (std::size_t i = 0; i < best->segments.size(); ++i) {
      const std::string& name = best->segments[i];
      if (IsPlaceholder(name)) {
        request.path_params[name.substr(1, name.size() - 2)] = (*segments)[i];
      }
    }
    request.route = best->pattern;
    return best->handler(request);
  }
  if (!allowed.empty()) {
    if (allowed.count("GET")) allowed.insert("HEAD");
    Response response = Response::FromProblem(
        MakeProblem(ProblemCode::kMethodNotAllowed, "method_not_allowed",
                    "This resource does not support " + request.method + "."));
    response.AddHeader("Allow", JoinMethods(allowed));
    return response;
  }
  if (fallback_ && (request.method == "GET" || request.method == "HEAD") &&
      (!IsApiPath(request.path) || IsApiReferencePath(request.path)) &&
      !IsScimPath(request.path)) {
    request.route = "fallback";
    return fallback_(request);
  }
  return Response::FromProblem(Problem::NotFound());
}

std::vector<Router::Route> Router::Routes() const {
  std::vector<Route> routes;
  routes.reserve(entries_.size());
  for (const Entry& entry : entries_) routes.push_back({entry.method, entry.pattern});
  return routes;
}

}  // namespace roster::http
