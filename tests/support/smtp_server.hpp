#pragma once

#include <sys/types.h>

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

namespace roster::test_support {

// A real SMTP server for tests: Debian's aiosmtpd (python3-aiosmtpd) with
// its Mailbox handler, run as a child process on 127.0.0.1, storing every
// message it accepts in a maildir. The port is chosen once, at construction,
// and kept across Stop and Start, so a test can take the server down and
// bring it back where its clients expect it.
//
// The interpreter is $ROSTER_TEST_PYTHON, else the one CMake was given
// (ROSTER_TEST_PYTHON, default /usr/bin/python3: the one Debian's package
// installs into). Failures to start throw std::runtime_error.
class SmtpServer {
 public:
  struct Options {
    // aiosmtpd's -s: larger messages are refused with 552 (a permanent
    // failure). 0 keeps aiosmtpd's default (32 MiB).
    std::size_t max_message_size = 0;
    // With a login, tests/support/smtp_tls_server.py instead of aiosmtpd's
    // command line: the same server, which accepts a message only over TLS
    // (STARTTLS, or from the first byte with `implicit_tls`) and after AUTH
    // with this login, and whose certificate names "localhost" and chains
    // to ca_file() only. Like a relay, that server refuses the sender
    // kRefusedSender at MAIL FROM (553) and the recipient kRefusedRecipient
    // at RCPT TO (550).
    std::string login{};
    std::string password{};
    bool implicit_tls = false;
  };

  static constexpr const char* kRefusedSender = "refused-sender@example.com";
  static constexpr const char* kRefusedRecipient = "refused@example.com";

  SmtpServer() : SmtpServer(Options{}) {}
  explicit SmtpServer(Options options);
  // Stops the server and deletes the maildir.
  ~SmtpServer();
  SmtpServer(const SmtpServer&) = delete;
  SmtpServer& operator=(const SmtpServer&) = delete;

  // Starts the server and returns once it answers with its 220 greeting;
  // throws when it exits or is not answering within 15 seconds.
  void Start();
  // Terminates the server and waits for it; the maildir stays. No-op when
  // not running.
  void Stop();
  bool running() const { return pid_ > 0; }

  int port() const { return port_; }
  // "smtp://127.0.0.1:PORT"; with a login "smtp://localhost:PORT", or
  // "smtps://..." with implicit_tls (no credentials in it).
  std::string url() const;
  // With a login: the PEM file of the certificate authority that signed the
  // server's certificate (made at the first Start).
  std::filesystem::path ca_file() const { return directory_ / "ca.pem"; }

  // Every message received so far, oldest first, as aiosmtpd stored it: the
  // message with LF line ends and its own X-Peer, X-MailFrom and X-RcptTo
  // headers appended to the header.
  std::vector<std::string> Messages() const;

  // Polls until at least `count` messages are there; false on timeout.
  bool WaitForMessages(std::size_t count, std::chrono::milliseconds timeout) const;

 private:
  std::string LogTail() const;

  Options options_;
  std::filesystem::path directory_;  // holds maildir/ and aiosmtpd.log
  int port_ = 0;
  pid_t pid_ = -1;
};

// The Python interpreter the tests use (see SmtpServer): $ROSTER_TEST_PYTHON,
// else the one CMake was given.
std::string TestPython();

}  // namespace roster::test_support
