#pragma once

// Request-target parsing (RFC 3986 percent-encoding, HTML form-style query).

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/percent_encoding.hpp"

namespace roster::http {

// True for "/api" and everything under "/api/": the JSON API, which gets the
// CSRF and JSON checks, no-store, and never the static-file fallback.
bool IsApiPath(std::string_view decoded_path);

// True for "/api/docs", the API reference: a page of the console (its file
// api-docs.html), served like the console's other files although it lies
// under /api/.
bool IsApiReferencePath(std::string_view decoded_path);

// True for "/scim" and everything under "/scim/": the SCIM server, which an
// identity provider calls; never the static-file fallback either.
bool IsScimPath(std::string_view decoded_path);

// The part of a request target before '?' (raw, still encoded).
std::string_view RawPath(std::string_view target);
// The part after '?', empty when there is none.
std::string_view RawQuery(std::string_view target);

// Splits a raw path at '/' (after the leading one) and decodes each segment,
// so an encoded slash (%2F) stays inside its segment. "/" gives {""}.
// nullopt when a segment does not decode.
std::optional<std::vector<std::string>> DecodePathSegments(std::string_view raw_path);

// "a=1&b=x+y" -> {a:"1", b:"x y"}; a name without '=' maps to "". When a name
// repeats, the first value wins. nullopt when an escape is malformed.
std::optional<std::map<std::string, std::string>> ParseQuery(std::string_view raw_query);

}  // namespace roster::http
