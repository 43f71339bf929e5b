// The outbox table's contract (store/outbox.hpp), on a real SQLite database.
#include "store/outbox.hpp"

#include <gtest/gtest.h>

#include <mutex>
#include <set>
#include <thread>

#include "support/mail_test_support.hpp"

namespace roster::store::outbox {
namespace {

using mail::testing_support::TestDatabase;

constexpr UnixSeconds kNow = 1796003466;
constexpr int kLease = 60;

class OutboxTest : public ::testing::Test {
 protected:
  Id Add(const std::string& recipient = "ann@example.com", UnixSeconds at = kNow,
         std::optional<Id> organization = std::nullopt) {
    Status added = database_->Write<void>([&](Tx& tx) -> Status {
      Enqueue(tx, organization, recipient, "Subject: hi\r\n\r\nsecret 7KQM\r\n", at);
      return {};
    });
    EXPECT_TRUE(added.ok()) << added.problem().internal;
    return database_.LastQueued();
  }

  std::vector<OutboxMessage> Claim(UnixSeconds now, int limit = 10) {
    auto claimed = ClaimDue(*database_, now, kLease, limit);
    EXPECT_TRUE(claimed.ok()) << claimed.problem().internal;
    return claimed.ok() ? claimed.value() : std::vector<OutboxMessage>{};
  }

  OutboxMessage Get(Id id) {
    auto found = Find(*database_, id);
    EXPECT_TRUE(found.ok() && found->has_value());
    return found.ok() && found->has_value() ? **found : OutboxMessage{};
  }

  std::int64_t Pending() { return CountPending(*database_).value(); }

  TestDatabase database_;
};

TEST_F(OutboxTest, EnqueueCommitsOrRollsBackWithItsTransaction) {
  Id id = Add("ann@example.com", kNow, 42);
  OutboxMessage message = Get(id);
  EXPECT_EQ(message.recipient, "ann@example.com");
  EXPECT_EQ(message.organization_id, std::optional<Id>(42));
  EXPECT_EQ(message.created_at, kNow);
  EXPECT_EQ(message.next_attempt_at, kNow);
  EXPECT_EQ(message.attempts, 0);
  EXPECT_FALSE(message.lease_until || message.sent_at || message.last_error);
  EXPECT_FALSE(Get(Add()).organization_id.has_value());

  Status failed = database_->Write<void>([&](Tx& tx) -> Status {
    Enqueue(tx, std::nullopt, "bob@example.com", "x", kNow);
    return Problem::Conflict("last_admin", "the change that caused the e-mail failed");
  });
  EXPECT_FALSE(failed.ok());
  EXPECT_EQ(Pending(), 2);  // the rolled-back e-mail is not there
}

TEST_F(OutboxTest, ClaimLeasesDueMessagesOldestFirstAndOnlyOnce) {
  Id later = Add("c@example.com", kNow + 5);
  Id first = Add("a@example.com", kNow - 10);
  Id second = Add("b@example.com", kNow);
  std::vector<OutboxMessage> claimed = Claim(kNow, 1);
  ASSERT_EQ(claimed.size(), 1u);
  EXPECT_EQ(claimed[0].id, first);
  EXPECT_EQ(claimed[0].message, "Subject: hi\r\n\r\nsecret 7KQM\r\n");
  EXPECT_EQ(claimed[0].attempts, 1);
  EXPECT_EQ(claimed[0].lease_until, std::optional<UnixSeconds>(kNow + kLease));
  EXPECT_EQ(Get(first).lease_until, std::optional<UnixSeconds>(kNow + kLease));

  claimed = Claim(kNow);
  ASSERT_EQ(claimed.size(), 1u);  // `first` is leased, `later` is not due
  EXPECT_EQ(claimed[0].id, second);
  EXPECT_TRUE(Claim(kNow + 4).empty());
  claimed = Claim(kNow + 5);
  ASSERT_EQ(claimed.size(), 1u);
  EXPECT_EQ(claimed[0].id, later);
}

// Claimers at once (PostgreSQL: each skips the rows the others hold) get
// at most their limit each, never a message another one holds, and between
// them every message: a claim's limit is applied once, before its update.
TEST_F(OutboxTest, ConcurrentClaimsKeepTheirLimitAndShareNothing) {
  constexpr int kMessages = 40, kClaimers = 4, kLimit = 3;
  for (int i = 0; i < kMessages; ++i) Add("user" + std::to_string(i) + "@example.com", kNow - i);
  std::mutex mutex;
  std::vector<Id> claimed;
  int over_limit = 0, failures = 0;
  std::vector<std::thread> claimers;
  for (int c = 0; c < kClaimers; ++c) {
    claimers.emplace_back([&] {
      for (;;) {
        auto batch = ClaimDue(*database_, kNow, kLease, kLimit);
        std::lock_guard lock(mutex);
        if (!batch.ok()) {
          ++failures;
          return;
        }
        if (batch->empty()) return;
        if (static_cast<int>(batch->size()) > kLimit) ++over_limit;
        for (const OutboxMessage& message : *batch) claimed.push_back(message.id);
      }
    });
  }
  for (std::thread& claimer : claimers) claimer.join();
  EXPECT_EQ(failures, 0);
  EXPECT_EQ(over_limit, 0);
  EXPECT_EQ(claimed.size(), static_cast<std::size_t>(kMessages));
  EXPECT_EQ(std::set<Id>(claimed.begin(), claimed.end()).size(),
            static_cast<std::size_t>(kMessages));
}

TEST_F(OutboxTest, AnExpiredLeaseIsClaimableAgain) {
  Id id = Add();
  ASSERT_EQ(Claim(kNow).size(), 1u);  // a sender takes it, then dies
  EXPECT_TRUE(Claim(kNow + kLease - 1).empty());
  std::vector<OutboxMessage> again = Claim(kNow + kLease);
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].id, id);
  EXPECT_EQ(again[0].attempts, 2);
}

TEST_F(OutboxTest, MarkSentClearsTheMessageAndEndsDelivery) {
  Id id = Add();
  ASSERT_EQ(Claim(kNow).size(), 1u);
  ASSERT_TRUE(MarkSent(*database_, id, kNow + 1).ok());
  OutboxMessage sent = Get(id);
  EXPECT_EQ(sent.sent_at, std::optional<UnixSeconds>(kNow + 1));
  EXPECT_EQ(sent.message, "");  // the one-time password is gone
  EXPECT_FALSE(sent.lease_until);
  EXPECT_EQ(Pending(), 0);
  EXPECT_TRUE(Claim(kNow + 10 * kLease).empty());
  EXPECT_EQ(MarkSent(*database_, id + 100, kNow).problem().category, ProblemCode::kNotFound);
}

TEST_F(OutboxTest, MarkFailedSchedulesTheNextAttempt) {
  Id id = Add();
  ASSERT_EQ(Claim(kNow).size(), 1u);
  ASSERT_TRUE(MarkFailed(*database_, id, "connection refused", kNow + 4).ok());
  OutboxMessage failed = Get(id);
  EXPECT_EQ(failed.last_error, std::optional<std::string>("connection refused"));
  EXPECT_EQ(failed.next_attempt_at, kNow + 4);
  EXPECT_FALSE(failed.lease_until);
  EXPECT_EQ(Pending(), 1);
  EXPECT_TRUE(Claim(kNow + 3).empty());
  std::vector<OutboxMessage> retried = Claim(kNow + 4);
  ASSERT_EQ(retried.size(), 1u);
  EXPECT_EQ(retried[0].attempts, 2);
  EXPECT_EQ(retried[0].last_error, std::optional<std::string>("connection refused"));
  EXPECT_NE(retried[0].message, "");  // still to be sent
}

TEST_F(OutboxTest, AGivenUpMessageIsFailedNotPending) {
  Id id = Add();
  ASSERT_EQ(Claim(kNow).size(), 1u);
  ASSERT_TRUE(MarkFailed(*database_, id, "550 no such user", kGaveUp).ok());
  EXPECT_EQ(Pending(), 0);
  EXPECT_EQ(CountFailed(*database_).value(), 1);
  EXPECT_TRUE(Claim(kNow + 1'000'000'000).empty());
  EXPECT_EQ(Get(id).last_error, std::optional<std::string>("550 no such user"));
  EXPECT_EQ(Get(id).message, "");  // a message given up on keeps no one-time password
}

TEST_F(OutboxTest, ReleaseGivesAnUntriedMessageBackAtOnce) {
  Id id = Add();
  ASSERT_EQ(Claim(kNow).size(), 1u);
  ASSERT_TRUE(Release(*database_, id).ok());
  OutboxMessage released = Get(id);
  EXPECT_FALSE(released.lease_until);
  EXPECT_EQ(released.attempts, 0);
  ASSERT_EQ(Claim(kNow).size(), 1u);
}

TEST_F(OutboxTest, MarkFailedDoesNotTouchASentMessage) {
  Id id = Add();
  ASSERT_TRUE(MarkSent(*database_, id, kNow).ok());
  EXPECT_EQ(MarkFailed(*database_, id, "late", kNow + 1).problem().category,
            ProblemCode::kNotFound);
  EXPECT_FALSE(Get(id).last_error);
}

}  // namespace
}  // namespace roster::store::outbox
