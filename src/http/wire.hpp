#pragma once

// Conversions between Beast's messages and Roster's Request/Response.
// Internal to the server: only connection.cpp and tests include it.

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include "core/result.hpp"
#include "http/message.hpp"

namespace roster::http {

using WireRequest = boost::beast::http::request<boost::beast::http::string_body>;
using WireResponse = boost::beast::http::response<boost::beast::http::string_body>;

// Fills method, target, headers (lower-case names; repeated fields joined
// with ", ", cookies with "; "), path and query from a parsed request head.
// A 400 `bad_request` Problem when the target is not an absolute path or is
// not valid percent-encoding; method, target and headers are filled anyway.
Status FromWire(const WireRequest& head, Request& request);

enum class BodyPolicy { kSend, kHeadersOnly };  // kHeadersOnly: answering HEAD

// The wire form of `response`: a Date header, Content-Length (except for
// 1xx/204/304, which have no body), Connection per `keep_alive`. A status
// outside 100-599 is a handler bug and becomes 500; a header whose name is
// not a token or whose value holds CR, LF or NUL is dropped with an error
// log line (no response splitting).
WireResponse ToWire(Response response, unsigned http_version, BodyPolicy body, bool keep_alive);

}  // namespace roster::http
