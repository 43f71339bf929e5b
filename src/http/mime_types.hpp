#pragma once

#include <string_view>

namespace roster::http {

// The Content-Type for a file extension (".js", case-insensitive); text types
// carry charset=utf-8. Unknown extensions are application/octet-stream, which
// browsers (with nosniff) will not execute or render.
std::string_view MimeTypeOf(std::string_view extension);

}  // namespace roster::http
