#include "mail/quoted_printable.hpp"

#include <gtest/gtest.h>

namespace roster::mail {
namespace {

// RFC 2045 decoding, for round trips: soft breaks vanish, =XX is a byte,
// CRLF is a line break (returned as LF).
std::string Decode(const std::string& encoded) {
  std::string out;
  for (std::size_t i = 0; i < encoded.size(); ++i) {
    if (encoded.compare(i, 3, "=\r\n") == 0) {
      i += 2;
    } else if (encoded[i] == '=') {
      out += static_cast<char>(std::stoi(encoded.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else if (encoded.compare(i, 2, "\r\n") == 0) {
      out += '\n';
      i += 1;
    } else {
      out += encoded[i];
    }
  }
  return out;
}

TEST(QuotedPrintableTest, Table) {
  struct Case {
    std::string input, encoded;
  } cases[] = {
      {"One-time password: 7KQM-R2XD", "One-time password: 7KQM-R2XD\r\n"},
      {"Expires: 2026-11-30T01:51:06Z\n", "Expires: 2026-11-30T01:51:06Z\r\n"},
      {"a=b", "a=3Db\r\n"},
      {"trailing space \nx", "trailing space=20\r\nx\r\n"},
      {"tab\t", "tab=09\r\n"},
      {"J\xC3\xB6rg", "J=C3=B6rg\r\n"},
      {"crlf\r\nlf\ncr\rend", "crlf\r\nlf\r\ncr\r\nend\r\n"},
      {"\n\nx", "\r\n\r\nx\r\n"},
      {"", ""},
  };
  for (const Case& c : cases) EXPECT_EQ(EncodeQuotedPrintable(c.input), c.encoded) << c.input;
}

TEST(QuotedPrintableTest, LongLinesGetSoftBreaksAndRoundTrip) {
  std::string text;
  for (int i = 0; i < 50; ++i) text += "w\xC3\xB6rd= ";
  text += "\nshort\n" + std::string(76, 'x') + "\n" + std::string(77, 'y') + "\n";
  std::string encoded = EncodeQuotedPrintable(text);
  std::size_t start = 0;
  while (start < encoded.size()) {
    std::size_t end = encoded.find("\r\n", start);
    EXPECT_LE(end - start, 76u) << encoded.substr(start, end - start);
    start = end + 2;
  }
  EXPECT_NE(encoded.find("\r\n" + std::string(76, 'x') + "\r\n"), std::string::npos);
  EXPECT_EQ(Decode(encoded), text);
}

}  // namespace
}  // namespace roster::mail
