#include "http/url.hpp"

namespace roster::http {

bool IsApiPath(std::string_view decoded_path) {
  return decoded_path == "/api" || decoded_path.starts_with("/api/");
}

bool IsScimPath(std::string_view decoded_path) {
  return decoded_path == "/scim" || decoded_path.starts_with("/scim/");
}

bool IsApiReferencePath(std::string_view decoded_path) { return decoded_path == "/api/docs"; }

std::string_view RawPath(std::string_view target) { return target.substr(0, target.find('?')); }

std::string_view RawQuery(std::string_view target) {
  std::size_t mark = target.find('?');
  return mark == std::string_view::npos ? std::string_view() : target.substr(mark + 1);
}

std::optional<std::vector<std::string>> DecodePathSegments(std::string_view raw_path) {
  if (!raw_path.empty() && raw_path.front() == '/') raw_path.remove_prefix(1);
  std::vector<std::string> segments;
  while (true) {
    std::size_t slash = raw_path.find('/');
    std::optional<std::string> segment = PercentDecode(raw_path.substr(0, slash));
    if (!segment) return std::nullopt;
    segments.push_back(std::move(*segment));
    if (slash == std::string_view::npos) break;
    raw_path.remove_prefix(slash + 1);
  }
  return segments;
}

std::optional<std::map<std::string, std::string>> ParseQuery(std::string_view raw_query) {
  std::map<std::string, std::string> parameters;
  while (!raw_query.empty()) {
    std::size_t amp = raw_query.find('&');
    std::string_view pair = raw_query.substr(0, amp);
    raw_query = amp == std::string_view::npos ? std::string_view() : raw_query.substr(amp + 1);
    if (pair.empty()) continue;
    std::size_t equals = pair.find('=');
    std::optional<std::string> name = PercentDecode(pair.substr(0, equals), PlusMeans::kSpace);
    std::optional<std::string> value =
        equals == std::string_view::npos
            ? std::optional<std::string>("")
            : PercentDecode(pair.substr(equals + 1), PlusMeans::kSpace);
    if (!name || !value) return std::nullopt;
    parameters.emplace(std::move(*name), std::move(*value));
  }
  return parameters;
}

}  // namespace roster::http
