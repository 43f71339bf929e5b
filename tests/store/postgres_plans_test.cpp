// PostgreSQL keeps each connection's plan of a prepared statement until
// statistics or the schema change. A new database must not start with
// statistics that call every table empty: the plans made while it is empty
// would scan whole tables for as long as the connection lives. And a plan
// made for the values at hand must not turn a page into a walk of the
// organization because one member owns most of its leads.
#include <soci/soci.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "store/accounts.hpp"
#include "store/assistants.hpp"
#include "store/audit.hpp"
#include "store/leads.hpp"
#include "store/organizations.hpp"
#include "store/webhooks.hpp"
#include "store_fixture.hpp"

namespace roster::testing {
namespace {

class PostgresPlansTest : public StoreTest {
 protected:
  // What this transaction has read of `table` so far: the entries its index
  // scans returned (counted on each index) and the rows of its scans of the
  // table (counters not yet reported only grow).
  static long long ReadSoFar(store::Tx& tx, const std::string& table) {
    const std::string relation = "'" + table + "'::regclass";
    long long entries = 0;
    tx.sql() << "SELECT pg_stat_get_xact_tuples_returned(" + relation + ") + (SELECT COALESCE("
                    "SUM(pg_stat_get_xact_tuples_returned(indexrelid)), 0) FROM pg_index "
                    "WHERE indrelid = " + relation + ")",
        soci::into(entries);
    return entries;
  }
  // The row count the planner believes `relation` has: -1 until it is
  // first analyzed (or vacuumed).
  long long Tuples(const std::string& relation) {
    long long count = 0;
    Status read = database_->Read<void>([&](store::Tx& tx) -> Status {
      tx.sql() << "SELECT CAST(reltuples AS BIGINT) FROM pg_class WHERE oid = '" + relation +
                      "'::regclass",
          soci::into(count);
      return {};
    });
    EXPECT_TRUE(read.ok()) << read.problem().internal;
    return count;
  }
};

// Statistics are refreshed after a migration and a bulk import: of
// roster's tables, not of every schema of a database shared with others.
TEST_F(PostgresPlansTest, StatisticsAreRefreshedForRostersOwnTablesOnly) {
  ASSERT_TRUE(is_postgres()) << "registered for PostgreSQL only";
  const std::string other = schema_ + "_other";
  Execute("CREATE SCHEMA " + other + "; CREATE TABLE " + other +
          ".neighbour AS SELECT g AS id FROM generate_series(1, 1000) g; "
          "CREATE TABLE \"Mixed Case\" (id BIGINT)");
  ASSERT_EQ(Tuples("users"), -1);
  Status analyzed = database_->Analyze();
  ASSERT_TRUE(analyzed.ok()) << analyzed.problem().internal;
  EXPECT_EQ(Tuples("users"), 0);
  EXPECT_EQ(Tuples("\"Mixed Case\""), 0);
  EXPECT_EQ(Tuples(other + ".neighbour"), -1) << "another schema's table was analyzed";
  Execute("DROP SCHEMA " + other + " CASCADE");
}

// Only a table's owner may ANALYZE it. A serving role that owns none of
// roster's tables (docs/deploy.md) analyzes what it owns, and says once that
// the rest is left to autovacuum, instead of PostgreSQL warning per table.
TEST_F(PostgresPlansTest, ARoleThatOwnsNoTablesLeavesTheirStatisticsToAutovacuumAndSaysSo) {
  ASSERT_TRUE(is_postgres()) << "registered for PostgreSQL only";
  const std::string role = "analyzer_" + schema_;
  Execute("CREATE ROLE " + role + " LOGIN; GRANT USAGE, CREATE ON SCHEMA " + schema_ + " TO " +
          role + "; GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA " + schema_ +
          " TO " + role);
  std::string url = server_url_;
  url.replace(url.find("://") + 3, url.find('@') - url.find("://") - 3, role);
  std::ostringstream log;
  auto previous = spdlog::default_logger();
  spdlog::set_default_logger(std::make_shared<spdlog::logger>(
      "capture", std::make_shared<spdlog::sinks::ostream_sink_mt>(log)));
  {
    auto served = store::Database::Open(url + "?options=-csearch_path%3D" + schema_, 1);
    ASSERT_TRUE(served.ok()) << served.problem().detail;
    Status made = (*served)->Write<void>([](store::Tx& tx) -> Status {
      tx.sql() << "CREATE TABLE its_own (id BIGINT)";
      return {};
    });
    ASSERT_TRUE(made.ok()) << made.problem().internal;
    Status analyzed = (*served)->Analyze();
    EXPECT_TRUE(analyzed.ok()) << analyzed.problem().internal;
  }
  spdlog::set_default_logger(previous);
  EXPECT_EQ(Tuples("its_own"), 0) << "the table the role owns is analyzed";
  EXPECT_EQ(Tuples("users"), -1);
  EXPECT_NE(log.str().find("event=statistics_left_to_autovacuum"), std::string::npos) << log.str();
  Execute("DROP TABLE its_own; REVOKE ALL ON ALL TABLES IN SCHEMA " + schema_ + " FROM " + role +
          "; REVOKE ALL ON SCHEMA " + schema_ + " FROM " + role + "; DROP ROLE " + role);
}

TEST_F(PostgresPlansTest, LookupsOfANewDatabaseStayIndexLookupsAsItsTablesGrow) {
  ASSERT_TRUE(is_postgres()) << "registered for PostgreSQL only";
  // Each account looked up right after it is written: the connections plan
  // the lookup while the table is nearly empty.
  for (int i = 0; i < 300; ++i) {
    std::string email = "person" + std::to_string(i) + "@example.test";
    Status written = database_->Write<void>([&](store::Tx& tx) -> Status {
      store::InsertUser(tx, email, "Person", clock_.Now());
      EXPECT_TRUE(store::FindUserByEmail(tx, email).has_value());
      return {};
    });
    ASSERT_TRUE(written.ok()) << written.problem().internal;
  }
  Status looked = database_->Read<void>([&](store::Tx& tx) -> Status {
    // This transaction's own reads (counters not yet reported only grow).
    long long before = 0, after = 0;
    tx.sql() << "SELECT pg_stat_get_xact_tuples_returned('users'::regclass)", soci::into(before);
    EXPECT_TRUE(store::FindUserByEmail(tx, "person299@example.test").has_value());
    tx.sql() << "SELECT pg_stat_get_xact_tuples_returned('users'::regclass)", soci::into(after);
    EXPECT_EQ(after - before, 0) << "rows of users scanned to find one account by e-mail";
    return {};
  });
  ASSERT_TRUE(looked.ok()) << looked.problem().internal;
}

// Sam owns 10,000 old leads, his 30 colleagues the 300 newest. Statistics
// say Sam owns nearly all of them, so for a page of his, newest first,
// PostgreSQL would walk the organization's index backwards and skip the
// others' (it expects to skip one or two) rather than read his own range:
// it skipped all 300, and skips as many as the others own newer leads (the
// book a removal handed him is old). Each page must read his range: about a
// page of index entries.
TEST_F(PostgresPlansTest, APageOfOneOwnersLeadsReadsHisRangeWhateverTheirShare) {
  ASSERT_TRUE(is_postgres()) << "registered for PostgreSQL only";
  Id org = 0, ada = 0, sam = 0;
  Seed([&](store::Tx& tx, UnixSeconds now) {
    org = store::InsertOrganization(tx, "Acme", now);
    ada = AddActiveMember(tx, org, "ada@acme.test", "Ada", domain::Role::kAdmin, now);
    sam = AddActiveMember(tx, org, "sam@acme.test", "Sam", domain::Role::kUser, now);
    Id north = *store::InsertAssistant(tx, org, "North", now);
    store::AssignUser(tx, org, north, sam, false, now);
    store::LeadBulkInserter inserter(tx, org, now);
    for (int i = 0; i < 10000; ++i) {
      inserter.Add({north, sam, "Lead " + std::to_string(i), "lead@prospect.test", "", {}});
    }
    for (int colleague = 0; colleague < 30; ++colleague) {
      std::string name = "Colleague " + std::to_string(colleague);
      Id user = AddActiveMember(tx, org, "colleague" + std::to_string(colleague) + "@acme.test",
                                name, domain::Role::kUser, now);
      store::AssignUser(tx, org, north, user, false, now);
      for (int i = 0; i < 10; ++i) {
        inserter.Add(
            {north, user, name + " lead " + std::to_string(i), "lead@prospect.test", "", {}});
      }
    }
    inserter.Finish();
  });
  Execute("ANALYZE leads");

  struct Case {
    const char* what;
    store::Viewer viewer;
    std::vector<domain::LeadStatus> statuses;
  };
  for (const Case& page : {Case{"his own", {sam, false}, {}},
                           Case{"his own of one status", {sam, false}, {domain::LeadStatus::kNew}},
                           Case{"his, as the admin filters them", {ada, true}, {}}}) {
    SCOPED_TRACE(page.what);
    domain::LeadFilter filter;
    filter.statuses = page.statuses;
    if (page.viewer.sees_all) filter.owner_id = sam;
    Status read = database_->Read<void>([&](store::Tx& tx) -> Status {
      // This transaction's own reads of leads: the entries its index scans
      // read (counted on each index), and the rows of a scan of the table.
      long long before = ReadSoFar(tx, "leads");
      Result<Page<domain::Lead>> leads = store::ListVisibleLeads(tx, org, page.viewer, filter);
      long long after = ReadSoFar(tx, "leads");
      EXPECT_TRUE(leads.ok());
      if (!leads.ok()) return {};
      EXPECT_EQ(leads->items.size(), 50u);
      for (const domain::Lead& lead : leads->items) EXPECT_EQ(lead.owner_id, sam);
      EXPECT_LE(after - before, 2 * 51) << "rows of leads read for a page of 50";
      return {};
    });
    ASSERT_TRUE(read.ok()) << read.problem().internal;
  }
}

// A new database whose leads were written one by one, never analyzed (a
// fresh install with autovacuum off, or before it comes round): PostgreSQL
// guesses an organization has ~80 leads whatever their number, and read
// all 30,000 by a bitmap and sorted them for a page of 50 (18 ms instead
// of 0.1). An admin's pages in id order walk an index in that order,
// whatever the statistics and whatever else narrows them.
TEST_F(PostgresPlansTest, AnAdminsLeadsPagesOfANewDatabaseReadAPageOfIndexEntries) {
  ASSERT_TRUE(is_postgres()) << "registered for PostgreSQL only";
  Id org = 0, ada = 0, sam = 0, north = 0;
  Seed([&](store::Tx& tx, UnixSeconds now) {
    org = store::InsertOrganization(tx, "Acme", now);
    ada = AddActiveMember(tx, org, "ada@acme.test", "Ada", domain::Role::kAdmin, now);
    sam = AddActiveMember(tx, org, "sam@acme.test", "Sam", domain::Role::kUser, now);
    north = *store::InsertAssistant(tx, org, "North", now);
    store::AssignUser(tx, org, north, sam, false, now);
    store::LeadBulkInserter inserter(tx, org, now);
    for (int i = 0; i < 30000; ++i) {
      inserter.Add({north, sam, "Lead " + std::to_string(i), "lead@prospect.test", "", {}});
    }
    inserter.Finish();
  });

  struct Case {
    const char* what;
    std::optional<Id> assistant;
    std::optional<Id> owner;
    std::string query;
    std::vector<domain::LeadStatus> statuses;
  };
  for (const Case& page :
       {Case{"every lead", {}, {}, "", {}}, Case{"of one assistant", north, {}, "", {}},
        Case{"of one owner", {}, sam, "", {}}, Case{"matching a search", {}, {}, "lead", {}},
        Case{"of one status", {}, {}, "", {domain::LeadStatus::kNew}}}) {
    SCOPED_TRACE(page.what);
    domain::LeadFilter filter;
    filter.assistant_id = page.assistant;
    filter.owner_id = page.owner;
    filter.query = page.query;
    filter.statuses = page.statuses;
    Status read = database_->Read<void>([&](store::Tx& tx) -> Status {
      long long before = ReadSoFar(tx, "leads");
      Result<Page<domain::Lead>> leads = store::ListVisibleLeads(tx, org, {ada, true}, filter);
      long long after = ReadSoFar(tx, "leads");
      EXPECT_TRUE(leads.ok());
      if (!leads.ok()) return {};
      EXPECT_EQ(leads->items.size(), 50u);
      EXPECT_LE(after - before, 2 * 51) << "rows of leads read for a page of 50";
      return {};
    });
    ASSERT_TRUE(read.ok()) << read.problem().internal;
  }
}

// The same for the audit log, which grows with every change: without a
// time window each filter's page is a range of an index in id order.
TEST_F(PostgresPlansTest, TheAuditLogOfANewDatabaseReadsAPageOfIndexEntries) {
  ASSERT_TRUE(is_postgres()) << "registered for PostgreSQL only";
  Id org = 0, ada = 0, sam = 0;
  Seed([&](store::Tx& tx, UnixSeconds now) {
    org = store::InsertOrganization(tx, "Acme", now);
    ada = AddActiveMember(tx, org, "ada@acme.test", "Ada", domain::Role::kAdmin, now);
    sam = AddActiveMember(tx, org, "sam@acme.test", "Sam", domain::Role::kUser, now);
  });
  const std::string organization = std::to_string(org);
  Execute(
      "INSERT INTO audit_events (organization_id, at, actor_user_id, action, target_user_id) "
      "SELECT " +
      organization + ", g, " + std::to_string(ada) + ", 'member.role_changed', " +
      std::to_string(sam) + " FROM generate_series(1, 30000) g");  // no ANALYZE
  Execute("INSERT INTO api_keys (id, organization_id, name, scope, prefix, key_hash, created_at) "
          "VALUES (1, " + organization + ", 'CRM sync', 'admin', 'rk_', 'h', 0)");
  Execute("INSERT INTO audit_events (organization_id, at, actor_api_key_id, action) SELECT " +
          organization + ", g, 1, 'member.invited' FROM generate_series(30001, 60000) g");

  struct Case {
    const char* what;
    store::AuditFilter filter;
  };
  store::AuditFilter by_actor, by_action, about_member, by_key;
  by_actor.actor_user_id = ada;
  by_action.action = "member.role_changed";
  about_member.target_user_id = sam;
  by_key.actor_api_key_id = 1;
  for (const Case& page : {Case{"every event", {}}, Case{"of one actor", by_actor},
                           Case{"of one action", by_action}, Case{"about one member", about_member},
                           Case{"with one API key", by_key}}) {
    SCOPED_TRACE(page.what);
    Status read = database_->Read<void>([&](store::Tx& tx) -> Status {
      long long before = ReadSoFar(tx, "audit_events");
      auto events = store::ListAuditEvents(tx, org, 50, std::nullopt, page.filter);
      long long after = ReadSoFar(tx, "audit_events");
      EXPECT_TRUE(events.ok());
      if (!events.ok()) return {};
      EXPECT_EQ(events->items.size(), 50u);
      EXPECT_LE(after - before, 2 * 51) << "rows of audit_events read for a page of 50";
      return {};
    });
    ASSERT_TRUE(read.ok()) << read.problem().internal;
  }
}

// And for an endpoint's deliveries, as many as the events it takes, with
// or without a status filter: mostly delivered, every tenth failed.
TEST_F(PostgresPlansTest, TheDeliveriesOfANewDatabaseReadAPageOfIndexEntries) {
  ASSERT_TRUE(is_postgres()) << "registered for PostgreSQL only";
  Id org = 0;
  Seed([&](store::Tx& tx, UnixSeconds now) { org = store::InsertOrganization(tx, "Acme", now); });
  std::string organization = std::to_string(org);
  Execute(
      "INSERT INTO webhook_endpoints (id, organization_id, url, events, enabled, secret, "
      "created_at) VALUES (1, " +
      organization + ", 'https://hooks.test/in', '*', 1, 's', 0)");
  Execute(
      "INSERT INTO webhook_deliveries (organization_id, endpoint_id, event_id, event_type, "
      "payload, status, created_at, next_attempt_at) SELECT " +
      organization +
      ", 1, g, 'member.invited', '{}', CASE WHEN g % 10 = 0 THEN 'failed' ELSE 'delivered' END, "
      "g, g FROM generate_series(1, 30000) g");  // no ANALYZE

  using store::webhooks::DeliveryStatus;
  struct Case {
    const char* what;
    std::optional<DeliveryStatus> status;
  };
  for (const Case& page :
       {Case{"every delivery", std::nullopt}, Case{"delivered", DeliveryStatus::kDelivered},
        Case{"failed", DeliveryStatus::kFailed}}) {
    SCOPED_TRACE(page.what);
    Status read = database_->Read<void>([&](store::Tx& tx) -> Status {
      long long before = ReadSoFar(tx, "webhook_deliveries");
      auto deliveries = store::webhooks::ListDeliveries(tx, org, 1, page.status, 50, std::nullopt);
      long long after = ReadSoFar(tx, "webhook_deliveries");
      EXPECT_TRUE(deliveries.ok());
      if (!deliveries.ok()) return {};
      EXPECT_EQ(deliveries->items.size(), 50u);
      for (const auto& delivery : deliveries->items) {
        EXPECT_EQ(delivery.status, page.status.value_or(delivery.status));
      }
      EXPECT_LE(after - before, 2 * 51) << "rows of webhook_deliveries read for a page of 50";
      return {};
    });
    ASSERT_TRUE(read.ok()) << read.problem().internal;
  }
}

}  // namespace
}  // namespace roster::testing
