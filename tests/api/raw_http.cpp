#include "raw_http.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <stdexcept>

namespace roster::testing {
namespace {

int Connect(const std::string& base_url) {
  auto host_start = base_url.find("://") + 3;
  auto colon = base_url.rfind(':');
  std::string host = base_url.substr(host_start, colon - host_start);
  int port = std::atoi(base_url.c_str() + colon + 1);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  if (inet_pton(AF_INET, host.c_str(), &address.sin_addr) != 1)
    throw std::runtime_error("not an IPv4 URL: " + base_url);
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0 || ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    if (fd >= 0) ::close(fd);
    throw std::runtime_error("cannot connect to " + base_url);
  }
  return fd;
}

// Parses the head in `data` once it is complete; returns where the body starts.
std::size_t ParseHead(const std::string& data, RawAnswer& answer) {
  auto end = data.find("\r\n\r\n");
  if (end == std::string::npos) return std::string::npos;
  if (data.rfind("HTTP/1.1 ", 0) == 0 && data.size() >= 12)
    answer.status = std::atoi(data.c_str() + 9);
  std::size_t line_start = data.find("\r\n") + 2;
  while (line_start < end) {
    auto line_end = data.find("\r\n", line_start);
    std::string line = data.substr(line_start, line_end - line_start);
    auto colon = line.find(':');
    if (colon != std::string::npos) {
      std::string name = line.substr(0, colon);
      std::transform(name.begin(), name.end(), name.begin(), ::tolower);
      std::string value = line.substr(colon + 1);
      value.erase(0, value.find_first_not_of(' '));
      answer.headers[name] = value;
    }
    line_start = line_end + 2;
  }
  answer.answered = answer.status != 0;
  return end + 4;
}

}  // namespace

RawAnswer RawExchange(const std::string& base_url, const std::string& bytes,
                      std::chrono::milliseconds wait) {
  int fd = Connect(base_url);
  // The server may answer and close before it has read everything (a head
  // over the limit): a failed send is not an error here, the answer tells.
  for (std::size_t sent = 0; sent < bytes.size();) {
    ssize_t n = ::send(fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) break;
    sent += static_cast<std::size_t>(n);
  }
  RawAnswer answer;
  std::string data;
  std::size_t body_start = std::string::npos;
  auto deadline = std::chrono::steady_clock::now() + wait;
  while (true) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    pollfd readable{fd, POLLIN, 0};
    if (left.count() <= 0 || ::poll(&readable, 1, static_cast<int>(left.count())) <= 0) break;
    char buffer[8192];
    ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) break;  // closed (or reset)
    data.append(buffer, static_cast<std::size_t>(n));
    if (body_start == std::string::npos) body_start = ParseHead(data, answer);
    if (body_start != std::string::npos && answer.headers.count("content-length") &&
        data.size() - body_start >= std::stoul(answer.headers["content-length"])) {
      break;
    }
  }
  ::close(fd);
  if (body_start != std::string::npos) answer.body = data.substr(body_start);
  return answer;
}

}  // namespace roster::testing
