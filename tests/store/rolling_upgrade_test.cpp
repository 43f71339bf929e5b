// Rolling upgrades (SPEC 10, docs/upgrades.md): a server runs on the schema
// of the next release as long as that release's migrations only expand, so
// PostgreSQL deployments replace processes one at a time. The "next release"
// here is a migration applied by hand the way a newer binary would apply it;
// the code under test is this release's, unchanged.
#include <soci/soci.h>

#include <algorithm>
#include <cctype>
#include <regex>
#include <set>

#include "app/assistants.hpp"
#include "app/leads.hpp"
#include "app/members.hpp"
#include "app/sign_in.hpp"
#include "store/migrations.hpp"
#include "store_fixture.hpp"

namespace roster::testing {
namespace {

constexpr const char* kPassword = "copper meadow violin 4471 drifts";

class RollingUpgradeTest : public StoreTest {
 protected:
  // What a newer release's migration does, recorded as it records it.
  void ApplyNextRelease(const std::vector<std::string>& statements, std::optional<int> served_from) {
    for (const std::string& statement : statements) Execute(statement);
    int next = store::LatestSchemaVersion() + 1;
    Execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES (" +
            std::to_string(next) + ", 'V" + std::to_string(next) + "__next.sql', 0)");
    if (served_from) {
      Execute("INSERT INTO schema_served_from (version, served_from) VALUES (" +
              std::to_string(next) + ", " + std::to_string(*served_from) + ")");
    }
  }
};

TEST_F(RollingUpgradeTest, ThisReleaseServesTheNextReleasesExpandedSchema) {
  ApplyNextRelease({"ALTER TABLE leads ADD COLUMN score INTEGER",
                    "ALTER TABLE users ADD COLUMN locale TEXT NOT NULL DEFAULT 'en'",
                    "CREATE TABLE lead_notes (lead_id BIGINT NOT NULL, body TEXT NOT NULL)",
                    "CREATE INDEX leads_by_score ON leads (organization_id, score)"},
                   /*served_from=*/1);
  ASSERT_TRUE(store::CheckSchemaIsCurrent(*database_).ok());

  // Every kind of write and read this release does, on the newer schema.
  auto created = app::CreateOrganization(*context_, "Acme", "ada@acme.test", "Ada Admin");
  ASSERT_TRUE(created.ok()) << created.problem().internal;
  Id org = created->organization.id;
  app::Principal ada =
      app::Principal::Person(created->admin.user_id, 0, "ada@acme.test", "Ada Admin", true);
  auto signed_in = app::ChangePassword(*context_, ada, created->one_time_password, kPassword);
  ASSERT_TRUE(signed_in.ok()) << signed_in.problem().detail;
  ada.must_change_password = false;
  auto bea = app::InviteMember(*context_, ada, org, {"bea@acme.test", "Bea Seller", domain::Role::kUser, {}});
  ASSERT_TRUE(bea.ok()) << bea.problem().internal;
  auto assistant = app::CreateAssistant(*context_, ada, org, "Outbound");
  ASSERT_TRUE(assistant.ok());
  ASSERT_TRUE(app::AssignUser(*context_, ada, org, assistant->id, bea->user_id, true).ok());
  ASSERT_TRUE(app::AssignUser(*context_, ada, org, assistant->id, ada.user_id, false).ok());
  auto lead = app::CreateLead(*context_, ada, org,
                              {"Lee Prospect", "lee@prospect.test", "", assistant->id, bea->user_id});
  ASSERT_TRUE(lead.ok()) << lead.problem().internal;
  EXPECT_EQ(app::ListLeads(*context_, ada, org, {})->items.size(), 1u);
  EXPECT_TRUE(app::ChangeRole(*context_, ada, org, bea->user_id, domain::Role::kAdmin).ok());
  auto removed = app::RemoveMember(*context_, ada, org, bea->user_id, ada.user_id);
  ASSERT_TRUE(removed.ok()) << removed.problem().internal;
  EXPECT_EQ(removed->reassigned_lead_count, 1);
  EXPECT_EQ(app::ListMembers(*context_, ada, org, {})->items.size(), 1u);
  auto audit = app::ListAuditEvents(*context_, ada, org, 50, std::nullopt);
  ASSERT_TRUE(audit.ok());
  std::set<std::string> actions;
  for (const auto& event : audit->items) actions.insert(event.event.action);
  for (const char* action : {"organization_created", "invitation_accepted", "invited",
                             "assistant_created", "assistant_user_assigned", "role_changed",
                             "invite_revoked"}) {
    EXPECT_TRUE(actions.contains(action)) << action;
  }
}

TEST_F(RollingUpgradeTest, AContractingReleaseStopsOlderServers) {
  int next = store::LatestSchemaVersion() + 1;
  ApplyNextRelease({"DROP INDEX leads_by_assistant_owner"}, /*served_from=*/next);
  Status refused = store::CheckSchemaIsCurrent(*database_);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.problem().slug, "schema_too_new");
}

// An older `roster migrate` run mid-roll (a deploy script on a server not
// upgraded yet) finds nothing to do; past a contracting release it says to
// upgrade, as serve does.
TEST_F(RollingUpgradeTest, AnOlderMigrateFindsNothingToDoWhileItMayServeTheSchema) {
  int next = store::LatestSchemaVersion() + 1;
  ApplyNextRelease({"ALTER TABLE leads ADD COLUMN score INTEGER"}, /*served_from=*/1);
  auto migrated = store::Migrate(*database_);
  ASSERT_TRUE(migrated.ok()) << migrated.problem().internal;
  EXPECT_EQ(*migrated, next);
  Execute("UPDATE schema_served_from SET served_from = " + std::to_string(next) +
          " WHERE version = " + std::to_string(next));
  auto refused = store::Migrate(*database_);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.problem().detail, "the database schema is at version " + std::to_string(next) +
                                          ", newer than this roster (" + std::to_string(next - 1) +
                                          ") and not servable by it: upgrade roster");
}

TEST_F(RollingUpgradeTest, AVersionWithoutARecordedFloorIsNotServed) {
  ApplyNextRelease({}, std::nullopt);
  EXPECT_FALSE(store::CheckSchemaIsCurrent(*database_).ok());
}

// `roster serve` checks the schema as whatever role it runs as, which may
// not create tables (docs/deploy.md): the check only reads.
TEST_F(RollingUpgradeTest, CheckingTheSchemaOfADatabaseNeverMigratedCreatesNothing) {
  Execute("DROP TABLE schema_served_from");
  Execute("DROP TABLE schema_migrations");
  Status refused = store::CheckSchemaIsCurrent(*database_);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.problem().slug, "schema_outdated");
  EXPECT_NE(refused.problem().detail.find("version 0"), std::string::npos)
      << refused.problem().detail;
  int tables = -1;
  Status read = database_->Read<void>([&](store::Tx& tx) -> Status {
    tx.sql() << (is_postgres()
                     ? "SELECT COUNT(*) FROM pg_tables WHERE schemaname = current_schema() "
                       "AND tablename IN ('schema_migrations', 'schema_served_from')"
                     : "SELECT COUNT(*) FROM sqlite_master "
                       "WHERE name IN ('schema_migrations', 'schema_served_from')"),
        soci::into(tables);
    return {};
  });
  ASSERT_TRUE(read.ok()) << read.problem().internal;
  EXPECT_EQ(tables, 0);
}

TEST_F(RollingUpgradeTest, MigrateRecordsTheFloorOfEveryVersion) {
  int recorded = 0, floor = 0;
  auto read = database_->Read<bool>([&](store::Tx& tx) -> Result<bool> {
    tx.sql() << "SELECT COUNT(*), MAX(served_from) FROM schema_served_from", soci::into(recorded),
        soci::into(floor);
    return true;
  });
  ASSERT_TRUE(read.ok()) << read.problem().internal;
  // One record per migration: versions need not be contiguous (each branch
  // is given its number, and they merge in any order).
  EXPECT_EQ(recorded, static_cast<int>(store::Migrations().size()));
  EXPECT_EQ(floor, 1);
}

// The rule every migration so far keeps: it only expands. A migration that
// drops, renames or retypes must declare the schema it is served from.
TEST(MigrationsTest, EveryMigrationWithoutAFloorOnlyExpands) {
  for (const store::Migration& migration : store::Migrations()) {
    std::string sql = migration.sql;
    std::transform(sql.begin(), sql.end(), sql.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    bool declared = store::ServedFrom(migration, -1) != -1;
    for (const char* contracting : {"DROP ", " RENAME ", "ALTER COLUMN", " TYPE "}) {
      EXPECT_TRUE(declared || sql.find(contracting) == std::string::npos)
          << migration.name << " contains \"" << contracting
          << "\" but does not say which schema it is served from";
    }
  }
}

// PostgreSQL builds an index on a table with rows before the rest of its
// migration (store/migrations.cpp, BuildConcurrently): an index may not name
// a column its own migration adds to a table that was there before it.
TEST(MigrationsTest, NoIndexNamesAColumnItsMigrationAddsToAnOlderTable) {
  const std::regex added(R"(ALTER TABLE (\w+) ADD COLUMN (\w+))");
  const std::regex created(R"(CREATE TABLE (?:IF NOT EXISTS )?(\w+))");
  const std::regex index(R"(CREATE (?:UNIQUE )?INDEX (?:IF NOT EXISTS )?\w+ )"
                         R"(ON (\w+) ?\(([^)]*)\))");
  for (const store::Migration& migration : store::Migrations()) {
    const std::string& sql = migration.sql;
    std::set<std::string> new_tables, new_columns;  // columns as "table.column"
    for (std::sregex_iterator m(sql.begin(), sql.end(), created), end; m != end; ++m) {
      new_tables.insert((*m)[1]);
    }
    for (std::sregex_iterator m(sql.begin(), sql.end(), added), end; m != end; ++m) {
      new_columns.insert((*m)[1].str() + "." + (*m)[2].str());
    }
    for (std::sregex_iterator m(sql.begin(), sql.end(), index), end; m != end; ++m) {
      std::string table = (*m)[1];
      if (new_tables.count(table) > 0) continue;
      std::string columns = (*m)[2];
      for (const std::string& column : new_columns) {
        if (column.rfind(table + ".", 0) != 0) continue;
        std::string name = column.substr(table.size() + 1);
        const std::regex word("\\b" + name + "\\b");
        EXPECT_FALSE(std::regex_search(columns, word))
            << migration.name << " indexes " << column << ", which it adds itself";
      }
    }
  }
}

}  // namespace
}  // namespace roster::testing
