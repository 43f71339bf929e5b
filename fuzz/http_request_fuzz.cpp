// The bytes a client sends on one connection, read the way connection.cpp
// reads them: Beast's request_parser with the server's limits
// (PrepareParser: 16 KiB head, body unlimited until CheckFraming sets 1 MiB),
// the head first and then the body (Content-Length or chunked), then
// FromWire, the client address through a trusted proxy, and the whole
// pipeline (PreDispatch: CSRF, media type, JSON; a router; the security
// headers) and ToWire; keep-alive requests follow one another. The input
// arrives in segments whose size the first byte picks, as TCP may split it.
//
// Checked: no crash, leak or undefined behaviour; malformed input is a
// 400/413/431 or a 4xx from the pipeline, never a 500; what goes back on the
// wire has a valid status and no header that could split the response.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <boost/beast/http/error.hpp>
#include <spdlog/spdlog.h>

#include "fuzz_check.hpp"
#include "http/client_address.hpp"
#include "http/request_pipeline.hpp"
#include "http/router.hpp"
#include "http/server.hpp"
#include "http/wire.hpp"

namespace {

using namespace roster;
using namespace roster::http;
namespace beast_http = boost::beast::http;

const ServerOptions kOptions;  // the defaults that `roster serve` uses
constexpr int kMaxRequests = 8;

// Routes shaped like the API's (path parameters, a JSON body, a fallback
// for the console); each answers what it was given.
const Router& TestRouter() {
  static const Router* router = [] {
    spdlog::set_level(spdlog::level::off);
    auto* made = new Router;
    auto echo = [](Request& request) {
      nlohmann::json answer = {{"route", request.route},
                               {"params", request.path_params},
                               {"query", request.query},
                               {"body", request.json}};
      return Response::Json(200, answer);
    };
    made->Add("GET", "/api/v1/orgs/{org}/leads", echo);
    made->Add("POST", "/api/v1/orgs/{org}/leads", echo);
    made->Add("PATCH", "/api/v1/orgs/{org}/leads/{id}", echo);
    made->Add("DELETE", "/api/v1/orgs/{org}/members/{user}", echo);
    made->Add("POST", "/api/v1/auth/login", echo);
    made->SetFallback([](Request& request) {
      Response response;
      response.content_type = "text/html";
      response.body = "<!doctype html>" + request.path;
      return response;
    });
    return made;
  }();
  return *router;
}

const TrustedProxies& Proxies() {
  static const TrustedProxies proxies = *TrustedProxies::Parse({"10.0.0.0/8", "::1"});
  return proxies;
}

// The client's bytes, handed out in segments as reads would return them.
class Wire {
 public:
  Wire(std::string_view bytes, std::size_t segment) : bytes_(bytes), segment_(segment) {}
  // Appends the next segment to `buffer`; false when the client sent no more.
  bool Read(std::string& buffer) {
    if (bytes_.empty()) return false;
    std::size_t take = std::min(segment_, bytes_.size());
    buffer.append(bytes_.substr(0, take));
    bytes_.remove_prefix(take);
    return true;
  }

 private:
  std::string_view bytes_;
  std::size_t segment_;
};

// beast::http::read_header / read over an in-memory buffer: feeds the parser
// until it has the head (or the whole message), reading more when it needs
// it. need_more with nothing left means the client went quiet (the server
// would time out and close).
beast_http::error Feed(RequestParser& parser, std::string& buffer, Wire& wire, bool whole) {
  parser.eager(whole);
  while (whole ? !parser.is_done() : !parser.is_header_done()) {
    boost::beast::error_code error;
    std::size_t used = 0;
    if (!buffer.empty()) {
      used = parser.put(boost::asio::buffer(buffer.data(), buffer.size()), error);
      buffer.erase(0, used);
    }
    if (error && error != beast_http::error::need_more) {
      return static_cast<beast_http::error>(error.value());
    }
    if (whole ? parser.is_done() : parser.is_header_done()) break;
    if (buffer.empty() || error || used == 0) {
      if (!wire.Read(buffer)) {
        if (whole) {
          boost::beast::error_code eof;
          parser.put_eof(eof);  // a body that ends with the connection
          if (!eof && parser.is_done()) return {};
        }
        return beast_http::error::end_of_stream;
      }
    }
  }
  return {};
}

void CheckWire(const WireResponse& wire, const Response& response) {
  ROSTER_FUZZ_CHECK(wire.result_int() >= 100 && wire.result_int() <= 599);
  for (const auto& field : wire) {
    std::string_view value(field.value().data(), field.value().size());
    ROSTER_FUZZ_CHECK(value.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos);
  }
  ROSTER_FUZZ_CHECK(response.status != 500);  // bad input is never the server's fault
}

// One request; false when the connection ends after it.
bool ServeOne(std::string& buffer, Wire& wire) {
  RequestParser parser;
  PrepareParser(parser, kOptions.max_header_bytes);
  if (beast_http::error error = Feed(parser, buffer, wire, false); error != beast_http::error{}) {
    // 431 for header_limit, 400 for other malformed heads; end_of_stream or
    // partial_message: the peer went away. Either way the connection ends.
    return false;
  }
  Request request;
  Status read = FromWire(parser.get(), request);
  request.client_address =
      Proxies().ClientAddress("10.1.2.3", request.Header(kOptions.forwarded_header));
  ROSTER_FUZZ_CHECK(!request.client_address.empty());
  if (!read.ok()) {
    ROSTER_FUZZ_CHECK(read.problem().category == ProblemCode::kBadRequest);
    return false;
  }
  ROSTER_FUZZ_CHECK(request.path.find('\0') == std::string::npos);
  for (const auto& [name, value] : request.headers) {
    for (char c : name) ROSTER_FUZZ_CHECK(!(c >= 'A' && c <= 'Z'));
  }
  if (std::optional<Refusal> refusal = CheckFraming(parser, kOptions.max_body_bytes)) {
    ROSTER_FUZZ_CHECK(refusal->status == 400 || refusal->status == 413);
    return false;
  }
  if (!parser.is_done()) {
    beast_http::error error = Feed(parser, buffer, wire, true);
    if (error != beast_http::error{}) return false;  // 413 for body_limit, 400, or gone
  }
  ROSTER_FUZZ_CHECK(parser.get().body().size() <= kOptions.max_body_bytes);
  bool keep_alive = parser.keep_alive();
  unsigned version = parser.get().version();
  request.body = std::move(parser.get().body());

  Response response = HandleRequest(TestRouter(), request);
  BodyPolicy body = request.method == "HEAD" ? BodyPolicy::kHeadersOnly : BodyPolicy::kSend;
  Response copy = response;
  CheckWire(ToWire(std::move(response), version, body, keep_alive), copy);
  return keep_alive;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  std::size_t segment = 1 + data[0] % 64 * 16;  // 1, 17, 33, ... 1009 bytes per read
  Wire wire(std::string_view(reinterpret_cast<const char*>(data) + 1, size - 1), segment);
  std::string buffer;
  for (int i = 0; i < kMaxRequests && ServeOne(buffer, wire); ++i) {
  }
  return 0;
}
