#include "http/wire.hpp"

#include <fmt/format.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdint>
#include <ctime>
#include <limits>

#include "core/utf8.hpp"
#include "http/log_line.hpp"
#include "http/problem_json.hpp"
#include "http/url.hpp"

namespace roster::http {
namespace {

namespace beast_http = boost::beast::http;

std::string ToLower(std::string_view text) {
  std::string lower(text);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lower;
}

std::string_view Std(boost::beast::string_view text) { return {text.data(), text.size()}; }

// RFC 9110 IMF-fixdate, independent of the C locale.
std::string HttpDate(std::chrono::system_clock::time_point now) {
  static constexpr const char* kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                            "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  return fmt::format("{}, {:02d} {} {} {:02d}:{:02d}:{:02d} GMT", kDays[utc.tm_wday], utc.tm_mday,
                     kMonths[utc.tm_mon], utc.tm_year + 1900, utc.tm_hour, utc.tm_min, utc.tm_sec);
}

// RFC 9110 field names are tokens; values hold no CR, LF or NUL. A handler
// that breaks this (say, user input in a header) must not split the response.
bool IsValidField(std::string_view name, std::string_view value) {
  static constexpr std::string_view kTokenSymbols = "!#$%&'*+-.^_`|~";
  if (name.empty()) return false;
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) &&
        kTokenSymbols.find(c) == std::string_view::npos) {
      return false;
    }
  }
  return value.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

void DropInvalidField(std::string_view name) {
  spdlog::error(LogLine("invalid_response_header").Add("name", name).str());
}

}  // namespace

Status FromWire(const WireRequest& head, Request& request) {
  request.method = std::string(Std(head.method_string()));
  request.target = std::string(Std(head.target()));
  for (const auto& field : head) {
    std::string name = ToLower(Std(field.name_string()));
    std::string_view value = Std(field.value());
    auto [it, inserted] = request.headers.try_emplace(name, value);
    if (!inserted) {
      it->second += name == "cookie" ? "; " : ", ";
      it->second += value;
    }
  }
  if (request.target.empty() || request.target.front() != '/') {
    return Problem::BadRequest("The request target must be an absolute path.");
  }
  std::optional<std::string> path = PercentDecode(RawPath(request.target));
  if (!path) return Problem::BadRequest("The request path is not valid percent-encoding.");
  // Decoded text goes on to the handlers and the database, which takes
  // UTF-8 only: other bytes are the client's mistake, not a server error.
  if (!IsValidUtf8(*path)) return Problem::BadRequest("The request path is not valid UTF-8.");
  request.path = std::move(*path);
  auto query = ParseQuery(RawQuery(request.target));
  if (!query) return Problem::BadRequest("The query string is not valid percent-encoding.");
  for (const auto& [name, value] : *query) {
    if (!IsValidUtf8(name) || !IsValidUtf8(value)) {
      return Problem::BadRequest("The query string is not valid UTF-8.");
    }
  }
  request.query = std::move(*query);
  return {};
}

void PrepareParser(RequestParser& parser, std::size_t max_header_bytes) {
  parser.header_limit(static_cast<std::uint32_t>(
      std::min<std::size_t>(max_header_bytes, std::numeric_limits<std::uint32_t>::max())));
  parser.body_limit(std::numeric_limits<std::uint64_t>::max());
}

namespace {

// uri-host [":" port] (RFC 3986): names, IPv4 and bracketed IPv6 addresses;
// empty is allowed (RFC 9112 section 3.2).
bool IsValidHost(std::string_view host) {
  return std::all_of(host.begin(), host.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 ||
           std::string_view("-._~!$&'()*+,;=%:[]").find(c) != std::string_view::npos;
  });
}

// Every coding of Transfer-Encoding is "chunked": the server knows no other.
bool OnlyChunked(std::string_view codings) {
  std::size_t start = 0;
  while (start <= codings.size()) {
    std::size_t comma = std::min(codings.find(',', start), codings.size());
    std::string_view coding = codings.substr(start, comma - start);
    while (!coding.empty() && (coding.front() == ' ' || coding.front() == '\t')) coding.remove_prefix(1);
    while (!coding.empty() && (coding.back() == ' ' || coding.back() == '\t')) coding.remove_suffix(1);
    if (!coding.empty() && ToLower(coding) != "chunked") return false;
    start = comma + 1;
  }
  return true;
}

}  // namespace

std::optional<Refusal> CheckFraming(RequestParser& parser, std::size_t max_body_bytes) {
  const WireRequest& head = parser.get();
  // RFC 9112 section 3.2: an HTTP/1.1 request names its host exactly once.
  std::size_t hosts = head.count(beast_http::field::host);
  if ((head.version() >= 11 && hosts == 0) || hosts > 1 ||
      (hosts == 1 && !IsValidHost(Std(head[beast_http::field::host])))) {
    return Refusal{400, Problem::BadRequest("An HTTP/1.1 request needs one valid Host header.")};
  }
  if (head.count(beast_http::field::transfer_encoding) > 0 && !parser.chunked()) {
    return Refusal{400, Problem::BadRequest("Transfer-Encoding must end with chunked.")};
  }
  // A coding the server does not understand (RFC 9112 section 6.1 suggests
  // 501; a 5xx would count as the server's fault on every dashboard).
  for (const auto& field : head) {
    if (field.name() == beast_http::field::transfer_encoding && !OnlyChunked(Std(field.value()))) {
      return Refusal{400, Problem::BadRequest("Transfer-Encoding other than chunked is not supported.")};
    }
  }
  boost::optional<std::uint64_t> length = parser.content_length();
  if (length && *length > max_body_bytes) {
    // Answered without reading the body, which may never come (a client
    // sending Expect: 100-continue waits for our answer).
    return Refusal{
        413, MakeProblem(ProblemCode::kPayloadTooLarge, "payload_too_large",
                         fmt::format("The request body is larger than {} bytes.", max_body_bytes))};
  }
  parser.body_limit(max_body_bytes);
  return std::nullopt;
}

namespace {

// Status line, Date, the handler's headers and Content-Type, common to both
// forms of an answer. Returns whether the status allows a body.
template <class Message>
bool SetHead(Message& wire, Response& response, unsigned http_version) {
  if (response.status < 100 || response.status > 599) response.status = 500;
  wire.version(http_version);
  wire.result(static_cast<unsigned>(response.status));
  wire.set(beast_http::field::date, HttpDate(std::chrono::system_clock::now()));
  for (const auto& [name, value] : response.headers) {
    if (IsValidField(name, value)) {
      wire.insert(name, value);
    } else {
      DropInvalidField(name);
    }
  }
  bool has_body = response.status >= 200 && response.status != 204 && response.status != 304;
  if (!has_body) return false;
  if (IsValidField("Content-Type", response.content_type)) {
    if (!response.content_type.empty()) {
      wire.set(beast_http::field::content_type, response.content_type);
    }
  } else {
    DropInvalidField("Content-Type");
  }
  return true;
}

}  // namespace

WireResponse ToWire(Response response, unsigned http_version, BodyPolicy body, bool keep_alive) {
  WireResponse wire;
  if (SetHead(wire, response, http_version)) {
    // HEAD announces the length the GET body would have.
    wire.content_length(response.body.size());
    if (body == BodyPolicy::kSend) wire.body() = std::move(response.body);
  }
  wire.keep_alive(keep_alive);
  return wire;
}

WireStreamHead ToWireStreamHead(Response& response, unsigned http_version, bool keep_alive) {
  WireStreamHead wire;
  SetHead(wire, response, http_version);
  if (http_version >= 11) {
    wire.chunked(true);
    wire.keep_alive(keep_alive);
  } else {
    wire.keep_alive(false);
  }
  return wire;
}

}  // namespace roster::http
