// The access check of a write reads whether the organization has an enabled
// webhook endpoint. Without one, the write's audit event needs no delivery
// and goes with the COMMIT on PostgreSQL (one round trip fewer per audited
// change); with one, or once the transaction reads or writes an endpoint,
// the event is written at once and its deliveries are queued as before.
#include "store/audit.hpp"
#include "store/organizations.hpp"
#include "store/query.hpp"
#include "store/webhooks.hpp"
#include "store_fixture.hpp"

namespace roster::testing {
namespace {

class AuditAtCommitTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (HasFatalFailure()) return;
    Seed([&](store::Tx& tx, UnixSeconds now) {
      org_ = store::InsertOrganization(tx, "Acme", now);
      admin_ = AddActiveMember(tx, org_, "ada@acme.test", "Ada", domain::Role::kAdmin, now);
    });
  }

  store::webhooks::Endpoint NewEndpoint() const {
    store::webhooks::Endpoint endpoint;
    endpoint.organization_id = org_;
    endpoint.url = "https://hooks.acme.test/roster";
    endpoint.events = {"*"};
    endpoint.secret = "whsec_test";
    endpoint.created_at = 1;
    return endpoint;
  }

  store::AuditEvent Event() const {
    return {0, org_, 1, domain::Actor{admin_, std::nullopt}, "assistant_created", std::nullopt,
            "{}"};
  }

  static long long AuditEvents(store::Tx& tx) {
    store::Query count(tx, "SELECT COUNT(*) FROM audit_events");
    EXPECT_TRUE(count.Next());
    return count.Int64(0);
  }

  long long CommittedAuditEvents() {
    Result<long long> count = database_->Read<long long>(AuditEvents);
    EXPECT_TRUE(count.ok()) << count.problem().internal;
    return count.ok() ? *count : -1;
  }

  Id org_ = 0, admin_ = 0;
};

TEST_F(AuditAtCommitTest, WithoutAnEndpointTheEventGoesWithTheCommit) {
  Status written = database_->Write<void>([&](store::Tx& tx) -> Status {
    auto caller = store::FindCallerMembership(tx, org_, admin_);
    EXPECT_TRUE(caller && !caller->has_webhooks);
    std::vector<store::webhooks::Endpoint> endpoints;
    EXPECT_EQ(store::webhooks::InsertAuditEventReadingEndpoints(tx, Event(), endpoints), 0);
    EXPECT_TRUE(endpoints.empty());
    // Not written yet on PostgreSQL: it waits for the COMMIT.
    EXPECT_EQ(AuditEvents(tx), is_postgres() ? 0 : 1);
    return {};
  });
  ASSERT_TRUE(written.ok()) << written.problem().internal;
  EXPECT_EQ(CommittedAuditEvents(), 1);
}

TEST_F(AuditAtCommitTest, AnEndpointMadeInTheTransactionGetsTheEvent) {
  Status written = database_->Write<void>([&](store::Tx& tx) -> Status {
    EXPECT_TRUE(store::FindCallerMembership(tx, org_, admin_).has_value());
    Id endpoint = store::webhooks::InsertEndpoint(tx, NewEndpoint());
    std::vector<store::webhooks::Endpoint> endpoints;
    EXPECT_GT(store::webhooks::InsertAuditEventReadingEndpoints(tx, Event(), endpoints), 0);
    EXPECT_EQ(endpoints.size(), 1u);
    EXPECT_TRUE(!endpoints.empty() && endpoints[0].id == endpoint);
    EXPECT_EQ(AuditEvents(tx), 1);
    return {};
  });
  ASSERT_TRUE(written.ok()) << written.problem().internal;
}

TEST_F(AuditAtCommitTest, AnOrganizationWithAnEndpointHasItsEventWrittenAtOnce) {
  ASSERT_TRUE(database_->Write<void>([&](store::Tx& tx) -> Status {
    store::webhooks::InsertEndpoint(tx, NewEndpoint());
    return {};
  }).ok());
  Status written = database_->Write<void>([&](store::Tx& tx) -> Status {
    auto caller = store::FindCallerMembership(tx, org_, admin_);
    EXPECT_TRUE(caller && caller->has_webhooks);
    std::vector<store::webhooks::Endpoint> endpoints;
    EXPECT_GT(store::webhooks::InsertAuditEventReadingEndpoints(tx, Event(), endpoints), 0);
    EXPECT_EQ(endpoints.size(), 1u);
    EXPECT_EQ(AuditEvents(tx), 1);
    return {};
  });
  ASSERT_TRUE(written.ok()) << written.problem().internal;
}

// A disabled endpoint receives nothing: it does not count as one.
TEST_F(AuditAtCommitTest, ADisabledEndpointIsNoEndpoint) {
  ASSERT_TRUE(database_->Write<void>([&](store::Tx& tx) -> Status {
    store::webhooks::Endpoint endpoint = NewEndpoint();
    endpoint.enabled = false;
    store::webhooks::InsertEndpoint(tx, endpoint);
    return {};
  }).ok());
  Status written = database_->Write<void>([&](store::Tx& tx) -> Status {
    auto caller = store::FindCallerMembership(tx, org_, admin_);
    EXPECT_TRUE(caller && !caller->has_webhooks);
    return {};
  });
  ASSERT_TRUE(written.ok()) << written.problem().internal;
}

}  // namespace
}  // namespace roster::testing
