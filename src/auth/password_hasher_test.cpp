#include "auth/password_hasher.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <functional>
#include <optional>
#include <thread>
#include <vector>

namespace roster {
namespace {

using Clock = std::chrono::steady_clock;

std::unique_ptr<PasswordHasher> MakeHasher(PasswordHasherOptions options = {}) {
  auto hasher = PasswordHasher::Create(options);
  EXPECT_TRUE(hasher.ok()) << (hasher.ok() ? "" : hasher.problem().internal);
  return std::move(hasher).value();
}

double MedianMilliseconds(const std::function<void()>& work, int runs = 5) {
  std::vector<double> times;
  for (int i = 0; i < runs; ++i) {
    const auto start = Clock::now();
    work();
    times.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

TEST(AuthPasswordHasherTest, HashesWithArgon2idAtTheDefaultParameters) {
  auto hasher = MakeHasher();
  Result<std::string> hash = hasher->Hash("correct horse battery staple");
  ASSERT_TRUE(hash.ok());
  EXPECT_EQ(hash->rfind("$argon2id$v=19$m=19456,t=2,p=1$", 0), 0u) << *hash;
  EXPECT_FALSE(hasher->NeedsRehash(*hash));
}

TEST(AuthPasswordHasherTest, VerifiesTheRightSecretAndRejectsAWrongOne) {
  auto hasher = MakeHasher();
  const std::string hash = hasher->Hash("correct horse battery staple").value();
  EXPECT_TRUE(hasher->Verify(hash, "correct horse battery staple").value());
  EXPECT_FALSE(hasher->Verify(hash, "correct horse battery stapler").value());
  EXPECT_FALSE(hasher->Verify(hash, "").value());
}

TEST(AuthPasswordHasherTest, SaltsEveryHash) {
  auto hasher = MakeHasher();
  EXPECT_NE(hasher->Hash("same secret").value(), hasher->Hash("same secret").value());
}

TEST(AuthPasswordHasherTest, AMalformedStoredHashIsAnInternalProblemNeverTrue) {
  auto hasher = MakeHasher();
  const std::string good = hasher->Hash("secret").value();
  for (const std::string& stored :
       {std::string(), std::string("not a hash"), good.substr(0, good.size() / 2),
        std::string("$argon2id$v=19$m=19456,t=2,p=1$$"), good + std::string(1, '\0') + "tail"}) {
    Result<bool> verified = hasher->Verify(stored, "secret");
    ASSERT_FALSE(verified.ok()) << stored;
    EXPECT_EQ(verified.problem().category, ProblemCode::kInternal);
    EXPECT_TRUE(hasher->NeedsRehash(stored));
  }
}

TEST(AuthPasswordHasherTest, NeedsRehashWhenTheParametersChanged) {
  PasswordHasherOptions stronger;
  stronger.parameters.iterations = 3;
  const std::string old_hash = MakeHasher()->Hash("secret").value();
  auto hasher = MakeHasher(stronger);
  EXPECT_TRUE(hasher->NeedsRehash(old_hash));
  EXPECT_TRUE(hasher->Verify(old_hash, "secret").value());  // old hashes still work
}

TEST(AuthPasswordHasherTest, RefusesParametersBelowOwasp) {
  PasswordHasherOptions little_memory;
  little_memory.parameters.memory_bytes = 8u * 1024 * 1024;
  PasswordHasherOptions one_pass;
  one_pass.parameters.iterations = 1;
  PasswordHasherOptions no_slots;
  no_slots.max_concurrent = 0;
  for (const auto& options : {little_memory, one_pass, no_slots}) {
    auto hasher = PasswordHasher::Create(options);
    ASSERT_FALSE(hasher.ok());
    EXPECT_EQ(hasher.problem().category, ProblemCode::kInternal);
  }
}

TEST(AuthPasswordHasherTest, VerifyNothingCostsARealVerification) {
  auto hasher = MakeHasher();
  const std::string hash = hasher->Hash("correct horse battery staple").value();
  const double verify_ms = MedianMilliseconds([&] { (void)hasher->Verify(hash, "wrong guess"); });
  const double nothing_ms =
      MedianMilliseconds([&] { ASSERT_TRUE(hasher->VerifyNothing("wrong guess").ok()); });
  // Loose bounds: the point is that argon2 really runs, at the same cost.
  EXPECT_GT(nothing_ms, 1.0);
  EXPECT_GT(nothing_ms / verify_ms, 0.25) << nothing_ms << " vs " << verify_ms;
  EXPECT_LT(nothing_ms / verify_ms, 4.0) << nothing_ms << " vs " << verify_ms;
}

// With one slot held by a busy thread, each operation eventually meets a full
// queue and answers "busy" promptly instead of waiting.
TEST(AuthPasswordHasherTest, OverTheConcurrencyLimitAnswersBusyFast) {
  PasswordHasherOptions options;
  options.max_concurrent = 1;
  options.queue_timeout = std::chrono::milliseconds(1);
  auto hasher = MakeHasher(options);
  const std::string hash = hasher->Hash("secret").value();

  std::atomic<bool> stop = false;
  std::thread occupant([&] {
    while (!stop) (void)hasher->Hash("occupant");
  });
  const std::vector<std::function<Status()>> operations = {
      [&]() -> Status {
        ROSTER_TRY(hasher->Hash("x"));
        return {};
      },
      [&]() -> Status {
        ROSTER_TRY(hasher->Verify(hash, "x"));
        return {};
      },
      [&]() -> Status { return hasher->VerifyNothing("x"); },
  };
  for (const auto& operation : operations) {
    std::optional<Problem> busy;
    const auto deadline = Clock::now() + std::chrono::seconds(10);
    while (!busy && Clock::now() < deadline) {
      const auto start = Clock::now();
      Status status = operation();
      if (!status.ok()) {
        busy = status.problem();
        EXPECT_LT(Clock::now() - start, std::chrono::milliseconds(500));
      }
    }
    ASSERT_TRUE(busy.has_value());
    EXPECT_EQ(busy->category, ProblemCode::kUnavailable);
    EXPECT_EQ(busy->slug, "busy");
  }
  stop = true;
  occupant.join();
  EXPECT_TRUE(hasher->Hash("free again").ok());
}

// SPEC 6: callers beyond max_waiting do not wait (and hold no request
// worker): they are told "busy" at once. The queue timeout is 30 s, so a
// "busy" seen here cannot come from a wait that timed out.
TEST(AuthPasswordHasherTest, CallersBeyondTheWaitingPlacesAreBusyAtOnce) {
  PasswordHasherOptions options;
  options.max_concurrent = 1;
  options.max_waiting = 1;
  options.queue_timeout = std::chrono::seconds(30);
  auto hasher = MakeHasher(options);
  std::atomic<bool> stop = false;
  std::vector<std::thread> occupants;  // one hashing, one waiting, in turns
  for (int i = 0; i < 2; ++i)
    occupants.emplace_back([&] {
      while (!stop) (void)hasher->Hash("occupant");
    });
  std::optional<Problem> busy;
  const auto deadline = Clock::now() + std::chrono::seconds(10);
  while (!busy && Clock::now() < deadline) {
    Result<std::string> hash = hasher->Hash("third caller");
    if (!hash.ok()) busy = hash.problem();
  }
  stop = true;
  for (auto& occupant : occupants) occupant.join();
  ASSERT_TRUE(busy.has_value()) << "the third caller always found a place to wait";
  EXPECT_EQ(busy->slug, "busy");
  EXPECT_TRUE(hasher->CheckNotSaturated().ok());  // everyone has left
}

TEST(AuthPasswordHasherTest, WaitsForASlotWithinTheQueueTimeout) {
  PasswordHasherOptions options;
  options.max_concurrent = 1;
  options.max_waiting = 3;
  options.queue_timeout = std::chrono::seconds(30);
  auto hasher = MakeHasher(options);
  std::vector<std::thread> callers;
  std::atomic<int> succeeded = 0;
  for (int i = 0; i < 4; ++i)
    callers.emplace_back([&] { succeeded += hasher->Hash("queued").ok() ? 1 : 0; });
  for (auto& caller : callers) caller.join();
  EXPECT_EQ(succeeded, 4);
}

}  // namespace
}  // namespace roster
