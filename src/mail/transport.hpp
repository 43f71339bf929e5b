#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace roster::mail {

// The slugs of a failed Send. A permanent failure is a 5xx reply about this
// message: the server refused its recipient or its content, and trying
// again is unlikely to help. A refused setup is a refusal of what every
// message shares: the relay refused the login (a wrong user or password in
// ROSTER_MAIL, or none where it wants one) or the sender address
// (ROSTER_MAIL_FROM); no message is at fault, and each goes once an
// operator corrects the setting. Anything else (no connection, a timeout, a
// 4xx reply, a full disk) is transient.
inline constexpr std::string_view kPermanentFailure = "mail_refused";
inline constexpr std::string_view kSetupRefused = "mail_setup_refused";
inline constexpr std::string_view kTransientFailure = "mail_unavailable";

bool IsPermanentFailure(const Problem& problem);
bool IsSetupRefused(const Problem& problem);

// Hands finished messages to something that delivers them. Implementations
// are thread-safe; Send may block for up to the connect plus transfer
// timeout, never longer.
class Transport {
 public:
  virtual ~Transport() = default;

  // Delivers `message` (a complete RFC 5322 text with CRLF line ends) from
  // the envelope sender `from_address` to `to_address`. OK once the
  // receiving side has accepted responsibility for it. `message_key`
  // identifies the message across retries (letters, digits, '.', '-', '_'):
  // a transport that can, makes a retry with the same key replace the
  // earlier copy rather than add a second one. Fails with a Problem whose
  // slug is one of the three above; its `detail` is one line
  // for the outbox's last_error and never contains the message.
  virtual Status Send(const std::string& from_address, const std::string& to_address,
                      const std::string& message, const std::string& message_key) = 0;

  // The transport's URL without credentials, for logs.
  virtual std::string Describe() const = 0;

  // Checks, without delivering anything, that Send could reach its
  // destination now: SMTP connects, reads the greeting and says EHLO (and
  // STARTTLS and AUTH where Send would), then hangs up; file: creates and
  // removes a file in its directory. Fails with one line that never holds a
  // credential. A transport with nothing to check answers OK.
  virtual Status Probe() { return {}; }
};

struct TransportOptions {
  // A dead or silent server makes Send fail after these, never hang.
  std::chrono::milliseconds connect_timeout{10'000};
  std::chrono::milliseconds transfer_timeout{30'000};
  // SMTP: a PEM file of the certificate authorities the server's TLS
  // certificate must chain to, instead of the system's (a relay with a
  // certificate of the company's own CA). Empty: the system's.
  std::string ca_file{};
};

// The transport for ROSTER_MAIL:
//   file:DIR                        one .eml file per message in DIR (created)
//   smtp://[user:pass@]host[:port]  SMTP, STARTTLS when the server offers it
//   smtps://[user:pass@]host[:port] SMTP over TLS from the first byte
// user and pass are percent-decoded; the port defaults to 25 (smtp) or 465
// (smtps); an optional path ("/mail.example.com") is the name sent in EHLO.
// Fails (kValidation, field "ROSTER_MAIL") with one sentence saying what is
// wrong with the URL, or when DIR cannot be created; (field "ROSTER_MAIL_CA")
// when an SMTP transport's `ca_file` cannot be read.
Result<std::unique_ptr<Transport>> MakeTransport(const std::string& url,
                                                 const TransportOptions& options = {});
// MakeTransport's checks of the URL and the CA file, without creating
// anything: for the commands that send no mail.
Status CheckTransportUrl(const std::string& url, const TransportOptions& options = {});

// Problem builders for transports.
Problem PermanentFailure(std::string detail);
Problem SetupRefused(std::string detail);
Problem TransientFailure(std::string detail);

}  // namespace roster::mail
