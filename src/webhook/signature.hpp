#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.hpp"

// Standard Webhooks signatures (SPEC 7): the receiver recomputes
// base64(HMAC-SHA256(key, id + "." + timestamp + "." + body)), where the key
// is the base64-decoded part of the secret after "whsec_".
namespace roster::webhook {

inline constexpr std::string_view kSecretPrefix = "whsec_";

// "whsec_" + base64 of 32 random bytes from libsodium's CSPRNG. Throws
// std::runtime_error only when libsodium cannot start.
std::string NewSecret();

// "v1,<base64 signature>" of one delivery. 422 when `secret` is not
// "whsec_" followed by standard base64.
Result<std::string> Sign(std::string_view secret, std::string_view message_id,
                         std::int64_t timestamp, std::string_view body);

}  // namespace roster::webhook
