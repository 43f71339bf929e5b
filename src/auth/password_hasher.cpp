#include "auth/password_hasher.hpp"

#include <sodium.h>

#include <array>
#include <utility>

#include "auth/sodium.hpp"

namespace roster {
namespace {

constexpr unsigned long long kOwaspMinIterations = 2;
constexpr std::size_t kOwaspMinMemoryBytes = 19u * 1024 * 1024;

// `why` goes to the log: a full queue refuses at once, a waiter that found
// no slot in time after waiting.
Problem Busy(const char* why) {
  return Problem{ProblemCode::kUnavailable,
                 "busy",
                 "The server is busy; try again in a moment.",
                 {},
                 1,
                 std::string("password hashing: ") + why};
}

constexpr const char* kQueueFull = "every slot hashing and the queue full (refused at once)";

// libsodium reads stored hashes as C strings; an embedded NUL would hide
// whatever follows it.
bool HasEmbeddedNul(std::string_view text) { return text.find('\0') != std::string_view::npos; }

}  // namespace

// Holds one of the max_concurrent hashing slots; releases it on destruction.
class PasswordHasher::Slot {
 public:
  explicit Slot(PasswordHasher* owner) : owner_(owner) {}
  Slot(Slot&& other) noexcept : owner_(std::exchange(other.owner_, nullptr)) {}
  Slot& operator=(Slot&&) = delete;
  ~Slot() {
    if (owner_ != nullptr) owner_->ReleaseSlot();
  }

 private:
  PasswordHasher* owner_;
};

Result<std::unique_ptr<PasswordHasher>> PasswordHasher::Create(PasswordHasherOptions options) {
  if (!InitializeSodium()) return Problem::Internal("sodium_init failed");
  const HashParameters& p = options.parameters;
  if (p.iterations < kOwaspMinIterations || p.memory_bytes < kOwaspMinMemoryBytes)
    return Problem::Internal("argon2id parameters below OWASP's minimum (m=19 MiB, t=2)");
  if (p.iterations > crypto_pwhash_OPSLIMIT_MAX || p.memory_bytes > crypto_pwhash_MEMLIMIT_MAX)
    return Problem::Internal("argon2id parameters above libsodium's limits");
  if (options.max_concurrent == 0) return Problem::Internal("max_concurrent must be at least 1");

  std::unique_ptr<PasswordHasher> hasher(new PasswordHasher(std::move(options)));
  // The dummy hash has our parameters, so verifying against it costs what a
  // real verification costs. Its secret is random and thrown away.
  std::array<unsigned char, 32> dummy_secret;
  randombytes_buf(dummy_secret.data(), dummy_secret.size());
  Result<std::string> dummy = hasher->Hash(
      std::string_view(reinterpret_cast<const char*>(dummy_secret.data()), dummy_secret.size()));
  if (!dummy.ok()) return std::move(dummy).problem();
  hasher->dummy_hash_ = std::move(dummy).value();
  return hasher;
}

PasswordHasher::PasswordHasher(PasswordHasherOptions options) : options_(std::move(options)) {}

Result<PasswordHasher::Slot> PasswordHasher::AcquireSlot() {
  std::unique_lock lock(mutex_);
  auto free = [this] { return busy_slots_ < options_.max_concurrent; };
  if (!free()) {
    if (waiting_ >= options_.max_waiting) return Busy(kQueueFull);
    ++waiting_;
    bool got_one = slot_freed_.wait_for(lock, options_.queue_timeout, free);
    --waiting_;
    if (!got_one) return Busy("no slot freed within the queue timeout");
  }
  ++busy_slots_;
  return Slot(this);
}

Status PasswordHasher::CheckNotSaturated() {
  std::lock_guard lock(mutex_);
  if (busy_slots_ >= options_.max_concurrent && waiting_ >= options_.max_waiting) {
    return Busy(kQueueFull);
  }
  return {};
}

void PasswordHasher::ReleaseSlot() {
  {
    std::lock_guard lock(mutex_);
    --busy_slots_;
  }
  slot_freed_.notify_one();
}

Result<std::string> PasswordHasher::Hash(std::string_view secret) {
  Slot slot = ROSTER_TRY(AcquireSlot());
  computed_.fetch_add(1, std::memory_order_relaxed);
  std::array<char, crypto_pwhash_STRBYTES> out{};
  if (crypto_pwhash_str_alg(out.data(), secret.data(), secret.size(),
                            options_.parameters.iterations, options_.parameters.memory_bytes,
                            crypto_pwhash_ALG_ARGON2ID13) != 0)
    return Problem::Internal("crypto_pwhash_str_alg failed (out of memory?)");
  return std::string(out.data());
}

Result<bool> PasswordHasher::Verify(std::string_view stored_hash, std::string_view secret) {
  const std::string stored(stored_hash);
  if (HasEmbeddedNul(stored) ||
      crypto_pwhash_str_needs_rehash(stored.c_str(), options_.parameters.iterations,
                                     options_.parameters.memory_bytes) < 0)
    return Problem::Internal("stored password hash is not a valid argon2 string");
  Slot slot = ROSTER_TRY(AcquireSlot());
  return VerifyUnlimited(stored, secret);
}

Status PasswordHasher::VerifyNothing(std::string_view secret) {
  Slot slot = ROSTER_TRY(AcquireSlot());
  // The answer is meaningless (nobody knows the dummy's secret); only the
  // time spent matters.
  (void)VerifyUnlimited(dummy_hash_, secret);
  return {};
}

bool PasswordHasher::NeedsRehash(std::string_view stored_hash) const {
  const std::string stored(stored_hash);
  return HasEmbeddedNul(stored) ||
         crypto_pwhash_str_needs_rehash(stored.c_str(), options_.parameters.iterations,
                                        options_.parameters.memory_bytes) != 0;
}

bool PasswordHasher::VerifyUnlimited(const std::string& stored_hash, std::string_view secret) {
  computed_.fetch_add(1, std::memory_order_relaxed);
  return crypto_pwhash_str_verify(stored_hash.c_str(), secret.data(), secret.size()) == 0;
}

}  // namespace roster
