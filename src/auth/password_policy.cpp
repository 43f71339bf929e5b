#include "auth/password_policy.hpp"

#include <zxcvbn.h>

#include <algorithm>
#include <array>
#include <cstdint>
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
std::optional<std::size_t> CountCodePoints(std::string_view text) {
  std::size_t count = 0;
  for (std::size_t i = 0; i < text.size(); ++count) {
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
    i += length;
  }
  return count;
}

std::string AsciiLower(std::string_view text) {
  std::string lower(text);
  for (char& c : lower)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return lower;
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
  for (char c : AsciiLower(text) + ' ') {
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
  std::vector<std::string> words = {AsciiLower(context.email), AsciiLower(LocalPart(context.email)),
                                    AsciiLower(Domain(context.email)), AsciiLower(context.name)};
  for (std::string_view text :
       {LocalPart(context.email), Domain(context.email), std::string_view(context.name)})
    for (std::string& word : Words(text)) words.push_back(std::move(word));
  for (const std::string& organization : context.organization_names) {
    words.push_back(AsciiLower(organization));
    for (std::string& word : Words(organization)) words.push_back(std::move(word));
  }
  std::sort(words.begin(), words.end());
  words.erase(std::unique(words.begin(), words.end()), words.end());
  std::erase(words, std::string());
  return words;
}

// zxcvbn-c's estimate in bits. The library keeps no mutable state (its
// dictionary is compiled in, read-only), so concurrent calls are safe. It
// stops at the first NUL byte, which can only lower the estimate.
double StrengthBits(std::string_view password, const PasswordContext& context) {
  const std::vector<std::string> words = ContextWords(context);
  std::vector<const char*> dictionary;
  for (const std::string& word : words) dictionary.push_back(word.c_str());
  dictionary.push_back(nullptr);
  return ZxcvbnMatch(std::string(password).c_str(), dictionary.data(), nullptr);
}

}  // namespace

std::vector<FieldError> CheckNewPassword(std::string_view password,
                                         const PasswordContext& context) {
  const std::optional<std::size_t> length = CountCodePoints(password);
  if (!length) return {NewPasswordError("The new password is not valid UTF-8 text.")};

  std::vector<FieldError> errors;
  if (*length < kMinPasswordCodePoints)
    errors.push_back(LengthError("at least", kMinPasswordCodePoints, *length));
  if (*length > kMaxPasswordCodePoints)
    errors.push_back(LengthError("at most", kMaxPasswordCodePoints, *length));
  if (StrengthBits(password, context) < kMinStrengthBits)
    errors.push_back(NewPasswordError(
        "The new password is too easy to guess. A phrase of several unrelated words works well."));

  const std::string lower = AsciiLower(password);
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
  return errors;
}

}  // namespace roster
