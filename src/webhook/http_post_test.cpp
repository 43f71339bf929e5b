// The POST on the wire: curl connects to the checked addresses only, for a
// host name as for an address literal (IPv4 and IPv6).
#include "webhook/http_post.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <string>
#include <thread>

#include <gtest/gtest.h>

namespace roster::webhook {
namespace {

// Answers one request on a loopback port with 204 and keeps what it read.
class OneShotReceiver {
 public:
  explicit OneShotReceiver(bool ipv6) {
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
      const char answer[] = "HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n";
      (void)!::write(connection, answer, sizeof answer - 1);
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
  int listener_ = -1;
  int port_ = 0;
  std::string request_;
  std::thread thread_;
};

PostOutcome PostTo(const std::string& url, const std::string& address) {
  PostRequest request;
  request.url = url;
  auto parsed = ParseWebhookUrl(url, {.allow_http = true, .allow_private = true});
  EXPECT_TRUE(parsed.ok()) << url;
  if (parsed.ok()) request.parsed = *parsed;
  request.addresses = {address};
  request.body = "{\"ping\":true}";
  request.timeout = std::chrono::milliseconds(5000);
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

}  // namespace
}  // namespace roster::webhook
