#include "support/webhook_receiver.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sodium.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <sstream>
#include <stdexcept>

#include "support/child_process.hpp"

namespace roster::test_support {
namespace {

std::string Lowered(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

std::string Trimmed(const std::string& text) {
  auto start = text.find_first_not_of(" \t\r");
  auto end = text.find_last_not_of(" \t\r");
  return start == std::string::npos ? "" : text.substr(start, end - start + 1);
}

void WriteAll(int fd, const std::string& bytes) {
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    ssize_t n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return;
    sent += static_cast<std::size_t>(n);
  }
}

std::string Base64(const unsigned char* bytes, std::size_t length) {
  std::string text(sodium_base64_ENCODED_LEN(length, sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(text.data(), text.size(), bytes, length, sodium_base64_VARIANT_ORIGINAL);
  text.resize(text.size() - 1);
  return text;
}

}  // namespace

WebhookReceiver::WebhookReceiver() = default;

WebhookReceiver::~WebhookReceiver() { Stop(); }

std::string WebhookReceiver::url(const std::string& path) const {
  if (port_ == 0) throw std::logic_error("the webhook receiver has no port before its first Start");
  return "http://127.0.0.1:" + std::to_string(port_) + path;
}

void WebhookReceiver::Start() {
  if (running_) return;
  listener_ = ::socket(AF_INET, SOCK_STREAM, 0);
  int on = 1;
  ::setsockopt(listener_, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  // The first start takes a port the kernel picks (a port chosen by a probe
  // and bound later may be taken meanwhile by a parallel test); later starts
  // come back to it.
  address.sin_port = htons(static_cast<std::uint16_t>(port_));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  if (::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::listen(listener_, 64) != 0 ||
      ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    ::close(listener_);
    listener_ = -1;
    throw std::runtime_error("the webhook receiver cannot listen on port " + std::to_string(port_));
  }
  port_ = ntohs(address.sin_port);
  running_ = true;
  acceptor_ = std::thread([this] { AcceptLoop(); });
}

void WebhookReceiver::Stop() {
  if (!running_) return;
  running_ = false;
  acceptor_.join();
  ::close(listener_);
  listener_ = -1;
  std::vector<std::thread> handlers;
  {
    std::lock_guard lock(mutex_);
    handlers.swap(handlers_);
  }
  for (std::thread& handler : handlers) handler.join();
}

void WebhookReceiver::AcceptLoop() {
  while (running_) {
    pollfd ready{listener_, POLLIN, 0};
    if (::poll(&ready, 1, 50) <= 0) continue;
    int fd = ::accept(listener_, nullptr, nullptr);
    if (fd < 0) continue;
    ++connections_;
    std::lock_guard lock(mutex_);
    handlers_.emplace_back([this, fd] { Serve(fd); });
  }
}

void WebhookReceiver::Serve(int fd) {
  timeval timeout{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  std::string data;
  char buffer[8192];
  std::size_t head_end = std::string::npos;
  while (head_end == std::string::npos) {
    ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) {
      ::close(fd);
      return;
    }
    data.append(buffer, static_cast<std::size_t>(n));
    head_end = data.find("\r\n\r\n");
  }
  Received request;
  request.at = std::chrono::steady_clock::now();
  std::istringstream head(data.substr(0, head_end));
  std::string line;
  std::getline(head, line);
  std::istringstream request_line(line);
  request_line >> request.method >> request.target;
  while (std::getline(head, line)) {
    auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    request.headers[Lowered(Trimmed(line.substr(0, colon)))] = Trimmed(line.substr(colon + 1));
  }
  std::size_t length = 0;
  if (auto found = request.headers.find("content-length"); found != request.headers.end()) {
    length = std::stoul(found->second);
  }
  request.body = data.substr(head_end + 4);
  while (request.body.size() < length) {
    ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) break;
    request.body.append(buffer, static_cast<std::size_t>(n));
  }
  {
    std::lock_guard lock(mutex_);
    requests_.push_back(request);
  }
  received_cv_.notify_all();
  std::this_thread::sleep_for(std::chrono::milliseconds(delay_ms_.load()));
  int status = status_;
  std::string location;
  {
    std::lock_guard lock(mutex_);
    location = location_;
  }
  WriteAll(fd, "HTTP/1.1 " + std::to_string(status) + " Status\r\nContent-Length: 2\r\n" +
                   (location.empty() ? "" : "Location: " + location + "\r\n") +
                   "Connection: close\r\n\r\nok");
  ::close(fd);
}

std::vector<WebhookReceiver::Received> WebhookReceiver::Requests() const {
  std::lock_guard lock(mutex_);
  return requests_;
}

bool WebhookReceiver::WaitForRequests(std::size_t count, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(mutex_);
  return received_cv_.wait_for(lock, timeout, [&] { return requests_.size() >= count; });
}

bool VerifyWebhookSignature(const WebhookReceiver::Received& request, const std::string& secret) {
  if (sodium_init() < 0 || secret.rfind("whsec_", 0) != 0) return false;
  auto header = [&](const char* name) {
    auto found = request.headers.find(name);
    return found == request.headers.end() ? std::string() : found->second;
  };
  std::string id = header("webhook-id"), timestamp = header("webhook-timestamp");
  if (id.empty() || timestamp.empty()) return false;
  std::string encoded = secret.substr(6);
  std::vector<unsigned char> key(encoded.size());
  std::size_t key_length = 0;
  if (sodium_base642bin(key.data(), key.size(), encoded.data(), encoded.size(), nullptr,
                        &key_length, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0) {
    return false;
  }
  std::string content = id + "." + timestamp + "." + request.body;
  unsigned char mac[crypto_auth_hmacsha256_BYTES];
  crypto_auth_hmacsha256_state state;
  crypto_auth_hmacsha256_init(&state, key.data(), key_length);
  crypto_auth_hmacsha256_update(&state, reinterpret_cast<const unsigned char*>(content.data()),
                                content.size());
  crypto_auth_hmacsha256_final(&state, mac);
  std::string expected = "v1," + Base64(mac, sizeof mac);
  std::istringstream signatures(header("webhook-signature"));
  for (std::string signature; signatures >> signature;) {
    if (signature == expected) return true;
  }
  return false;
}

}  // namespace roster::test_support
