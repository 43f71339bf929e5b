// `roster backup` and `roster restore` (SPEC 10): a consistent copy of the
// embedded SQLite database while `roster serve` runs and writes, and a
// restore that refuses to replace a database a server is using. On
// PostgreSQL the commands refuse and point at PostgreSQL's own tools.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

#include "api_fixture.hpp"

namespace roster::testing {
namespace {

// Reads one column of every row of `sql` from the SQLite file at `path`.
std::vector<std::string> Column(const std::string& path, const std::string& sql) {
  std::vector<std::string> values;
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_stmt* statement = nullptr;
  EXPECT_EQ(sqlite3_prepare_v2(db, sql.c_str(), -1, &statement, nullptr), SQLITE_OK)
      << sqlite3_errmsg(db);
  while (statement != nullptr && sqlite3_step(statement) == SQLITE_ROW) {
    const unsigned char* text = sqlite3_column_text(statement, 0);
    values.emplace_back(text ? reinterpret_cast<const char*>(text) : "");
  }
  sqlite3_finalize(statement);
  sqlite3_close_v2(db);
  return values;
}

class BackupTest : public ApiTest {
 protected:
  void SetUp() override {
    ApiTest::SetUp();
    if (!HasFatalFailure()) StartServer();
  }
  // The SQLite file the server runs on.
  std::string DatabasePath() { return env()["ROSTER_DB"].substr(std::string("sqlite:").size()); }
};

// Where a restore's output says it kept the database it replaced ("" if
// it replaced none).
std::string KeptCopy(const std::string& out) {
  const std::string said = "the database it replaced is kept as ";
  std::size_t at = out.find(said);
  if (at == std::string::npos) return "";
  at += said.size();
  return out.substr(at, out.find('\n', at) - at);
}

TEST_F(BackupTest, ACopyTakenDuringWritesHoldsEveryWriteAcknowledgedBeforeIt) {
  std::string backup = (dir_.path() / "backup.db").string();
  if (database_->is_postgres()) {
    CommandResult refused = RunRoster({"backup", "--to", backup}, env());
    EXPECT_NE(refused.exit_code, 0);
    EXPECT_NE(refused.err.find("pg_dump"), std::string::npos) << refused.err;
    return;
  }
  // A writer creates assistants as fast as the server acknowledges them.
  std::mutex mutex;
  std::vector<std::string> acknowledged;
  std::atomic<bool> stop{false};
  std::thread writer([&] {
    auto client = NewClient();
    client->set_session_cookie(admin_->session_cookie());
    for (int n = 0; !stop; ++n) {
      std::string name = "Assistant " + std::to_string(n);
      if (client->Post(OrgPath("/assistants"), {{"name", name}}).status == 201) {
        std::lock_guard lock(mutex);
        acknowledged.push_back(name);
      }
    }
  });
  auto enough = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < enough) {
    std::lock_guard lock(mutex);
    if (acknowledged.size() >= 30) break;
  }
  std::set<std::string> before;
  {
    std::lock_guard lock(mutex);
    before.insert(acknowledged.begin(), acknowledged.end());
  }
  CommandResult made = RunRoster({"backup", "--to", backup}, env());
  std::size_t during = 0;
  {
    std::lock_guard lock(mutex);
    during = acknowledged.size() - before.size();
  }
  stop = true;
  writer.join();
  ASSERT_EQ(made.exit_code, 0) << made.err;
  EXPECT_NE(made.out.find("integrity_check ok"), std::string::npos) << made.out;
  ASSERT_GE(before.size(), 30u);

  EXPECT_EQ(Column(backup, "PRAGMA integrity_check"), std::vector<std::string>{"ok"});
  std::vector<std::string> names = Column(backup, "SELECT name FROM assistants");
  std::set<std::string> copied(names.begin(), names.end());
  for (const std::string& name : before) EXPECT_TRUE(copied.contains(name)) << name;
  std::cout << before.size() << " writes before the backup, " << during << " during it, "
            << copied.size() << " in the copy\n";

  // Restoring into a stopped server's place, then serving it.
  CommandResult refused = RunRoster({"restore", "--from", backup}, env());
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_NE(refused.err.find("stop it first"), std::string::npos) << refused.err;
  StopServer();
  CommandResult restored = RunRoster({"restore", "--from", backup}, env());
  ASSERT_EQ(restored.exit_code, 0) << restored.err;
  StartServer();
  auto client = NewClient();
  ASSERT_EQ(client->Login(kAdminEmail, kAdminPassword).status, 200);
  HttpResponse listed = client->Get(OrgPath("/assistants?limit=200"));
  ASSERT_EQ(listed.status, 200);
  EXPECT_EQ(listed.json["items"].size(), std::min<std::size_t>(copied.size(), 200));
}

// The server's lock is the database file's, whatever path names it: a
// restore through a symbolic link (or the link's target, when the server
// was started through the link) still finds the server running.
TEST_F(BackupTest, ARestoreThroughALinkStillFindsTheServerRunning) {
  if (database_->is_postgres()) return;  // a SQLite file's lock
  std::string backup = (dir_.path() / "linked.db").string();
  ASSERT_EQ(RunRoster({"backup", "--to", backup}, env()).exit_code, 0);
  std::filesystem::create_directory(dir_.path() / "elsewhere");
  std::filesystem::path link = dir_.path() / "elsewhere" / "roster.db";
  std::filesystem::create_symlink(DatabasePath(), link);
  std::map<std::string, std::string> through_link = env();
  through_link["ROSTER_DB"] = "sqlite:" + link.string();
  CommandResult refused = RunRoster({"restore", "--from", backup}, through_link);
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_NE(refused.err.find("stop it first"), std::string::npos) << refused.err;
}

TEST_F(BackupTest, ARestoreChecksTheBackupFirst) {
  if (database_->is_postgres()) {
    CommandResult refused = RunRoster({"restore", "--from", "/nonexistent"}, env());
    EXPECT_NE(refused.exit_code, 0);
    EXPECT_NE(refused.err.find("pg_dump"), std::string::npos) << refused.err;
    return;
  }
  StopServer();
  std::string junk = (dir_.path() / "junk.db").string();
  { std::ofstream(junk) << "not a database at all, just some text that is long enough"; }
  CommandResult refused = RunRoster({"restore", "--from", junk}, env());
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_NE(RunRoster({"restore", "--from", (dir_.path() / "missing.db").string()}, env()).exit_code,
            0);
  StartServer();  // the database was left as it was
  auto client = NewClient();
  EXPECT_EQ(client->Login(kAdminEmail, kAdminPassword).status, 200);
}

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream file(path);
  std::stringstream text;
  text << file.rdbuf();
  return text.str();
}

int ModeOf(const std::filesystem::path& path) {
  struct stat info {};
  EXPECT_EQ(::stat(path.c_str(), &info), 0) << path;
  return static_cast<int>(info.st_mode & 0777);
}

// Two-factor secrets open only with the key beside the database: a backup
// takes it along (both files readable by their owner alone), a restore on a
// new machine (no directory yet) puts it back, and a restore over a
// database keeps the one it replaced, with its key.
TEST_F(BackupTest, TheTwoFactorKeyTravelsWithTheBackup) {
  if (database_->is_postgres()) return;  // pg_dump's; ROSTER_SECRET_KEY is a setting there
  std::filesystem::path key = dir_.path() / "secret.key";
  ASSERT_TRUE(std::filesystem::exists(key));  // serve made it
  std::string backup = (dir_.path() / "backup.db").string();
  CommandResult made = RunRoster({"backup", "--to", backup}, env());
  ASSERT_EQ(made.exit_code, 0) << made.err;
  EXPECT_NE(made.out.find(backup + ".key"), std::string::npos) << made.out;
  EXPECT_EQ(ModeOf(backup), 0600);
  EXPECT_EQ(ModeOf(backup + ".key"), 0600);
  EXPECT_EQ(ReadFile(backup + ".key"), ReadFile(key));

  auto elsewhere = env();
  std::filesystem::path machine = dir_.path() / "new-machine" / "var";
  elsewhere["ROSTER_DB"] = "sqlite:" + (machine / "roster.db").string();
  CommandResult restored = RunRoster({"restore", "--from", backup}, elsewhere);
  ASSERT_EQ(restored.exit_code, 0) << restored.err;
  EXPECT_EQ(ReadFile(machine / "secret.key"), ReadFile(key));
  EXPECT_EQ(ModeOf(machine / "secret.key"), 0600);
  EXPECT_EQ(ModeOf(machine / "roster.db"), 0600);
  EXPECT_EQ(KeptCopy(restored.out), "");  // nothing was replaced

  // Over a database whose key is another: both are kept aside.
  std::ofstream(machine / "secret.key", std::ios::trunc) << std::string(64, 'b') << "\n";
  CommandResult again = RunRoster({"restore", "--from", backup}, elsewhere);
  ASSERT_EQ(again.exit_code, 0) << again.err;
  std::string kept = KeptCopy(again.out);
  EXPECT_EQ(kept.rfind((machine / "roster.db.before-restore-").string(), 0), 0u) << again.out;
  EXPECT_EQ(Column(kept, "PRAGMA integrity_check"), std::vector<std::string>{"ok"});
  EXPECT_EQ(ReadFile(kept + ".key"), std::string(64, 'b') + "\n");
  EXPECT_EQ(ReadFile(machine / "secret.key"), ReadFile(key));
}

// A restore repeated by mistake (a retry, the same line run twice) keeps
// both databases it replaced, each under its own name: the first of them is
// the one that mattered. The key, the same, is not copied aside. A backup is
// one file without a write-ahead log, and reading it leaves nothing beside
// it; every database file is its owner's alone.
TEST_F(BackupTest, ARepeatedRestoreKeepsEveryDatabaseItReplaced) {
  if (database_->is_postgres()) return;
  std::filesystem::path backups = dir_.path() / "backups";
  std::filesystem::create_directories(backups);
  std::string backup = (backups / "roster.db").string();
  ASSERT_EQ(RunRoster({"backup", "--to", backup}, env()).exit_code, 0);
  EXPECT_EQ(Column(backup, "PRAGMA journal_mode"), std::vector<std::string>{"delete"});
  ASSERT_EQ(admin_->Post(OrgPath("/assistants"), {{"name", "After the backup"}}).status, 201);
  StopServer();

  CommandResult first = RunRoster({"restore", "--from", backup}, env());
  ASSERT_EQ(first.exit_code, 0) << first.err;
  CommandResult second = RunRoster({"restore", "--from", backup}, env());
  ASSERT_EQ(second.exit_code, 0) << second.err;
  std::string kept_first = KeptCopy(first.out), kept_second = KeptCopy(second.out);
  ASSERT_NE(kept_first, "") << first.out;
  ASSERT_NE(kept_second, "") << second.out;
  EXPECT_NE(kept_first, kept_second);
  const std::string query = "SELECT COUNT(*) FROM assistants WHERE name = 'After the backup'";
  EXPECT_EQ(Column(kept_first, query), std::vector<std::string>{"1"});
  EXPECT_EQ(Column(kept_second, query), std::vector<std::string>{"0"});
  for (const std::string& kept : {kept_first, kept_second}) {
    EXPECT_EQ(ModeOf(kept), 0600) << kept;
    EXPECT_FALSE(std::filesystem::exists(kept + ".key")) << kept;
  }
  EXPECT_NE(second.out.find("is the backup's already"), std::string::npos) << second.out;
  std::set<std::string> beside;
  for (const auto& entry : std::filesystem::directory_iterator(backups)) {
    beside.insert(entry.path().filename().string());
  }
  EXPECT_EQ(beside, (std::set<std::string>{"roster.db", "roster.db.key"}));
  StartServer();
  EXPECT_EQ(ModeOf(DatabasePath()), 0600);
  EXPECT_EQ(ModeOf(DatabasePath() + "-wal"), 0600);
}

// A mistyped --to never costs the live database or its key: the database
// and its files are refused as targets, and so is any existing file that is
// not an earlier backup (an earlier backup is replaced, as a daily name
// taken twice asks).
TEST_F(BackupTest, ABackupNeverWritesOverTheLiveDatabaseOrAnotherFile) {
  if (database_->is_postgres()) return;
  const std::string database = DatabasePath();
  const std::filesystem::path key = dir_.path() / "secret.key";
  const std::string key_text = ReadFile(key);
  ASSERT_EQ(key_text.size(), 65u);
  std::string notes = (dir_.path() / "notes.txt").string();
  std::ofstream(notes) << "the operator's notes\n";
  for (const std::string& target : {database, database + "-wal", database + "-roster.lock",
                                    (dir_.path() / "." / "roster.db").string()}) {
    CommandResult refused = RunRoster({"backup", "--to", target}, env());
    EXPECT_EQ(refused.exit_code, 1) << target;
    EXPECT_NE(refused.err.find("is the live database or one of its files"), std::string::npos)
        << refused.err;
  }
  for (const std::string& target : {key.string(), notes}) {
    CommandResult refused = RunRoster({"backup", "--to", target}, env());
    EXPECT_EQ(refused.exit_code, 1) << target;
    EXPECT_NE(refused.err.find(target + " exists and is not a Roster backup"), std::string::npos)
        << refused.err;
  }
  // --to notes (no extension) would put the key over notes.txt's neighbour.
  std::string key_over = (dir_.path() / "notes").string();
  std::filesystem::rename(notes, key_over + ".key");
  CommandResult refused = RunRoster({"backup", "--to", key_over}, env());
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("is not a backup's key"), std::string::npos) << refused.err;
  EXPECT_FALSE(std::filesystem::exists(key_over));
  EXPECT_EQ(ReadFile(key_over + ".key"), "the operator's notes\n");
  EXPECT_EQ(ReadFile(key), key_text);

  std::string daily = (dir_.path() / "daily.db").string();
  ASSERT_EQ(RunRoster({"backup", "--to", daily}, env()).exit_code, 0);
  ASSERT_EQ(admin_->Post(OrgPath("/assistants"), {{"name", "Later that day"}}).status, 201);
  CommandResult again = RunRoster({"backup", "--to", daily}, env());
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(Column(daily, "SELECT COUNT(*) FROM assistants WHERE name = 'Later that day'"),
            std::vector<std::string>{"1"});
  auto client = NewClient();
  EXPECT_EQ(client->Login(kAdminEmail, kAdminPassword).status, 200);
}

// A database whose directory does not exist: serve says to run migrate,
// not only that a lock file cannot be opened.
TEST_F(BackupTest, AMissingDatabaseDirectoryIsNamedWithWhatToDo) {
  if (database_->is_postgres()) return;
  auto nowhere = env();
  nowhere["ROSTER_DB"] = "sqlite:" + (dir_.path() / "not-made" / "roster.db").string();
  CommandResult refused = RunRoster({"serve"}, nowhere);
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("No such file or directory"), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("run `roster migrate` first"), std::string::npos) << refused.err;
}

TEST_F(BackupTest, AFileThatIsNotRostersIsNamedSo) {
  if (database_->is_postgres()) return;
  StopServer();
  std::string junk = (dir_.path() / "junk.db").string();
  { std::ofstream(junk) << "not a database at all, just some text that is long enough"; }
  std::string other = (dir_.path() / "other.db").string();
  ASSERT_EQ(std::system(("sqlite3 " + other + " 'CREATE TABLE t (x)'").c_str()), 0);
  for (const std::string& file : {junk, other}) {
    CommandResult refused = RunRoster({"restore", "--from", file}, env());
    EXPECT_EQ(refused.exit_code, 1);
    EXPECT_NE(refused.err.find(file + " is not a Roster database"), std::string::npos)
        << refused.err;
  }
}

// The PostgreSQL directory of the newest server binaries, as
// scripts/with-postgres.sh picks them: pg_dump and pg_restore of the same
// major version as the server.
std::filesystem::path PostgresBinaries() {
  std::filesystem::path newest;
  int newest_major = -1;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator("/usr/lib/postgresql", error)) {
    int major = std::atoi(entry.path().filename().c_str());
    if (major > newest_major && std::filesystem::exists(entry.path() / "bin" / "pg_dump")) {
      newest_major = major;
      newest = entry.path() / "bin";
    }
  }
  return newest;
}

// Runs a shell command line; returns its exit code, its output in *output.
int Shell(const std::string& command, const std::filesystem::path& log, std::string* output) {
  int status = std::system((command + " > '" + log.string() + "' 2>&1").c_str());
  std::ifstream in(log);
  std::stringstream text;
  text << in.rdbuf();
  *output = text.str();
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// docs/backups.md's logical dump, followed as written: pg_dump of a running
// deployment, pg_restore with the servers stopped into an empty database
// created for the owner role, connected as that role (restored as a
// superuser, the tables would be the superuser's and the owner role's next
// `roster migrate` would fail), and a server on the restored database serves
// the same organization and takes new writes (the id sequences, the lead
// counts' triggers came along).
// PostgreSQL only (tests/api/CMakeLists.txt).
class PostgresDumpTest : public ApiTest {};

TEST_F(PostgresDumpTest, ADumpRestoredIntoAnEmptyDatabaseServesTheSameDataAndTakesNewWrites) {
  ASSERT_TRUE(database_->is_postgres()) << "registered for PostgreSQL only";
  std::filesystem::path binaries = PostgresBinaries();
  ASSERT_FALSE(binaries.empty()) << "no /usr/lib/postgresql/*/bin/pg_dump";
  StartServer();
  HttpResponse assistant = admin_->Post(OrgPath("/assistants"), {{"name", "Outbound EU"}});
  ASSERT_EQ(assistant.status, 201) << assistant.body;
  std::string assistant_id = assistant.json["id"];
  std::string bea;
  auto bea_client = InviteAndJoin("bea@acme.test", "Bea Buyer", "user", &bea);
  ASSERT_EQ(
      admin_
          ->Put(OrgPath("/assistants/" + assistant_id + "/users/" + bea), nlohmann::json::object())
          .status,
      200);
  for (const char* name : {"Pat Prospect", "Quinn Quote", "Rae Renewal"}) {
    nlohmann::json lead = {{"assistant_id", assistant_id},
                           {"owner_id", bea},
                           {"name", name},
                           {"email", "lead@prospect.test"}};
    ASSERT_EQ(admin_->Post(OrgPath("/leads"), lead).status, 201);
  }
  HttpResponse members = admin_->Get(OrgPath("/members"));
  HttpResponse leads = admin_->Get(OrgPath("/leads"));
  ASSERT_EQ(members.status, 200);
  ASSERT_EQ(leads.status, 200);
  ASSERT_EQ(leads.json["items"].size(), 3u) << leads.body;

  std::string output;
  std::filesystem::path dump = dir_.path() / "roster.dump";
  ASSERT_EQ(Shell((binaries / "pg_dump").string() + " --format=custom --file='" + dump.string() +
                      "' '" + database_->url() + "'",
                  dir_.path() / "pg_dump.log", &output),
            0)
      << output;
  StopServer();
  const std::string& url = database_->url();
  const std::string restored = url.substr(url.rfind('/') + 1) + "_restored";
  const std::string owner = restored + "_owner";
  database_->QueryValue("CREATE ROLE " + owner + " LOGIN");
  database_->QueryValue("CREATE DATABASE " + restored + " OWNER " + owner);
  // The owner role in place of the test cluster's superuser.
  const std::size_t user = url.find("://") + 3;
  const std::string restored_url =
      url.substr(0, user) + owner +
      url.substr(url.find('@', user), url.rfind('/') + 1 - url.find('@', user)) + restored;
  EXPECT_EQ(Shell((binaries / "pg_restore").string() +
                      " --no-owner --single-transaction --exit-on-error --dbname='" + restored_url +
                      "' '" + dump.string() + "'",
                  dir_.path() / "pg_restore.log", &output),
            0)
      << output;
  ASSERT_EQ(Shell((binaries / "psql").string() +
                      " -Atc \"SELECT COUNT(*) FROM pg_tables WHERE schemaname = 'public' AND "
                      "tableowner <> current_user\" '" +
                      restored_url + "'",
                  dir_.path() / "owners.log", &output),
            0)
      << output;
  EXPECT_EQ(output, "0\n") << "tables not owned by the owner role";

  env_["ROSTER_DB"] = restored_url;
  CommandResult migrated = RunRoster({"migrate"}, env());
  EXPECT_EQ(migrated.exit_code, 0) << migrated.err;
  StartServer();
  // The same, but for the admin's last sign-in: StartServer signed in again.
  auto without_sign_ins = [](nlohmann::json page) {
    for (auto& member : page["items"]) member.erase("last_login_at");
    return page;
  };
  EXPECT_EQ(without_sign_ins(admin_->Get(OrgPath("/members")).json), without_sign_ins(members.json));
  EXPECT_EQ(admin_->Get(OrgPath("/leads")).json, leads.json);
  nlohmann::json lead = {{"assistant_id", assistant_id},
                         {"owner_id", bea},
                         {"name", "Sam Signed"},
                         {"email", "sam@prospect.test"}};
  HttpResponse created = admin_->Post(OrgPath("/leads"), lead);
  ASSERT_EQ(created.status, 201) << created.body;
  for (const auto& earlier : leads.json["items"]) {
    EXPECT_GT(std::stoll(created.json["id"].get<std::string>()),
              std::stoll(earlier["id"].get<std::string>()));
  }
  HttpResponse after = admin_->Get(OrgPath("/members?q=bea"));
  ASSERT_EQ(after.json["items"].size(), 1u) << after.body;
  EXPECT_EQ(after.json["items"][0]["lead_count"], 4) << "the lead count's trigger was restored";
  StopServer();
  database_->QueryValue("DROP DATABASE " + restored + " WITH (FORCE)");
  database_->QueryValue("DROP ROLE " + owner);
}

}  // namespace
}  // namespace roster::testing
