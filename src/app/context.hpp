#pragma once

#include <functional>
#include <string>

#include "core/clock.hpp"
#include "core/ids.hpp"
#include "app/principal.hpp"

namespace roster {
class PasswordHasher;
class SecretBox;
namespace store {
class Database;
}
}  // namespace roster

namespace roster::app {

// Settings the use cases read; the command line fills them from flags and
// environment (ROSTER_*).
struct Settings {
  std::string public_url = "http://localhost:8080";  // links in e-mails, cookie Secure flag
  UnixSeconds invite_ttl = 86400;
  UnixSeconds reset_ttl = 3600;  // a password reset's one-time password (SPEC 11)
  UnixSeconds session_idle = 1800;
  UnixSeconds session_max = 43200;
  int login_address_limit = 100;  // attempts per client address per minute
  int login_failure_limit = 10;   // failures per account ...
  UnixSeconds login_failure_window = 900;  // ... within this window lock it for as long
  int resend_limit = 5;                    // resends per member per hour
  std::string mail_from_address = "roster@localhost";
  std::string mail_from_name = "Roster";
  bool webhook_allow_http = false;     // ROSTER_WEBHOOK_ALLOW_HTTP: http:// endpoints
  bool webhook_allow_private = false;  // ROSTER_WEBHOOK_ALLOW_PRIVATE: private addresses
};

// What every use case needs; built once by the composition root.
struct Context {
  store::Database& database;
  PasswordHasher& hasher;
  const Clock& clock;
  Settings settings;
  // Called after a transaction that queued e-mail commits, to wake the sender.
  std::function<void()> mail_queued = [] {};
  // Seals TOTP secrets at rest (ROSTER_SECRET_KEY); null when no key is
  // set, and then two-factor set-up and codes answer 503.
  const SecretBox* secret_box = nullptr;
};

}  // namespace roster::app
