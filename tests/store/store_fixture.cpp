#include "store_fixture.hpp"

#include <soci/soci.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>

#include "app/members.hpp"
#include "store/accounts.hpp"
#include "store/migrations.hpp"
#include "store/organizations.hpp"
#include "store/webhooks.hpp"

namespace roster::testing {
namespace {

void RunOn(const std::string& url, const std::string& sql) {
  auto database = store::Database::Open(url, 1);
  ASSERT_TRUE(database.ok()) << database.problem().detail;
  Status done = (*database)->Write<void>([&](store::Tx& tx) -> Status {
    tx.sql() << sql;
    return {};
  });
  ASSERT_TRUE(done.ok()) << done.problem().internal;
}

}  // namespace

void StoreTest::SetUp() {
  static std::atomic<int> counter{0};
  std::string unique = std::to_string(getpid()) + "_" + std::to_string(counter++);
  directory_ = (std::filesystem::temp_directory_path() / ("roster-store-" + unique)).string();
  std::filesystem::create_directories(directory_);
  url_ = "sqlite:" + directory_ + "/roster.db";
  const char* backend = std::getenv("ROSTER_TEST_BACKEND");
  if (backend != nullptr && std::string(backend) == "postgres") {
    const char* server = std::getenv("ROSTER_TEST_PG_URL");
    ASSERT_NE(server, nullptr) << "ROSTER_TEST_BACKEND=postgres needs ROSTER_TEST_PG_URL";
    server_url_ = server;
    schema_ = "store_test_" + unique;
    RunOn(server_url_, "CREATE SCHEMA " + schema_);
    url_ = server_url_ + "?options=-csearch_path%3D" + schema_;
  }
  auto database = store::Database::Open(url_, 4);
  ASSERT_TRUE(database.ok()) << database.problem().detail;
  database_ = std::move(database).value();
  auto migrated = store::Migrate(*database_);
  ASSERT_TRUE(migrated.ok()) << migrated.problem().internal;
  auto hasher = PasswordHasher::Create();
  ASSERT_TRUE(hasher.ok());
  hasher_ = std::move(hasher).value();
  context_ = std::make_unique<app::Context>(app::Context{*database_, *hasher_, clock_, {}});
}

void StoreTest::TearDown() {
  context_.reset();
  database_.reset();
  if (!schema_.empty()) RunOn(server_url_, "DROP SCHEMA " + schema_ + " CASCADE");
  std::filesystem::remove_all(directory_);
}

void StoreTest::TakeBackMigrationsFrom(int version) {
  ASSERT_GE(version, 14) << "no take-back written for older migrations";
  ASSERT_EQ(store::LatestSchemaVersion(), 21) << "write the new migration's take-back here";
  const bool postgres = is_postgres();
  // V021: the high-water mark of webhook endpoint IDs (SQLite's alone).
  if (!postgres) Execute("DROP TABLE id_high_water");
  if (version <= 20) {  // the audit log's index by API key
    Execute("DROP INDEX audit_events_by_api_key");
  }
  if (version <= 19) {  // the password reset an e-mail carries
    for (const char* column : {"reset_user_id", "reset_otp_hash"}) {
      Execute(std::string("ALTER TABLE outbox_messages DROP COLUMN ") + column);
    }
  }
  if (version <= 18) {  // the SCIM displayName apart from name.formatted
    Execute("ALTER TABLE scim_users DROP COLUMN display_name");
  }
  if (version <= 17) {  // the undelivered invitation e-mail
    for (const char* column : {"invite_undelivered", "invite_undelivered_for"}) {
      Execute(std::string("ALTER TABLE memberships DROP COLUMN ") + column);
    }
    for (const char* column : {"invitation_user_id", "invitation_expires_at"}) {
      Execute(std::string("ALTER TABLE outbox_messages DROP COLUMN ") + column);
    }
  }
  if (version <= 16) {  // the deliveries' status index
    Execute("DROP INDEX webhook_deliveries_by_status");
  }
  if (version <= 15) {  // the invitation expiry copied onto the membership
    if (postgres) {
      Execute("DROP TRIGGER invitations_on_membership ON invitations");
      Execute("DROP FUNCTION memberships_follow_invitations()");
    } else {
      for (const char* change : {"insert", "update", "delete"}) {
        Execute(std::string("DROP TRIGGER invitations_on_membership_") + change);
      }
    }
    Execute("ALTER TABLE memberships DROP COLUMN invite_expires_at");
  }
  if (version <= 14) {  // the lead counts
    for (const char* trigger :
         {"leads_counted_insert", "leads_counted_update", "leads_counted_delete"}) {
      Execute(std::string("DROP TRIGGER ") + trigger + (postgres ? " ON leads" : ""));
    }
    Execute(postgres ? "DROP FUNCTION lead_counts_follow()" : "DROP TABLE lead_counts_paused");
    Execute("DROP TABLE lead_counts");
  }
  const std::string from = std::to_string(version);
  Execute("DELETE FROM schema_served_from WHERE version >= " + from);
  Execute("DELETE FROM schema_migrations WHERE version >= " + from);
}

void InvitingTeamTest::SetUp() {
  StoreTest::SetUp();
  if (HasFatalFailure()) return;
  auto created = app::CreateOrganization(*context_, "Acme", "ada@acme.test", "Ada");
  ASSERT_TRUE(created.ok()) << created.problem().internal;
  org_ = created->organization.id;
  admin_ = app::Principal::Person(created->admin.user_id, 0, "ada@acme.test", "Ada");
  Execute("UPDATE memberships SET status = 'active', joined_at = 1 WHERE user_id = " +
          std::to_string(admin_.user_id));
  auto bea =
      app::InviteMember(*context_, admin_, org_, {"bea@acme.test", "Bea", domain::Role::kUser, {}});
  ASSERT_TRUE(bea.ok()) << bea.problem().internal;
  bea_ = bea->user_id;
}

void StoreTest::Seed(const std::function<void(store::Tx& tx, UnixSeconds now)>& write) {
  UnixSeconds now = clock_.Now();
  Status seeded = database_->Write<void>([&](store::Tx& tx) -> Status {
    write(tx, now);
    return {};
  });
  ASSERT_TRUE(seeded.ok()) << seeded.problem().internal;
}

Id StoreTest::AddWebhookEndpoint(store::Tx& tx, Id organization_id, std::vector<std::string> events,
                                 UnixSeconds now) {
  store::webhooks::Endpoint endpoint;
  endpoint.organization_id = organization_id;
  endpoint.url = "https://hooks.acme.test/roster";
  endpoint.events = std::move(events);
  endpoint.secret = "whsec_test";
  endpoint.created_at = now;
  return store::webhooks::InsertEndpoint(tx, endpoint);
}

Id StoreTest::AddActiveMember(store::Tx& tx, Id organization_id, const std::string& email,
                               const std::string& name, domain::Role role, UnixSeconds now) {
  Id user = store::InsertUser(tx, email, name, now);
  store::InsertMembership(tx, organization_id, user, role, domain::MembershipState::kActive,
                          store::MemberSortKey(name, email), now);
  return user;
}

void StoreTest::Execute(const std::string& sql) {
  Status done = database_->Write<void>([&](store::Tx& tx) -> Status {
    tx.sql() << sql;
    return {};
  });
  ASSERT_TRUE(done.ok()) << sql << ": " << done.problem().internal;
}

}  // namespace roster::testing
