// EncodeQuotedPrintable on any bytes: the result is 7-bit printable text in
// CRLF lines of at most 76 characters, no line ends in a space or a tab, and
// decoding it gives back the input with its line breaks as CRLF.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.hpp"
#include "mail/quoted_printable.hpp"

namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;  // the encoder writes upper-case hex only
}

// The input as the encoder should see it: every LF, CRLF or CR a CRLF, and
// a last line without a break gets one.
std::string ExpectedLines(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\r' || text[i] == '\n') {
      if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      out += "\r\n";
    } else {
      out += text[i];
    }
  }
  if (!out.empty() && !out.ends_with("\r\n")) out += "\r\n";
  return out;
}

// RFC 2045 section 6.7 decoding of what the encoder wrote; checks the form
// of every line on the way.
std::string Decode(std::string_view encoded) {
  std::string out;
  while (!encoded.empty()) {
    std::size_t end = encoded.find("\r\n");
    ROSTER_FUZZ_CHECK(end != std::string_view::npos);  // every line ends with CRLF
    std::string_view line = encoded.substr(0, end);
    encoded.remove_prefix(end + 2);
    ROSTER_FUZZ_CHECK(line.size() <= 76);
    ROSTER_FUZZ_CHECK(line.empty() || (line.back() != ' ' && line.back() != '\t'));
    bool soft = false;
    for (std::size_t i = 0; i < line.size(); ++i) {
      char c = line[i];
      ROSTER_FUZZ_CHECK(c == ' ' || c == '\t' || (c >= 33 && c <= 126));
      if (c != '=') {
        out += c;
        continue;
      }
      if (i + 1 == line.size()) {
        soft = true;
        break;
      }
      ROSTER_FUZZ_CHECK(i + 2 < line.size());
      int high = HexValue(line[i + 1]);
      int low = HexValue(line[i + 2]);
      ROSTER_FUZZ_CHECK(high >= 0 && low >= 0);
      out += static_cast<char>(high * 16 + low);
      i += 2;
    }
    if (!soft) out += "\r\n";
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::string encoded = roster::mail::EncodeQuotedPrintable(text);
  ROSTER_FUZZ_CHECK(Decode(encoded) == ExpectedLines(text));
  return 0;
}
