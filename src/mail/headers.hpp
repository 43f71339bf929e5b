#pragma once

#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "core/result.hpp"

// The pieces of an RFC 5322 header that carry user input. Everything here
// guarantees one property: whatever the input, the output is a single header
// value that contains no CR, LF or other control character, so no input can
// end a header early or start a new one.
namespace roster::mail {

// `text` as one line of valid UTF-8: invalid bytes become U+FFFD; C0 and C1
// controls (CR, LF and TAB included), DEL, the Unicode line and paragraph
// separators and the bidirectional overrides become spaces; runs of spaces
// collapse to one; the ends are trimmed. Used for every name and subject, in headers and in bodies alike.
std::string SanitizeLine(std::string_view text);

// OK when `address` is a plain ASCII addr-spec "local@domain": a dot-atom
// local part of at most 64 characters and a domain of letters, digits and
// hyphens in dot-separated labels, 254 characters at most in all. Quoted
// local parts, address literals and internationalized addresses are refused
// (kValidation, field "email"), as is anything with a space or a control.
Status ValidateAddress(std::string_view address);

// OK when `domain` is a host name as ValidateAddress accepts after the '@'.
Status ValidateDomain(std::string_view domain);

// The value of an address header (From, To): `address` alone when
// `display_name` is empty after SanitizeLine; otherwise the name as a
// quoted-string when it is short printable ASCII without "=?", else as
// RFC 2047 encoded words folded over several lines; then " <address>".
// REQUIRES: ValidateAddress(address).ok()
std::string FormatAddressHeader(std::string_view display_name, std::string_view address);

// The value of an unstructured header (Subject) after SanitizeLine: as is
// when it is printable ASCII, folded at spaces to 78-column lines; as RFC 2047
// encoded words otherwise (non-ASCII, a word too long to fold, or text that
// would read as an encoded word).
// `header_name_length` is the length of "Subject" (the first line also holds
// "Subject: ").
std::string FormatUnstructuredHeader(std::string_view text, std::size_t header_name_length);

// RFC 2047 "B" encoded words in UTF-8, each at most 64 characters, joined by
// CRLF SP (folding whitespace, which a decoder drops between encoded words).
// Never splits a UTF-8 sequence across two words.
std::string EncodeWords(std::string_view utf8);

// "Mon, 30 Nov 2026 01:51:06 +0000" (RFC 5322 section 3.3, always UTC and
// English, whatever the locale).
std::string FormatRfc5322Date(UnixSeconds t);

}  // namespace roster::mail
