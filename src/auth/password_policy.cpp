#include "auth/password_policy.hpp"

#include <locale.h>
#include <wctype.h>
#include <zxcvbn.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <iterator>
#include <optional>

#include "auth/secrets.hpp"

namespace roster {
namespace {

// SPEC 6: name words shorter than this only feed zxcvbn; refusing them would
// refuse ordinary words ("Ann" in "planning", "Ger" in "tangerine").
constexpr std::size_t kMinWordCodePoints = 4;
// The e-mail's local part is refused whole from this length ("ada@...").
constexpr std::size_t kMinLocalPartCodePoints = 3;
// Words so common in organization names that refusing them would refuse
// half the language ("other", "bands"); the words around them still count.
constexpr std::array<std::string_view, 7> kFillerWords = {"the", "and",  "inc", "llc",
                                                          "ltd", "corp", "gmbh"};

FieldError NewPasswordError(std::string message) {
  return FieldError{"new_password", std::move(message)};
}

FieldError LengthError(std::string_view bound_name, std::size_t bound, std::size_t length) {
  return NewPasswordError("The new password must be " + std::string(bound_name) + " " +
                          std::to_string(bound) + " characters long; it has " +
                          std::to_string(length) + ".");
}

// Strict UTF-8 (RFC 3629): no overlong forms, no surrogates, nothing above
// U+10FFFF. nullopt when `text` is not valid.
std::optional<std::vector<char32_t>> DecodeUtf8(std::string_view text) {
  std::vector<char32_t> code_points;
  for (std::size_t i = 0; i < text.size();) {
    const auto lead = static_cast<std::uint8_t>(text[i]);
    std::size_t length = lead < 0x80           ? 1
                         : (lead >> 5) == 0x6  ? 2
                         : (lead >> 4) == 0xE  ? 3
                         : (lead >> 3) == 0x1E ? 4
                                               : 0;
    if (length == 0 || i + length > text.size()) return std::nullopt;
    std::uint32_t code_point = length == 1 ? lead : lead & (0x7F >> length);
    for (std::size_t k = 1; k < length; ++k) {
      const auto next = static_cast<std::uint8_t>(text[i + k]);
      if ((next & 0xC0) != 0x80) return std::nullopt;
      code_point = (code_point << 6) | (next & 0x3F);
    }
    constexpr std::array<std::uint32_t, 5> kSmallestOfLength = {0, 0, 0x80, 0x800, 0x10000};
    if (code_point < kSmallestOfLength[length] || code_point > 0x10FFFF ||
        (code_point >= 0xD800 && code_point <= 0xDFFF))
      return std::nullopt;
    code_points.push_back(static_cast<char32_t>(code_point));
    i += length;
  }
  return code_points;
}

void AppendUtf8(std::string& out, char32_t code_point) {
  if (code_point < 0x80) {
    out += static_cast<char>(code_point);
  } else if (code_point < 0x800) {
    out += static_cast<char>(0xC0 | (code_point >> 6));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  } else if (code_point < 0x10000) {
    out += static_cast<char>(0xE0 | (code_point >> 12));
    out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (code_point >> 18));
    out += static_cast<char>(0x80 | ((code_point >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((code_point >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (code_point & 0x3F));
  }
}

std::string AsciiLower(std::string_view text) {
  std::string lower(text);
  for (char& c : lower)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return lower;
}

// Unicode's simple lower case (glibc's tables of C.UTF-8, a locale of its
// own, so the process's stays untouched): "ÉMILE" contains "émile". ASCII
// only where the text is not UTF-8 or the locale is missing.
std::string Lower(std::string_view text) {
  static const locale_t utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", static_cast<locale_t>(nullptr));
  std::optional<std::vector<char32_t>> code_points = DecodeUtf8(text);
  if (!code_points || utf8 == static_cast<locale_t>(nullptr)) return AsciiLower(text);
  std::string lower;
  for (char32_t code_point : *code_points) {
    AppendUtf8(lower, static_cast<char32_t>(towlower_l(static_cast<wint_t>(code_point), utf8)));
  }
  return lower;
}

// The first code point (the zero) of every run of the decimal digits 0-9 in
// a script other than ASCII (Unicode's Nd runs of ten).
constexpr std::array<char32_t, 65> kDigitZeros = {
    0x660,   0x6F0,   0x7C0,   0x966,   0x9E6,   0xA66,   0xAE6,   0xB66,   0xBE6,   0xC66,
    0xCE6,   0xD66,   0xDE6,   0xE50,   0xED0,   0xF20,   0x1040,  0x1090,  0x17E0,  0x1810,
    0x1946,  0x19D0,  0x1A80,  0x1A90,  0x1B50,  0x1BB0,  0x1C40,  0x1C50,  0xA620,  0xA8D0,
    0xA900,  0xA9D0,  0xA9F0,  0xAA50,  0xABF0,  0xFF10,  0x104A0, 0x10D30, 0x11066, 0x110F0,
    0x11136, 0x111D0, 0x112F0, 0x11450, 0x114D0, 0x11650, 0x116C0, 0x11730, 0x118E0, 0x11950,
    0x11C50, 0x11D50, 0x11DA0, 0x16A60, 0x16AC0, 0x16B50, 0x1D7CE, 0x1D7D8, 0x1D7E2, 0x1D7EC,
    0x1D7F6, 0x1E140, 0x1E2F0, 0x1E950, 0x1FBF0};

// zxcvbn-c reads bytes: a non-ASCII character is two to four "characters"
// with no pattern among them, so one emoji fifteen times, "жз" ten times or
// the Arabic-Indic digits 1 to 5 scored as random text. This is the
// password as zxcvbn would read it were each character one byte: a decimal
// digit of any script as its ASCII digit, a full-width form as its ASCII
// character, and any other non-ASCII character as a letter picked by a
// hash of it, so that a repeat stays a repeat and an alphabet's run does
// not turn into "abcd". Valid UTF-8 only.
std::string OneBytePerCharacter(const std::vector<char32_t>& code_points) {
  std::string text;
  for (char32_t code_point : code_points) {
    if (code_point < 0x80) {
      text += static_cast<char>(code_point);
      continue;
    }
    if (code_point >= 0xFF01 && code_point <= 0xFF5E) {  // full-width ASCII
      text += static_cast<char>(code_point - 0xFF01 + 0x21);
      continue;
    }
    auto zero = std::upper_bound(kDigitZeros.begin(), kDigitZeros.end(), code_point);
    if (zero != kDigitZeros.begin() && code_point - *std::prev(zero) < 10) {
      text += static_cast<char>('0' + (code_point - *std::prev(zero)));
      continue;
    }
    text += static_cast<char>('a' + (static_cast<std::uint32_t>(code_point) * 2654435761u >> 16) % 26);
  }
  return text;
}

bool IsAsciiSeparator(char c) {
  const bool ascii = static_cast<std::uint8_t>(c) < 0x80;
  const bool alphanumeric =
      (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  return ascii && !alphanumeric;
}

std::size_t CodePoints(std::string_view text) {
  return static_cast<std::size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<std::uint8_t>(c) & 0xC0) != 0x80;
  }));
}

// The lower-cased words of `text`: runs of ASCII letters and digits and of
// any non-ASCII characters (so "José" stays one word).
std::vector<std::string> Words(std::string_view text) {
  std::vector<std::string> words;
  std::string current;
  for (char c : Lower(text) + ' ') {
    if (!IsAsciiSeparator(c)) {
      current += c;
    } else if (!current.empty()) {
      words.push_back(std::move(current));
      current.clear();
    }
  }
  return words;
}

// What a password must not contain because of `text`: its words of four or
// more characters, less filler words, and the whole of it with the
// separators removed ("Li Wu" → "liwu") when that has at least
// `min_whole_code_points`, which catches short-worded names.
std::vector<std::string> ForbiddenFragments(
    std::string_view text, std::size_t min_whole_code_points = kMinWordCodePoints) {
  std::vector<std::string> fragments;
  std::string joined;
  for (std::string& word : Words(text)) {
    joined += word;
    const bool filler = std::ranges::find(kFillerWords, word) != kFillerWords.end();
    if (!filler && CodePoints(word) >= kMinWordCodePoints) fragments.push_back(std::move(word));
  }
  if (CodePoints(joined) >= min_whole_code_points) fragments.push_back(std::move(joined));
  return fragments;
}

bool ContainsAny(const std::string& lower_password, const std::vector<std::string>& fragments) {
  return std::any_of(fragments.begin(), fragments.end(), [&](const std::string& fragment) {
    return lower_password.find(fragment) != std::string::npos;
  });
}

std::string_view LocalPart(std::string_view email) {
  return email.substr(0, std::min(email.rfind('@'), email.size()));
}

std::string_view Domain(std::string_view email) {
  const std::size_t at = email.rfind('@');
  return at == std::string_view::npos ? std::string_view() : email.substr(at + 1);
}

// zxcvbn's user dictionary: whatever an attacker who knows the user would
// try first.
std::vector<std::string> ContextWords(const PasswordContext& context) {
  std::vector<std::string> words = {Lower(context.email), Lower(LocalPart(context.email)),
                                    Lower(Domain(context.email)), Lower(context.name)};
  for (std::string_view text :
       {LocalPart(context.email), Domain(context.email), std::string_view(context.name)})
    for (std::string& word : Words(text)) words.push_back(std::move(word));
  for (const std::string& organization : context.organization_names) {
    words.push_back(Lower(organization));
    for (std::string& word : Words(organization)) words.push_back(std::move(word));
  }
  std::sort(words.begin(), words.end());
  words.erase(std::unique(words.begin(), words.end()), words.end());
  std::erase(words, std::string());
  return words;
}

// zxcvbn-c's estimate in bits: the lower of the password's and of
// OneBytePerCharacter's. The library keeps no mutable state (its dictionary
// is compiled in, read-only), so concurrent calls are safe. It stops at the
// first NUL byte, which can only lower the estimate.
double StrengthBits(std::string_view password, const std::vector<char32_t>& code_points,
                    const PasswordContext& context) {
  const std::vector<std::string> words = ContextWords(context);
  std::vector<const char*> dictionary;
  for (const std::string& word : words) dictionary.push_back(word.c_str());
  dictionary.push_back(nullptr);
  double bits = ZxcvbnMatch(std::string(password).c_str(), dictionary.data(), nullptr);
  if (code_points.size() == password.size()) return bits;  // ASCII: the same text
  return std::min(bits,
                  ZxcvbnMatch(OneBytePerCharacter(code_points).c_str(), dictionary.data(), nullptr));
}

}  // namespace

std::vector<FieldError> CheckNewPassword(std::string_view password,
                                         const PasswordContext& context) {
  const std::optional<std::vector<char32_t>> code_points = DecodeUtf8(password);
  if (!code_points) return {NewPasswordError("The new password is not valid UTF-8 text.")};
  const std::size_t length = code_points->size();

  std::vector<FieldError> errors;
  if (length < kMinPasswordCodePoints)
    errors.push_back(LengthError("at least", kMinPasswordCodePoints, length));
  if (length > kMaxPasswordCodePoints)
    errors.push_back(LengthError("at most", kMaxPasswordCodePoints, length));
  if (StrengthBits(password, *code_points, context) < kMinStrengthBits)
    errors.push_back(NewPasswordError(
        "The new password is too easy to guess. A phrase of several unrelated words works well."));

  const std::string lower = Lower(password);
  if (ContainsAny(lower, ForbiddenFragments(LocalPart(context.email), kMinLocalPartCodePoints)))
    errors.push_back(
        NewPasswordError("The new password must not contain your e-mail address or a part of it."));
  if (ContainsAny(lower, ForbiddenFragments(context.name)))
    errors.push_back(NewPasswordError("The new password must not contain your name."));
  if (std::any_of(
          context.organization_names.begin(), context.organization_names.end(),
          [&](const std::string& name) { return ContainsAny(lower, ForbiddenFragments(name)); }))
    errors.push_back(
        NewPasswordError("The new password must not contain your organization's name."));
  if (!context.current_one_time_password.empty() &&
      NormalizeOneTimePassword(password) ==
          NormalizeOneTimePassword(context.current_one_time_password))
    errors.push_back(NewPasswordError(
        "The new password must be different from the one-time password you were sent."));
  if (!context.current_password.empty() && password == context.current_password)
    errors.push_back(NewPasswordError("The new password must be different from the current one."));
  return errors;
}

}  // namespace roster
