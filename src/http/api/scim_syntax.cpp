#include "http/api/scim_syntax.hpp"

#include <algorithm>
#include <cctype>

#include <nlohmann/json.hpp>

namespace roster::http::scim {
namespace {

constexpr std::string_view kCoreUserUrn = "urn:ietf:params:scim:schemas:core:2.0:user:";
constexpr std::string_view kCoreGroupUrn = "urn:ietf:params:scim:schemas:core:2.0:group:";

std::string Lower(std::string_view text) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lower;
}

bool IsNameChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-' || c == '$' ||
         c == ':' || c == '.';
}

void SkipSpaces(std::string_view& text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
}

// The attribute name at the front of `text` (letters, digits, and the
// characters of URNs and dotted sub-attributes), lower-cased, without the
// core schema's prefix.
std::string TakeName(std::string_view& text) {
  std::size_t end = 0;
  while (end < text.size() && IsNameChar(text[end])) ++end;
  std::string name = Lower(text.substr(0, end));
  text.remove_prefix(end);
  for (std::string_view urn : {kCoreUserUrn, kCoreGroupUrn}) {
    if (name.starts_with(urn)) name.erase(0, urn.size());
  }
  return name;
}

// A JSON string at the front of `text`: "..." with JSON's escapes.
std::optional<std::string> TakeString(std::string_view& text) {
  if (text.empty() || text.front() != '"') return std::nullopt;
  std::size_t end = 1;
  while (end < text.size() && text[end] != '"') end += text[end] == '\\' ? 2 : 1;
  if (end >= text.size()) return std::nullopt;
  auto value = nlohmann::json::parse(text.substr(0, end + 1), nullptr, false);
  if (!value.is_string()) return std::nullopt;
  text.remove_prefix(end + 1);
  return value.get<std::string>();
}

Result<Equality> ParseEquality(std::string_view& text) {
  Problem invalid = Error(ProblemCode::kBadRequest, "invalidFilter",
                          "Roster answers filters of the form attribute eq \"value\".");
  SkipSpaces(text);
  std::string attribute = TakeName(text);
  if (attribute.empty() || text.empty() || text.front() != ' ') return invalid;
  SkipSpaces(text);
  std::string op;
  while (!text.empty() && std::isalpha(static_cast<unsigned char>(text.front()))) {
    op += static_cast<char>(std::tolower(static_cast<unsigned char>(text.front())));
    text.remove_prefix(1);
  }
  if (op != "eq") return invalid;
  SkipSpaces(text);
  std::optional<std::string> value = TakeString(text);
  if (!value) return invalid;
  SkipSpaces(text);
  return Equality{attribute, *value};
}

}  // namespace

Problem Error(ProblemCode category, std::string scim_type, std::string detail) {
  Problem problem;
  problem.category = category;
  problem.slug = std::move(scim_type);
  problem.detail = std::move(detail);
  return problem;
}

Result<Equality> ParseFilter(std::string_view text) {
  Equality equality = ROSTER_TRY(ParseEquality(text));
  if (!text.empty()) {
    return Error(ProblemCode::kBadRequest, "invalidFilter",
                 "Roster answers one comparison, attribute eq \"value\", without and/or.");
  }
  return equality;
}

Result<Path> ParsePath(std::string_view text) {
  Problem invalid =
      Error(ProblemCode::kBadRequest, "invalidPath", "The path " + std::string(text) +
                                                         " is not a SCIM attribute path.");
  Path path;
  std::string name = TakeName(text);
  if (name.empty()) return invalid;
  if (!text.empty() && text.front() == '[') {
    text.remove_prefix(1);
    auto filter = ParseEquality(text);
    if (!filter.ok() || text.empty() || text.front() != ']') return invalid;
    text.remove_prefix(1);
    path.filter = *filter;
    if (!text.empty()) {
      if (text.front() != '.') return invalid;
      text.remove_prefix(1);
      std::string sub = TakeName(text);
      if (sub.empty()) return invalid;
      path.sub = sub;
    }
  } else if (std::size_t dot = name.rfind('.'); dot != std::string::npos) {
    // name.givenName; a URN's own dots come before its last ':'.
    std::size_t colon = name.rfind(':');
    if (colon == std::string::npos || dot > colon) {
      path.sub = name.substr(dot + 1);
      name.erase(dot);
    }
  }
  if (!text.empty() || name.empty() || (path.sub && path.sub->empty())) return invalid;
  path.attribute = name;
  return path;
}

}  // namespace roster::http::scim
