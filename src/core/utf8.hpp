#pragma once

#include <string_view>

namespace roster {

// Strict UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing above
// U+10FFFF. Text that reaches the database must be valid: PostgreSQL refuses
// anything else.
bool IsValidUtf8(std::string_view text);

}  // namespace roster
