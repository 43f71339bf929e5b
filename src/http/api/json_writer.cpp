#include "http/api/json_writer.hpp"

#include <charconv>
#include <cstdint>
#include <cstring>
#include <nlohmann/json.hpp>

namespace roster::http {
namespace {

// Printable ASCII other than '"' and '\\' is written as it is. Eight bytes
// at a time (a page's names and e-mails made the byte loop 5 % of roster's
// CPU): with no byte of 0x80 or more, a byte below 0x20 borrows into its own
// high bit in x - 0x20.., and a '"' or '\\' is a zero byte of x ^ that
// character, which borrows into its high bit in (x ^ c..) - 0x01..; a
// borrow reaches the next byte only from a byte already found.
bool IsPlain(std::string_view text) {
  constexpr std::uint64_t kOnes = 0x0101010101010101;
  constexpr std::uint64_t kHigh = kOnes * 0x80;
  const char* at = text.data();
  std::size_t left = text.size();
  for (; left >= 8; at += 8, left -= 8) {
    std::uint64_t x;
    std::memcpy(&x, at, 8);
    std::uint64_t quote = (x ^ (kOnes * '"')) - kOnes;
    std::uint64_t backslash = (x ^ (kOnes * '\\')) - kOnes;
    if ((x | (x - kOnes * 0x20) | quote | backslash) & kHigh) return false;
  }
  for (; left > 0; ++at, --left) {
    unsigned char c = static_cast<unsigned char>(*at);
    if (c < 0x20 || c >= 0x80 || c == '"' || c == '\\') return false;
  }
  return true;
}

}  // namespace

void JsonWriter::BeforeValue() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (!first_.empty()) {
    if (!first_.back()) out_ += ',';
    first_.back() = false;
  }
}

JsonWriter& JsonWriter::BeginObject() {
  BeforeValue();
  out_ += '{';
  first_.push_back(true);
  return *this;
}

JsonWriter& JsonWriter::EndObject() {
  out_ += '}';
  first_.pop_back();
  return *this;
}

JsonWriter& JsonWriter::BeginArray() {
  BeforeValue();
  out_ += '[';
  first_.push_back(true);
  return *this;
}

JsonWriter& JsonWriter::EndArray() {
  out_ += ']';
  first_.pop_back();
  return *this;
}

JsonWriter& JsonWriter::Key(std::string_view key) {
  String(key);
  out_ += ':';
  after_key_ = true;
  return *this;
}

JsonWriter& JsonWriter::String(std::string_view text) {
  BeforeValue();
  if (IsPlain(text)) {
    out_ += '"';
    out_ += text;
    out_ += '"';
  } else {
    // Escapes and UTF-8 repair exactly as the rest of the API does them.
    out_ += nlohmann::json(std::string(text))
                .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  }
  return *this;
}

JsonWriter& JsonWriter::Int(std::int64_t value) {
  BeforeValue();
  char buffer[24];
  auto end = std::to_chars(buffer, buffer + sizeof buffer, value).ptr;
  out_.append(buffer, end);
  return *this;
}

JsonWriter& JsonWriter::Bool(bool value) {
  BeforeValue();
  out_ += value ? "true" : "false";
  return *this;
}

JsonWriter& JsonWriter::Null() {
  BeforeValue();
  out_ += "null";
  return *this;
}

}  // namespace roster::http
