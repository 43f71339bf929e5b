// `roster doctor` as an operator runs it: one line per check, `ok` or
// `problem` with its fix, exit 1 on any problem; on SQLite and PostgreSQL,
// against a real SMTP server and real unreachable ones.
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fstream>
#include <regex>
#include <sstream>

#include <soci/soci.h>

#include "api_fixture.hpp"
#include "auth/secret_box.hpp"
#include "store/database.hpp"
#include "store/migrations.hpp"
#include "support/smtp_server.hpp"

namespace roster::testing {
namespace {

// Runs `sql` on the database at `url` in one transaction.
void ExecuteSql(const std::string& url, const std::string& sql) {
  auto database = store::Database::Open(url, 1);
  ASSERT_TRUE(database.ok()) << database.problem().detail;
  auto done = (*database)->Write<bool>([&](store::Tx& tx) -> Result<bool> {
    tx.sql() << sql;
    return true;
  });
  ASSERT_TRUE(done.ok()) << done.problem().detail;
}

// A TCP port on 127.0.0.1 that nothing listens on.
int ClosedPort() {
  int probe = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(probe, reinterpret_cast<sockaddr*>(&address), sizeof address);
  socklen_t length = sizeof address;
  getsockname(probe, reinterpret_cast<sockaddr*>(&address), &length);
  close(probe);
  return ntohs(address.sin_port);
}

class DoctorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    database_ = std::make_unique<TestDatabase>(dir_.path().string());
    std::filesystem::create_directories(dir_.path() / "web");
    std::ofstream(dir_.path() / "web" / "index.html") << "<!doctype html><title>Roster</title>";
    env_ = {{"ROSTER_DB", database_->url()},
            {"ROSTER_MAIL", "file:" + (dir_.path() / "mail").string()},
            {"ROSTER_WEB_ROOT", (dir_.path() / "web").string()},
            {"ROSTER_LOG_LEVEL", "warn"}};
    // PostgreSQL has no key file: every process is given the same key.
    if (database_->is_postgres()) env_["ROSTER_SECRET_KEY"] = key_.KeyHex();
  }

  void Migrate() {
    CommandResult migrated = RunRoster({"migrate"}, env_);
    ASSERT_EQ(migrated.exit_code, 0) << migrated.err;
  }

  // Runs the doctor; fills lines_ with check name -> its whole line.
  CommandResult Doctor() {
    CommandResult result = RunRoster({"doctor"}, env_);
    lines_.clear();
    std::istringstream out(result.out);
    static const std::regex finding(R"(^(ok|problem|skipped) +([a-z -]+): .+$)");
    for (std::string line; std::getline(out, line);) {
      std::smatch match;
      if (std::regex_match(line, match, finding)) lines_[match[2]] = line;
    }
    return result;
  }
  // The check's line, which must exist.
  std::string Line(const std::string& check) {
    EXPECT_TRUE(lines_.count(check)) << "no line for " << check;
    return lines_[check];
  }
  bool IsOk(const std::string& check) { return Line(check).starts_with("ok "); }
  bool IsProblem(const std::string& check) { return Line(check).starts_with("problem "); }

  TempDir dir_;
  std::unique_ptr<TestDatabase> database_;
  SecretBox key_ = SecretBox::Generate();
  std::map<std::string, std::string> env_;
  std::map<std::string, std::string> lines_;
};

const char* const kChecks[] = {"settings", "database", "schema", "two-factor key", "mail",
                               "web root"};

TEST_F(DoctorTest, AHealthySetupPassesEveryCheck) {
  Migrate();
  CommandResult doctor = Doctor();
  EXPECT_EQ(doctor.exit_code, 0) << doctor.out << doctor.err;
  for (const char* check : kChecks) EXPECT_TRUE(IsOk(check)) << doctor.out;
  EXPECT_NE(Line("schema").find(std::to_string(store::LatestSchemaVersion())), std::string::npos);
  EXPECT_NE(doctor.out.find("all 6 checks passed"), std::string::npos) << doctor.out;
  // The database is named without its password.
  std::smatch password;
  if (std::regex_search(database_->url(), password, std::regex(R"(://[^:/@]+:([^@]+)@)"))) {
    EXPECT_EQ(doctor.out.find(password[1].str()), std::string::npos) << doctor.out;
  }
}

TEST_F(DoctorTest, AnUnmigratedDatabaseFailsWithTheHintToMigrate) {
  if (!database_->is_postgres()) {
    // No SQLite file yet: the doctor does not create one.
    CommandResult missing = Doctor();
    EXPECT_EQ(missing.exit_code, 1) << missing.out;
    EXPECT_TRUE(IsProblem("database"));
    EXPECT_NE(Line("database").find("roster migrate"), std::string::npos) << missing.out;
    EXPECT_TRUE(Line("schema").starts_with("skipped ")) << missing.out;
    EXPECT_FALSE(std::filesystem::exists(dir_.path() / "roster.db"));
    std::ofstream(dir_.path() / "roster.db").flush();  // an empty SQLite database
  }
  CommandResult doctor = Doctor();
  EXPECT_EQ(doctor.exit_code, 1) << doctor.out;
  EXPECT_TRUE(IsOk("database")) << doctor.out;
  EXPECT_TRUE(IsProblem("schema")) << doctor.out;
  EXPECT_NE(Line("schema").find("version 0"), std::string::npos) << doctor.out;
  EXPECT_NE(Line("schema").find("run `roster migrate`"), std::string::npos) << doctor.out;
  EXPECT_NE(doctor.out.find("1 of 6 checks found a problem"), std::string::npos) << doctor.out;
  if (database_->is_postgres()) {
    // The key serve will miss is named before the first migration too.
    env_.erase("ROSTER_SECRET_KEY");
    CommandResult keyless = Doctor();
    EXPECT_TRUE(IsProblem("two-factor key")) << keyless.out;
    EXPECT_NE(Line("two-factor key").find("ROSTER_SECRET_KEY is not set"), std::string::npos)
        << keyless.out;
  }
}

TEST_F(DoctorTest, AnOlderSchemaNeedsMigrateANewerOneAnUpgrade) {
  Migrate();
  int own = store::LatestSchemaVersion();
  ExecuteSql(database_->url(), "DELETE FROM schema_migrations WHERE version = " + std::to_string(own));
  CommandResult older = Doctor();
  EXPECT_EQ(older.exit_code, 1) << older.out;
  EXPECT_TRUE(IsProblem("schema")) << older.out;
  EXPECT_NE(Line("schema").find("run `roster migrate`"), std::string::npos) << older.out;
  ExecuteSql(database_->url(), "INSERT INTO schema_migrations (version, name, applied_at) VALUES (" +
                                   std::to_string(own) + ", 'back', 0)");

  // A newer version that allows this release to serve: a rolling upgrade.
  std::string newer = std::to_string(own + 1);
  ExecuteSql(database_->url(), "INSERT INTO schema_migrations (version, name, applied_at) VALUES (" +
                                   newer + ", 'V" + newer + "__future.sql', 0)");
  ExecuteSql(database_->url(),
             "INSERT INTO schema_served_from (version, served_from) VALUES (" + newer + ", 1)");
  CommandResult servable = Doctor();
  EXPECT_EQ(servable.exit_code, 0) << servable.out;
  EXPECT_TRUE(IsOk("schema")) << servable.out;
  EXPECT_NE(Line("schema").find("upgrade roster soon"), std::string::npos) << servable.out;

  // ... and one that does not.
  ExecuteSql(database_->url(), "UPDATE schema_served_from SET served_from = " + newer +
                                   " WHERE version = " + newer);
  CommandResult too_new = Doctor();
  EXPECT_EQ(too_new.exit_code, 1) << too_new.out;
  EXPECT_TRUE(IsProblem("schema")) << too_new.out;
  EXPECT_NE(Line("schema").find("upgrade roster"), std::string::npos) << too_new.out;
}

TEST_F(DoctorTest, AnUnreachableDatabaseIsAProblem) {
  env_["ROSTER_DB"] = "postgresql://roster:hunter2secret@127.0.0.1:" + std::to_string(ClosedPort()) + "/roster";
  CommandResult doctor = Doctor();
  EXPECT_EQ(doctor.exit_code, 1) << doctor.out;
  EXPECT_TRUE(IsProblem("database")) << doctor.out;
  EXPECT_NE(Line("database").find("ROSTER_DB"), std::string::npos) << doctor.out;
  EXPECT_TRUE(Line("schema").starts_with("skipped ")) << doctor.out;
  EXPECT_EQ(doctor.out.find("hunter2secret"), std::string::npos) << doctor.out;
  EXPECT_EQ(doctor.err.find("hunter2secret"), std::string::npos) << doctor.err;
}

TEST_F(DoctorTest, AReachableSmtpServerPassesAndReceivesNoMail) {
  Migrate();
  test_support::SmtpServer smtp;
  smtp.Start();
  env_["ROSTER_MAIL"] = smtp.url();
  CommandResult doctor = Doctor();
  EXPECT_EQ(doctor.exit_code, 0) << doctor.out << doctor.err;
  EXPECT_TRUE(IsOk("mail")) << doctor.out;
  EXPECT_NE(Line("mail").find(smtp.url()), std::string::npos) << doctor.out;
  EXPECT_TRUE(smtp.Messages().empty());
}

// A relay with a certificate of the company's own CA: trusted through
// ROSTER_MAIL_CA, and the doctor says where to look when it is not.
TEST_F(DoctorTest, ARelayWithCredentialsOverTlsPassesWithItsCaAndNamesTheSettingWithout) {
  Migrate();
  test_support::SmtpServer smtp(
      test_support::SmtpServer::Options{.login = "mailer", .password = "s3cretpass"});
  smtp.Start();
  env_["ROSTER_MAIL"] = "smtp://mailer:s3cretpass@" + smtp.url().substr(7);
  env_["ROSTER_MAIL_CA"] = smtp.ca_file().string();
  CommandResult trusted = Doctor();
  EXPECT_EQ(trusted.exit_code, 0) << trusted.out << trusted.err;
  EXPECT_TRUE(IsOk("mail")) << trusted.out;

  env_.erase("ROSTER_MAIL_CA");
  CommandResult untrusted = Doctor();
  EXPECT_EQ(untrusted.exit_code, 1) << untrusted.out;
  EXPECT_TRUE(IsProblem("mail")) << untrusted.out;
  EXPECT_NE(Line("mail").find("certificate"), std::string::npos) << untrusted.out;
  EXPECT_NE(Line("mail").find("ROSTER_MAIL_CA"), std::string::npos) << untrusted.out;

  env_["ROSTER_MAIL_CA"] = (dir_.path() / "no-such-ca.pem").string();
  CommandResult missing = Doctor();
  EXPECT_EQ(missing.exit_code, 1) << missing.out;
  EXPECT_NE(Line("mail").find("correct ROSTER_MAIL_CA"), std::string::npos) << missing.out;

  env_["ROSTER_MAIL_CA"] = smtp.ca_file().string();
  env_["ROSTER_MAIL"] = "smtp://mailer:wrongpass@" + smtp.url().substr(7);
  CommandResult refused = Doctor();
  EXPECT_EQ(refused.exit_code, 1) << refused.out;
  EXPECT_NE(Line("mail").find("535"), std::string::npos) << refused.out;
  EXPECT_NE(Line("mail").find("correct the user and password in ROSTER_MAIL"), std::string::npos)
      << refused.out;
  EXPECT_EQ(refused.out.find("wrongpass"), std::string::npos) << refused.out;
  for (const CommandResult* doctor : {&trusted, &untrusted, &missing}) {
    EXPECT_EQ(doctor->out.find("s3cretpass"), std::string::npos) << doctor->out;
  }
  EXPECT_TRUE(smtp.Messages().empty());
}

TEST_F(DoctorTest, AnUnreachableSmtpServerIsAProblem) {
  Migrate();
  env_["ROSTER_MAIL"] = "smtp://mailer:s3cretpass@127.0.0.1:" + std::to_string(ClosedPort());
  CommandResult doctor = Doctor();
  EXPECT_EQ(doctor.exit_code, 1) << doctor.out;
  EXPECT_TRUE(IsProblem("mail")) << doctor.out;
  EXPECT_NE(Line("mail").find("ROSTER_MAIL"), std::string::npos) << doctor.out;
  EXPECT_EQ(doctor.out.find("s3cretpass"), std::string::npos) << doctor.out;
  for (const char* check : {"settings", "database", "schema", "web root"}) {
    EXPECT_TRUE(IsOk(check)) << doctor.out;
  }
}

TEST_F(DoctorTest, AnUnwritableMailDirectoryOrAMissingConsoleIsAProblem) {
  Migrate();
  std::ofstream(dir_.path() / "not-a-directory") << "x";
  env_["ROSTER_MAIL"] = "file:" + (dir_.path() / "not-a-directory" / "mail").string();
  env_["ROSTER_WEB_ROOT"] = dir_.path().string();  // no index.html there
  CommandResult doctor = Doctor();
  EXPECT_EQ(doctor.exit_code, 1) << doctor.out;
  EXPECT_TRUE(IsProblem("mail")) << doctor.out;
  EXPECT_TRUE(IsProblem("web root")) << doctor.out;
  EXPECT_NE(Line("web root").find("ROSTER_WEB_ROOT"), std::string::npos) << doctor.out;
}

// serve opens a lock beside a SQLite database first: one it cannot open
// (left by root, or here a directory in its place) is the doctor's problem
// too, with the file named and the fix of a file, not of a server.
TEST_F(DoctorTest, ALockBesideTheDatabaseThatCannotBeOpenedIsAProblem) {
  if (database_->is_postgres()) return;
  Migrate();
  std::filesystem::create_directory(dir_.path() / "roster.db-roster.lock");
  CommandResult doctor = Doctor();
  EXPECT_EQ(doctor.exit_code, 1) << doctor.out;
  EXPECT_TRUE(IsProblem("database")) << doctor.out;
  EXPECT_NE(Line("database").find("roster.db-roster.lock"), std::string::npos) << doctor.out;
  EXPECT_NE(Line("database").find("Is a directory"), std::string::npos) << doctor.out;
  EXPECT_NE(Line("database").find("chown"), std::string::npos) << doctor.out;
  EXPECT_EQ(Line("database").find("database server"), std::string::npos) << doctor.out;
  CommandResult serve = RunRoster({"serve"}, env_);
  EXPECT_EQ(serve.exit_code, 1);
  EXPECT_NE(serve.err.find("roster.db-roster.lock beside the database: Is a directory"),
            std::string::npos)
      << serve.err;
}

TEST_F(DoctorTest, ABadSettingIsAProblemAndTheOtherChecksStillRun) {
  Migrate();
  for (const auto& [name, value] : std::map<std::string, std::string>{
           {"ROSTER_LISTEN", "nonsense"},
           {"ROSTER_INVITE_TTL", "-5"},
           {"ROSTER_LOG_FORMAT", "yaml"},
           {"ROSTER_WEBHOOK_ALLOW_HTTP", "yes"},
           {"ROSTER_SECRET_KEY", "abc"},
           {"ROSTER_TRUSTED_PROXIES", "10.0.0.0/33"}}) {
    auto saved = env_;
    env_[name] = value;
    CommandResult doctor = Doctor();
    EXPECT_EQ(doctor.exit_code, 1) << name << "\n" << doctor.out;
    EXPECT_TRUE(IsProblem("settings")) << doctor.out;
    EXPECT_NE(Line("settings").find(name), std::string::npos) << doctor.out;
    EXPECT_TRUE(IsOk("database") && IsOk("schema") && IsOk("mail")) << doctor.out;
    env_ = saved;
  }
}

// A restore without its key: the secrets the database holds open with
// the key at hand, or the doctor says which key is missing.
TEST_F(DoctorTest, TheTwoFactorKeyMustOpenTheSecretsTheDatabaseHolds) {
  Migrate();
  if (database_->is_postgres()) {
    auto saved = env_;
    env_.erase("ROSTER_SECRET_KEY");
    Doctor();
    EXPECT_TRUE(IsProblem("two-factor key")) << Line("two-factor key");
    EXPECT_NE(Line("two-factor key").find("ROSTER_SECRET_KEY is not set"), std::string::npos);
    env_ = saved;
  }
  std::filesystem::path key_file = dir_.path() / "secret.key";
  CommandResult none = Doctor();
  EXPECT_EQ(none.exit_code, 0) << none.out;
  EXPECT_TRUE(IsOk("two-factor key")) << none.out;

  // Someone's confirmed factor, sealed with the key of the database's origin.
  ExecuteSql(database_->url(),
             "INSERT INTO users (email, name, created_at) VALUES ('ann@acme.test', 'Ann', 0)");
  ExecuteSql(database_->url(),
             "INSERT INTO totp_factors (user_id, secret_box, confirmed_at, created_at) SELECT id, '" +
                 key_.Seal("JBSWY3DPEHPK3PXP") + "', 1, 1 FROM users");
  if (!database_->is_postgres()) {
    CommandResult missing = Doctor();
    EXPECT_EQ(missing.exit_code, 1) << missing.out;
    EXPECT_TRUE(IsProblem("two-factor key")) << missing.out;
    EXPECT_NE(Line("two-factor key").find("there is no " + key_file.string()), std::string::npos)
        << missing.out;
    EXPECT_FALSE(std::filesystem::exists(key_file));  // the doctor makes none
    std::ofstream(key_file) << SecretBox::Generate().KeyHex() << "\n";
  } else {
    env_["ROSTER_SECRET_KEY"] = SecretBox::Generate().KeyHex();
  }
  CommandResult other = Doctor();
  EXPECT_EQ(other.exit_code, 1) << other.out;
  EXPECT_TRUE(IsProblem("two-factor key")) << other.out;
  EXPECT_NE(Line("two-factor key").find("sealed with another"), std::string::npos) << other.out;

  if (!database_->is_postgres()) {
    std::ofstream(key_file) << key_.KeyHex() << "\n";
  } else {
    env_["ROSTER_SECRET_KEY"] = key_.KeyHex();
  }
  CommandResult right = Doctor();
  EXPECT_EQ(right.exit_code, 0) << right.out;
  EXPECT_NE(Line("two-factor key").find("opens the database's two-factor secrets"),
            std::string::npos)
      << right.out;
}

}  // namespace
}  // namespace roster::testing
