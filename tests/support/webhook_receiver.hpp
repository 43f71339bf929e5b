#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace roster::test_support {

// A real HTTP receiver of webhooks for tests, on 127.0.0.1: it accepts
// connections, reads one request each (head and Content-Length body),
// records it, waits `delay`, and answers `status`. The port is picked at the
// first Start and kept across Stop and Start, so a test can take the
// receiver down and bring it back where the endpoint points.
class WebhookReceiver {
 public:
  struct Received {
    std::string method;
    std::string target;
    std::map<std::string, std::string> headers;  // lower-case names
    std::string body;
    std::chrono::steady_clock::time_point at;
  };

  WebhookReceiver();
  ~WebhookReceiver();  // Stop
  WebhookReceiver(const WebhookReceiver&) = delete;
  WebhookReceiver& operator=(const WebhookReceiver&) = delete;

  // Listens; throws std::runtime_error when the port cannot be bound.
  void Start();
  // Stops listening and waits for the requests in hand; connections then
  // get refused.
  void Stop();

  int port() const { return port_; }
  // "http://127.0.0.1:PORT" + path
  std::string url(const std::string& path = "/hook") const;

  void set_status(int status) { status_ = status; }
  void set_delay(std::chrono::milliseconds delay) { delay_ms_ = delay.count(); }
  // A Location header on every answer (for redirects); empty: none.
  void set_location(std::string location) {
    std::lock_guard lock(mutex_);
    location_ = std::move(location);
  }

  std::vector<Received> Requests() const;
  // Connections accepted so far (also those that sent nothing).
  int connections() const { return connections_; }
  // Polls until at least `count` requests were recorded; false on timeout.
  bool WaitForRequests(std::size_t count, std::chrono::milliseconds timeout) const;

 private:
  void AcceptLoop();
  void Serve(int fd);

  int port_ = 0;
  int listener_ = -1;
  std::atomic<bool> running_{false};
  std::atomic<int> status_{200};
  std::atomic<long> delay_ms_{0};
  std::atomic<int> connections_{0};
  std::thread acceptor_;
  mutable std::mutex mutex_;
  mutable std::condition_variable received_cv_;
  std::vector<Received> requests_;     // GUARDED_BY(mutex_)
  std::string location_;               // GUARDED_BY(mutex_)
  std::vector<std::thread> handlers_;  // GUARDED_BY(mutex_)
};

// Standard Webhooks verification, written independently of the server's
// code (libsodium directly): true when one of the `v1,` signatures of the
// webhook-signature header is HMAC-SHA256 of id.timestamp.body under
// `secret` ("whsec_" + base64).
bool VerifyWebhookSignature(const WebhookReceiver::Received& request, const std::string& secret);

}  // namespace roster::test_support
