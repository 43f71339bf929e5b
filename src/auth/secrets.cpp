#include "auth/secrets.hpp"

#include <sodium.h>

#include <array>
#include <cstdint>
#include <stdexcept>

#include "auth/sodium.hpp"
#include "core/base64.hpp"

namespace roster {
namespace {

void RequireSodium() {
  if (!InitializeSodium()) throw std::runtime_error("libsodium failed to initialize; no CSPRNG");
}

}  // namespace

std::string NewSessionToken() {
  RequireSodium();
  std::array<unsigned char, 32> bytes;
  randombytes_buf(bytes.data(), bytes.size());
  std::string token =
      EncodeBase64Url(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()));
  sodium_memzero(bytes.data(), bytes.size());
  return token;
}

std::string NewOneTimePassword() {
  RequireSodium();
  std::string otp;
  otp.reserve(kOneTimePasswordSymbols + kOneTimePasswordSymbols / kOneTimePasswordGroup);
  for (std::size_t i = 0; i < kOneTimePasswordSymbols; ++i) {
    if (i > 0 && i % kOneTimePasswordGroup == 0) otp += '-';
    // randombytes_uniform rejects samples past the largest multiple of the
    // bound, so every symbol is equally likely (no modulo bias).
    otp += kOneTimePasswordAlphabet[randombytes_uniform(
        static_cast<std::uint32_t>(kOneTimePasswordAlphabet.size()))];
  }
  return otp;
}

std::string NormalizeOneTimePassword(std::string_view typed) {
  std::string normalized;
  normalized.reserve(typed.size());
  for (char c : typed) {
    if (c == ' ' || c == '\t' || c == '-') continue;
    normalized += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
  }
  return normalized;
}

std::string HashOneTimePassword(std::string_view otp) {
  return HashToken(NormalizeOneTimePassword(otp));
}

std::string HashToken(std::string_view token) {
  std::array<unsigned char, crypto_hash_sha256_BYTES> digest;
  crypto_hash_sha256(digest.data(), reinterpret_cast<const unsigned char*>(token.data()),
                     token.size());
  std::array<char, crypto_hash_sha256_BYTES * 2 + 1> hex;
  sodium_bin2hex(hex.data(), hex.size(), digest.data(), digest.size());
  return std::string(hex.data(), hex.size() - 1);
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace roster
