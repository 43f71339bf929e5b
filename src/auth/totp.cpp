#include "auth/totp.hpp"

#include <liboath/oath.h>
#include <sodium.h>

#include <cctype>
#include <cstdlib>
#include <memory>
#include <mutex>
#include <stdexcept>

#include "auth/secrets.hpp"
#include "auth/sodium.hpp"

namespace roster {
namespace {

void RequireOath() {
  static std::once_flag once;
  static int initialized = OATH_OK;
  std::call_once(once, [] { initialized = oath_init(); });
  if (initialized != OATH_OK) throw std::runtime_error("liboath failed to initialize");
}

// RFC 3986 unreserved characters stay; everything else is %XX.
std::string PercentEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string encoded;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      encoded += static_cast<char>(c);
    } else {
      encoded += '%';
      encoded += kHex[c >> 4];
      encoded += kHex[c & 0x0f];
    }
  }
  return encoded;
}

}  // namespace

std::string NewTotpSecret() {
  if (!InitializeSodium()) throw std::runtime_error("libsodium failed to initialize; no CSPRNG");
  std::string secret(kTotpSecretBytes, '\0');
  randombytes_buf(secret.data(), secret.size());
  return secret;
}

std::string EncodeBase32(std::string_view bytes) {
  RequireOath();
  char* out = nullptr;
  std::size_t out_length = 0;
  if (oath_base32_encode(bytes.data(), bytes.size(), &out, &out_length) != OATH_OK) {
    throw std::runtime_error("base32 encoding failed");
  }
  std::unique_ptr<char, decltype(&std::free)> owned(out, &std::free);
  std::string text(out, out_length);
  while (!text.empty() && text.back() == '=') text.pop_back();
  return text;
}

std::optional<std::string> DecodeBase32(std::string_view text) {
  RequireOath();
  std::string cleaned;
  for (char c : text) {
    if (c == ' ') continue;
    cleaned += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  while (cleaned.size() % 8 != 0) cleaned += '=';
  char* out = nullptr;
  std::size_t out_length = 0;
  if (oath_base32_decode(cleaned.data(), cleaned.size(), &out, &out_length) != OATH_OK) {
    return std::nullopt;
  }
  std::unique_ptr<char, decltype(&std::free)> owned(out, &std::free);
  return std::string(out, out_length);
}

std::string TotpCode(std::string_view secret, std::int64_t step, int digits) {
  RequireOath();
  char code[16] = {};
  int rc = oath_totp_generate(secret.data(), secret.size(),
                              static_cast<time_t>(step * kTotpStepSeconds), kTotpStepSeconds,
                              OATH_TOTP_DEFAULT_START_TIME, static_cast<unsigned>(digits), code);
  if (rc != OATH_OK) throw std::runtime_error(std::string("TOTP failed: ") + oath_strerror(rc));
  return code;
}

std::optional<std::int64_t> MatchTotp(std::string_view secret, std::string_view typed,
                                      UnixSeconds now,
                                      std::optional<std::int64_t> last_used_step) {
  std::string digits;
  for (char c : typed) {
    if (c == ' ') continue;
    if (c < '0' || c > '9' || digits.size() == kTotpDigits) return std::nullopt;
    digits += c;
  }
  if (digits.size() != kTotpDigits) return std::nullopt;
  std::int64_t current = TotpStep(now);
  std::optional<std::int64_t> matched;
  // Every step of the window is computed and compared, so the time taken
  // does not tell which one (if any) matched.
  for (std::int64_t step = current - kTotpWindowSteps; step <= current + kTotpWindowSteps; ++step) {
    bool equal = ConstantTimeEquals(TotpCode(secret, step), digits);
    bool fresh = !last_used_step || step > *last_used_step;
    if (equal && fresh && !matched) matched = step;
  }
  return matched;
}

std::string TotpUri(std::string_view issuer, std::string_view account,
                    std::string_view base32_secret) {
  return "otpauth://totp/" + PercentEncode(issuer) + ":" + PercentEncode(account) +
         "?secret=" + std::string(base32_secret) + "&issuer=" + PercentEncode(issuer) +
         "&algorithm=SHA1&digits=" + std::to_string(kTotpDigits) +
         "&period=" + std::to_string(kTotpStepSeconds);
}

}  // namespace roster
