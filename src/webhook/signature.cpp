#include "webhook/signature.hpp"

#include <sodium.h>

#include <stdexcept>
#include <vector>

namespace roster::webhook {
namespace {

void RequireSodium() {
  static const bool ready = sodium_init() >= 0;
  if (!ready) throw std::runtime_error("libsodium cannot start");
}

std::string Base64(const unsigned char* bytes, std::size_t length) {
  std::string text(sodium_base64_ENCODED_LEN(length, sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(text.data(), text.size(), bytes, length, sodium_base64_VARIANT_ORIGINAL);
  text.resize(text.size() - 1);  // the terminating NUL
  return text;
}

}  // namespace

std::string NewSecret() {
  RequireSodium();
  unsigned char key[32];
  randombytes_buf(key, sizeof key);
  std::string secret = std::string(kSecretPrefix) + Base64(key, sizeof key);
  sodium_memzero(key, sizeof key);
  return secret;
}

Result<std::string> Sign(std::string_view secret, std::string_view message_id,
                         std::int64_t timestamp, std::string_view body) {
  RequireSodium();
  if (!secret.starts_with(kSecretPrefix)) {
    return Problem::Validation("secret", "A webhook secret starts with whsec_.");
  }
  std::string_view encoded = secret.substr(kSecretPrefix.size());
  std::vector<unsigned char> key(encoded.size());
  std::size_t key_length = 0;
  if (encoded.empty() ||
      sodium_base642bin(key.data(), key.size(), encoded.data(), encoded.size(), nullptr,
                        &key_length, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0) {
    return Problem::Validation("secret", "A webhook secret is whsec_ and base64.");
  }
  std::string signed_content = std::string(message_id) + "." + std::to_string(timestamp) + ".";
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, key.data(), key_length);
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(signed_content.data()),
                                signed_content.size());
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(body.data()),
                                body.size());
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_final(&state, mac);
  sodium_memzero(key.data(), key.size());
  return "v1," + Base64(mac, sizeof mac);
}

}  // namespace roster::webhook
