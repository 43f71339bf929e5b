#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "http/metrics.hpp"
#include "http/router.hpp"

namespace roster::http {

// max(4, 2 × hardware threads): handlers block on the database and on
// password hashing, so there are more of them than cores; password hashing
// may take at most half of them (SPEC 6), the rest keep serving.
int DefaultHandlerThreads();

struct ServerOptions {
  std::string host = "127.0.0.1";  // an IP literal or a resolvable name
  unsigned short port = 8080;      // 0: any free port (see Listen's answer)
  int handler_threads = DefaultHandlerThreads();
  int io_threads = 1;  // socket I/O only; 1-2 is plenty
  std::size_t max_body_bytes = 1024 * 1024;
  std::size_t max_header_bytes = 16 * 1024;
  // A request's whole head must arrive within header_timeout, counted from
  // the accept (first request) or from its first byte (later requests).
  std::chrono::seconds header_timeout{30};
  std::chrono::seconds idle_timeout{60};    // an idle keep-alive connection closes after this
  std::chrono::seconds body_timeout{30};    // to receive a body, and to send a response
  std::chrono::seconds shutdown_grace{15};  // in-flight requests' time to finish on Stop()
  // IP addresses or CIDR networks ("10.0.0.0/8") of reverse proxies whose
  // `forwarded_header` names the client; see TrustedProxies::ClientAddress.
  std::vector<std::string> trusted_proxies;
  std::string forwarded_header = "x-forwarded-for";
  // Sends Strict-Transport-Security on every answer; set when the public URL
  // is https (SPEC 6), so browsers never fall back to plain HTTP.
  bool strict_transport_security = false;
  // Run() also ends on SIGINT/SIGTERM/SIGHUP (a second signal stops at once).
  // Tests and embedders that own signals turn this off.
  bool handle_signals = true;
};

// Where the server listens. `host` is the bound address ("127.0.0.1", "::1").
struct Endpoint {
  std::string host;
  unsigned short port = 0;
  // "http://127.0.0.1:8080", "http://[::1]:8080".
  std::string Url() const;
};

// The HTTP/1.1 server: keep-alive, timeouts against slow clients, body and
// header limits, and graceful shutdown. Socket I/O runs on `io_threads`;
// handlers (which may block ~50 ms on a database or a password hash) run on
// a pool of `handler_threads`, so a slow or idle client never holds one.
// Every request goes through HandleRequest (request_pipeline.hpp): CSRF and
// JSON checks, the router, the exception boundary, the security headers.
// Each answered request is counted in `metrics` and written to the access log.
//
// `router` and `metrics` must outlive the Server and must not change once
// Run() has started.
class Server {
 public:
  Server(ServerOptions options, const Router& router, Metrics& metrics);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and listens; connections queue from here on, and Run() serves
  // them. The answer carries the actual port when options.port is 0.
  // Fails with a one-line detail, e.g. "cannot listen on 127.0.0.1:8080:
  // address already in use", or when a trusted proxy entry is malformed.
  // REQUIRES: called once, before Run().
  Result<Endpoint> Listen();

  // Serves until Stop() (or SIGINT/SIGTERM/SIGHUP). Then it stops accepting, closes
  // idle connections, lets in-flight requests finish and their responses go
  // out with Connection: close, and returns. After `shutdown_grace` the rest
  // are closed unanswered; a handler still running then is waited for (a
  // thread cannot be interrupted) but its answer is dropped.
  // REQUIRES: Listen() succeeded; called once.
  void Run();

  // Asks Run() to shut down as described there. Thread-safe, idempotent;
  // may be called before Run() starts.
  void Stop();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace roster::http
