// A webhook sender's claim locks its endpoint's row while it takes a
// delivery. Every audited change queues deliveries to that row in the same
// moment, and on PostgreSQL many of those changes run SERIALIZABLE: the
// claim's lock must let their foreign-key check through, or the change
// waits for the claim and then fails to serialize (retried, and under a
// busy queue answered 503 once the retries run out). PostgreSQL's alone:
// SQLite's writers take turns.
#include <soci/soci.h>

#include <atomic>
#include <chrono>
#include <future>
#include <string>
#include <thread>

#include "app/audit_trail.hpp"
#include "store/organizations.hpp"
#include "store/webhooks.hpp"
#include "store_fixture.hpp"

namespace roster::testing {
namespace {

using namespace std::chrono_literals;

class WebhookClaimTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (HasFatalFailure()) return;
    Seed([&](store::Tx& tx, UnixSeconds now) {
      org_ = store::InsertOrganization(tx, "Acme", now);
      admin_ = AddActiveMember(tx, org_, "ada@acme.test", "Ada", domain::Role::kAdmin, now);
      endpoint_ = AddWebhookEndpoint(tx, org_, {"*"}, now);
      app::RecordAudit(tx, org_, now, domain::Actor{admin_, std::nullopt}, "assistant_created",
                       std::nullopt, {{"assistant_id", "1"}, {"name", "Aria"}});
    });
  }

  // True while some transaction waits for a lock that backend `pid` holds.
  bool SomeoneWaitsFor(int pid) {
    Result<bool> waiting = database_->Read<bool>([&](store::Tx& tx) -> Result<bool> {
      int count = 0;
      tx.sql() << "SELECT COUNT(*) FROM pg_stat_activity WHERE :pid = ANY(pg_blocking_pids(pid))",
          soci::use(pid), soci::into(count);
      return count > 0;
    });
    return waiting.ok() && *waiting;
  }

  Id org_ = 0, admin_ = 0, endpoint_ = 0;
};

TEST_F(WebhookClaimTest, AnEventQueuedWhileASenderHoldsItsEndpointCommitsAtTheFirstAttempt) {
  std::promise<void> claimed;
  std::atomic<bool> queued = false;
  std::thread sender([&] {
    Status held = database_->Write<void>([&](store::Tx& tx) -> Status {
      std::optional<store::webhooks::Claim> claim =
          store::webhooks::ClaimNext(tx, clock_.Now(), 60, 2);
      EXPECT_TRUE(claim && claim->endpoint.id == endpoint_);
      int pid = 0;
      tx.sql() << "SELECT pg_backend_pid()", soci::into(pid);
      claimed.set_value();
      // Hold the claim until the change below is done, or until it waits
      // for this transaction (then commit, as a sender would).
      auto deadline = std::chrono::steady_clock::now() + 10s;
      while (!queued && !SomeoneWaitsFor(pid) && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(5ms);
      }
      return {};
    });
    EXPECT_TRUE(held.ok()) << held.problem().internal;
  });
  claimed.get_future().wait();

  int attempts = 0;
  Status changed = database_->WriteSerializable<void>([&](store::Tx& tx) -> Status {
    ++attempts;
    app::RecordAudit(tx, org_, clock_.Now(), domain::Actor{admin_, std::nullopt},
                     "assistant_created", std::nullopt, {{"assistant_id", "2"}, {"name", "Bo"}});
    return {};
  });
  queued = true;
  sender.join();
  ASSERT_TRUE(changed.ok()) << changed.problem().internal;
  EXPECT_EQ(attempts, 1) << "the change waited for the sender's claim and failed to serialize";
  Result<int> pending = database_->Read<int>([&](store::Tx& tx) -> Result<int> {
    int count = 0;
    tx.sql() << "SELECT COUNT(*) FROM webhook_deliveries WHERE endpoint_id = :id",
        soci::use(endpoint_), soci::into(count);
    return count;
  });
  ASSERT_TRUE(pending.ok());
  EXPECT_EQ(*pending, 2);
}

}  // namespace
}  // namespace roster::testing
