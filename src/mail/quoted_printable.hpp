#pragma once

#include <string>
#include <string_view>

namespace roster::mail {

// RFC 2045 section 6.7 quoted-printable, with CRLF line ends. Every line break
// of `text` (LF, CRLF or CR) becomes a CRLF; printable ASCII other than '='
// stays as it is, so a short ASCII line reads the same in the encoded text;
// every other byte becomes =XX; a space or tab at the end of a line is
// encoded; lines longer than 76 characters get soft breaks ("=" CRLF).
// The result ends with CRLF.
std::string EncodeQuotedPrintable(std::string_view text);

}  // namespace roster::mail
