#include "mail/outbox_sender.hpp"

#include <spdlog/spdlog.h>

#include "core/backoff.hpp"
#include "core/ids.hpp"
#include "mail/message.hpp"

namespace roster::mail {
namespace {

using store::outbox::OutboxMessage;

// How often, and how far apart, a delivered message is retried being marked
// sent before the sender gives up (and the message may go out again once its
// lease ends).
constexpr int kMarkSentTries = 5;
constexpr std::chrono::milliseconds kMarkSentPause{500};
// last_error is one line of bounded length.
constexpr std::size_t kMaxErrorLength = 500;

std::string RecipientDomain(const std::string& recipient) {
  std::size_t at = recipient.rfind('@');
  return at == std::string::npos ? "?" : recipient.substr(at + 1);
}

Problem InvalidOption(const std::string& message) {
  return Problem::Validation("mail_sender", message);
}

}  // namespace

Status OutboxSenderOptions::Validate() const {
  if (retry_initial_seconds < 1) return InvalidOption("The first retry delay must be at least 1 s.");
  if (retry_max_seconds < retry_initial_seconds) {
    return InvalidOption("ROSTER_MAIL_RETRY_MAX must be at least the first retry delay.");
  }
  if (send_budget_seconds < 1 || lease_seconds <= send_budget_seconds) {
    return InvalidOption("The outbox lease must be longer than the time one send may take.");
  }
  if (batch_size < 1) return InvalidOption("The outbox batch size must be at least 1.");
  if (max_permanent_attempts < 1) return InvalidOption("At least one attempt is needed.");
  if (poll_interval.count() < 1) return InvalidOption("The outbox poll interval must be positive.");
  return {};
}

std::int64_t RetryDelaySeconds(int attempts, const OutboxSenderOptions& options, double jitter) {
  return BackoffDelaySeconds(attempts, options.retry_initial_seconds, options.retry_max_seconds,
                             jitter);
}

OutboxSender::OutboxSender(store::Database& database, Transport& transport, const Clock& clock,
                           OutboxSenderOptions options)
    : database_(database), transport_(transport), clock_(clock), options_(std::move(options)) {}

OutboxSender::~OutboxSender() { Stop(); }

void OutboxSender::Start() {
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { Run(); });
}

void OutboxSender::RequestStop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
}

void OutboxSender::Stop() {
  if (!thread_.joinable()) return;
  RequestStop();
  thread_.join();
}

void OutboxSender::Notify() {
  {
    std::lock_guard lock(mutex_);
    notified_ = true;
  }
  wake_.notify_all();
}

Result<int> OutboxSender::DeliverDue() {
  int total = 0;
  for (;;) {
    int claimed = ROSTER_TRY(DeliverBatch());
    total += claimed;
    if (claimed < options_.batch_size || stopping_) return total;
  }
}

void OutboxSender::Run() {
  spdlog::info("mail sender started ({})", transport_.Describe());
  bool database_failing = false;
  while (!stopping_) {
    Result<int> claimed = DeliverBatch();
    if (!claimed.ok() && !database_failing) {
      spdlog::warn("mail sender cannot read the outbox: {}", claimed.problem().internal);
    } else if (claimed.ok() && database_failing) {
      spdlog::info("mail sender reads the outbox again");
    }
    database_failing = !claimed.ok();
    if (claimed.ok() && *claimed == options_.batch_size) continue;  // more may be due
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, options_.poll_interval, [this] { return stopping_ || notified_; });
    notified_ = false;
  }
  spdlog::info("mail sender stopped");
}

Result<int> OutboxSender::DeliverBatch() {
  if (Paused()) return 0;
  std::vector<OutboxMessage> batch = ROSTER_TRY(store::outbox::ClaimDue(
      database_, clock_.Now(), options_.lease_seconds, options_.batch_size));
  for (std::size_t i = 0; i < batch.size(); ++i) {
    const OutboxMessage& message = batch[i];
    bool lease_too_short = clock_.Now() + options_.send_budget_seconds > *message.lease_until;
    if (stopping_ || lease_too_short || Paused()) {
      // Give the rest back now rather than let it wait for the lease to end.
      for (std::size_t k = i; k < batch.size(); ++k) {
        Status released = store::outbox::Release(database_, batch[k].id);
        if (!released.ok()) {
          spdlog::warn("mail {}: could not give it back to the outbox ({}); it is retried "
                       "when its lease ends",
                       batch[k].id, released.problem().internal);
        }
      }
      break;
    }
    if (message.password_ended) {
      Withdraw(message);
      continue;
    }
    Deliver(message);
  }
  return static_cast<int>(batch.size());
}

void OutboxSender::Deliver(const OutboxMessage& message) {
  std::string from = options_.envelope_from.empty() ? ExtractFromAddress(message.message)
                                                    : options_.envelope_from;
  // Stable across retries and unique across databases that reuse ids.
  std::string key =
      "roster-" + std::to_string(message.created_at) + "-" + FormatId(message.id);
  Status sent = transport_.Send(
      from, message.recipient,
      options_.from_header.empty() ? message.message
                                   : ReplaceFromHeader(message.message, options_.from_header),
      key);
  if (sent.ok()) {
    RecordSent(message);
  } else {
    RecordFailure(message, sent.problem());
  }
}

void OutboxSender::RecordSent(const OutboxMessage& message) {
  ++delivered_;
  setup_refusals_ = 0;  // the relay took it: its setup is right
  for (int attempt = 1;; ++attempt) {
    Status marked = store::outbox::MarkSent(database_, message.id, clock_.Now());
    if (marked.ok()) break;
    if (attempt == kMarkSentTries) {
      spdlog::error("mail {} to {} was delivered but cannot be marked sent ({}); it may be "
                    "delivered again when its lease ends",
                    message.id, RecipientDomain(message.recipient), marked.problem().internal);
      return;
    }
    std::this_thread::sleep_for(kMarkSentPause);
  }
  spdlog::info("mail {} delivered to {} (attempt {})", message.id,
               RecipientDomain(message.recipient), message.attempts);
}

void OutboxSender::Withdraw(const OutboxMessage& message) {
  Status withdrawn = store::outbox::Withdraw(database_, message.id);
  if (!withdrawn.ok()) {
    spdlog::warn("mail {}: could not withdraw it ({}); it is looked at again when its lease ends",
                 message.id, withdrawn.problem().internal);
    return;
  }
  ++withdrawn_;
  spdlog::info(
      "mail {} to {} withdrawn: its one-time password no longer works (the invitation or "
      "password reset it carries was sent again, used, revoked or has expired)",
      message.id, RecipientDomain(message.recipient));
}

Status OutboxSender::GiveUp(const OutboxMessage& message, const std::string& error) {
  return database_.Write<void>([&](store::Tx& tx) -> Status {
    ROSTER_TRY_STATUS(store::outbox::MarkFailed(tx, message.id, error, store::outbox::kGaveUp));
    if (options_.given_up) options_.given_up(tx, message, error, clock_.Now());
    return {};
  });
}

bool OutboxSender::Paused() const { return clock_.Now() < paused_until_; }

void OutboxSender::RecordFailure(const OutboxMessage& message, const Problem& problem) {
  std::string error = OneLineError(problem.detail, kMaxErrorLength);
  bool give_up =
      IsPermanentFailure(problem) && message.attempts >= options_.max_permanent_attempts;
  bool refused_setup = IsSetupRefused(problem);
  // A refused setup would refuse every message: the sender waits, and then
  // tries one, rather than have the relay check a wrong password for each
  // message queued (relays lock an account that fails too many logins).
  std::int64_t delay = RetryDelaySeconds(refused_setup ? ++setup_refusals_ : message.attempts,
                                         options_, BackoffJitter());
  if (refused_setup) paused_until_ = clock_.Now() + delay;
  UnixSeconds next = give_up ? store::outbox::kGaveUp : clock_.Now() + delay;
  ++failed_attempts_;
  Status marked = give_up ? GiveUp(message, error)
                          : store::outbox::MarkFailed(database_, message.id, error, next);
  // Counted once written: a give-up that did not commit comes round again.
  if (give_up && marked.ok()) ++given_up_;
  if (!marked.ok()) {
    spdlog::warn("mail {}: could not record a failed attempt ({}); it is retried when its "
                 "lease ends",
                 message.id, marked.problem().internal);
  }
  if (give_up) {
    spdlog::error("mail {} to {} failed for good after {} attempts: {}", message.id,
                  RecipientDomain(message.recipient), message.attempts, error);
  } else if (refused_setup) {
    spdlog::error(
        "mail {} to {}: attempt {} refused ({}); no mail goes out until the relay "
        "accepts the settings, next attempt in {} s",
        message.id, RecipientDomain(message.recipient), message.attempts, error, delay);
  } else {
    spdlog::warn("mail {} to {}: attempt {} failed ({}); next attempt in {} s", message.id,
                 RecipientDomain(message.recipient), message.attempts, error, delay);
  }
}

}  // namespace roster::mail
