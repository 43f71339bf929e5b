#pragma once

#include <cstddef>
#include <string>

#include "app/context.hpp"
#include "app/webhook_sender.hpp"
#include "cli/settings.hpp"
#include "http/server.hpp"
#include "store/database.hpp"

namespace roster::cli {

// What `roster serve` makes of the settings before it opens anything, so
// that `roster doctor` judges them exactly as serve does.
struct ServeOptions {
  app::Settings app;
  http::ServerOptions server;
  int mail_retry_max_seconds = 0;
  int mail_lease_seconds = 0;
  app::WebhookSenderOptions webhooks;
  std::size_t database_pool = 0;
  store::DatabaseUrl database_url{};
  std::string web_root;  // empty: no console found, serve answers the API only
};

// Fails with one line naming the first bad setting. ROSTER_MAIL is checked
// by mail::MakeTransport, which also creates a file: transport's directory.
Result<ServeOptions> MakeServeOptions(const Settings& settings);

// The console built beside the executable (build/web), else the one
// installed for it (/usr/share/roster/web for /usr/bin/roster, as the Debian
// package lays it out); empty when there is neither.
std::string DefaultWebRoot();

}  // namespace roster::cli
