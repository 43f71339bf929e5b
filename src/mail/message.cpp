#include "mail/message.hpp"

#include <cstdint>
#include <optional>
#include <random>
#include <regex>
#include <utility>

#include "mail/headers.hpp"
#include "mail/quoted_printable.hpp"

namespace roster::mail {
namespace {

// 128 bits in hex: unique enough for a Message-ID, and a MIME boundary that
// no quoted-printable body can contain by accident. Neither is a secret, so
// a generator seeded once per thread serves: a std::random_device made per
// call cost ~29 us of CPU on our machines, twice per message, on the path of
// every request that queues one.
std::string RandomHex() {
  thread_local std::mt19937_64 generator = [] {
    std::random_device device;
    std::seed_seq seed{device(), device(), device(), device()};
    return std::mt19937_64(seed);
  }();
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  out.reserve(32);
  for (int i = 0; i < 2; ++i) {
    std::uint64_t bits = generator();
    for (int k = 0; k < 16; ++k, bits >>= 4) out += kHex[bits & 15];
  }
  return out;
}

void AppendPart(std::string& out, const std::string& boundary, const char* type,
                const std::string& body) {
  out += "--" + boundary + "\r\n";
  out += std::string("Content-Type: ") + type + "; charset=UTF-8\r\n";
  out += "Content-Transfer-Encoding: quoted-printable\r\n\r\n";
  out += EncodeQuotedPrintable(body);
  // RFC 2046: the CRLF before a boundary belongs to the boundary, so the
  // body's own last line break needs one more.
  out += "\r\n";
}

}  // namespace

Result<std::string> ComposeMessage(const EmailContent& content, UnixSeconds date,
                                   const std::string& message_id_domain) {
  ROSTER_TRY_STATUS(ValidateAddress(content.from_address));
  ROSTER_TRY_STATUS(ValidateAddress(content.to_address));
  static const std::regex address_literal(R"(^\[[0-9A-Fa-f:.]+\]$)");
  if (!ValidateDomain(message_id_domain).ok() &&
      !std::regex_match(message_id_domain, address_literal)) {
    return Problem::Validation("message_id_domain",
                               "The Message-ID domain \"" + SanitizeLine(message_id_domain) +
                                   "\" is not a host name.");
  }
  std::string out;
  out += "Date: " + FormatRfc5322Date(date) + "\r\n";
  out += "From: " + FormatAddressHeader(content.from_name, content.from_address) + "\r\n";
  out += "To: " + FormatAddressHeader(content.to_name, content.to_address) + "\r\n";
  out += "Subject: " + FormatUnstructuredHeader(content.subject, 7) + "\r\n";
  out += "Message-ID: <" + RandomHex() + "@" + message_id_domain + ">\r\n";
  out += "MIME-Version: 1.0\r\n";
  // RFC 3834: tells auto-responders (vacation replies) not to answer.
  out += "Auto-Submitted: auto-generated\r\n";
  if (content.html.empty()) {
    out += "Content-Type: text/plain; charset=UTF-8\r\n";
    out += "Content-Transfer-Encoding: quoted-printable\r\n\r\n";
    out += EncodeQuotedPrintable(content.text);
    return out;
  }
  std::string boundary = "=_roster_" + RandomHex();  // "=_" never occurs in QP text
  out += "Content-Type: multipart/alternative; boundary=\"" + boundary + "\"\r\n\r\n";
  AppendPart(out, boundary, "text/plain", content.text);
  AppendPart(out, boundary, "text/html", content.html);
  out += "--" + boundary + "--\r\n";
  return out;
}

namespace {

// Where the first From header of `message` starts and ends (before its
// CRLF), folded lines included; nullopt when the header has none.
std::optional<std::pair<std::size_t, std::size_t>> FindFromHeader(const std::string& message) {
  std::size_t line = 0;
  while (line < message.size()) {
    std::size_t end = message.find("\r\n", line);
    if (end == std::string::npos) end = message.size();
    if (end == line) break;  // the blank line that ends the header
    // A header is the line plus its folded continuation lines.
    std::size_t header_end = end;
    while (header_end + 2 < message.size() &&
           (message[header_end + 2] == ' ' || message[header_end + 2] == '\t')) {
      std::size_t next = message.find("\r\n", header_end + 2);
      header_end = next == std::string::npos ? message.size() : next;
    }
    if (header_end - line > 5 && message.compare(line, 5, "From:") == 0) {
      return std::pair{line, header_end};
    }
    line = header_end + 2;
  }
  return std::nullopt;
}

}  // namespace

std::string ReplaceFromHeader(const std::string& message, const std::string& from) {
  auto found = FindFromHeader(message);
  if (!found) return message;
  return message.substr(0, found->first) + "From: " + from + message.substr(found->second);
}

std::string ExtractFromAddress(const std::string& message) {
  auto found = FindFromHeader(message);
  if (!found) return "";
  std::string header = message.substr(found->first, found->second - found->first);
  std::size_t open = header.rfind('<');
  std::size_t close = header.rfind('>');
  if (open != std::string::npos && close != std::string::npos && close > open) {
    return header.substr(open + 1, close - open - 1);
  }
  std::string value = header.substr(5);
  std::size_t first = value.find_first_not_of(" \t");
  std::size_t last = value.find_last_not_of(" \t");
  return first == std::string::npos ? "" : value.substr(first, last - first + 1);
}

}  // namespace roster::mail
