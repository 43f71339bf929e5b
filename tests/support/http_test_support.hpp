#pragma once

// Test helpers: a server running on a thread, and a blocking HTTP client
// whose every wait has a deadline. For the *_test.cpp files only.

#include <chrono>
#include <functional>
#include <future>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "http/metrics.hpp"
#include "http/router.hpp"
#include "http/server.hpp"
#include "support/eventually.hpp"

namespace roster::http::testing {

using namespace std::chrono_literals;
using test_support::Eventually;
using ClientResponse = boost::beast::http::response<boost::beast::http::string_body>;

// Options for tests: any free port, no signal handling, short timeouts.
inline ServerOptions TestOptions() {
  ServerOptions options;
  options.port = 0;
  options.handle_signals = false;
  options.handler_threads = 2;
  options.io_threads = 2;
  options.header_timeout = 5s;
  options.idle_timeout = 5s;
  options.body_timeout = 5s;
  options.shutdown_grace = 5s;
  return options;
}

// A Server listening on 127.0.0.1 and running on its own thread.
class RunningServer {
 public:
  explicit RunningServer(Router router, ServerOptions options = TestOptions())
      : router_(std::move(router)), server_(std::move(options), router_, metrics_) {
    Start();
  }

  // For routes that need the server's Metrics (the /metrics endpoint).
  explicit RunningServer(const std::function<void(Router&, Metrics&)>& add_routes,
                         ServerOptions options = TestOptions())
      : server_(std::move(options), router_, metrics_) {
    add_routes(router_, metrics_);
    Start();
  }

  ~RunningServer() {
    server_.Stop();
    if (thread_.joinable()) thread_.join();
  }

  unsigned short port() const { return port_; }
  Metrics& metrics() { return metrics_; }
  Server& server() { return server_; }

  // Calls Stop() and waits up to `deadline` for Run() to return.
  bool StopWithin(std::chrono::milliseconds deadline) {
    server_.Stop();
    return RunReturnsWithin(deadline);
  }
  bool RunReturnsWithin(std::chrono::milliseconds deadline) {
    return stopped_future_.wait_for(deadline) == std::future_status::ready;
  }

 private:
  void Start() {
    Result<Endpoint> endpoint = server_.Listen();
    if (!endpoint.ok()) {
      ADD_FAILURE() << endpoint.problem().detail;
      return;
    }
    port_ = endpoint->port;
    thread_ = std::thread([this] {
      server_.Run();
      stopped_.set_value();
    });
  }

  Metrics metrics_;
  Router router_;
  Server server_;
  unsigned short port_ = 0;
  std::promise<void> stopped_;
  std::shared_future<void> stopped_future_ = stopped_.get_future().share();
  std::thread thread_;
};

// One client connection. Every read gives up at its deadline.
class TestClient {
 public:
  explicit TestClient(unsigned short port) : stream_(io_) {
    boost::asio::ip::tcp::endpoint server(boost::asio::ip::make_address("127.0.0.1"), port);
    stream_.socket().connect(server);
  }

  void Send(std::string_view bytes) {
    boost::asio::write(stream_.socket(), boost::asio::buffer(bytes.data(), bytes.size()));
  }

  // Reads one response; nullopt when the connection closed or the deadline
  // passed first. `head_request`: the response to a HEAD has no body.
  std::optional<ClientResponse> Read(std::chrono::milliseconds deadline = 5s,
                                     bool head_request = false) {
    boost::beast::http::response_parser<boost::beast::http::string_body> parser;
    parser.body_limit(64 * 1024 * 1024);
    parser.skip(head_request);
    boost::beast::error_code result = boost::asio::error::would_block;
    stream_.expires_after(deadline);
    boost::beast::http::async_read(
        stream_, buffer_, parser,
        [&](boost::beast::error_code error, std::size_t) { result = error; });
    Run();
    if (result) return std::nullopt;
    return parser.release();
  }

  // Sends a request and reads its response.
  std::optional<ClientResponse> Call(std::string_view method, std::string_view target,
                                     std::string_view body = {},
                                     std::vector<std::string> headers = {}) {
    Send(FormatRequest(method, target, body, headers));
    return Read(5s, method == "HEAD");
  }

  // True when the server closes the connection within `deadline` (data it
  // sends meanwhile is dropped).
  bool ClosedWithin(std::chrono::milliseconds deadline) {
    stream_.expires_after(deadline);
    while (true) {
      char scratch[4096];
      boost::beast::error_code result = boost::asio::error::would_block;
      stream_.async_read_some(boost::asio::buffer(scratch),
                              [&](boost::beast::error_code error, std::size_t) { result = error; });
      Run();
      if (result == boost::beast::error::timeout) return false;
      if (result) return true;  // eof or reset
    }
  }

  static std::string FormatRequest(std::string_view method, std::string_view target,
                                   std::string_view body, const std::vector<std::string>& headers) {
    std::string request =
        std::string(method) + " " + std::string(target) + " HTTP/1.1\r\nHost: test\r\n";
    for (const std::string& header : headers) request += header + "\r\n";
    if (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH") {
      request += "Content-Length: " + std::to_string(body.size()) + "\r\n";
    }
    request += "\r\n";
    request += body;
    return request;
  }

 private:
  void Run() {
    io_.restart();
    io_.run();
  }

  boost::asio::io_context io_;
  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
};

inline nlohmann::json BodyJson(const ClientResponse& response) {
  return nlohmann::json::parse(response.body(), nullptr, false);
}

inline std::string HeaderOf(const ClientResponse& response, std::string_view name) {
  auto value = response[boost::beast::string_view(name.data(), name.size())];
  return std::string(value.data(), value.size());
}

}  // namespace roster::http::testing
