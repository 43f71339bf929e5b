#include "http/url.hpp"

namespace roster::http {
namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

bool IsApiPath(std::string_view decoded_path) {
  return decoded_path == "/api" || decoded_path.starts_with("/api/");
}

std::optional<std::string> PercentDecode(std::string_view text, PlusMeans plus) {
  std::string decoded;
  decoded.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size()) return std::nullopt;
      int high = HexValue(text[i + 1]);
      int low = HexValue(text[i + 2]);
      if (high < 0 || low < 0) return std::nullopt;
      c = static_cast<char>(high * 16 + low);
      i += 2;
    } else if (c == '+' && plus == PlusMeans::kSpace) {
      c = ' ';
    }
    if (c == '\0') return std::nullopt;
    decoded.push_back(c);
  }
  return decoded;
}

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
