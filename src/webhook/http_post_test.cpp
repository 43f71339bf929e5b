// The POST on the wire: curl connects to the checked addresses only, for a
// host name as for an address literal (IPv4 and IPv6).
#include "webhook/http_post.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>
#include <utility>

#include <gtest/gtest.h>

namespace roster::webhook {
namespace {

// Answers one request on a loopback port with `answer` (a 204 unless
// given), keeps what it read, and holds the connection open for `linger`.
class OneShotReceiver {
 public:
  explicit OneShotReceiver(
      bool ipv6, std::string answer = "HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n",
      std::chrono::milliseconds linger = {})
      : answer_(std::move(answer)), linger_(linger) {
    listener_ = ::socket(ipv6 ? AF_INET6 : AF_INET, SOCK_STREAM, 0);
    if (ipv6) {
      sockaddr_in6 address{};
      address.sin6_family = AF_INET6;
      address.sin6_addr = in6addr_loopback;
      ::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address);
      socklen_t length = sizeof address;
      ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length);
      port_ = ntohs(address.sin6_port);
    } else {
      sockaddr_in address{};
      address.sin_family = AF_INET;
      address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      ::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address);
      socklen_t length = sizeof address;
      ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length);
      port_ = ntohs(address.sin_port);
    }
    ::listen(listener_, 1);
    thread_ = std::thread([this] {
      int connection = ::accept(listener_, nullptr, nullptr);
      if (connection < 0) return;
      char buffer[4096];
      while (request_.find("\r\n\r\n") == std::string::npos ||
             request_.find("{\"ping\":true}") == std::string::npos) {
        ssize_t got = ::read(connection, buffer, sizeof buffer);
        if (got <= 0) break;
        request_.append(buffer, static_cast<std::size_t>(got));
      }
      (void)!::write(connection, answer_.data(), answer_.size());
      std::this_thread::sleep_for(linger_);
      ::close(connection);
    });
  }
  ~OneShotReceiver() {
    ::shutdown(listener_, SHUT_RDWR);
    thread_.join();
    ::close(listener_);
  }
  int port() const { return port_; }
  // After the POST has been answered.
  const std::string& request() const { return request_; }

 private:
  std::string answer_;
  std::chrono::milliseconds linger_;
  int listener_ = -1;
  int port_ = 0;
  std::string request_;
  std::thread thread_;
};

PostOutcome PostTo(const std::string& url, const std::string& address,
                   std::chrono::milliseconds timeout = std::chrono::milliseconds(5000)) {
  PostRequest request;
  request.url = url;
  auto parsed = ParseWebhookUrl(url, {.allow_http = true, .allow_private = true});
  EXPECT_TRUE(parsed.ok()) << url;
  if (parsed.ok()) request.parsed = *parsed;
  request.addresses = {address};
  request.body = "{\"ping\":true}";
  request.timeout = timeout;
  return Post(request);
}

TEST(WebhookPostTest, AnIpv6AddressLiteralIsDelivered) {
  OneShotReceiver receiver(true);
  std::string url = "http://[::1]:" + std::to_string(receiver.port()) + "/hook";
  PostOutcome outcome = PostTo(url, "::1");
  EXPECT_TRUE(outcome.delivered) << outcome.error;
  EXPECT_EQ(outcome.status_code, 204);
}

TEST(WebhookPostTest, AnIpv4AddressLiteralIsDelivered) {
  OneShotReceiver receiver(false);
  std::string url = "http://127.0.0.1:" + std::to_string(receiver.port()) + "/hook";
  PostOutcome outcome = PostTo(url, "127.0.0.1");
  EXPECT_TRUE(outcome.delivered) << outcome.error;
}

// A name goes to the checked address, whatever it resolves to now.
TEST(WebhookPostTest, ANameIsPinnedToTheCheckedAddress) {
  OneShotReceiver receiver(false);
  std::string url = "http://hooks.invalid:" + std::to_string(receiver.port()) + "/hook";
  PostOutcome outcome = PostTo(url, "127.0.0.1");
  EXPECT_TRUE(outcome.delivered) << outcome.error;
}

// The 2xx is the answer: a receiver that sends it and then its body slowly
// (or never) has the event, and is not sent it again.
TEST(WebhookPostTest, A2xxIsDeliveredWithoutWaitingForItsBody) {
  OneShotReceiver receiver(false, "HTTP/1.1 200 OK\r\nContent-Length: 60\r\n\r\nok",
                           std::chrono::milliseconds(1500));
  std::string url = "http://127.0.0.1:" + std::to_string(receiver.port()) + "/hook";
  PostOutcome outcome = PostTo(url, "127.0.0.1", std::chrono::milliseconds(500));
  EXPECT_TRUE(outcome.delivered) << outcome.error;
  EXPECT_EQ(outcome.status_code, 200);
}

// Anything else is still a failure, also when its body is slow.
TEST(WebhookPostTest, A500WithASlowBodyIsAFailure) {
  OneShotReceiver receiver(false, "HTTP/1.1 500 Oops\r\nContent-Length: 60\r\n\r\nok",
                           std::chrono::milliseconds(1500));
  std::string url = "http://127.0.0.1:" + std::to_string(receiver.port()) + "/hook";
  PostOutcome outcome = PostTo(url, "127.0.0.1", std::chrono::milliseconds(500));
  EXPECT_FALSE(outcome.delivered);
  EXPECT_EQ(outcome.status_code, 500);
}

}  // namespace
}  // namespace roster::webhook
