#pragma once

#include <string>

#include "http/router.hpp"

namespace roster::http {

// A handler that serves the web console's built files from `directory`, for
// Router::SetFallback.
//   - GET and HEAD only (else 405); never a path under /api/ (404) but
//     /api/docs, which answers api-docs.html (the API reference).
//   - Never a file outside `directory`: a "." or ".." segment, a hidden
//     (dot) segment or a path that resolves (through symlinks) outside it
//     answers 404.
//   - Content-Type by extension; `/assets/*` (content-hashed build output) is
//     `Cache-Control: public, max-age=31536000, immutable`, everything else
//     `no-cache` with an ETag (If-None-Match answers 304).
//   - When `<file>.gz` exists it is sent instead, with Content-Encoding: gzip,
//     to clients that accept gzip; such files always carry Vary:
//     Accept-Encoding.
//   - A missing path without a file extension outside /assets/ is a
//     client-side route and gets index.html; other missing files 404.
// Files are read on each request (the OS caches them); the console's bundles
// are small.
Handler MakeStaticFiles(std::string directory);

}  // namespace roster::http
