#include "stalling_relay.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <stdexcept>

namespace roster::cluster_test {
namespace {

constexpr int kPollMs = 50;  // how soon a pump sees a stall or the end

sockaddr_in Loopback(const std::string& host, int port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<uint16_t>(port));
  if (inet_pton(AF_INET, host.c_str(), &address.sin_addr) != 1)
    throw std::runtime_error("StallingRelay: not an IPv4 address: " + host);
  return address;
}

bool SendAll(int socket, const char* data, ssize_t size) {
  while (size > 0) {
    ssize_t sent = ::send(socket, data, static_cast<size_t>(size), MSG_NOSIGNAL);
    if (sent <= 0) return false;
    data += sent;
    size -= sent;
  }
  return true;
}

}  // namespace

StallingRelay::StallingRelay(std::string host, int port) : host_(std::move(host)), target_port_(port) {
  listener_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in address = Loopback("127.0.0.1", 0);
  socklen_t length = sizeof address;
  if (listener_ < 0 || ::bind(listener_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0 ||
      ::listen(listener_, 64) != 0 ||
      ::getsockname(listener_, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    throw std::runtime_error("StallingRelay: cannot listen on the loopback");
  }
  port_ = ntohs(address.sin_port);
  acceptor_ = std::thread([this] { Accept(); });
}

StallingRelay::~StallingRelay() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    for (int socket : sockets_) ::shutdown(socket, SHUT_RDWR);
  }
  resumed_.notify_all();
  acceptor_.join();
  // No new thread starts once the acceptor is gone.
  for (std::thread& thread : threads_) thread.join();
  for (int socket : sockets_) ::close(socket);
  ::close(listener_);
}

void StallingRelay::Stall() {
  std::lock_guard lock(mutex_);
  stalled_ = true;
}

void StallingRelay::Resume() {
  {
    std::lock_guard lock(mutex_);
    stalled_ = false;
  }
  resumed_.notify_all();
}

std::size_t StallingRelay::UnreadBytes() {
  std::lock_guard lock(mutex_);
  std::size_t unread = 0;
  for (int socket : sockets_) {
    int bytes = 0;
    if (::ioctl(socket, FIONREAD, &bytes) == 0 && bytes > 0)
      unread += static_cast<std::size_t>(bytes);
  }
  return unread;
}

bool StallingRelay::WaitWhileStalled() {
  std::unique_lock lock(mutex_);
  resumed_.wait(lock, [this] { return !stalled_ || stopping_; });
  return !stopping_;
}

void StallingRelay::Accept() {
  for (;;) {
    {
      std::lock_guard lock(mutex_);
      if (stopping_) return;
    }
    // Accepted while stalled too: the kernel would do it anyway (the
    // backlog), and the client's first bytes wait unread as they would.
    pollfd listening{listener_, POLLIN, 0};
    if (::poll(&listening, 1, kPollMs) <= 0) continue;
    int client = ::accept4(listener_, nullptr, nullptr, SOCK_CLOEXEC);
    if (client < 0) continue;
    std::lock_guard lock(mutex_);
    sockets_.push_back(client);
    threads_.emplace_back([this, client] { Serve(client); });
  }
}

void StallingRelay::Serve(int client) {
  if (!WaitWhileStalled()) return;
  int server = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in target = Loopback(host_, target_port_);
  {
    std::lock_guard lock(mutex_);
    sockets_.push_back(server);
  }
  if (::connect(server, reinterpret_cast<sockaddr*>(&target), sizeof target) != 0) {
    ::shutdown(client, SHUT_RDWR);
    return;
  }
  std::thread answers([this, server, client] { Pump(server, client); });
  Pump(client, server);
  answers.join();
}

void StallingRelay::Pump(int from, int to) {
  char buffer[16384];
  for (;;) {
    if (!WaitWhileStalled()) return;
    pollfd readable{from, POLLIN, 0};
    int ready = ::poll(&readable, 1, kPollMs);
    if (ready < 0) break;
    if (ready == 0) continue;
    {
      std::lock_guard lock(mutex_);
      if (stalled_) continue;  // stalled while polling: leave the bytes unread
    }
    ssize_t got = ::recv(from, buffer, sizeof buffer, 0);
    if (got <= 0) break;
    if (!SendAll(to, buffer, got)) break;
  }
  // One side ended: so does the other, as a relay would.
  ::shutdown(to, SHUT_RDWR);
  ::shutdown(from, SHUT_RDWR);
}

}  // namespace roster::cluster_test
