#include "mail/message.hpp"

#include <cstdio>
#include <fstream>
#include <set>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "support/mail_test_support.hpp"
#include "support/smtp_server.hpp"

namespace roster::mail {
namespace {

using testing_support::DecodeHeader;
using testing_support::Headers;
using testing_support::HeaderValue;

constexpr UnixSeconds kDate = 1796003466;  // Mon, 30 Nov 2026 01:51:06 UTC

EmailContent Sample() {
  EmailContent content;
  content.from_address = "roster@example.com";
  content.from_name = "Roster";
  content.to_address = "ann@example.com";
  content.to_name = "Ann Smith";
  content.subject = "Welcome";
  content.text = "Hello Ann,\nOne-time password: 7KQM-R2XD\nExpires: 2026-12-01T01:51:06Z\n";
  content.html = "<p>Hello Ann,</p>\n";
  return content;
}

std::string Compose(const EmailContent& content) {
  Result<std::string> message = ComposeMessage(content, kDate, "roster.example.com");
  EXPECT_TRUE(message.ok()) << (message.ok() ? "" : message.problem().detail);
  return message.ok() ? message.value() : "";
}

std::set<std::string> HeaderNames(const std::string& message) {
  std::set<std::string> names;
  for (const std::string& header : Headers(message)) names.insert(header.substr(0, header.find(':')));
  return names;
}

// An independent reading of the message: Python's email package (policy
// "default", the strict modern parser) reports the headers it found and the
// decoded parts.
nlohmann::json ParseWithPython(const std::string& message) {
  testing_support::TemporaryDirectory directory;
  std::ofstream(directory.path() / "message.eml", std::ios::binary) << message;
  std::ofstream(directory.path() / "parse.py") << R"(
import email, json, sys
from email import policy
with open(sys.argv[1], 'rb') as f:
    m = email.message_from_binary_file(f, policy=policy.default)
out = {'headers': list(m.keys()), 'defects': [type(d).__name__ for d in m.defects]}
for field in ('From', 'To'):
    address = m[field].addresses[0]
    out[field] = {'name': address.display_name, 'address': address.addr_spec,
                  'count': len(m[field].addresses)}
out['Subject'] = str(m['Subject'])
text = m.get_body(('plain',))
html = m.get_body(('html',))
out['text'] = text.get_content() if text else None
out['html'] = html.get_content() if html else None
print(json.dumps(out))
)";
  std::string command = test_support::TestPython() + " " +
                        (directory.path() / "parse.py").string() + " " +
                        (directory.path() / "message.eml").string();
  std::FILE* pipe = ::popen(command.c_str(), "r");
  std::string output;
  char buffer[4096];
  while (std::size_t n = std::fread(buffer, 1, sizeof buffer, pipe)) output.append(buffer, n);
  EXPECT_EQ(::pclose(pipe), 0) << output;
  return nlohmann::json::parse(output);
}

TEST(ComposeMessageTest, HasEveryHeaderAndTwoPartsWithCrlfLineEnds) {
  std::string message = Compose(Sample());
  EXPECT_EQ(HeaderNames(message),
            (std::set<std::string>{"Date", "From", "To", "Subject", "Message-ID", "MIME-Version",
                                   "Auto-Submitted", "Content-Type"}));
  EXPECT_EQ(HeaderValue(message, "Date"), "Mon, 30 Nov 2026 01:51:06 +0000");
  EXPECT_EQ(HeaderValue(message, "From"), "\"Roster\" <roster@example.com>");
  EXPECT_EQ(HeaderValue(message, "To"), "\"Ann Smith\" <ann@example.com>");
  EXPECT_EQ(HeaderValue(message, "Subject"), "Welcome");
  EXPECT_EQ(HeaderValue(message, "MIME-Version"), "1.0");
  std::string id = HeaderValue(message, "Message-ID");
  EXPECT_EQ(id.front(), '<');
  EXPECT_NE(id.find("@roster.example.com>"), std::string::npos);
  EXPECT_NE(id, HeaderValue(Compose(Sample()), "Message-ID"));  // unique per message

  for (std::size_t i = 0; i < message.size(); ++i) {
    if (message[i] == '\n') {
      ASSERT_EQ(message[i - 1], '\r') << "bare LF at " << i;
    }
    if (message[i] == '\r') {
      ASSERT_EQ(message[i + 1], '\n') << "bare CR at " << i;
    }
    ASSERT_LT(static_cast<unsigned char>(message[i]), 0x80) << "not 7-bit at " << i;
  }
  std::size_t plain = message.find("Content-Type: text/plain; charset=UTF-8");
  std::size_t html = message.find("Content-Type: text/html; charset=UTF-8");
  ASSERT_NE(plain, std::string::npos);
  ASSERT_NE(html, std::string::npos);
  EXPECT_LT(plain, html);  // the last part is the preferred one: HTML

  nlohmann::json parsed = ParseWithPython(message);
  EXPECT_TRUE(parsed["defects"].empty()) << parsed.dump();
  EXPECT_EQ(parsed["text"], Sample().text);
  EXPECT_EQ(parsed["html"], Sample().html);
}

TEST(ComposeMessageTest, OneTimePasswordAndExpiryAreLiteralLinesOfTheRawMessage) {
  EmailContent content = Sample();
  content.text = "Hall\xC3\xB6 J\xC3\xB6rg = friend,\nOne-time password: 7KQM-R2XD-ABCD-EFGH\n"
                 "Expires: 2026-12-01T01:51:06Z\n";
  std::string message = Compose(content);
  EXPECT_NE(message.find("\r\nOne-time password: 7KQM-R2XD-ABCD-EFGH\r\n"), std::string::npos);
  EXPECT_NE(message.find("\r\nExpires: 2026-12-01T01:51:06Z\r\n"), std::string::npos);
}

TEST(ComposeMessageTest, TextOnlyWhenThereIsNoHtml) {
  EmailContent content = Sample();
  content.html.clear();
  std::string message = Compose(content);
  EXPECT_EQ(HeaderValue(message, "Content-Type"), "text/plain; charset=UTF-8");
  EXPECT_EQ(message.find("multipart"), std::string::npos);
  EXPECT_EQ(ParseWithPython(message)["text"], content.text);
}

TEST(ComposeMessageTest, NonAsciiNamesAndSubjectRoundTripAsRfc2047) {
  EmailContent content = Sample();
  content.to_name = "J\xC3\xB6rg M\xC3\xBCller";
  content.from_name = "\xE5\xB1\xB1\xE7\x94\xB0 Roster";
  content.subject = "Einladung zu M\xC3\xBCller & S\xC3\xB6hne GmbH \xE2\x80\x93 bitte best\xC3\xA4tigen";
  std::string message = Compose(content);
  EXPECT_NE(HeaderValue(message, "To").find("=?UTF-8?B?"), std::string::npos);
  EXPECT_EQ(DecodeHeader(HeaderValue(message, "To")), content.to_name + " <ann@example.com>");
  EXPECT_EQ(DecodeHeader(HeaderValue(message, "Subject")), content.subject);

  nlohmann::json parsed = ParseWithPython(message);
  EXPECT_TRUE(parsed["defects"].empty()) << parsed.dump();
  EXPECT_EQ(parsed["To"]["name"], content.to_name);
  EXPECT_EQ(parsed["To"]["address"], "ann@example.com");
  EXPECT_EQ(parsed["From"]["name"], content.from_name);
  EXPECT_EQ(parsed["Subject"], content.subject);
}

TEST(ComposeMessageTest, NoNameOrSubjectCanAddOrBreakAHeader) {
  const std::string attacks[] = {
      "Eve\r\nBcc: victim@example.com",
      "Eve\nBcc: victim@example.com",
      "Eve\rBcc: victim@example.com",
      "Eve\r\n\r\n<html>injected body</html>",
      "Eve\r\n Continued: header",
      "\xC3\x88ve\r\nBcc: victim@example.com",
      "Eve\" <eve@evil.example>, \"Mallory",
      std::string("Eve\0Bcc: v@example.com", 22),
      "=?UTF-8?B?RXZlDQpCY2M6IHZpY3RpbUBleGFtcGxlLmNvbQ==?=",  // "Eve\r\nBcc: ..." pre-encoded
  };
  for (const std::string& attack : attacks) {
    EmailContent content = Sample();
    content.to_name = attack;
    content.from_name = attack;
    content.subject = attack;
    std::string message = Compose(content);
    EXPECT_EQ(HeaderNames(message),
              (std::set<std::string>{"Date", "From", "To", "Subject", "Message-ID", "MIME-Version",
                                     "Auto-Submitted", "Content-Type"}))
        << attack;
    nlohmann::json parsed = ParseWithPython(message);
    EXPECT_EQ(parsed["headers"],
              nlohmann::json({"Date", "From", "To", "Subject", "Message-ID", "MIME-Version",
                              "Auto-Submitted", "Content-Type"}))
        << attack;
    EXPECT_EQ(parsed["To"]["address"], "ann@example.com") << attack;
    EXPECT_EQ(parsed["To"]["count"], 1) << attack;
    EXPECT_EQ(parsed["From"]["address"], "roster@example.com") << attack;
    EXPECT_EQ(parsed["Subject"].get<std::string>().find('\n'), std::string::npos) << attack;
    EXPECT_EQ(parsed["text"], Sample().text) << attack;
  }
}

TEST(ComposeMessageTest, RefusesBadAddressesAndDomains) {
  for (const char* address : {"ann@example.com\r\nBcc: victim@example.com", "ann", "",
                              "ann@example.com, bob@example.com", "<ann@example.com>"}) {
    EmailContent to = Sample();
    to.to_address = address;
    Result<std::string> refused = ComposeMessage(to, kDate, "roster.example.com");
    ASSERT_FALSE(refused.ok()) << address;
    EXPECT_EQ(refused.problem().category, ProblemCode::kValidation);
    EmailContent from = Sample();
    from.from_address = address;
    EXPECT_FALSE(ComposeMessage(from, kDate, "roster.example.com").ok()) << address;
  }
  EXPECT_FALSE(ComposeMessage(Sample(), kDate, "example.com>\r\nBcc: x@y.z").ok());
  EXPECT_FALSE(ComposeMessage(Sample(), kDate, "").ok());
  EXPECT_FALSE(ComposeMessage(Sample(), kDate, "[").ok());
  EXPECT_FALSE(ComposeMessage(Sample(), kDate, "[::1]>\r\nBcc: x@y.z").ok());
}

// A public URL of an IPv6 address names the Message-ID domain as a domain
// literal (RFC 5322's id-right).
TEST(ComposeMessageTest, AnAddressLiteralNamesTheMessageIdDomain) {
  for (const char* domain : {"[::1]", "[2001:db8::1]", "[192.0.2.1]"}) {
    Result<std::string> message = ComposeMessage(Sample(), kDate, domain);
    ASSERT_TRUE(message.ok()) << domain;
    EXPECT_NE(message->find(std::string("@") + domain + ">\r\n"), std::string::npos) << *message;
  }
}

TEST(ReplaceFromHeaderTest, ReplacesTheHeaderWithItsFoldedLinesAndNothingElse) {
  const std::string message =
      "Date: x\r\nFrom: =?UTF-8?Q?a_very_long_name?=\r\n =?UTF-8?Q?folded?= <old@example.com>\r\n"
      "To: ann@example.com\r\n\r\nFrom: a line of the body\r\n";
  std::string replaced = ReplaceFromHeader(message, "\"Acme\" <roster@acme.example>");
  EXPECT_EQ(replaced,
            "Date: x\r\nFrom: \"Acme\" <roster@acme.example>\r\nTo: ann@example.com\r\n\r\n"
            "From: a line of the body\r\n");
  EXPECT_EQ(ExtractFromAddress(replaced), "roster@acme.example");
  const std::string no_from = "To: ann@example.com\r\n\r\nFrom: the body\r\n";
  EXPECT_EQ(ReplaceFromHeader(no_from, "x <y@z.example>"), no_from);
}

TEST(ExtractFromAddressTest, ReadsTheFromHeader) {
  EXPECT_EQ(ExtractFromAddress(Compose(Sample())), "roster@example.com");
  EmailContent content = Sample();
  content.from_name.clear();
  EXPECT_EQ(ExtractFromAddress(Compose(content)), "roster@example.com");
  content.from_name = std::string(30, 'x') + " \xC3\xA9 " + std::string(60, 'y');  // folded
  EXPECT_EQ(ExtractFromAddress(Compose(content)), "roster@example.com");
  EXPECT_EQ(ExtractFromAddress("Subject: x\r\n\r\nFrom: body@example.com\r\n"), "");
}

}  // namespace
}  // namespace roster::mail
