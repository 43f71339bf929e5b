// `roster backup` and `roster restore` (SPEC 10): a consistent copy of the
// embedded SQLite database while `roster serve` runs and writes, and a
// restore that refuses to replace a database a server is using. On
// PostgreSQL the commands refuse and point at PostgreSQL's own tools.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <iostream>
#include <mutex>
#include <set>
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
};

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

}  // namespace
}  // namespace roster::testing
