#pragma once

// RFC 3986 percent-decoding, shared by the request target (http), the
// database URL (store) and the SMTP URL (mail).

#include <optional>
#include <string>
#include <string_view>

namespace roster {

// What '+' stands for: itself (paths, URLs), or a space (HTML form-style
// query strings).
enum class PlusMeans { kPlus, kSpace };

// Decodes %XX escapes. nullopt when an escape is malformed or decodes to NUL
// (no path, parameter, file name, user name or password may contain one).
std::optional<std::string> PercentDecode(std::string_view text, PlusMeans plus = PlusMeans::kPlus);

}  // namespace roster
