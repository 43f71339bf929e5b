#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "app/context.hpp"
#include "auth/password_hasher.hpp"
#include "core/clock.hpp"
#include "domain/model.hpp"
#include "store/database.hpp"

namespace roster::testing {

// A migrated, empty database for store and use-case tests: a SQLite file, or
// with ROSTER_TEST_BACKEND=postgres a schema of its own on ROSTER_TEST_PG_URL.
// Also a use-case Context over it.
class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  bool is_postgres() const { return !schema_.empty(); }
  // Runs raw SQL in its own write transaction (test set-up only).
  void Execute(const std::string& sql);
  // Takes the migrations from `version` (14 or later) to the newest back,
  // their objects and their records, as on a database from before them.
  void TakeBackMigrationsFrom(int version);
  // Writes a fixture's rows in one transaction, `now` the clock's; a
  // failure fails the test.
  void Seed(const std::function<void(store::Tx& tx, UnixSeconds now)>& write);
  // An enabled webhook endpoint of `organization_id` subscribed to `events`
  // (a URL nothing answers: the tests read the deliveries queued).
  static Id AddWebhookEndpoint(store::Tx& tx, Id organization_id, std::vector<std::string> events,
                               UnixSeconds now);
  // A new account that is an active member of `organization_id`.
  static Id AddActiveMember(store::Tx& tx, Id organization_id, const std::string& email,
                            const std::string& name, domain::Role role, UnixSeconds now);

  std::string directory_;
  std::string url_;  // the test's database, for a Database of its own
  std::string schema_;
  std::string server_url_;
  std::unique_ptr<store::Database> database_;
  std::unique_ptr<PasswordHasher> hasher_;
  SystemClock clock_;
  std::unique_ptr<app::Context> context_;
};

// A StoreTest with, made through the use cases, organization "Acme" (org_)
// whose admin Ada (admin_, active) has invited Bea (bea_, bea@acme.test).
class InvitingTeamTest : public StoreTest {
 protected:
  void SetUp() override;

  Id org_ = 0, bea_ = 0;
  app::Principal admin_;
};

}  // namespace roster::testing
