#include "support/smtp_server.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "support/child_process.hpp"

#ifndef ROSTER_TEST_PYTHON
#define ROSTER_TEST_PYTHON "/usr/bin/python3"
#endif

namespace roster::test_support {
namespace {

constexpr std::chrono::seconds kStartDeadline{15};
constexpr std::chrono::seconds kStopDeadline{5};
constexpr std::chrono::milliseconds kPollPause{20};

sockaddr_in Loopback(int port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(static_cast<std::uint16_t>(port));
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return address;
}

// True when something on `port` accepts a connection and greets with 220.
bool Greets(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  timeval timeout{1, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  sockaddr_in address = Loopback(port);
  bool greeted = false;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0) {
    char buffer[64] = {};
    ssize_t n = ::recv(fd, buffer, sizeof buffer - 1, 0);
    greeted = n >= 3 && std::strncmp(buffer, "220", 3) == 0;
    if (greeted) {
      const char quit[] = "QUIT\r\n";
      (void)::send(fd, quit, sizeof quit - 1, MSG_NOSIGNAL);
    }
  }
  ::close(fd);
  return greeted;
}

// True when something on `port` accepts a connection.
bool Accepts(int port) {
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  sockaddr_in address = Loopback(port);
  bool accepted = ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  ::close(fd);
  return accepted;
}

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

}  // namespace

SmtpServer::SmtpServer(Options options) : options_(options), port_(FreeLoopbackPort()) {
  std::string pattern = (std::filesystem::temp_directory_path() / "roster-smtp-XXXXXX").string();
  if (::mkdtemp(pattern.data()) == nullptr) {
    throw std::runtime_error("mkdtemp: " + std::string(std::strerror(errno)));
  }
  directory_ = pattern;
}

SmtpServer::~SmtpServer() {
  Stop();
  std::error_code ignored;
  std::filesystem::remove_all(directory_, ignored);
}

std::string TestPython() {
  const char* from_environment = std::getenv("ROSTER_TEST_PYTHON");
  return from_environment != nullptr ? from_environment : ROSTER_TEST_PYTHON;
}

std::string SmtpServer::url() const {
  if (options_.login.empty()) return "smtp://127.0.0.1:" + std::to_string(port_);
  return (options_.implicit_tls ? "smtps://localhost:" : "smtp://localhost:") +
         std::to_string(port_);
}

void SmtpServer::Start() {
  if (running()) return;
  std::vector<std::string> arguments;
  if (options_.login.empty()) {
    arguments = {TestPython(), "-m", "aiosmtpd", "-n", "-l", "127.0.0.1:" + std::to_string(port_)};
    if (options_.max_message_size > 0) {
      arguments.push_back("-s");
      arguments.push_back(std::to_string(options_.max_message_size));
    }
    for (const char* argument : {"-c", "aiosmtpd.handlers.Mailbox"}) arguments.push_back(argument);
    arguments.push_back((directory_ / "maildir").string());
  } else {
    arguments = {TestPython(),
                 std::string(ROSTER_TEST_SUPPORT_DIR) + "/smtp_tls_server.py",
                 directory_.string(),
                 std::to_string(port_),
                 options_.implicit_tls ? "implicit" : "starttls",
                 options_.login,
                 options_.password};
  }
  pid_ = StartChild(std::move(arguments), directory_ / "aiosmtpd.log");

  // A server with TLS from the first byte greets only inside TLS.
  auto ready = [&] { return options_.login.empty() ? Greets(port_) : Accepts(port_); };
  auto deadline = std::chrono::steady_clock::now() + kStartDeadline;
  while (!ready()) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      throw std::runtime_error("aiosmtpd exited at start: " + LogTail());
    }
    if (std::chrono::steady_clock::now() > deadline) {
      Stop();
      throw std::runtime_error("aiosmtpd did not answer within 15 s: " + LogTail());
    }
    std::this_thread::sleep_for(kPollPause);
  }
}

void SmtpServer::Stop() {
  if (!running()) return;
  StopChild(pid_, kStopDeadline);
  pid_ = -1;
}

std::vector<std::string> SmtpServer::Messages() const {
  struct Entry {
    std::filesystem::file_time_type modified;
    std::filesystem::path path;
  };
  std::vector<Entry> entries;
  for (const char* folder : {"new", "cur"}) {
    std::error_code error;
    for (const auto& file : std::filesystem::directory_iterator(directory_ / "maildir" / folder, error)) {
      if (file.is_regular_file()) entries.push_back({file.last_write_time(), file.path()});
    }
  }
  std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
    return a.modified != b.modified ? a.modified < b.modified : a.path < b.path;
  });
  std::vector<std::string> messages;
  for (const Entry& entry : entries) messages.push_back(ReadFile(entry.path));
  return messages;
}

bool SmtpServer::WaitForMessages(std::size_t count, std::chrono::milliseconds timeout) const {
  auto deadline = std::chrono::steady_clock::now() + timeout;
  while (Messages().size() < count) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(kPollPause);
  }
  return true;
}

std::string SmtpServer::LogTail() const {
  return FileTail(directory_ / "aiosmtpd.log");
}

}  // namespace roster::test_support
