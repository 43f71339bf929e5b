#pragma once

// Conversions between Beast's messages and Roster's Request/Response.
// Internal to the server: only connection.cpp and tests include it.

#include <cstddef>
#include <optional>

#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include "core/result.hpp"
#include "http/message.hpp"

namespace roster::http {

using WireRequest = boost::beast::http::request<boost::beast::http::string_body>;
using WireResponse = boost::beast::http::response<boost::beast::http::string_body>;
// The head of a streamed answer; its body follows as chunks.
using WireStreamHead = boost::beast::http::response<boost::beast::http::empty_body>;
using RequestParser = boost::beast::http::request_parser<boost::beast::http::string_body>;

// Sets up a new parser the way the server reads a request: the head may be
// at most `max_header_bytes` (beyond: error::header_limit, answered 431);
// the body is not limited yet, so that a too large Content-Length is
// answered 413 by CheckFraming rather than failing the parse.
void PrepareParser(RequestParser& parser, std::size_t max_header_bytes);

// A request refused before it reaches the pipeline.
struct Refusal {
  int status;
  Problem problem;
};

// After the head is parsed, before its body is read: an HTTP/1.1 request
// without exactly one valid Host is refused 400 (RFC 9112 section 3.2); a
// Transfer-Encoding whose last coding is not chunked 400 (section 6.3: the
// length would be unknowable, and a proxy might frame it differently), or
// with a coding other than chunked 400; a Content-Length above
// `max_body_bytes` 413. Otherwise limits the body
// to `max_body_bytes` (a longer chunked body fails with error::body_limit)
// and returns nullopt.
std::optional<Refusal> CheckFraming(RequestParser& parser, std::size_t max_body_bytes);

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

// The head of an answer whose body comes from `response.stream`: the
// headers as ToWire sets them, and instead of a Content-Length
// Transfer-Encoding: chunked on HTTP/1.1; an HTTP/1.0 client gets neither
// and the body ends when the connection closes (`keep_alive` is then
// ignored).
WireStreamHead ToWireStreamHead(Response& response, unsigned http_version, bool keep_alive);

}  // namespace roster::http
