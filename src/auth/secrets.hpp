#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace roster {

// Random secrets from libsodium's CSPRNG (getrandom on Linux). The functions
// that draw randomness throw std::runtime_error only if libsodium cannot
// start, which leaves the process unable to issue any secret. Thread-safe.

// 256 random bits, base64url without padding (43 characters). Store only
// HashToken(token).
std::string NewSessionToken();

// The one-time-password alphabet: digits and capitals without the look-alikes
// 0/O and 1/I/L. 31 symbols, log2(31) ≈ 4.95 bits each.
inline constexpr std::string_view kOneTimePasswordAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
// 28 symbols ≈ 138.7 bits (the spec asks for at least 128).
inline constexpr std::size_t kOneTimePasswordSymbols = 28;
inline constexpr std::size_t kOneTimePasswordGroup = 4;

// A one-time password of kOneTimePasswordSymbols symbols, each drawn uniformly
// from kOneTimePasswordAlphabet, written in dash-separated groups of four for
// reading: "7KQM-R2XD-...". Store only HashOneTimePassword(otp).
std::string NewOneTimePassword();

// The stored form of a one-time password, typed or issued: the SHA-256 hex of
// NormalizeOneTimePassword(otp). A fast hash suffices: with ~138 random bits
// nothing can be guessed from it, so issuing one costs no argon2 work.
std::string HashOneTimePassword(std::string_view otp);

// What a typed one-time password is compared as: ASCII letters upper-cased,
// spaces, tabs and dashes dropped. "7kqm r2xd..." and "7KQM-R2XD-..." give
// the same string.
std::string NormalizeOneTimePassword(std::string_view typed);

// Lower-case hex SHA-256 (64 characters), the lookup key of a session token.
// A plain fast hash suffices: the token has 256 random bits, so nothing can
// be guessed from its hash.
std::string HashToken(std::string_view token);

// Equality whose running time does not depend on where `a` and `b` differ.
// Strings of different lengths are unequal (the length is not secret).
bool ConstantTimeEquals(std::string_view a, std::string_view b);

}  // namespace roster
