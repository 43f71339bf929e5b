#include "mail/quoted_printable.hpp"

#include <vector>

namespace roster::mail {
namespace {

// RFC 2045: an encoded line is at most 76 characters, the soft break's '='
// included.
constexpr std::size_t kMaxLine = 76;

std::vector<std::string_view> Lines(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\n' && text[i] != '\r') continue;
    lines.push_back(text.substr(start, i - start));
    if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
    start = i + 1;
  }
  if (start < text.size()) lines.push_back(text.substr(start));
  return lines;
}

std::string Token(unsigned char byte, bool last_in_line) {
  bool literal = (byte >= 33 && byte <= 126 && byte != '=') ||
                 ((byte == ' ' || byte == '\t') && !last_in_line);
  if (literal) return std::string(1, static_cast<char>(byte));
  static constexpr char kHex[] = "0123456789ABCDEF";
  return {'=', kHex[byte >> 4], kHex[byte & 15]};
}

}  // namespace

std::string EncodeQuotedPrintable(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (std::string_view line : Lines(text)) {
    std::size_t column = 0;
    for (std::size_t i = 0; i < line.size(); ++i) {
      bool last = i + 1 == line.size();
      std::string token = Token(static_cast<unsigned char>(line[i]), last);
      // The last token may fill the line; any other leaves room for "=".
      std::size_t room = last ? kMaxLine : kMaxLine - 1;
      if (column + token.size() > room) {
        out += "=\r\n";
        column = 0;
      }
      out += token;
      column += token.size();
    }
    out += "\r\n";
  }
  return out;
}

}  // namespace roster::mail
