#pragma once

#include <chrono>
#include <cstddef>

#include "http/message.hpp"

namespace roster::http {

// Writes one structured line per answered request through spdlog's default
// logger, for example:
//   event=http_request time=2026-11-30T01:51:06.123Z method=GET
//   path=/api/v1/orgs/12/members route=/api/v1/orgs/{org}/members status=200
//   duration_ms=3.412 bytes=1834 client=203.0.113.7 user=42
// It never logs the query string, a header (cookies, Authorization) or a
// body; `user` is response.log_user, which handlers fill with an id only.
void LogAccess(const Request& request, const Response& response, std::chrono::nanoseconds duration,
               std::size_t body_bytes);

}  // namespace roster::http
