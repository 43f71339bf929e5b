#include "mail/headers.hpp"

#include <gtest/gtest.h>

#include "support/mail_test_support.hpp"

namespace roster::mail {
namespace {

using testing_support::DecodeHeader;

// Every line of a header value is short and holds no control character; a
// line after the first starts with a space (a continuation, never a header).
void ExpectSafeHeaderValue(const std::string& value) {
  std::size_t start = 0;
  bool first = true;
  while (start <= value.size()) {
    std::size_t end = value.find("\r\n", start);
    std::string line = value.substr(start, end == std::string::npos ? std::string::npos : end - start);
    if (!first) {
      EXPECT_EQ(line.substr(0, 1), " ") << value;
    }
    EXPECT_LE(line.size(), 78u) << line;
    for (char c : line) {
      EXPECT_FALSE(static_cast<unsigned char>(c) < 0x20 || c == 0x7F) << value;
      EXPECT_FALSE(static_cast<unsigned char>(c) >= 0x80) << "not 7-bit: " << value;
    }
    if (end == std::string::npos) break;
    start = end + 2;
    first = false;
  }
}

TEST(SanitizeLineTest, MakesOneCleanLine) {
  struct Case {
    std::string input, expected;
  } cases[] = {
      {"Ann Smith", "Ann Smith"},
      {"  Ann \r\n Smith\t", "Ann Smith"},
      {"Eve\r\nBcc: victim@example.com", "Eve Bcc: victim@example.com"},
      {"a\nb\rc\x01" "d\x7F" "e", "a b c d e"},
      {"J\xC3\xB6rg M\xC3\xBCller", "J\xC3\xB6rg M\xC3\xBCller"},
      {"bad \xFF byte", "bad \xEF\xBF\xBD byte"},
      {"cut \xC3", "cut \xEF\xBF\xBD"},
      {"next\xC2\x85line", "next line"},                // U+0085 NEL
      {"line\xE2\x80\xA8sep", "line sep"},              // U+2028
      {"evil\xE2\x80\xAEgnp.exe", "evil gnp.exe"},      // U+202E right-to-left override
      {"\xF0\x9F\x98\x80 ok", "\xF0\x9F\x98\x80 ok"},  // emoji survives
      {"\xED\xA0\x80", "\xEF\xBF\xBD"},                 // a UTF-16 surrogate is not UTF-8
      {"\r\n\r\n", ""},
  };
  for (const Case& c : cases) EXPECT_EQ(SanitizeLine(c.input), c.expected) << c.input;
}

TEST(ValidateAddressTest, AcceptsPlainAddresses) {
  for (const char* address : {"ann@example.com", "first.last+tag@sub.example.co.uk",
                              "o'neil@example.com", "x@localhost", "a-b_c@ex-ample.org"}) {
    EXPECT_TRUE(ValidateAddress(address).ok()) << address;
  }
}

TEST(ValidateAddressTest, RefusesAnythingThatCouldBreakAHeaderOrTheEnvelope) {
  for (const char* address :
       {"", "ann", "ann@", "@example.com", "ann smith@example.com", "ann@exa mple.com",
        "ann@example.com\r\nBcc: victim@example.com", "ann@example.com\n", "ann\r@example.com",
        "ann@example..com", ".ann@example.com", "ann.@example.com", "ann@-example.com",
        "ann@example.com>", "<ann@example.com>", "\"ann\"@example.com", "ann@[127.0.0.1]",
        "j\xC3\xB6rg@example.com", "ann@ex\xC3\xA4mple.com", "ann,bob@example.com",
        "ann@example.com,bob@example.com", "ann@exam_ple.com"}) {
    Status status = ValidateAddress(address);
    ASSERT_FALSE(status.ok()) << address;
    EXPECT_EQ(status.problem().category, ProblemCode::kValidation);
    EXPECT_EQ(status.problem().errors.at(0).field, "email");
  }
  EXPECT_FALSE(ValidateAddress(std::string(65, 'a') + "@example.com").ok());
  EXPECT_FALSE(ValidateAddress("a@" + std::string(250, 'b') + ".com").ok());
}

TEST(FormatAddressHeaderTest, QuotesAsciiNames) {
  EXPECT_EQ(FormatAddressHeader("Ann Smith", "ann@example.com"), "\"Ann Smith\" <ann@example.com>");
  EXPECT_EQ(FormatAddressHeader("", "ann@example.com"), "ann@example.com");
  EXPECT_EQ(FormatAddressHeader(" \r\n ", "ann@example.com"), "ann@example.com");
  EXPECT_EQ(FormatAddressHeader("Smith, Ann \"The Boss\" \\o/", "ann@example.com"),
            "\"Smith, Ann \\\"The Boss\\\" \\\\o/\" <ann@example.com>");
}

TEST(FormatAddressHeaderTest, EncodesNonAsciiNamesAsRfc2047) {
  std::string value = FormatAddressHeader("J\xC3\xB6rg M\xC3\xBCller", "jorg@example.de");
  EXPECT_EQ(value, "=?UTF-8?B?SsO2cmcgTcO8bGxlcg==?= <jorg@example.de>");
  ExpectSafeHeaderValue(value);
}

TEST(FormatAddressHeaderTest, InjectionAttemptsStayInsideTheName) {
  for (const char* name : {"Eve\r\nBcc: victim@example.com", "Eve\nBcc: victim@example.com",
                           "Eve\rBcc: victim@example.com", "\xC3\xA8ve\r\nBcc: v@example.com",
                           "Eve\" <eve@evil.example>, \"x"}) {
    std::string value = FormatAddressHeader(name, "ann@example.com");
    ExpectSafeHeaderValue(value);
    EXPECT_EQ(value.substr(value.size() - 18), " <ann@example.com>") << value;
    EXPECT_EQ(DecodeHeader(value.substr(0, value.size() - 18)).find('\n'), std::string::npos);
  }
  // A quote inside a name is escaped, so the name cannot add an address.
  EXPECT_EQ(FormatAddressHeader("Eve\" <eve@evil.example>, \"x", "ann@example.com"),
            "\"Eve\\\" <eve@evil.example>, \\\"x\" <ann@example.com>");
}

TEST(FormatAddressHeaderTest, LongNamesFoldAndRoundTrip) {
  std::string name;
  for (int i = 0; i < 12; ++i) name += "Zo\xC3\xAB-Fran\xC3\xA7oise ";
  name.pop_back();
  std::string value = FormatAddressHeader(name, "zoe@example.fr");
  ExpectSafeHeaderValue(value);
  EXPECT_NE(value.find("\r\n "), std::string::npos);
  EXPECT_EQ(DecodeHeader(value), name + " <zoe@example.fr>");
}

TEST(FormatUnstructuredHeaderTest, ShortAsciiStaysReadable) {
  EXPECT_EQ(FormatUnstructuredHeader("Ann invited you to Acme", 7), "Ann invited you to Acme");
}

TEST(FormatUnstructuredHeaderTest, LongAsciiFoldsAtSpaces) {
  std::string subject;
  for (int i = 0; i < 30; ++i) subject += "word" + std::to_string(i) + " ";
  subject.pop_back();
  std::string value = FormatUnstructuredHeader(subject, 7);
  ExpectSafeHeaderValue("Subject: " + value);
  EXPECT_EQ(DecodeHeader(value), subject);
  EXPECT_EQ(value.find("=?"), std::string::npos);
}

TEST(FormatUnstructuredHeaderTest, EncodesWhatCannotStayAscii) {
  struct Case {
    std::string input, decoded;
  } cases[] = {
      {"Willkommen bei M\xC3\xBCller GmbH", "Willkommen bei M\xC3\xBCller GmbH"},
      {"=?UTF-8?B?Zm9v?= is not a word here", "=?UTF-8?B?Zm9v?= is not a word here"},
      {std::string(100, 'x'), std::string(100, 'x')},
      {"\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E\xE3\x81\xA7\xE3\x81\x99", "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E\xE3\x81\xA7\xE3\x81\x99"},
      {"Hi\r\nBcc: victim@example.com", "Hi Bcc: victim@example.com"},
  };
  for (const Case& c : cases) {
    std::string value = FormatUnstructuredHeader(c.input, 7);
    ExpectSafeHeaderValue("Subject: " + value);
    EXPECT_EQ(DecodeHeader(value), c.decoded);
  }
}

TEST(EncodeWordsTest, NeverSplitsACharacterAndKeepsWordsShort) {
  std::string text;
  for (int i = 0; i < 40; ++i) text += "\xE2\x82\xAC\xF0\x9F\x98\x80";  // euro sign, emoji
  std::string value = EncodeWords(text);
  std::size_t start = 0;
  while (start < value.size()) {
    std::size_t end = value.find("\r\n ", start);
    std::string word = value.substr(start, end == std::string::npos ? std::string::npos : end - start);
    EXPECT_LE(word.size(), 75u);  // RFC 2047 section 2
    // Each word decodes to whole UTF-8 sequences on its own.
    EXPECT_EQ(SanitizeLine(testing_support::DecodeHeader(word)), testing_support::DecodeHeader(word));
    if (end == std::string::npos) break;
    start = end + 3;
  }
  EXPECT_EQ(DecodeHeader(value), text);
}

TEST(FormatRfc5322DateTest, IsEnglishUtc) {
  EXPECT_EQ(FormatRfc5322Date(0), "Thu, 01 Jan 1970 00:00:00 +0000");
  EXPECT_EQ(FormatRfc5322Date(1796003466), "Mon, 30 Nov 2026 01:51:06 +0000");
}

}  // namespace
}  // namespace roster::mail
