#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/context.hpp"
#include "core/result.hpp"

namespace roster::cli {

// Every setting of `roster`, from a flag or else the environment (ROSTER_*),
// else its default. Parsed once in main; nothing else reads the environment.
struct Settings {
  std::string database = "sqlite:./var/roster.db";  // ROSTER_DB
  std::string mail = "file:./var/mail";              // ROSTER_MAIL
  std::string listen = "127.0.0.1:8080";             // ROSTER_LISTEN
  std::string public_url;                            // ROSTER_PUBLIC_URL (default: the listen URL)
  std::string invite_ttl = "86400";                  // ROSTER_INVITE_TTL, seconds
  std::string reset_ttl = "3600";                    // ROSTER_RESET_TTL, seconds
  std::string session_idle = "1800";                 // ROSTER_SESSION_IDLE
  std::string session_max = "43200";                 // ROSTER_SESSION_MAX
  std::string login_address_limit = "100";           // ROSTER_LOGIN_ADDRESS_LIMIT, per minute
  std::string mail_retry_max = "300";                // ROSTER_MAIL_RETRY_MAX, seconds
  std::string mail_from = "Roster <roster@localhost>";  // ROSTER_MAIL_FROM
  std::string mail_lease = "120";                    // ROSTER_MAIL_LEASE, seconds
  std::string mail_ca;                               // ROSTER_MAIL_CA: the SMTP server's CAs (PEM)
  std::string header_timeout = "30";                 // ROSTER_HEADER_TIMEOUT, seconds
  std::string idle_timeout = "60";                   // ROSTER_IDLE_TIMEOUT, seconds
  std::string trusted_proxies;                       // ROSTER_TRUSTED_PROXIES, comma-separated
  std::string workers;                               // ROSTER_WORKERS (default: by backend)
  std::string db_pool;                               // ROSTER_DB_POOL (default: workers + 2 + webhook workers)
  std::string web_root;                              // ROSTER_WEB_ROOT: the built console
  std::string log_level = "info";                    // ROSTER_LOG_LEVEL
  std::string log_format = "text";                   // ROSTER_LOG_FORMAT: text or json
  std::string webhook_retry_max = "3600";            // ROSTER_WEBHOOK_RETRY_MAX, seconds
  std::string webhook_disable_after = "259200";      // ROSTER_WEBHOOK_DISABLE_AFTER, seconds
  std::string webhook_retry_for = "259200";          // ROSTER_WEBHOOK_RETRY_FOR, seconds
  std::string webhook_workers = "4";                 // ROSTER_WEBHOOK_WORKERS
  std::string webhook_allow_http = "0";              // ROSTER_WEBHOOK_ALLOW_HTTP, 0 or 1
  std::string webhook_allow_private = "0";           // ROSTER_WEBHOOK_ALLOW_PRIVATE, 0 or 1
  std::string secret_key;                            // ROSTER_SECRET_KEY: seals TOTP secrets
};

// The environment variable of each setting, for the help text and README.
struct SettingBinding {
  const char* flag;
  const char* env;
  std::string Settings::*field;
  const char* help;
};
const std::vector<SettingBinding>& SettingBindings();

// Fills unset fields from the environment.
void ApplyEnvironment(Settings& settings);

struct ListenAddress {
  std::string host;
  unsigned short port = 0;
};
Result<ListenAddress> ParseListen(const std::string& text);
// Accepts http(s)://host[:port][/path]; no query, fragment or credentials.
Status ValidatePublicUrl(const std::string& url);
// A whole number of seconds within [minimum, maximum], named by `env` in errors.
Result<long> ParseSeconds(const std::string& text, const char* env, long minimum, long maximum);

// "0" or "1", named by `env` in errors.
Result<bool> ParseSwitch(const std::string& text, const char* env);

// Without ROSTER_PUBLIC_URL, links in e-mails name the listen address: a
// sentence saying why they would not open when that address is every
// address of the machine (0.0.0.0, ::) or port 0; nullopt otherwise.
std::optional<std::string> DeadLinkWarning(const Settings& settings);

// The use-case settings; fails with one line naming the bad setting.
Result<app::Settings> MakeAppSettings(const Settings& settings);

// Applies ROSTER_LOG_LEVEL and ROSTER_LOG_FORMAT to the log on stderr; fails
// with one line naming the bad setting (and then changes nothing).
Status ConfigureLogging(const Settings& settings);

}  // namespace roster::cli
