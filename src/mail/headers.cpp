#include "mail/headers.hpp"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <ctime>
#include <optional>
#include <vector>

#include "core/base64.hpp"

namespace roster::mail {
namespace {

// A header line should stay within 78 characters (RFC 5322 section 2.1.1).
constexpr std::size_t kLineLimit = 78;
// UTF-8 bytes per encoded word: 39 bytes make 52 base64 characters and a
// 64-character word, so "Subject: " plus one word stays under kLineLimit.
constexpr std::size_t kBytesPerWord = 39;
// Longest display name kept as a quoted-string before it is encoded (and so
// folded) instead.
constexpr std::size_t kQuotedNameLimit = 60;

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// Decodes one UTF-8 sequence at `text[i]`; nullopt for an invalid,
// overlong or surrogate sequence. Advances `i` past what it consumed.
std::optional<std::uint32_t> DecodeOne(std::string_view text, std::size_t& i) {
  auto byte = [&](std::size_t k) { return static_cast<std::uint8_t>(text[k]); };
  std::uint8_t lead = byte(i);
  if (lead < 0x80) {
    ++i;
    return lead;
  }
  std::size_t length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 0;
  if (length == 0 || lead > 0xF4 || i + length > text.size()) {
    ++i;
    return std::nullopt;
  }
  std::uint32_t code = lead & (0x7F >> length);
  for (std::size_t k = 1; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) {
      i += k;
      return std::nullopt;
    }
    code = (code << 6) | (byte(i + k) & 0x3F);
  }
  i += length;
  static constexpr std::uint32_t kMinimum[] = {0, 0, 0x80, 0x800, 0x10000};
  if (code < kMinimum[length] || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) {
    return std::nullopt;
  }
  return code;
}

// Controls, line and paragraph separators, and the bidirectional overrides
// (which can make a name display as something else).
bool IsControl(std::uint32_t code) {
  return code < 0x20 || code == 0x7F || (code >= 0x80 && code <= 0x9F) || code == 0x2028 ||
         code == 0x2029 || (code >= 0x202A && code <= 0x202E) || (code >= 0x2066 && code <= 0x2069);
}

bool IsPrintableAscii(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c >= 0x20 && c < 0x7F; });
}

bool IsAtext(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-/=?^_`{|}~").find(c) != std::string_view::npos;
}

std::vector<std::string_view> Split(std::string_view text, char separator) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  for (std::size_t at = text.find(separator); at != std::string_view::npos;
       at = text.find(separator, start)) {
    parts.push_back(text.substr(start, at - start));
    start = at + 1;
  }
  parts.push_back(text.substr(start));
  return parts;
}

Problem InvalidAddress(std::string_view why) {
  return Problem::Validation("email", std::string("The e-mail address ") + std::string(why) + ".");
}

// Folds printable ASCII words greedily; empty when a word cannot fit a line.
std::optional<std::string> FoldAscii(std::string_view text, std::size_t first_line_used) {
  std::string out;
  std::size_t column = first_line_used;
  bool first = true;
  for (std::string_view word : Split(text, ' ')) {
    if (word.size() + 1 > kLineLimit - first_line_used) return std::nullopt;
    if (first) {
      out += word;
      column += word.size();
      first = false;
    } else if (column + 1 + word.size() <= kLineLimit) {
      out += ' ';
      out += word;
      column += 1 + word.size();
    } else {
      out += "\r\n ";
      out += word;
      column = 1 + word.size();
    }
  }
  return out;
}

}  // namespace

std::string SanitizeLine(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool pending_space = false;
  for (std::size_t i = 0; i < text.size();) {
    std::size_t start = i;
    std::optional<std::uint32_t> code = DecodeOne(text, i);
    if (code && (IsControl(*code) || *code == ' ')) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out += ' ';
    pending_space = false;
    if (code) {
      out.append(text.substr(start, i - start));
    } else {
      out.append(kReplacement);
    }
  }
  return out;
}

Status ValidateDomain(std::string_view domain) {
  if (domain.empty() || domain.size() > 253) return InvalidAddress("has no valid domain");
  for (std::string_view label : Split(domain, '.')) {
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
      return InvalidAddress("has no valid domain");
    }
    for (char c : label) {
      bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                c == '-';
      if (!ok) return InvalidAddress("has no valid domain");
    }
  }
  return {};
}

Status ValidateAddress(std::string_view address) {
  if (address.empty()) return InvalidAddress("is empty");
  if (address.size() > 254) return InvalidAddress("is too long");
  std::size_t at = address.rfind('@');
  if (at == std::string_view::npos) return InvalidAddress("has no @");
  std::string_view local = address.substr(0, at);
  if (local.empty() || local.size() > 64) return InvalidAddress("has no valid part before the @");
  for (std::string_view atom : Split(local, '.')) {
    if (atom.empty() || !std::all_of(atom.begin(), atom.end(), IsAtext)) {
      return InvalidAddress("has characters that are not allowed before the @");
    }
  }
  return ValidateDomain(address.substr(at + 1));
}

std::string EncodeWords(std::string_view utf8) {
  std::string out;
  std::size_t i = 0;
  while (i < utf8.size()) {
    // Take whole UTF-8 sequences up to kBytesPerWord bytes.
    std::size_t end = i;
    while (end < utf8.size()) {
      std::size_t next = end;
      (void)DecodeOne(utf8, next);
      if (next - i > kBytesPerWord && end > i) break;
      end = next;
    }
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?";
    out += EncodeBase64(utf8.substr(i, end - i));
    out += "?=";
    i = end;
  }
  return out;
}

std::string FormatAddressHeader(std::string_view display_name, std::string_view address) {
  std::string name = SanitizeLine(display_name);
  if (name.empty()) return std::string(address);
  std::string phrase;
  // Many readers decode encoded words even inside quotes, so a name that
  // looks like one is encoded, to arrive as the text it is.
  if (IsPrintableAscii(name) && name.size() <= kQuotedNameLimit &&
      name.find("=?") == std::string::npos) {
    phrase = "\"";
    for (char c : name) {
      if (c == '"' || c == '\\') phrase += '\\';
      phrase += c;
    }
    phrase += "\"";
  } else {
    phrase = EncodeWords(name);
  }
  return phrase + " <" + std::string(address) + ">";
}

std::string FormatUnstructuredHeader(std::string_view text, std::size_t header_name_length) {
  std::string value = SanitizeLine(text);
  if (IsPrintableAscii(value) && value.find("=?") == std::string::npos) {
    std::optional<std::string> folded = FoldAscii(value, header_name_length + 2);
    if (folded) return *folded;
  }
  return EncodeWords(value);
}

std::string FormatRfc5322Date(UnixSeconds t) {
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::time_t time = static_cast<std::time_t>(t);
  std::tm tm{};
  gmtime_r(&time, &tm);
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%s, %02d %s %04d %02d:%02d:%02d +0000", kDays[tm.tm_wday],
                tm.tm_mday, kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                tm.tm_sec);
  return buffer;
}

}  // namespace roster::mail
