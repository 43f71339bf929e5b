// `roster doctor`: what an operator asks before (or instead of) starting
// the server: are the settings right, and does everything they name answer?
#include <filesystem>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "cli/commands.hpp"
#include "cli/secret_key.hpp"
#include "cli/serve_options.hpp"
#include "mail/transport.hpp"
#include "store/backup.hpp"
#include "store/database.hpp"
#include "store/migrations.hpp"

namespace roster::cli {
namespace {

enum class Outcome { kOk, kProblem, kSkipped };

struct Finding {
  std::string check;
  Outcome outcome = Outcome::kOk;
  std::string what;  // what was found
  std::string fix;   // for a problem: what to do
};

Finding Ok(std::string check, std::string what) {
  return {std::move(check), Outcome::kOk, std::move(what), ""};
}
Finding Trouble(std::string check, std::string what, std::string fix) {
  return {std::move(check), Outcome::kProblem, std::move(what), std::move(fix)};
}

// ROSTER_DB as it may be printed: a PostgreSQL password becomes "***".
std::string RedactedDatabaseUrl(std::string url) {
  auto scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return url;
  auto authority_end = url.find_first_of("/?", scheme_end + 3);
  auto at = url.rfind('@', authority_end == std::string::npos ? url.size() : authority_end);
  if (at != std::string::npos && at > scheme_end) {
    auto colon = url.find(':', scheme_end + 3);
    if (colon != std::string::npos && colon < at) url.replace(colon + 1, at - colon - 1, "***");
  }
  // libpq also takes the password as a query parameter.
  for (auto found = url.find("password="); found != std::string::npos;
       found = url.find("password=", found + 1)) {
    auto value = found + 9;
    auto end = url.find('&', value);
    url.replace(value, (end == std::string::npos ? url.size() : end) - value, "***");
  }
  return url;
}

Finding CheckSettings(const Settings& settings, const Result<ServeOptions>& options) {
  if (Status logging = ConfigureLogging(settings); !logging.ok()) {
    return Trouble("settings", logging.problem().detail, "correct the setting it names");
  }
  if (!options.ok()) {
    return Trouble("settings", options.problem().detail, "correct the setting it names");
  }
  if (std::optional<std::string> dead = DeadLinkWarning(settings)) {
    return Trouble("settings", *dead, "set ROSTER_PUBLIC_URL");
  }
  return Ok("settings", "read as roster serve reads them: listen " + settings.listen + ", " +
                            std::to_string(options->server.handler_threads) + " workers, " +
                            std::to_string(options->database_pool) + " database connections, " +
                            "log " + settings.log_format + " at " + settings.log_level);
}

// Opens the database when it can; the second check needs the connection.
Finding CheckDatabase(const Settings& settings, std::unique_ptr<store::Database>& database) {
  std::string shown = RedactedDatabaseUrl(settings.database);
  auto url = store::DatabaseUrl::Parse(settings.database);
  if (!url.ok()) return Trouble("database", url.problem().detail, "correct ROSTER_DB");
  if (url->backend == store::Backend::kSqlite && !std::filesystem::exists(url->sqlite_path)) {
    return Trouble("database", "there is no database file " + url->sqlite_path,
                   "run `roster migrate` (it creates the file), or correct ROSTER_DB");
  }
  const bool sqlite = url->backend == store::Backend::kSqlite;
  // A file, not a server: what stops it is its owner, its mode or damage.
  const char* sqlite_fix =
      "let the user roster serve runs as read and write the database file and its directory "
      "(chown them to that user); a damaged file: restore a backup (docs/backups.md)";
  if (sqlite) {
    // serve opens this lock beside the database before anything else.
    auto lock = store::ServeLock::Acquire(*url);
    if (!lock.ok() && lock.problem().slug == "cannot_open") {
      return Trouble("database", lock.problem().detail, sqlite_fix);
    }
  }
  auto opened = store::Database::Open(settings.database, 1);
  if (!opened.ok()) {
    return Trouble("database", opened.problem().detail,
                   sqlite ? sqlite_fix
                          : "check ROSTER_DB and that the database server runs and accepts this "
                            "user from here");
  }
  if (Status ready = (*opened)->Ping(); !ready.ok()) {
    if (ready.problem().slug == store::Database::kReadOnlySlug) {
      return Trouble("database", shown + ": " + ready.problem().internal,
                     "promote it (after a point-in-time recovery: "
                     "SELECT pg_wal_replay_resume();) or point ROSTER_DB at the primary");
    }
    return Trouble("database", shown + " does not answer a query",
                   sqlite ? sqlite_fix : "check that the database server runs");
  }
  // A damaged page answers SELECT 1 and fails the request that reads it.
  if (Status whole = (*opened)->QuickCheck(); !whole.ok()) {
    const Problem& problem = whole.problem();
    return Trouble(
        "database",
        shown + " is damaged: " + (problem.detail.empty() ? Reason(problem) : problem.detail),
        "stop roster and restore the newest backup (docs/backups.md)");
  }
  database = std::move(*opened);
  return Ok("database", shown + " answers");
}

Finding CheckSchema(store::Database& database) {
  auto version = store::CurrentSchemaVersion(database);
  if (!version.ok()) {
    return Trouble("schema", "cannot read the schema version: " + Reason(version.problem()),
                   "check the database user's rights");
  }
  int own = store::LatestSchemaVersion();
  std::string versions = "version " + std::to_string(*version) + ", this roster's is " + std::to_string(own);
  if (*version == own) return Ok("schema", "version " + std::to_string(own) + ", this roster's own");
  if (*version < own) {
    return Trouble("schema",
                   *version == 0 ? "the database was never migrated (version 0)" : versions + " (older)",
                   "run `roster migrate`");
  }
  if (Status servable = store::CheckSchemaIsCurrent(database); !servable.ok()) {
    return Trouble("schema",
                   servable.problem().slug == "schema_too_new"
                       ? versions + ": newer, and not servable by this roster"
                       : versions + ": " + Reason(servable.problem()),
                   "upgrade roster");
  }
  return Ok("schema", versions + ": newer, and this roster may serve it (a rolling upgrade in "
                                 "progress); upgrade roster soon");
}

Finding CheckMail(const Settings& settings) {
  auto transport = MakeMailTransport(settings);
  if (!transport.ok()) {
    const Problem& problem = transport.problem();
    std::string field = problem.errors.empty() ? "ROSTER_MAIL" : problem.errors.front().field;
    return Trouble("mail", problem.detail, "correct " + field);
  }
  std::string shown = (*transport)->Describe();
  bool file = shown.rfind("file:", 0) == 0;
  if (Status probed = (*transport)->Probe(); !probed.ok()) {
    std::string fix =
        file ? "let the user roster serve runs as write to the directory, or correct ROSTER_MAIL"
        : mail::IsSetupRefused(probed.problem())
            ? "correct the user and password in ROSTER_MAIL"
            : "check ROSTER_MAIL, that the mail server accepts connections from here, "
              "and, for a certificate problem, ROSTER_MAIL_CA";
    return Trouble("mail", probed.problem().detail, fix);
  }
  return Ok("mail", file ? shown + " is writable"
                         : shown + " answered the greeting and EHLO (no mail was sent)");
}

Finding CheckWebRoot(const Settings& settings) {
  std::string root = settings.web_root.empty() ? DefaultWebRoot() : settings.web_root;
  if (root.empty()) {
    return Trouble("web root", "no built console beside the executable (web/) nor in ../share/roster/web",
                   "build the console (the roster_web target) or set ROSTER_WEB_ROOT");
  }
  std::error_code error;
  if (!std::filesystem::is_regular_file(std::filesystem::path(root) / "index.html", error)) {
    return Trouble("web root", root + " holds no index.html",
                   "point ROSTER_WEB_ROOT at the built console");
  }
  return Ok("web root", root);
}

// The key of two-factor secrets: there where serve needs one, and the one
// that opens the secrets the database holds.
Finding CheckSecretKey(const Settings& settings, store::Database* database) {
  auto url = store::DatabaseUrl::Parse(settings.database);
  if (!url.ok()) return {"two-factor key", Outcome::kSkipped, "not checked without ROSTER_DB", ""};
  auto key = FindSecretKey(settings.secret_key, *url);
  if (!key.ok()) {
    const Problem& problem = key.problem();
    return Trouble("two-factor key",
                   problem.errors.empty() ? problem.detail : problem.errors.front().message,
                   "correct ROSTER_SECRET_KEY, or put back the key file");
  }
  bool sqlite = url->backend == store::Backend::kSqlite;
  std::string source = !settings.secret_key.empty() ? "ROSTER_SECRET_KEY"
                       : sqlite                     ? SqliteKeyPath(*url).string()
                                                    : "";
  if (!*key && !sqlite) {
    return Trouble("two-factor key", "ROSTER_SECRET_KEY is not set: two-factor set-up and codes "
                                     "answer 503",
                   "set the same ROSTER_SECRET_KEY on every roster process");
  }
  if (database == nullptr) {
    return {"two-factor key", Outcome::kSkipped, "not checked without a database", ""};
  }
  if (Status opens = CheckSecretKeyOpens(*database, *key); !opens.ok()) {
    const Problem& problem = opens.problem();
    if (problem.slug == "secret_key_missing") {
      return Trouble("two-factor key",
                     "there is no " + source + ", and the database holds two-factor secrets",
                     "put back the secret.key they were sealed with (a backup's FILE.key), or set "
                     "ROSTER_SECRET_KEY to it");
    }
    if (problem.slug == "secret_key_mismatch") {
      return Trouble("two-factor key", source + ": " + problem.detail,
                     "put back the key they were sealed with, on every roster process; "
                     "meanwhile members sign in with a recovery code");
    }
    return Trouble("two-factor key", "cannot read the two-factor secrets: " + Reason(problem),
                   "check the database user's rights");
  }
  if (!*key) return Ok("two-factor key", source + " will be made at the first start");
  return Ok("two-factor key", source + " opens the database's two-factor secrets");
}

}  // namespace

int RunDoctor(const Settings& settings) {
  std::vector<Finding> findings;
  Result<ServeOptions> options = MakeServeOptions(settings);
  findings.push_back(CheckSettings(settings, options));
  std::unique_ptr<store::Database> database;
  findings.push_back(CheckDatabase(settings, database));
  findings.push_back(database ? CheckSchema(*database)
                              : Finding{"schema", Outcome::kSkipped, "not checked without a database", ""});
  bool schema_read = findings.back().outcome == Outcome::kOk;
  // Before migration the secrets cannot be read, but a key that serve will
  // miss (PostgreSQL without ROSTER_SECRET_KEY) is already a problem.
  findings.push_back(CheckSecretKey(settings, schema_read ? database.get() : nullptr));
  if (database && !schema_read && findings.back().outcome == Outcome::kSkipped)
    findings.back().what = "not checked until the schema is one this roster serves";
  findings.push_back(CheckMail(settings));
  findings.push_back(CheckWebRoot(settings));
  int problems = 0;
  for (const Finding& finding : findings) {
    static constexpr const char* kLabels[] = {"ok       ", "problem  ", "skipped  "};
    std::cout << kLabels[static_cast<int>(finding.outcome)] << finding.check << ": " << finding.what;
    if (finding.outcome == Outcome::kProblem) std::cout << " -- fix: " << finding.fix;
    std::cout << "\n";
    problems += finding.outcome == Outcome::kProblem ? 1 : 0;
  }
  if (problems == 0) {
    std::cout << "all " << findings.size() << " checks passed\n";
    return 0;
  }
  std::cout << problems << " of " << findings.size() << " checks found a problem\n";
  return 1;
}

}  // namespace roster::cli
