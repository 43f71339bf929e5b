#include "mail/smtp_transport.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstring>
#include <memory>
#include <mutex>
#include <optional>
#include <string_view>

#include "core/percent_encoding.hpp"
#include "mail/headers.hpp"

namespace roster::mail {
namespace {

Problem BadUrl(const std::string& sentence) { return Problem::Validation("ROSTER_MAIL", sentence); }

bool IsHostChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
         c == '-';
}

// Splits "host", "host:port", "[v6]" or "[v6]:port".
Status ParseHostPort(std::string_view text, SmtpUrl& url) {
  std::string_view port_text;
  if (!text.empty() && text.front() == '[') {
    std::size_t close = text.find(']');
    if (close == std::string_view::npos)
      return BadUrl("ROSTER_MAIL has an unclosed '[' in its host.");
    url.host = std::string(text.substr(0, close + 1));
    std::string_view rest = text.substr(close + 1);
    if (!rest.empty() && rest.front() != ':')
      return BadUrl("ROSTER_MAIL has text after its host's ']'.");
    if (!rest.empty()) port_text = rest.substr(1);
    for (char c : url.host.substr(1, url.host.size() - 2)) {
      if (!std::isxdigit(static_cast<unsigned char>(c)) && c != ':' && c != '.') {
        return BadUrl("ROSTER_MAIL has an invalid IPv6 host.");
      }
    }
  } else {
    std::size_t colon = text.find(':');
    url.host = std::string(text.substr(0, colon));
    if (colon != std::string_view::npos) port_text = text.substr(colon + 1);
    for (char c : url.host) {
      if (!IsHostChar(c))
        return BadUrl("ROSTER_MAIL's host may hold only letters, digits, '.' and '-'.");
    }
  }
  if (url.host.empty() || url.host == "[]") return BadUrl("ROSTER_MAIL has no host.");
  bool has_port = text.size() > url.host.size();
  if (!has_port) return {};
  auto [end, error] =
      std::from_chars(port_text.data(), port_text.data() + port_text.size(), url.port);
  if (error != std::errc() || end != port_text.data() + port_text.size() || url.port < 1 ||
      url.port > 65535) {
    return BadUrl("ROSTER_MAIL's port must be a number from 1 to 65535.");
  }
  return {};
}

struct Upload {
  const std::string& data;
  std::size_t offset = 0;
};

std::size_t ReadMessage(char* buffer, std::size_t size, std::size_t count, void* user) {
  auto* upload = static_cast<Upload*>(user);
  std::size_t n = std::min(size * count, upload->data.size() - upload->offset);
  std::memcpy(buffer, upload->data.data() + upload->offset, n);
  upload->offset += n;
  return n;
}

void InitializeCurlOnce() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

struct CurlDeleter {
  void operator()(CURL* curl) const { curl_easy_cleanup(curl); }
};
struct ListDeleter {
  void operator()(curl_slist* list) const { curl_slist_free_all(list); }
};

}  // namespace

Result<SmtpUrl> SmtpUrl::Parse(const std::string& text) {
  SmtpUrl url;
  std::string_view rest = text;
  if (rest.rfind("smtps://", 0) == 0) {
    url.implicit_tls = true;
    rest.remove_prefix(8);
  } else if (rest.rfind("smtp://", 0) == 0) {
    rest.remove_prefix(7);
  } else {
    return BadUrl("ROSTER_MAIL must start with smtp:// or smtps://.");
  }
  if (rest.find_first_of("?#") != std::string_view::npos) {
    return BadUrl("ROSTER_MAIL may not have a query ('?') or a fragment ('#').");
  }
  std::size_t slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  std::string_view path = slash == std::string_view::npos ? "" : rest.substr(slash + 1);
  if (path.find('@') != std::string_view::npos) {
    // A '/' of the password ended the host part early.
    return BadUrl(
        "ROSTER_MAIL: percent-encode the characters @ : / ? # % in the user name and "
        "password (p@ss/word is p%40ss%2Fword).");
  }
  std::size_t at = authority.rfind('@');
  if (at != std::string_view::npos) {
    std::string_view userinfo = authority.substr(0, at);
    std::size_t colon = userinfo.find(':');
    auto username = PercentDecode(userinfo.substr(0, colon));
    auto password =
        PercentDecode(colon == std::string_view::npos ? "" : userinfo.substr(colon + 1));
    if (!username || !password) {
      return BadUrl("ROSTER_MAIL's user or password has a bad %-escape (write '%' as %25).");
    }
    if (username->empty()) return BadUrl("ROSTER_MAIL has a password but no user name.");
    url.username = *username;
    url.password = *password;
    authority = authority.substr(at + 1);
  }
  ROSTER_TRY_STATUS(ParseHostPort(authority, url));
  if (url.port == 0) url.port = url.implicit_tls ? 465 : 25;
  if (!path.empty()) {
    if (!ValidateDomain(path).ok()) {
      return BadUrl("ROSTER_MAIL's path must be the host name to send in EHLO.");
    }
    url.ehlo_name = std::string(path);
  }
  return url;
}

std::string SmtpUrl::Describe() const {
  return std::string(implicit_tls ? "smtps://" : "smtp://") + host + ":" + std::to_string(port);
}

SmtpTransport::SmtpTransport(SmtpUrl url, TransportOptions options)
    : url_(std::move(url)), options_(options) {
  InitializeCurlOnce();
}

Status SmtpTransport::Send(const std::string& from_address, const std::string& to_address,
                           const std::string& message, const std::string& message_key) {
  // The envelope reaches the SMTP dialogue verbatim: refuse anything that is
  // not a plain address, for good.
  if (!ValidateAddress(from_address).ok() || !ValidateAddress(to_address).ok()) {
    return PermanentFailure("the sender or recipient is not a valid e-mail address");
  }
  std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
  if (!curl) return TransientFailure("libcurl could not start a transfer");
  std::string target = url_.Describe() + "/" + url_.ehlo_name;
  std::string envelope_from = "<" + from_address + ">";
  std::unique_ptr<curl_slist, ListDeleter> recipients(
      curl_slist_append(nullptr, ("<" + to_address + ">").c_str()));
  Upload upload{message};
  char error_buffer[CURL_ERROR_SIZE] = {};

  CURL* handle = curl.get();
  SetConnectionOptions(handle, target, error_buffer);
  curl_easy_setopt(handle, CURLOPT_MAIL_FROM, envelope_from.c_str());
  curl_easy_setopt(handle, CURLOPT_MAIL_RCPT, recipients.get());
  curl_easy_setopt(handle, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(handle, CURLOPT_READFUNCTION, ReadMessage);
  curl_easy_setopt(handle, CURLOPT_READDATA, &upload);
  curl_easy_setopt(handle, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(message.size()));

  CURLcode code = curl_easy_perform(handle);
  if (code == CURLE_OK) return {};
  return FailureOf(handle, code, error_buffer);
}

Status SmtpTransport::Probe() {
  std::unique_ptr<CURL, CurlDeleter> curl(curl_easy_init());
  if (!curl) return TransientFailure("libcurl could not start a transfer");
  std::string target = url_.Describe() + "/" + url_.ehlo_name;
  char error_buffer[CURL_ERROR_SIZE] = {};
  CURL* handle = curl.get();
  SetConnectionOptions(handle, target, error_buffer);
  // Up to and including the greeting, EHLO, STARTTLS and AUTH; no MAIL FROM.
  curl_easy_setopt(handle, CURLOPT_CONNECT_ONLY, 1L);
  CURLcode code = curl_easy_perform(handle);
  if (code == CURLE_OK) return {};
  return FailureOf(handle, code, error_buffer);
}

void SmtpTransport::SetConnectionOptions(CURL* handle, const std::string& target,
                                         char* error_buffer) const {
  curl_easy_setopt(handle, CURLOPT_URL, target.c_str());
  curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, error_buffer);
  curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT_MS,
                   static_cast<long>(options_.connect_timeout.count()));
  curl_easy_setopt(handle, CURLOPT_TIMEOUT_MS,
                   static_cast<long>(options_.transfer_timeout.count()));
  // STARTTLS when offered; required when there are credentials to send
  // (SPEC 6): they must never cross the network in clear.
  if (!url_.implicit_tls) {
    long use_ssl = url_.username.empty() ? CURLUSESSL_TRY : CURLUSESSL_ALL;
    curl_easy_setopt(handle, CURLOPT_USE_SSL, use_ssl);
  }
  if (!options_.ca_file.empty()) curl_easy_setopt(handle, CURLOPT_CAINFO, options_.ca_file.c_str());
  if (!url_.username.empty()) {
    curl_easy_setopt(handle, CURLOPT_USERNAME, url_.username.c_str());
    curl_easy_setopt(handle, CURLOPT_PASSWORD, url_.password.c_str());
  }
}

Problem SmtpTransport::FailureOf(CURL* handle, int code, const char* error_buffer) const {
  long reply = 0;
  curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &reply);
  std::string_view said =
      error_buffer[0] != '\0' ? error_buffer : curl_easy_strerror(static_cast<CURLcode>(code));
  std::string detail = url_.Describe() + ": " + std::string(said);
  if (reply != 0) detail += " (last reply " + std::to_string(reply) + ")";
  // RFC 4954's refusals of a login: refused (535), required and not given
  // (530), too weak (534) or needing TLS (538).
  if (code == CURLE_LOGIN_DENIED || reply == 530 || reply == 534 || reply == 535 || reply == 538) {
    return SetupRefused(detail + ": the relay refused the login of ROSTER_MAIL");
  }
  if (reply < 500 || reply > 599) return TransientFailure(detail);
  // libcurl names the command a 5xx answered ("MAIL failed: 553"): a
  // refused MAIL FROM refuses the sender address every message has, except
  // for 552, the message's declared SIZE over the server's limit (RFC 1870).
  if (said.starts_with("MAIL failed") && reply != 552) {
    return SetupRefused(detail + ": the relay refused the sender address of ROSTER_MAIL_FROM");
  }
  return PermanentFailure(detail);
}

}  // namespace roster::mail
