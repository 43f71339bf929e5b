#include "auth/secret_box.hpp"

#include <sodium.h>

#include <stdexcept>

#include "auth/sodium.hpp"
#include "core/base64.hpp"

namespace roster {
namespace {

void RequireSodium() {
  if (!InitializeSodium()) throw std::runtime_error("libsodium failed to initialize; no CSPRNG");
}

Problem BadKey() {
  return Problem::Validation("ROSTER_SECRET_KEY",
                             "ROSTER_SECRET_KEY must be 32 bytes written as 64 hex digits or as "
                             "base64 (for example the output of `openssl rand -hex 32`)");
}

}  // namespace

Result<SecretBox> SecretBox::FromText(std::string_view text) {
  RequireSodium();
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' '))
    text.remove_suffix(1);
  SecretBox box;
  std::size_t length = 0;
  if (text.size() == 2 * kKeyBytes &&
      sodium_hex2bin(box.key_.data(), box.key_.size(), text.data(), text.size(), nullptr, &length,
                     nullptr) == 0 &&
      length == kKeyBytes) {
    return box;
  }
  for (int variant : {sodium_base64_VARIANT_ORIGINAL, sodium_base64_VARIANT_ORIGINAL_NO_PADDING,
                      sodium_base64_VARIANT_URLSAFE, sodium_base64_VARIANT_URLSAFE_NO_PADDING}) {
    if (sodium_base642bin(box.key_.data(), box.key_.size(), text.data(), text.size(), nullptr,
                          &length, nullptr, variant) == 0 &&
        length == kKeyBytes) {
      return box;
    }
  }
  return BadKey();
}

SecretBox SecretBox::Generate() {
  RequireSodium();
  SecretBox box;
  crypto_secretbox_keygen(box.key_.data());
  return box;
}

SecretBox::~SecretBox() { sodium_memzero(key_.data(), key_.size()); }

std::string SecretBox::KeyHex() const {
  std::string hex(2 * kKeyBytes + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), key_.data(), key_.size());
  hex.pop_back();
  return hex;
}

std::string SecretBox::Seal(std::string_view plaintext) const {
  RequireSodium();
  std::string sealed(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + plaintext.size(),
                     '\0');
  auto* nonce = reinterpret_cast<unsigned char*>(sealed.data());
  randombytes_buf(nonce, crypto_secretbox_NONCEBYTES);
  crypto_secretbox_easy(nonce + crypto_secretbox_NONCEBYTES,
                        reinterpret_cast<const unsigned char*>(plaintext.data()), plaintext.size(),
                        nonce, key_.data());
  return EncodeBase64Url(sealed);
}

Result<std::string> SecretBox::Open(std::string_view sealed) const {
  auto bytes = DecodeBase64Url(sealed);
  constexpr std::size_t kOverhead = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES;
  if (!bytes || bytes->size() < kOverhead) {
    return Problem::Internal("sealed secret is malformed");
  }
  const auto* nonce = reinterpret_cast<const unsigned char*>(bytes->data());
  std::string plaintext(bytes->size() - kOverhead, '\0');
  if (crypto_secretbox_open_easy(reinterpret_cast<unsigned char*>(plaintext.data()),
                                 nonce + crypto_secretbox_NONCEBYTES,
                                 bytes->size() - crypto_secretbox_NONCEBYTES, nonce,
                                 key_.data()) != 0) {
    return Problem::Internal("sealed secret does not open with ROSTER_SECRET_KEY (another key?)");
  }
  return plaintext;
}

}  // namespace roster
