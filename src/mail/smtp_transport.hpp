#pragma once

#include <string>

#include "mail/transport.hpp"

namespace roster::mail {

// A parsed smtp:// or smtps:// URL (see MakeTransport).
struct SmtpUrl {
  bool implicit_tls = false;  // smtps://
  std::string host;           // a name, an IPv4 address, or "[IPv6]"
  int port = 0;
  std::string username;  // percent-decoded; empty: no AUTH
  std::string password;
  std::string ehlo_name;  // empty: libcurl sends the local host name

  // Fails (kValidation, field "ROSTER_MAIL") with one sentence; the
  // sentence never repeats the password.
  static Result<SmtpUrl> Parse(const std::string& url);

  // "smtp://host:port" (no credentials), for logs.
  std::string Describe() const;
};

// Delivers through an SMTP server with libcurl, one connection per message.
// smtp:// upgrades with STARTTLS when the server offers it (CURLUSESSL_TRY)
// and otherwise speaks plain text, as a local relay on port 25 usually
// needs; smtps:// is TLS from the first byte. Certificates are verified.
// A 5xx reply is a permanent failure, anything else transient.
class SmtpTransport final : public Transport {
 public:
  SmtpTransport(SmtpUrl url, TransportOptions options);

  Status Send(const std::string& from_address, const std::string& to_address,
              const std::string& message, const std::string& message_key) override;
  std::string Describe() const override { return url_.Describe(); }
  Status Probe() override;

 private:
  // The connection's options, shared by Send and Probe; `error_buffer` has
  // CURL_ERROR_SIZE bytes. `handle` is a CURL*, kept opaque here.
  void SetConnectionOptions(void* handle, const std::string& target, char* error_buffer) const;
  // A failed transfer's Problem: permanent on a 5xx reply, else transient.
  Problem FailureOf(void* handle, int code, const char* error_buffer) const;

  const SmtpUrl url_;
  const TransportOptions options_;
};

}  // namespace roster::mail
