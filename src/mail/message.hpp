#pragma once

#include <string>

#include "core/clock.hpp"
#include "core/result.hpp"

namespace roster::mail {

// What an e-mail says, before it is encoded. Names and the subject may hold
// any text (they are sanitized and encoded); the addresses must be valid
// (see ValidateAddress). `text` and `html` are complete bodies, in UTF-8; the
// HTML must already be escaped by whoever built it (see templates.hpp).
struct EmailContent {
  std::string from_address;
  std::string from_name;
  std::string to_address;
  std::string to_name;
  std::string subject;
  std::string text;
  std::string html;  // empty: a text-only message
};

// A complete RFC 5322 message with CRLF line ends: Date, From, To, Subject,
// Message-ID (<random@message_id_domain>), MIME-Version, Auto-Submitted, and a
// multipart/alternative body (text/plain, then text/html; UTF-8).
//
// Both parts are quoted-printable: the message stays 7-bit, so it needs no
// 8BITMIME from any relay, and a short ASCII line without '=' (such as
// "One-time password: 7KQM-R2XD" or "Expires: 2026-11-30T01:51:06Z") appears
// in the raw message exactly as written, for tools and tests to read.
//
// Fails (kValidation, field "email") when an address is invalid, or when
// `message_id_domain` is not a host name. Names and the subject cannot fail:
// controls and line breaks in them become spaces, so no input can add or
// break a header.
Result<std::string> ComposeMessage(const EmailContent& content, UnixSeconds date,
                                   const std::string& message_id_domain);

// The addr-spec of the first From header of `message` (as ComposeMessage
// writes it): the text between '<' and '>', or the whole value. Empty when
// there is no From header.
std::string ExtractFromAddress(const std::string& message);

// `message` with the value of its first From header (folded lines
// included) replaced by `from` (FormatAddressHeader's form); unchanged when
// it has none. Only the header is looked at, never the body.
std::string ReplaceFromHeader(const std::string& message, const std::string& from);

}  // namespace roster::mail
