#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/clock.hpp"

// Time-based one-time passwords (RFC 6238) as authenticator apps make them:
// HMAC-SHA-1, 6 digits, 30-second steps counted from the Unix epoch. The
// algorithm is liboath's; this file decides the window and the replay rule.
namespace roster {

inline constexpr int kTotpStepSeconds = 30;
inline constexpr int kTotpDigits = 6;
// Codes of the current step and of one step either side are accepted, for
// clocks a little off and codes typed at a step's end.
inline constexpr int kTotpWindowSteps = 1;
// 160 bits, the size RFC 4226 recommends and authenticator apps expect.
inline constexpr std::size_t kTotpSecretBytes = 20;

// The step a time falls in.
inline std::int64_t TotpStep(UnixSeconds time) { return time / kTotpStepSeconds; }

// A new shared secret from the system's CSPRNG (raw bytes).
std::string NewTotpSecret();

// RFC 4648 base32 without padding, as otpauth URIs and people type it.
std::string EncodeBase32(std::string_view bytes);

// The bytes of an RFC 4648 base32 text (padding optional, case-insensitive,
// spaces ignored); nullopt when it is not base32.
std::optional<std::string> DecodeBase32(std::string_view text);

// The code of `secret` for `step`, `digits` long (6 to 8), with leading zeros.
std::string TotpCode(std::string_view secret, std::int64_t step, int digits = kTotpDigits);

// The step whose code `typed` is, among the steps within kTotpWindowSteps of
// `now`'s that are newer than `last_used_step`; nullopt when it is none of
// them (wrong, too old, too new, or already used in its step). Spaces in
// `typed` are ignored; anything but 6 digits matches nothing. Compared in
// constant time.
std::optional<std::int64_t> MatchTotp(std::string_view secret, std::string_view typed,
                                      UnixSeconds now,
                                      std::optional<std::int64_t> last_used_step);

// otpauth://totp/ISSUER:ACCOUNT?secret=...&issuer=...: what authenticator
// apps read from a QR code.
std::string TotpUri(std::string_view issuer, std::string_view account,
                    std::string_view base32_secret);

}  // namespace roster
