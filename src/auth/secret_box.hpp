#pragma once

#include <array>
#include <string>
#include <string_view>

#include "core/result.hpp"

// Secrets the server must read back (a person's TOTP secret), sealed at rest
// with the operator's key, ROSTER_SECRET_KEY: libsodium's secretbox
// (XSalsa20-Poly1305) with a random nonce per seal. A database dump without
// the key tells nothing of what was sealed.
namespace roster {

class SecretBox {
 public:
  static constexpr std::size_t kKeyBytes = 32;

  // A key written as 64 hex digits or as base64 (standard or URL-safe, with
  // or without padding) of exactly 32 bytes; 422 naming ROSTER_SECRET_KEY
  // otherwise. The key itself never appears in the message.
  static Result<SecretBox> FromText(std::string_view text);
  // A new random key.
  static SecretBox Generate();

  SecretBox(const SecretBox& other) = default;
  SecretBox& operator=(const SecretBox& other) = default;
  ~SecretBox();

  // The key as 64 lower-case hex digits (for the key file).
  std::string KeyHex() const;

  // base64url(nonce || ciphertext): a new nonce each time, so sealing the
  // same text twice gives different strings.
  std::string Seal(std::string_view plaintext) const;
  // The plaintext, or 500 (`internal`) when `sealed` was not sealed with
  // this key or was altered.
  Result<std::string> Open(std::string_view sealed) const;

 private:
  SecretBox() = default;
  std::array<unsigned char, kKeyBytes> key_{};
};

}  // namespace roster
