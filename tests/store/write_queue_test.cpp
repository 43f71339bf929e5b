// Writers on SQLite queue inside the process, first come first served, and
// hold no pooled connection while they wait: a writer waiting for its turn
// never keeps a reader (or the next writer) from a connection.
#include <soci/soci.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "store/migrations.hpp"
#include "store_fixture.hpp"

namespace roster::testing {
namespace {

// Opens until Open() is called; then every Wait() returns.
class Gate {
 public:
  void Open() {
    std::lock_guard lock(mutex_);
    open_ = true;
    changed_.notify_all();
  }
  void Wait() {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [this] { return open_; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  bool open_ = false;  // GUARDED_BY(mutex_)
};

class WriteQueueTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (HasFatalFailure()) return;
    if (is_postgres()) GTEST_SKIP() << "PostgreSQL queues writers on its own row locks";
    // Two connections only: one for the writer at work, one for everyone else.
    auto small = store::Database::Open("sqlite:" + directory_ + "/roster.db", 2);
    ASSERT_TRUE(small.ok()) << small.problem().detail;
    database_ = std::move(small).value();
  }

  // Waits (without a time limit on the outcome) until `count` writers queue.
  void WaitForQueuedWriters(std::size_t count) {
    while (database_->QueuedWriters() < count)
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }

  // A writer that inserts an organization, opens `inside` and keeps its
  // turn, and its connection, until `release` opens.
  std::thread HoldTheWriterTurn(Gate& inside, Gate& release) {
    return std::thread([this, &inside, &release] {
      Status done = database_->Write<void>([&](store::Tx& tx) -> Status {
        tx.sql() << "INSERT INTO organizations (name, created_at) VALUES ('First', 1)";
        inside.Open();
        release.Wait();
        return {};
      });
      EXPECT_TRUE(done.ok()) << done.problem().internal;
    });
  }

  static Result<long long> CountOrganizations(store::Tx& tx) {
    long long organizations = -1;
    tx.sql() << "SELECT COUNT(*) FROM organizations", soci::into(organizations);
    return organizations;
  }
};

TEST_F(WriteQueueTest, AReadIsServedWhileWritersWaitForTheirTurn) {
  Gate inside, release;
  std::thread holder = HoldTheWriterTurn(inside, release);
  inside.Wait();
  std::thread waiter([&] {
    Status done = database_->Write<void>([&](store::Tx& tx) -> Status {
      tx.sql() << "INSERT INTO organizations (name, created_at) VALUES ('Second', 2)";
      return {};
    });
    EXPECT_TRUE(done.ok()) << done.problem().internal;
  });
  WaitForQueuedWriters(1);

  // The holder has one connection; the waiting writer must not have the other.
  Result<long long> count = database_->Read<long long>(CountOrganizations);
  release.Open();
  holder.join();
  waiter.join();
  ASSERT_TRUE(count.ok()) << count.problem().internal;
  EXPECT_EQ(*count, 0) << "the read sees only committed rows";
}

// Authentication reads this way on every request: it must not queue as a
// writer, nor see the open write.
TEST_F(WriteQueueTest, AOneStatementReadIsServedWhileAWriterHoldsItsTurn) {
  Gate inside, release;
  std::thread holder = HoldTheWriterTurn(inside, release);
  inside.Wait();
  Result<long long> count = database_->ReadOneStatement<long long>(CountOrganizations);
  release.Open();
  holder.join();
  ASSERT_TRUE(count.ok()) << count.problem().internal;
  EXPECT_EQ(*count, 0) << "the read sees only committed rows";
}

// The mail sender's claims and marks write this way: on SQLite they are
// writers like any other, queued for their turn, not left to the busy timeout.
TEST_F(WriteQueueTest, AOneStatementWriteTakesItsTurnInTheQueue) {
  Gate inside, release;
  std::thread holder = HoldTheWriterTurn(inside, release);
  inside.Wait();
  std::thread waiter([&] {
    Status done = database_->WriteOneStatement<void>([&](store::Tx& tx) -> Status {
      tx.sql() << "INSERT INTO organizations (name, created_at) VALUES ('Second', 2)";
      return {};
    });
    EXPECT_TRUE(done.ok()) << done.problem().internal;
  });
  WaitForQueuedWriters(1);
  release.Open();
  holder.join();
  waiter.join();
  Result<long long> count = database_->Read<long long>(CountOrganizations);
  ASSERT_TRUE(count.ok()) << count.problem().internal;
  EXPECT_EQ(*count, 2);
}

TEST_F(WriteQueueTest, WritersTakeTheirTurnsInTheOrderTheyArrived) {
  constexpr int kWriters = 8;
  Gate inside, release;
  std::mutex order_mutex;
  std::vector<int> order;
  std::thread holder([&] {
    Status done = database_->Write<void>([&](store::Tx&) -> Status {
      inside.Open();
      release.Wait();
      return {};
    });
    EXPECT_TRUE(done.ok());
  });
  inside.Wait();
  std::vector<std::thread> writers;
  for (int i = 0; i < kWriters; ++i) {
    writers.emplace_back([&, i] {
      Status done = database_->Write<void>([&](store::Tx& tx) -> Status {
        tx.sql() << "INSERT INTO organizations (name, created_at) VALUES ('Org', 1)";
        std::lock_guard lock(order_mutex);
        order.push_back(i);
        return {};
      });
      EXPECT_TRUE(done.ok()) << done.problem().internal;
    });
    WaitForQueuedWriters(static_cast<std::size_t>(i) + 1);
  }
  release.Open();
  holder.join();
  for (std::thread& writer : writers) writer.join();
  std::vector<int> arrival;
  for (int i = 0; i < kWriters; ++i) arrival.push_back(i);
  EXPECT_EQ(order, arrival);
}

}  // namespace
}  // namespace roster::testing
