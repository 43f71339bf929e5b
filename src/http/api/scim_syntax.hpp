#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"

// The two small grammars of SCIM requests that Roster reads (RFC 7644
// section 3.4.2.2 and 3.5.2): a filter `attribute eq "value"` and a PATCH
// path `attribute[.sub]` or `attribute[filter].sub`. Attribute names are
// case-insensitive and answered lower-cased; the core schema's URN prefix
// ("urn:ietf:params:scim:schemas:core:2.0:User:") is dropped.
namespace roster::http::scim {

// `attribute eq "value"`: the only filter Roster answers. Anything else
// (another operator, `and`/`or`, a value that is not a JSON string) is a
// 400 `invalidFilter` Problem.
struct Equality {
  std::string attribute;  // lower-cased
  std::string value;
};
Result<Equality> ParseFilter(std::string_view text);

struct Path {
  std::string attribute;                // lower-cased: "name", "emails", "members"
  std::optional<Equality> filter;       // emails[type eq "work"]
  std::optional<std::string> sub;       // lower-cased: "givenname", "value"
};
// 400 `invalidPath` when the path cannot be read.
Result<Path> ParsePath(std::string_view text);

// A SCIM error Problem: `scim_type` becomes the answer's scimType.
Problem Error(ProblemCode category, std::string scim_type, std::string detail);

}  // namespace roster::http::scim
