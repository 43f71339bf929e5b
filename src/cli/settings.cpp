#include "cli/settings.hpp"

#include <cstdlib>
#include <regex>

#include <spdlog/spdlog.h>

#include "http/log_format.hpp"

namespace roster::cli {

const std::vector<SettingBinding>& SettingBindings() {
  static const std::vector<SettingBinding> bindings = {
      {"--db", "ROSTER_DB", &Settings::database,
       "sqlite:PATH or postgresql://user:password@host:port/db (percent-encode @:/?#% in the "
       "password)"},
      {"--mail", "ROSTER_MAIL", &Settings::mail,
       "file:DIR, smtp://[user:pass@]host[:port] (25) or smtps://... (465)"},
      {"--listen", "ROSTER_LISTEN", &Settings::listen,
       "HOST:PORT to listen on (port 0 picks a free one)"},
      {"--public-url", "ROSTER_PUBLIC_URL", &Settings::public_url,
       "the address users open; links in e-mails"},
      {"--invite-ttl", "ROSTER_INVITE_TTL", &Settings::invite_ttl,
       "seconds a one-time password works"},
      {"--reset-ttl", "ROSTER_RESET_TTL", &Settings::reset_ttl,
       "seconds a password reset's one-time password works"},
      {"--session-idle", "ROSTER_SESSION_IDLE", &Settings::session_idle,
       "idle session timeout, seconds"},
      {"--session-max", "ROSTER_SESSION_MAX", &Settings::session_max,
       "absolute session lifetime, seconds"},
      {"--login-address-limit", "ROSTER_LOGIN_ADDRESS_LIMIT", &Settings::login_address_limit,
       "sign-in attempts per client address per minute"},
      {"--mail-retry-max", "ROSTER_MAIL_RETRY_MAX", &Settings::mail_retry_max,
       "longest wait between delivery attempts, seconds"},
      {"--mail-lease", "ROSTER_MAIL_LEASE", &Settings::mail_lease,
       "seconds a delivery attempt owns a message; after a crash another attempt waits this long"},
      {"--mail-from", "ROSTER_MAIL_FROM", &Settings::mail_from,
       "sender of e-mails: \"Name <address>\""},
      {"--mail-ca", "ROSTER_MAIL_CA", &Settings::mail_ca,
       "PEM file of the certificate authorities trusted for the SMTP server (default: the "
       "system's)"},
      {"--header-timeout", "ROSTER_HEADER_TIMEOUT", &Settings::header_timeout,
       "seconds for a request's head to arrive"},
      {"--idle-timeout", "ROSTER_IDLE_TIMEOUT", &Settings::idle_timeout,
       "seconds an idle keep-alive connection stays open"},
      {"--trusted-proxies", "ROSTER_TRUSTED_PROXIES", &Settings::trusted_proxies,
       "comma-separated proxy addresses whose X-Forwarded-For is believed"},
      {"--workers", "ROSTER_WORKERS", &Settings::workers,
       "request handler threads (default: max(4, 2 x CPUs))"},
      {"--db-pool", "ROSTER_DB_POOL", &Settings::db_pool,
       "database connections (default: workers + 2 + webhook workers)"},
      {"--web-root", "ROSTER_WEB_ROOT", &Settings::web_root, "directory of the built web console"},
      {"--log-level", "ROSTER_LOG_LEVEL", &Settings::log_level, "debug, info, warn or error"},
      {"--log-format", "ROSTER_LOG_FORMAT", &Settings::log_format,
       "text, or json: one JSON object per line"},
      {"--webhook-retry-max", "ROSTER_WEBHOOK_RETRY_MAX", &Settings::webhook_retry_max,
       "longest wait between webhook delivery attempts, seconds"},
      {"--webhook-retry-for", "ROSTER_WEBHOOK_RETRY_FOR", &Settings::webhook_retry_for,
       "seconds a webhook delivery is retried before it is failed"},
      {"--webhook-disable-after", "ROSTER_WEBHOOK_DISABLE_AFTER", &Settings::webhook_disable_after,
       "seconds an endpoint may fail without one success before it is disabled"},
      {"--webhook-workers", "ROSTER_WEBHOOK_WORKERS", &Settings::webhook_workers,
       "webhook delivery threads (one endpoint uses at most one)"},
      {"--webhook-allow-http", "ROSTER_WEBHOOK_ALLOW_HTTP", &Settings::webhook_allow_http,
       "1: accept http:// webhook URLs (default 0: https:// only)"},
      {"--webhook-allow-private", "ROSTER_WEBHOOK_ALLOW_PRIVATE", &Settings::webhook_allow_private,
       "1: let webhooks reach loopback, private and link-local addresses"},
      {"--secret-key", "ROSTER_SECRET_KEY", &Settings::secret_key,
       "32 bytes (64 hex digits or base64) sealing two-factor secrets; SQLite default: "
       "secret.key next to the database"},
  };
  return bindings;
}

void ApplyEnvironment(Settings& settings) {
  for (const SettingBinding& binding : SettingBindings()) {
    if (const char* value = std::getenv(binding.env); value != nullptr && *value != '\0') {
      settings.*binding.field = value;
    }
  }
}

Result<ListenAddress> ParseListen(const std::string& text) {
  auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    return Problem::Validation("ROSTER_LISTEN", "ROSTER_LISTEN must be HOST:PORT (got \"" + text + "\")");
  }
  std::string host = text.substr(0, colon);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  Result<long> port = ParseSeconds(text.substr(colon + 1), "ROSTER_LISTEN port", 0, 65535);
  if (!port.ok()) {
    return Problem::Validation("ROSTER_LISTEN", "ROSTER_LISTEN must be HOST:PORT with a port from 0 to 65535 (got \"" + text + "\")");
  }
  return ListenAddress{host, static_cast<unsigned short>(*port)};
}

Status ValidatePublicUrl(const std::string& url) {
  static const std::regex pattern(R"(^https?://[A-Za-z0-9.\-]+(\:[0-9]{1,5})?(/[A-Za-z0-9._~\-/]*)?$)");
  static const std::regex bracketed(R"(^https?://\[[0-9A-Fa-f:.]+\](\:[0-9]{1,5})?(/[A-Za-z0-9._~\-/]*)?$)");
  if (std::regex_match(url, pattern) || std::regex_match(url, bracketed)) return {};
  return Problem::Validation("ROSTER_PUBLIC_URL",
                             "ROSTER_PUBLIC_URL must look like https://roster.example.com (got \"" + url + "\")");
}

std::optional<std::string> DeadLinkWarning(const Settings& settings) {
  if (!settings.public_url.empty()) return std::nullopt;
  Result<ListenAddress> listen = ParseListen(settings.listen);
  if (!listen.ok()) return std::nullopt;
  bool every_address = listen->host == "0.0.0.0" || listen->host == "::" || listen->host.empty();
  if (!every_address && listen->port != 0) return std::nullopt;
  return "ROSTER_PUBLIC_URL is not set, and links in e-mails would name ROSTER_LISTEN (" +
         settings.listen + "), which no browser opens: set ROSTER_PUBLIC_URL to the address "
         "users open";
}

Result<long> ParseSeconds(const std::string& text, const char* env, long minimum, long maximum) {
  char* end = nullptr;
  long value = std::strtol(text.c_str(), &end, 10);
  if (text.empty() || end == nullptr || *end != '\0' || value < minimum || value > maximum) {
    return Problem::Validation(env, std::string(env) + " must be a whole number from " +
                                        std::to_string(minimum) + " to " + std::to_string(maximum) +
                                        " (got \"" + text + "\")");
  }
  return value;
}

Result<bool> ParseSwitch(const std::string& text, const char* env) {
  if (text == "0") return false;
  if (text == "1") return true;
  return Problem::Validation(env, std::string(env) + " must be 0 or 1 (got \"" + text + "\")");
}

Result<app::Settings> MakeAppSettings(const Settings& settings) {
  app::Settings result;
  result.webhook_allow_http = ROSTER_TRY(ParseSwitch(settings.webhook_allow_http, "ROSTER_WEBHOOK_ALLOW_HTTP"));
  result.webhook_allow_private =
      ROSTER_TRY(ParseSwitch(settings.webhook_allow_private, "ROSTER_WEBHOOK_ALLOW_PRIVATE"));
  if (!settings.public_url.empty()) {
    ROSTER_TRY_STATUS(ValidatePublicUrl(settings.public_url));
    result.public_url = settings.public_url;
  }
  result.invite_ttl = ROSTER_TRY(ParseSeconds(settings.invite_ttl, "ROSTER_INVITE_TTL", 1, 30L * 86400));
  result.reset_ttl = ROSTER_TRY(ParseSeconds(settings.reset_ttl, "ROSTER_RESET_TTL", 1, 7L * 86400));
  result.session_idle = ROSTER_TRY(ParseSeconds(settings.session_idle, "ROSTER_SESSION_IDLE", 1, 30L * 86400));
  result.session_max = ROSTER_TRY(ParseSeconds(settings.session_max, "ROSTER_SESSION_MAX", 1, 365L * 86400));
  result.login_address_limit = static_cast<int>(
      ROSTER_TRY(ParseSeconds(settings.login_address_limit, "ROSTER_LOGIN_ADDRESS_LIMIT", 1, 1000000)));
  static const std::regex from_pattern(R"(^\s*(.*?)\s*<([^<>\s]+@[^<>\s]+)>\s*$)");
  std::smatch match;
  if (std::regex_match(settings.mail_from, match, from_pattern)) {
    result.mail_from_name = match[1];
    result.mail_from_address = match[2];
  } else if (settings.mail_from.find('@') != std::string::npos &&
             settings.mail_from.find_first_of(" <>\r\n") == std::string::npos) {
    result.mail_from_name = "Roster";
    result.mail_from_address = settings.mail_from;
  } else {
    return Problem::Validation("ROSTER_MAIL_FROM",
                               "ROSTER_MAIL_FROM must be \"Name <address>\" or an address (got \"" +
                                   settings.mail_from + "\")");
  }
  return result;
}

Status ConfigureLogging(const Settings& settings) {
  spdlog::level::level_enum level = spdlog::level::from_str(settings.log_level);
  // spdlog reads any name it does not know as "off": a typo would silence the log.
  if (level == spdlog::level::off && settings.log_level != "off") {
    return Problem::Validation("ROSTER_LOG_LEVEL",
                               "ROSTER_LOG_LEVEL must be debug, info, warn or error (got \"" +
                                   settings.log_level + "\")");
  }
  if (settings.log_format != "text" && settings.log_format != "json") {
    return Problem::Validation("ROSTER_LOG_FORMAT", "ROSTER_LOG_FORMAT must be text or json (got \"" +
                                                        settings.log_format + "\")");
  }
  http::SetLogFormat(settings.log_format == "json" ? http::LogFormat::kJson : http::LogFormat::kText);
  spdlog::set_level(level);
  return {};
}

}  // namespace roster::cli
