// The header encoders of src/mail/headers.hpp on any bytes. Input: a display
// name or subject, then optionally a NUL byte and an e-mail address.
// Checked: no output can end a header early or start a new one (CR and LF
// only as folding "CRLF SP", every other byte printable ASCII), lines stay
// within 78 characters, SanitizeLine gives trimmed single-spaced valid UTF-8
// without controls and is idempotent, and the encoded words decode back to
// the sanitized text.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/base64.hpp"
#include "fuzz_check.hpp"
#include "mail/headers.hpp"

namespace {

using namespace roster;

// Code points of valid UTF-8, nullopt when `text` is not valid UTF-8.
std::optional<std::vector<std::uint32_t>> CodePoints(std::string_view text) {
  std::vector<std::uint32_t> codes;
  for (std::size_t i = 0; i < text.size();) {
    auto lead = static_cast<std::uint8_t>(text[i]);
    std::size_t length = lead < 0x80         ? 1
                         : (lead >> 5) == 6  ? 2
                         : (lead >> 4) == 14 ? 3
                         : (lead >> 3) == 30 ? 4
                                             : 0;
    if (length == 0 || i + length > text.size()) return std::nullopt;
    std::uint32_t code = length == 1 ? lead : lead & (0xFF >> (length + 1));
    for (std::size_t k = 1; k < length; ++k) {
      auto next = static_cast<std::uint8_t>(text[i + k]);
      if ((next & 0xC0) != 0x80) return std::nullopt;
      code = (code << 6) | (next & 0x3F);
    }
    static constexpr std::uint32_t kMinimum[] = {0, 0, 0x80, 0x800, 0x10000};
    if (code < kMinimum[length] || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) {
      return std::nullopt;
    }
    codes.push_back(code);
    i += length;
  }
  return codes;
}

bool IsControlOrSpace(std::uint32_t code) {
  return code <= 0x20 || code == 0x7F || (code >= 0x80 && code <= 0x9F) || code == 0x2028 ||
         code == 0x2029 || (code >= 0x202A && code <= 0x202E) || (code >= 0x2066 && code <= 0x2069);
}

void CheckSanitized(std::string_view line) {
  auto codes = CodePoints(line);
  ROSTER_FUZZ_CHECK(codes.has_value());
  for (std::size_t i = 0; i < codes->size(); ++i) {
    std::uint32_t code = (*codes)[i];
    if (code == ' ') {
      // single spaces between words only
      ROSTER_FUZZ_CHECK(i > 0 && i + 1 < codes->size() && (*codes)[i + 1] != ' ');
    } else {
      ROSTER_FUZZ_CHECK(!IsControlOrSpace(code));
    }
  }
}

// The lines of a folded header value: CRLF only before a space, every byte
// printable ASCII; returns the lines with their folding space removed.
std::vector<std::string_view> CheckFolded(std::string_view value, std::size_t first_line_used,
                                          std::size_t limit = 78) {
  std::vector<std::string_view> lines;
  std::size_t used = first_line_used;
  while (true) {
    std::size_t end = value.find("\r\n");
    std::string_view line = value.substr(0, end);
    for (char c : line) ROSTER_FUZZ_CHECK(c >= 0x20 && c < 0x7F);
    ROSTER_FUZZ_CHECK(used + line.size() <= limit);
    if (end == std::string_view::npos) {
      lines.push_back(line);
      return lines;
    }
    lines.push_back(line);
    value.remove_prefix(end + 2);
    ROSTER_FUZZ_CHECK(value.starts_with(' '));  // folding, never a new header
    value.remove_prefix(1);
    used = 1;
  }
}

// RFC 2047 "B" words as EncodeWords writes them, decoded and concatenated.
std::string DecodeWords(std::string_view value) {
  std::string out;
  for (std::string_view line : CheckFolded(value, 0)) {
    ROSTER_FUZZ_CHECK(line.size() <= 64);
    ROSTER_FUZZ_CHECK(line.starts_with("=?UTF-8?B?") && line.ends_with("?="));
    std::string text(line.substr(10, line.size() - 12));
    ROSTER_FUZZ_CHECK(text.size() % 4 == 0);
    while (!text.empty() && text.back() == '=') text.pop_back();
    for (char& c : text) c = c == '+' ? '-' : c == '/' ? '_' : c;
    std::optional<std::string> bytes = DecodeBase64Url(text);
    ROSTER_FUZZ_CHECK(bytes.has_value());
    out += *bytes;
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::size_t separator = input.find('\0');
  std::string_view text = input.substr(0, separator);
  std::string_view address =
      separator == std::string_view::npos ? "lead@example.com" : input.substr(separator + 1);

  std::string sanitized = mail::SanitizeLine(text);
  CheckSanitized(sanitized);
  ROSTER_FUZZ_CHECK(mail::SanitizeLine(sanitized) == sanitized);

  std::string subject = mail::FormatUnstructuredHeader(text, 7);
  if (sanitized.find("=?") != std::string::npos || subject.starts_with("=?UTF-8?B?")) {
    ROSTER_FUZZ_CHECK(DecodeWords(subject) == sanitized);
  } else {
    CheckFolded(subject, 9);  // "Subject: "
  }

  if (!sanitized.empty()) {
    std::string words = mail::EncodeWords(sanitized);
    ROSTER_FUZZ_CHECK(DecodeWords(words) == sanitized);
    for (std::string_view line : CheckFolded(words, 0)) {
      std::string text_of_word = DecodeWords(line);
      ROSTER_FUZZ_CHECK(CodePoints(text_of_word).has_value());  // no split sequence
    }
  }
  (void)mail::EncodeWords(text);  // raw bytes, as a caller might pass them

  bool valid_address = mail::ValidateAddress(address).ok();
  if (valid_address) {
    for (char c : address) ROSTER_FUZZ_CHECK(c > 0x20 && c < 0x7F);
    std::string header = mail::FormatAddressHeader(text, address);
    if (sanitized.empty()) {
      ROSTER_FUZZ_CHECK(header == address);
    } else {
      std::string tail = " <" + std::string(address) + ">";
      ROSTER_FUZZ_CHECK(header.ends_with(tail));
      // The phrase: one quoted-string, or encoded words of 64 characters at
      // most; the address may make the last line long, so the whole header
      // is checked for folding only.
      std::string phrase = header.substr(0, header.size() - tail.size());
      if (phrase.starts_with("\"")) {
        CheckFolded(phrase, 0, static_cast<std::size_t>(-1));  // one quoted-string
        ROSTER_FUZZ_CHECK(phrase.size() >= 2 && phrase.ends_with('"'));
      } else {
        ROSTER_FUZZ_CHECK(DecodeWords(phrase) == sanitized);  // words of 64 characters at most
      }
      CheckFolded(header, 6, static_cast<std::size_t>(-1));
    }
  }
  std::size_t at = address.rfind('@');
  if (at != std::string_view::npos) (void)mail::ValidateDomain(address.substr(at + 1));

  if (size >= 8) {
    std::int64_t seconds;
    std::memcpy(&seconds, data, sizeof seconds);
    std::string date = mail::FormatRfc5322Date(seconds);
    for (char c : date) ROSTER_FUZZ_CHECK(c >= 0x20 && c < 0x7F);
  }
  return 0;
}
