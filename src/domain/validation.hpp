#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace roster::domain {

// Trims and lower-cases an e-mail address; users are global by this form.
std::string NormalizeEmail(std::string_view email);

// A normalized address of at most 254 octets, one '@', a non-empty local
// part, a dotted domain, and no whitespace or control characters.
Status ValidateEmail(std::string_view normalized, std::string_view field = "email");

// A display name: trimmed, 1–200 code points, no control characters.
Result<std::string> ValidateName(std::string_view name, std::string_view field = "name");

// 1–200 code points, no control characters; trimmed. Used for organization,
// assistant and lead names.
Result<std::string> ValidateLabel(std::string_view text, std::string_view field, bool allow_empty);

// SPEC 6: every input has a bound, checked before any other work (a lookup,
// a rate-limit record or a hash), so an attacker's input cannot make the
// server work or store more.
inline constexpr std::size_t kMaxEmailBytes = 254;
inline constexpr long kMaxPasswordCodePoints = 128;

// 422 naming `field` when the trimmed address is longer than kMaxEmailBytes.
Status CheckEmailLength(std::string_view email, std::string_view field = "email");

// 422 naming `field` when a password or one-time password, as typed, has more
// than kMaxPasswordCodePoints code points (bytes when it is not UTF-8).
Status CheckPasswordLength(std::string_view password, std::string_view field);

}  // namespace roster::domain
