#include "domain/validation.hpp"

#include <algorithm>
#include <cctype>

namespace roster::domain {
namespace {

std::string Trim(std::string_view text) {
  auto is_space = [](unsigned char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  return std::string(text);
}

// Code points in valid UTF-8, or -1.
long CountCodePoints(std::string_view text) {
  long count = 0;
  for (std::size_t i = 0; i < text.size();) {
    unsigned char c = text[i];
    int length = c < 0x80           ? 1
                 : (c >> 5) == 0x6  ? 2
                 : (c >> 4) == 0xE  ? 3
                 : (c >> 3) == 0x1E ? 4
                                    : 0;
    if (length == 0 || i + length > text.size()) return -1;
    for (int k = 1; k < length; ++k) {
      if ((static_cast<unsigned char>(text[i + k]) >> 6) != 0x2) return -1;
    }
    i += length;
    ++count;
  }
  return count;
}

bool HasControl(std::string_view text) {
  return std::any_of(text.begin(), text.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return u < 0x20 || u == 0x7F;
  });
}

}  // namespace

std::string NormalizeEmail(std::string_view email) {
  std::string normalized = Trim(email);
  std::transform(normalized.begin(), normalized.end(), normalized.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return normalized;
}

Status ValidateEmail(std::string_view email, std::string_view field) {
  auto invalid = [&] {
    return Problem::Validation(std::string(field), "Enter a valid e-mail address.");
  };
  if (email.empty() || email.size() > 254 || HasControl(email) || CountCodePoints(email) < 0) {
    return invalid();
  }
  if (email.find_first_of(" \t\"(),:;<>[\\]") != std::string_view::npos) return invalid();
  auto at = email.find('@');
  if (at == 0 || at == std::string_view::npos ||
      email.find('@', at + 1) != std::string_view::npos) {
    return invalid();
  }
  std::string_view domain = email.substr(at + 1);
  if (at > 64 || domain.size() < 3 || domain.find('.') == std::string_view::npos ||
      domain.front() == '.' || domain.back() == '.' ||
      domain.find("..") != std::string_view::npos) {
    return invalid();
  }
  return {};
}

Result<std::string> ValidateLabel(std::string_view text, std::string_view field, bool allow_empty) {
  std::string trimmed = Trim(text);
  long length = CountCodePoints(trimmed);
  if (length < 0 || HasControl(trimmed)) {
    return Problem::Validation(std::string(field), "Use printable text only.");
  }
  if (length == 0 && !allow_empty) {
    return Problem::Validation(std::string(field), "This field is required.");
  }
  if (length > 200) {
    return Problem::Validation(std::string(field), "Use at most 200 characters.");
  }
  return trimmed;
}

Result<std::string> ValidateName(std::string_view name, std::string_view field) {
  return ValidateLabel(name, field, /*allow_empty=*/false);
}

Status CheckEmailLength(std::string_view email, std::string_view field) {
  if (Trim(email).size() <= kMaxEmailBytes) return {};
  return Problem::Validation(std::string(field), "Use at most 254 characters.");
}

Status CheckPasswordLength(std::string_view password, std::string_view field) {
  long length = CountCodePoints(password);
  if (length < 0) length = static_cast<long>(password.size());
  if (length <= kMaxPasswordCodePoints) return {};
  return Problem::Validation(std::string(field), "Use at most 128 characters.");
}

}  // namespace roster::domain
