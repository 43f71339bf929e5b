// Expired sessions and old rate-limit events are pruned; live ones stay.
#include <soci/soci.h>

#include "app/sign_in.hpp"
#include "store/accounts.hpp"
#include "store_fixture.hpp"

namespace roster::testing {
namespace {

class PruneTest : public StoreTest {
 protected:
  long long Count(const std::string& table) {
    long long count = -1;
    Status read = database_->Read<void>([&](store::Tx& tx) -> Status {
      tx.sql() << "SELECT COUNT(*) FROM " + table, soci::into(count);
      return {};
    });
    EXPECT_TRUE(read.ok());
    return count;
  }
};

TEST_F(PruneTest, DropsOnlyWhatNoRuleReadsAnyMore) {
  UnixSeconds now = clock_.Now();
  const auto& settings = context_->settings;
  Status seeded = database_->Write<void>([&](store::Tx& tx) -> Status {
    Id user = store::InsertUser(tx, "a@b.test", "A", now);
    store::InsertSession(tx, "live", user, false, now, now + settings.session_max);
    store::InsertSession(tx, "past-absolute", user, false, now - 10, now - 1);
    Id idle = store::InsertSession(tx, "idle", user, false, now - settings.session_idle - 5,
                                   now + settings.session_max);
    store::TouchSession(tx, idle, now - settings.session_idle - 5);
    store::RecordRateEvent(tx, "resend:1:2", now - 3599);   // still inside the resend hour
    store::RecordRateEvent(tx, "resend:1:2", now - 7200);   // outside every window
    return {};
  });
  ASSERT_TRUE(seeded.ok()) << seeded.problem().internal;
  ASSERT_TRUE(app::PruneExpired(*context_).ok());
  EXPECT_EQ(Count("sessions"), 1);
  EXPECT_EQ(Count("rate_events"), 1);
}

}  // namespace
}  // namespace roster::testing
