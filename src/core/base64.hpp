#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace roster {

// RFC 4648 section 5 (URL- and filename-safe), without padding.
std::string EncodeBase64Url(std::string_view bytes);
std::optional<std::string> DecodeBase64Url(std::string_view text);

// RFC 4648 section 4 with padding, as MIME wants it.
std::string EncodeBase64(std::string_view bytes);

}  // namespace roster
