#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "core/result.hpp"

namespace roster {

// argon2id cost. The defaults are OWASP's minimum (m = 19 MiB, t = 2, p = 1;
// libsodium's argon2id always uses one lane). PasswordHasher::Create refuses
// anything cheaper in either dimension.
struct HashParameters {
  unsigned long long iterations = 2;
  std::size_t memory_bytes = 19u * 1024 * 1024;
};

struct PasswordHasherOptions {
  HashParameters parameters;
  // How many hashes may run at once; each holds `memory_bytes` while it runs.
  // A server sets it below its number of request workers (SPEC 6), so hashing
  // can never occupy every worker.
  unsigned max_concurrent = std::max(1u, std::thread::hardware_concurrency());
  // How many callers may wait for a slot; any caller beyond them is told
  // "busy" at once. A wait holds the caller's request worker, so a server
  // keeps max_concurrent + max_waiting below its number of workers.
  unsigned max_waiting = 1;
  // How long a waiting caller waits for a free slot before it is told "busy".
  std::chrono::milliseconds queue_timeout{1000};
};

// Hashes and verifies passwords and one-time passwords with argon2id.
//
// Every hashing call runs behind a concurrency limit: at most
// `max_waiting` callers wait, each at most `queue_timeout`, for a slot; the
// others get Problem{kUnavailable, "busy"} at once (a fast 503), so a burst
// of logins can take neither every core, nor all the memory, nor every
// request worker. Thread-safe.
class PasswordHasher {
 public:
  // Fails (kInternal) when libsodium cannot start, the parameters are below
  // the OWASP minimum, or max_concurrent is 0.
  static Result<std::unique_ptr<PasswordHasher>> Create(PasswordHasherOptions options = {});

  PasswordHasher(const PasswordHasher&) = delete;
  PasswordHasher& operator=(const PasswordHasher&) = delete;

  // A self-describing PHC string ("$argon2id$v=19$m=19456,t=2,p=1$...") with
  // a fresh random salt. Fails with "busy", or kInternal when out of memory.
  Result<std::string> Hash(std::string_view secret);

  // True when `secret` matches `stored_hash`. A stored hash that is not a
  // well-formed argon2 string is a data fault, answered kInternal (never a
  // crash and never true). Fails with "busy" like Hash.
  Result<bool> Verify(std::string_view stored_hash, std::string_view secret);

  // Does the work of one Verify against a dummy hash and discards the
  // answer, so that an unknown e-mail costs the same time as a wrong
  // password. Fails with "busy" like Hash.
  Status VerifyNothing(std::string_view secret);

  // True when `stored_hash` was made with other parameters than ours (or is
  // not a valid hash): the caller should store a new Hash after a successful
  // Verify.
  bool NeedsRehash(std::string_view stored_hash) const;

  // "busy" (as Hash would answer) when every slot and every waiting place is
  // taken right now, else OK. Costs one lock: a caller asks it before any
  // other work, so that a request refused for want of a slot costs nothing
  // else (no database write, no rate-limit record). Advisory: a later Hash
  // may still be told "busy".
  Status CheckNotSaturated();

  // How many argon2id computations (Hash, Verify, VerifyNothing) have run.
  std::uint64_t HashesComputed() const { return computed_.load(std::memory_order_relaxed); }

 private:
  class Slot;

  explicit PasswordHasher(PasswordHasherOptions options);
  Result<Slot> AcquireSlot();
  void ReleaseSlot();
  bool VerifyUnlimited(const std::string& stored_hash, std::string_view secret);

  const PasswordHasherOptions options_;
  std::string dummy_hash_;  // set once in Create, read-only afterwards

  std::mutex mutex_;
  std::condition_variable slot_freed_;
  unsigned busy_slots_ = 0;  // GUARDED_BY(mutex_)
  unsigned waiting_ = 0;     // GUARDED_BY(mutex_)
  std::atomic<std::uint64_t> computed_{0};
};

}  // namespace roster
