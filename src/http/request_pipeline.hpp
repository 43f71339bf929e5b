#pragma once

// The transport-independent path of one request: checks that run before any
// handler, the exception boundary, and the headers every response carries.
// The socket code (connection.cpp) calls HandleRequest and knows nothing of
// CSRF, JSON or security headers.

#include <optional>
#include <string_view>

#include "http/message.hpp"
#include "http/router.hpp"

namespace roster::http {

// For POST/PUT/PATCH/DELETE under /api/: requires `X-Requested-With: roster`
// (else 403 `csrf`); a non-empty body must be JSON by Content-Type
// (application/json or application/*+json, parameters allowed; else 415
// `unsupported_media_type`) and is parsed into request.json (malformed: 400
// `malformed_json`). nullopt when the request may go on to its handler.
std::optional<Response> PreDispatch(Request& request);

// Adds the Content-Security-Policy and the other security headers to every
// response, and `Cache-Control: no-store` to every response under /api/
// (replacing any the handler set).
void AddSecurityHeaders(std::string_view path, Response& response);

// What every answer gets on its way out, the connection's own refusals
// (413, 431, bad framing) included: under /scim/ a problem+json answer
// becomes the SCIM error message identity providers read (RFC 7644 section
// 3.12), then AddSecurityHeaders.
void FinishResponse(std::string_view path, Response& response);

// Gives the request an id (request.id) that the thread's log lines carry
// while it runs; PreDispatch, then router.Dispatch; an exception from the handler becomes a
// 500 `internal` problem and an error log line. Always adds the security
// headers. Never throws for a handler's fault. Ends with FinishResponse (a
// SCIM path's problem: no such route, method not allowed, a 500).

Response HandleRequest(const Router& router, Request& request);

}  // namespace roster::http
