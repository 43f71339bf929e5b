#include "cli/commands.hpp"

#include <spdlog/spdlog.h>

#include <filesystem>
#include <functional>
#include <iostream>

#include "app/members.hpp"
#include "app/two_factor.hpp"
#include "app/undelivered_mail.hpp"
#include "auth/password_hasher.hpp"
#include "cli/secret_key.hpp"
#include "cli/serve_options.hpp"
#include "mail/headers.hpp"
#include "mail/outbox_sender.hpp"
#include "mail/transport.hpp"
#include "store/backup.hpp"
#include "store/database.hpp"
#include "store/migrations.hpp"

namespace roster::cli {

int Fail(const std::string& line) {
  std::cerr << "roster: " << line << "\n";
  return 1;
}

std::string Reason(const Problem& problem) {
  bool says_nothing = problem.detail == Problem::Internal({}).detail ||
                      problem.detail == Problem::Unavailable({}).detail;
  return says_nothing && !problem.internal.empty() ? problem.internal : problem.detail;
}

int Fail(const Problem& problem) { return Fail(Reason(problem)); }

namespace {

mail::TransportOptions MailOptions(const Settings& settings) {
  mail::TransportOptions options;
  options.ca_file = settings.mail_ca;
  return options;
}

}  // namespace

Status CheckSettings(const Settings& settings) {
  ROSTER_TRY_STATUS(MakeServeOptions(settings));
  return mail::CheckTransportUrl(settings.mail, MailOptions(settings));
}

Result<std::unique_ptr<mail::Transport>> MakeMailTransport(const Settings& settings) {
  return mail::MakeTransport(settings.mail, MailOptions(settings));
}

int RunMigrate(const Settings& settings) {
  auto url = store::DatabaseUrl::Parse(settings.database);
  if (!url.ok()) return Fail(url.problem());
  if (Status made = store::MakeDatabaseDirectory(*url); !made.ok()) return Fail(made.problem());
  auto database = store::Database::Open(settings.database, 1);
  if (!database.ok()) return Fail(database.problem());
  auto version = store::Migrate(**database);
  if (!version.ok()) return Fail(version.problem());
  std::cout << "database schema at version " << *version;
  if (*version > store::LatestSchemaVersion()) {
    std::cout << " (a newer roster's, which this one may serve: nothing to migrate)";
  }
  std::cout << "\n";
  return 0;
}

int RunBackup(const Settings& settings, const std::string& to_path) {
  auto url = store::DatabaseUrl::Parse(settings.database);
  if (!url.ok()) return Fail(url.problem());
  // The key goes beside the copy: over an earlier backup's key, never over
  // another file (the live key itself is refused as a target, since it is
  // no Roster backup).
  std::filesystem::path key_copy = to_path + ".key";
  if (settings.secret_key.empty() && std::filesystem::exists(key_copy) && !IsKeyFile(key_copy)) {
    return Fail(Problem::Invalid("backup_target_exists",
                                 key_copy.string() + " exists and is not a backup's key: choose "
                                                     "another name"));
  }
  auto report = store::BackupSqlite(*url, to_path);
  if (!report.ok()) return Fail(report.problem());
  std::cout << "backed up " << url->sqlite_path << " to " << to_path << " (schema version "
            << report->schema_version << ", " << report->pages
            << " pages, integrity_check ok)\n";
  // Two-factor secrets open only with the key they were sealed with: it
  // goes beside the copy, and a restore puts it back.
  std::filesystem::path key = SqliteKeyPath(*url);
  if (!settings.secret_key.empty()) {
    std::cout << "two-factor secrets are sealed with ROSTER_SECRET_KEY: keep it with the backup\n";
  } else if (std::filesystem::exists(key)) {
    if (Status copied = CopyKeyFile(key, key_copy); !copied.ok()) return Fail(copied.problem());
    std::cout << "copied the two-factor key " << key.string() << " to " << key_copy.string()
              << ": keep the two files together\n";
  }
  return 0;
}

int RunRestore(const Settings& settings, const std::string& from_path) {
  auto url = store::DatabaseUrl::Parse(settings.database);
  if (!url.ok()) return Fail(url.problem());
  auto report = store::RestoreSqlite(from_path, *url);
  if (!report.ok()) return Fail(report.problem());
  std::cout << "restored " << from_path << " into " << url->sqlite_path << " (schema version "
            << report->schema_version << ")";
  if (report->schema_version < store::LatestSchemaVersion()) {
    std::cout << "; run `roster migrate` before `roster serve`";
  }
  std::cout << "\n";
  if (!report->replaced_copy.empty()) {
    std::cout << "the database it replaced is kept as " << report->replaced_copy << "\n";
  }
  std::string key = from_path + ".key";
  if (!settings.secret_key.empty()) {
    std::cout << "two-factor secrets open with ROSTER_SECRET_KEY: it must be the backup's key\n";
  } else if (HoldSameKey(key, SqliteKeyPath(*url))) {
    std::cout << "the two-factor key " << SqliteKeyPath(*url).string()
              << " is the backup's already\n";
  } else if (std::filesystem::exists(key)) {
    std::error_code error;
    if (!report->replaced_copy.empty() && std::filesystem::exists(SqliteKeyPath(*url), error)) {
      // The replaced database's key goes with it, as a backup's does.
      std::filesystem::rename(SqliteKeyPath(*url), report->replaced_copy + ".key", error);
    }
    if (Status copied = CopyKeyFile(key, SqliteKeyPath(*url)); !copied.ok()) {
      return Fail(copied.problem());
    }
    std::cout << "put the two-factor key " << key << " back as " << SqliteKeyPath(*url).string()
              << "\n";
  } else {
    std::cout << "no " << key << " beside the backup: two-factor codes work only with the "
              << "secret.key that was beside the database it was taken from\n";
  }
  return 0;
}

namespace {

// A command that changes something and may e-mail about it: `change` in a
// context of the settings; the e-mail it queued delivered now where the
// mail server takes it (a failure is not fatal: the message stays queued
// and serve retries it); then `report`, told whether the mail server took
// an e-mail, prints what the operator needs to hand over.
int RunChange(const Settings& settings, const std::function<Status(app::Context&)>& change,
              const std::function<void(const app::Settings&, bool sent)>& report) {
  auto app_settings = MakeAppSettings(settings);
  if (!app_settings.ok()) return Fail(app_settings.problem());
  // The e-mail's link would be dead (a test's throw-away server may not mind).
  if (std::optional<std::string> dead = DeadLinkWarning(settings)) {
    std::cerr << "roster: warning: " << *dead << "\n";
  }
  if (settings.public_url.empty()) {
    app_settings->public_url = "http://" + settings.listen;
  }
  auto transport = MakeMailTransport(settings);
  if (!transport.ok()) return Fail(transport.problem());
  auto database = store::Database::Open(settings.database, 1);
  if (!database.ok()) return Fail(database.problem());
  if (Status current = store::CheckSchemaIsCurrent(**database); !current.ok()) {
    return Fail(current.problem());
  }
  auto hasher = PasswordHasher::Create();
  if (!hasher.ok()) return Fail(hasher.problem());
  SystemClock clock;
  app::Context context{**database, **hasher, clock, *app_settings};
  if (Status done = change(context); !done.ok()) {
    const Problem& problem = done.problem();
    return Fail(problem.errors.empty() ? problem.detail
                                       : problem.errors.front().field + ": " + problem.errors.front().message);
  }
  mail::OutboxSenderOptions sender_options;
  sender_options.envelope_from = app_settings->mail_from_address;
  sender_options.from_header =
      mail::FormatAddressHeader(app_settings->mail_from_name, app_settings->mail_from_address);
  sender_options.given_up = app::RecordUndeliveredMail;
  mail::OutboxSender sender(**database, **transport, clock, sender_options);
  auto delivered = sender.DeliverDue();
  report(*app_settings, delivered.ok() && sender.delivered() > 0);
  return 0;
}

// `org create` and `org add-admin`: the admin, and how he signs in.
int RunAdminChange(const Settings& settings,
                   const std::function<Result<app::CreatedOrganization>(app::Context&)>& change,
                   bool created_organization) {
  std::optional<app::CreatedOrganization> done;
  UnixSeconds now = 0;
  auto run = [&](app::Context& context) -> Status {
    done = ROSTER_TRY(change(context));
    now = context.clock.Now();
    return {};
  };
  auto report = [&](const app::Settings& app_settings, bool sent) {
    std::cout << "organization " << done->organization.id << " \"" << done->organization.name
              << "\"" << (created_organization ? " created" : "") << "\n";
    std::cout << "admin: " << done->admin.email << " ("
              << domain::ToString(done->admin.StatusAt(now)) << ")\n";
    std::string public_url = app_settings.public_url;
    while (!public_url.empty() && public_url.back() == '/') public_url.pop_back();
    std::cout << "sign in at: " << public_url << "/login\n";
    if (done->one_time_password.empty()) {
      // An account with a password already: the e-mail only tells him.
      std::cout << "the admin signs in with the password of his existing account\n";
    } else if (settings.mail.rfind("file:", 0) == 0) {
      // Only for the development transport: the e-mail sits in a local folder anyway.
      std::cout << "one-time password: " << done->one_time_password << "\n";
    } else {
      std::cout << (sent ? "the mail server accepted the invitation e-mail with the one-time "
                           "password\n"
                         : "the invitation e-mail is queued; `roster serve` will deliver it\n");
    }
  };
  return RunChange(settings, run, report);
}

}  // namespace

int RunCreateOrganization(const Settings& settings, const std::string& name,
                          const std::string& admin_email, const std::string& admin_name) {
  return RunAdminChange(
      settings,
      [&](app::Context& context) {
        return app::CreateOrganization(context, name, admin_email, admin_name);
      },
      true);
}

int RunResetTwoFactor(const Settings& settings, const std::string& email) {
  return RunChange(
      settings, [&](app::Context& context) { return app::ResetAccountMfa(context, email); },
      [&](const app::Settings&, bool sent) {
        std::cout << "two-factor sign-in of " << email
                  << " is off: he signs in with his password and sets it up again\n";
        std::cout << (sent ? "the mail server accepted the e-mail telling him\n"
                           : "the e-mail telling him is queued; `roster serve` will deliver it\n");
      });
}

int RunAddAdmin(const Settings& settings, const std::string& organization,
                const std::string& email, const std::string& name) {
  std::optional<Id> organization_id = ParseId(organization);
  if (!organization_id) return Fail("--org must be an organization's ID (got \"" + organization + "\")");
  return RunAdminChange(
      settings,
      [&](app::Context& context) {
        return app::AddOrganizationAdmin(context, *organization_id, email, name);
      },
      false);
}

}  // namespace roster::cli
