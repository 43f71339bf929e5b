#include <spdlog/spdlog.h>

#include <algorithm>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <iostream>
#include <mutex>
#include <thread>

#include "app/context.hpp"
#include "app/sign_in.hpp"
#include "app/undelivered_mail.hpp"
#include "app/webhook_sender.hpp"
#include "auth/password_hasher.hpp"
#include "cli/commands.hpp"
#include "cli/secret_key.hpp"
#include "cli/serve_options.hpp"
#include "http/api/api.hpp"
#include "http/client_address.hpp"
#include "http/metrics.hpp"
#include "http/operational.hpp"
#include "http/router.hpp"
#include "http/server.hpp"
#include "http/static_files.hpp"
#include "mail/headers.hpp"
#include "mail/outbox_sender.hpp"
#include "mail/transport.hpp"
#include "store/backup.hpp"
#include "store/database.hpp"
#include "store/migrations.hpp"
#include "store/outbox.hpp"
#include "store/webhooks.hpp"

namespace roster::cli {
namespace {

std::vector<std::string> SplitList(const std::string& text) {
  std::vector<std::string> items;
  std::size_t start = 0;
  while (start <= text.size()) {
    auto comma = text.find(',', start);
    std::string item =
        text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (!item.empty()) items.push_back(item);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return items;
}

// The same default on both backends. More threads overlap PostgreSQL's
// round trips (the load benchmark runs it with 8 on 2 CPUs), but they also
// let more sign-ins reach the password hasher's few slots at once, where the
// surplus is refused with 503 (SPEC 6): with 8 on 2 CPUs the lockout drill
// of the cluster tests saw its clients' retries run into the per-address
// limit. ROSTER_WORKERS raises it where sign-ins are not the concern.
int DefaultWorkers(store::Backend) { return http::DefaultHandlerThreads(); }

Result<http::ServerOptions> MakeServerOptions(const Settings& settings) {
  http::ServerOptions options;
  auto url = ROSTER_TRY(store::DatabaseUrl::Parse(settings.database));
  options.handler_threads =
      settings.workers.empty()
          ? DefaultWorkers(url.backend)
          : static_cast<int>(ROSTER_TRY(ParseSeconds(settings.workers, "ROSTER_WORKERS", 1, 256)));
  ListenAddress listen = ROSTER_TRY(ParseListen(settings.listen));
  options.host = listen.host;
  options.port = listen.port;
  options.header_timeout = std::chrono::seconds(
      ROSTER_TRY(ParseSeconds(settings.header_timeout, "ROSTER_HEADER_TIMEOUT", 1, 3600)));
  options.idle_timeout = std::chrono::seconds(
      ROSTER_TRY(ParseSeconds(settings.idle_timeout, "ROSTER_IDLE_TIMEOUT", 1, 3600)));
  options.trusted_proxies = SplitList(settings.trusted_proxies);
  if (auto proxies = http::TrustedProxies::Parse(options.trusted_proxies); !proxies.ok()) {
    return Problem::Validation("ROSTER_TRUSTED_PROXIES",
                               "ROSTER_TRUSTED_PROXIES: " + proxies.problem().detail);
  }
  options.strict_transport_security = settings.public_url.rfind("https://", 0) == 0;
  return options;
}

}  // namespace

std::string DefaultWebRoot() {
  std::error_code error;
  auto executable = std::filesystem::read_symlink("/proc/self/exe", error);
  if (error) return "";
  auto directory = executable.parent_path();
  for (const auto& web :
       {directory / "web", directory.parent_path() / "share" / "roster" / "web"}) {
    if (std::filesystem::exists(web / "index.html", error)) return web.string();
  }
  return "";
}

namespace {

// Runs `task` every `period` on its own thread until destroyed.
class PeriodicTask {
 public:
  PeriodicTask(std::chrono::seconds period, std::function<void()> task)
      : thread_([this, period, task = std::move(task)] {
          std::unique_lock lock(mutex_);
          while (!wake_.wait_for(lock, period, [this] { return stopping_; })) {
            lock.unlock();
            task();
            lock.lock();
          }
        }) {}
  ~PeriodicTask() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    wake_.notify_all();
    thread_.join();
  }

 private:
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;  // GUARDED_BY(mutex_)
  std::thread thread_;
};

Result<app::WebhookSenderOptions> MakeWebhookSenderOptions(const Settings& settings) {
  app::WebhookSenderOptions options;
  options.retry_max_seconds = static_cast<int>(
      ROSTER_TRY(ParseSeconds(settings.webhook_retry_max, "ROSTER_WEBHOOK_RETRY_MAX", 1, 86400)));
  options.retry_for_seconds = static_cast<int>(ROSTER_TRY(
      ParseSeconds(settings.webhook_retry_for, "ROSTER_WEBHOOK_RETRY_FOR", 1, 30L * 86400)));
  options.disable_after_seconds = static_cast<int>(ROSTER_TRY(ParseSeconds(
      settings.webhook_disable_after, "ROSTER_WEBHOOK_DISABLE_AFTER", 1, 365L * 86400)));
  options.workers = static_cast<int>(
      ROSTER_TRY(ParseSeconds(settings.webhook_workers, "ROSTER_WEBHOOK_WORKERS", 1, 64)));
  ROSTER_TRY_STATUS(options.Validate());
  return options;
}

// Webhook outcomes and the queue, on /metrics.
void AddWebhookMetrics(http::Metrics& metrics, const app::WebhookSender& sender,
                       store::Database& db, const Clock& clock) {
  metrics.AddCounter("roster_webhook_deliveries_succeeded_total",
                     "Webhook deliveries answered with a 2xx.",
                     [&sender] { return static_cast<double>(sender.delivered()); });
  metrics.AddCounter("roster_webhook_attempts_failed_total",
                     "Webhook delivery attempts that failed (each is retried or given up).",
                     [&sender] { return static_cast<double>(sender.failed_attempts()); });
  metrics.AddCounter("roster_webhook_deliveries_failed_total",
                     "Webhook deliveries given up on after the retry window.",
                     [&sender] { return static_cast<double>(sender.given_up()); });
  metrics.AddGauge("roster_webhook_queue_depth", "Webhook deliveries pending.", [&db] {
    auto stats = store::webhooks::ReadQueueStats(db);
    return stats.ok() ? static_cast<double>(stats->pending) : -1.0;
  });
  metrics.AddGauge("roster_webhook_oldest_pending_seconds",
                   "Age of the oldest pending webhook delivery (0 when none).", [&db, &clock] {
                     auto stats = store::webhooks::ReadQueueStats(db);
                     if (!stats.ok()) return -1.0;
                     if (!stats->oldest_pending_created_at) return 0.0;
                     return static_cast<double>(clock.Now() - *stats->oldest_pending_created_at);
                   });
}

void AddMailMetrics(http::Metrics& metrics, const mail::OutboxSender& sender, store::Database& db) {
  metrics.AddGauge("roster_outbox_pending", "E-mails waiting to be delivered.", [&db] {
    auto pending = store::outbox::CountPending(db);
    return pending.ok() ? static_cast<double>(*pending) : -1.0;
  });
  metrics.AddCounter("roster_mail_delivered_total", "E-mails the mail server accepted.",
                     [&sender] { return static_cast<double>(sender.delivered()); });
  metrics.AddCounter("roster_mail_attempts_failed_total",
                     "E-mail delivery attempts that failed (each is retried or given up).",
                     [&sender] { return static_cast<double>(sender.failed_attempts()); });
  metrics.AddCounter("roster_mail_given_up_total",
                     "E-mails given up on: the mail server refused the recipient or the message.",
                     [&sender] { return static_cast<double>(sender.given_up()); });
  metrics.AddCounter("roster_mail_withdrawn_total",
                     "Invitation and password reset e-mails not sent: their one-time password "
                     "no longer worked (sent again, used, revoked or expired) when they were due.",
                     [&sender] { return static_cast<double>(sender.withdrawn()); });
  metrics.AddGauge("roster_mail_setup_refused",
                   "1 while the mail server refuses the login or the sender address, and no "
                   "e-mail goes out until the setting is corrected.",
                   [&sender] { return sender.setup_refused() ? 1.0 : 0.0; });
}

}  // namespace

Result<ServeOptions> MakeServeOptions(const Settings& settings) {
  ServeOptions options;
  options.app = ROSTER_TRY(MakeAppSettings(settings));
  options.server = ROSTER_TRY(MakeServerOptions(settings));
  options.mail_retry_max_seconds = static_cast<int>(
      ROSTER_TRY(ParseSeconds(settings.mail_retry_max, "ROSTER_MAIL_RETRY_MAX", 1, 86400)));
  options.mail_lease_seconds =
      static_cast<int>(ROSTER_TRY(ParseSeconds(settings.mail_lease, "ROSTER_MAIL_LEASE", 2, 3600)));
  options.webhooks = ROSTER_TRY(MakeWebhookSenderOptions(settings));
  // A connection per handler thread, one for the outbox sender, one per
  // webhook worker and one for pruning and metrics: no request waits for a
  // connection.
  options.database_pool = static_cast<std::size_t>(options.server.handler_threads) + 2 +
                          static_cast<std::size_t>(options.webhooks.workers);
  if (!settings.db_pool.empty()) {
    options.database_pool =
        static_cast<std::size_t>(ROSTER_TRY(ParseSeconds(settings.db_pool, "ROSTER_DB_POOL", 1, 1000)));
  }
  options.database_url = ROSTER_TRY(store::DatabaseUrl::Parse(settings.database));
  // Read again (or made) at the start: here only whether it is a key.
  if (!settings.secret_key.empty()) ROSTER_TRY_STATUS(SecretBox::FromText(settings.secret_key));
  options.web_root = settings.web_root.empty() ? DefaultWebRoot() : settings.web_root;
  return options;
}

int RunServe(const Settings& settings) {
  auto options = MakeServeOptions(settings);
  if (!options.ok()) return Fail(options.problem());
  auto transport = MakeMailTransport(settings);
  if (!transport.ok()) return Fail(transport.problem());
  app::Settings& app_settings = options->app;
  const http::ServerOptions& server_options = options->server;
  // A restore must not replace the SQLite file under a running server.
  auto serve_lock = store::ServeLock::Acquire(options->database_url);
  if (!serve_lock.ok()) return Fail(serve_lock.problem());
  auto database = store::Database::Open(settings.database, options->database_pool);
  if (!database.ok()) return Fail(database.problem());
  if (Status current = store::CheckSchemaIsCurrent(**database); !current.ok()) {
    return Fail(current.problem());
  }
  // Hashing may hold at most half the request workers, running or waiting
  // (SPEC 6): a flood of logins gets fast 503s while other requests still
  // find a free worker. More slots than cores would only slow each hash.
  PasswordHasherOptions hasher_options;
  int cores = std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  hasher_options.max_concurrent = static_cast<unsigned>(
      std::max(1, std::min(cores - 1, server_options.handler_threads / 2 - 1)));
  hasher_options.max_waiting = hasher_options.max_concurrent;
  auto hasher = PasswordHasher::Create(hasher_options);
  if (!hasher.ok()) return Fail(hasher.problem());

  SystemClock clock;
  mail::OutboxSenderOptions sender_options;
  sender_options.retry_max_seconds = options->mail_retry_max_seconds;
  sender_options.envelope_from = app_settings.mail_from_address;
  sender_options.from_header =
      mail::FormatAddressHeader(app_settings.mail_from_name, app_settings.mail_from_address);
  // A message is sent only while most of its lease is left, so a slow
  // attempt never overlaps the next owner's.
  sender_options.lease_seconds = options->mail_lease_seconds;
  sender_options.send_budget_seconds = std::max(1, options->mail_lease_seconds * 3 / 4);
  sender_options.given_up = app::RecordUndeliveredMail;
  mail::OutboxSender sender(**database, **transport, clock, sender_options);

  http::Router router;
  http::Metrics metrics;
  http::Server server(server_options, router, metrics);
  auto endpoint = server.Listen();
  if (!endpoint.ok()) return Fail(endpoint.problem());
  if (settings.public_url.empty()) app_settings.public_url = endpoint->Url();
  Settings bound = settings;  // port 0 is a port now
  bound.listen = endpoint->Url().substr(7);
  if (std::optional<std::string> dead = DeadLinkWarning(bound)) {
    spdlog::warn("event=public_url_unset detail=\"{}\"", *dead);
  }
  // After every other check, so that a refusal above stays one line.
  auto secret_key = LoadSecretKey(settings.secret_key, options->database_url, **database);
  if (!secret_key.ok()) {
    const Problem& problem = secret_key.problem();
    return Fail(problem.errors.empty() ? Reason(problem) : problem.errors.front().message);
  }
  if (Status opens = CheckSecretKeyOpens(**database, *secret_key);
      !opens.ok() && opens.problem().slug == "secret_key_mismatch") {
    // Members with two-factor on sign in with a recovery code meanwhile.
    spdlog::error("event=secret_key_mismatch detail=\"{}; two-factor codes answer 503 until the "
                  "key they were sealed with is back\"",
                  opens.problem().detail);
  }

  app::Context context{**database, **hasher, clock, app_settings, [&sender] { sender.Notify(); }};
  if (*secret_key) context.secret_box = &**secret_key;
  http::AddApiRoutes(router, context);
  store::Database& db = **database;
  http::AddOperationalRoutes(router, metrics, [&db] { return db.Ping().ok(); });
  app::WebhookSender webhook_sender(context, options->webhooks);
  AddWebhookMetrics(metrics, webhook_sender, db, clock);
  PasswordHasher& password_hasher = **hasher;
  metrics.AddCounter(
      "roster_password_hashes_total", "argon2id computations (hash or verify).",
      [&password_hasher] { return static_cast<double>(password_hasher.HashesComputed()); });
  AddMailMetrics(metrics, sender, db);
  if (!options->web_root.empty()) router.SetFallback(http::MakeStaticFiles(options->web_root));
  std::error_code no_console;
  if (options->web_root.empty() ||
      !std::filesystem::is_regular_file(std::filesystem::path(options->web_root) / "index.html",
                                        no_console)) {
    // The API still answers; the console and the e-mails' /login do not.
    spdlog::warn("event=web_root_missing detail=\"{}: the console and /login answer 404\"",
                 options->web_root.empty() ? "no built console found (ROSTER_WEB_ROOT)"
                                           : "ROSTER_WEB_ROOT " + options->web_root +
                                                 " holds no index.html");
  }

  sender.Start();
  webhook_sender.Start();
  PeriodicTask pruning(std::chrono::minutes(10), [&context] {
    if (Status pruned = app::PruneExpired(context); !pruned.ok()) {
      spdlog::warn("event=prune_failed error={}", pruned.problem().internal);
    }
  });
  std::cout << "listening on " << endpoint->Url() << std::endl;
  spdlog::info("event=started url={} public_url={} mail={}", endpoint->Url(),
               app_settings.public_url, (*transport)->Describe());
  server.Run();
  webhook_sender.RequestStop();
  sender.Stop();
  webhook_sender.Stop();
  spdlog::info("event=stopped");
  return 0;
}

}  // namespace roster::cli
