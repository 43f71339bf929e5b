#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "mail/transport.hpp"
#include "store/database.hpp"
#include "store/outbox.hpp"

namespace roster::mail {

struct OutboxSenderOptions {
  // Backoff after the n-th failed attempt: retry_initial_seconds * 2^(n-1),
  // at most retry_max_seconds (ROSTER_MAIL_RETRY_MAX), less up to 10% jitter
  // so that many failed messages do not all come back in the same second.
  int retry_initial_seconds = 1;
  int retry_max_seconds = 300;
  // A claimed message belongs to this sender for lease_seconds; a sender
  // that dies holding it leaves it to be claimed again when the lease ends.
  int lease_seconds = 300;
  // The longest one Send can take (the transport's connect plus transfer
  // timeout, and a margin). A message is sent only while at least this much
  // of its lease is left, so no lease ends while its message is on the wire.
  int send_budget_seconds = 45;
  int batch_size = 10;
  // A permanent failure (a 5xx reply about the message) is tried this many
  // times in all, then the message is marked failed (next_attempt_at =
  // kGaveUp) with its last_error. Transient failures (server down,
  // timeouts, 4xx) and refusals of the setup (the login, the sender
  // address) are retried for as long as it takes: the message is never
  // lost. After a refused setup the whole sender waits its backoff, counted
  // in refusals in a row, before it tries one message again.
  int max_permanent_attempts = 5;
  // How often the outbox is looked at when nobody calls Notify.
  std::chrono::milliseconds poll_interval{1000};
  // MAIL FROM. Empty: the address of the message's From header.
  std::string envelope_from;
  // The From header every message goes out with (FormatAddressHeader's
  // form), whatever the setting was when it was queued: a message held
  // while the relay refused the sender leaves with the corrected one.
  // Empty: the message's own.
  std::string from_header;
  // Called in the transaction that marks a message given up, with the
  // message, its last error and the time (`roster serve`:
  // app::RecordUndeliveredMail). Empty: nothing more is done.
  std::function<void(store::Tx&, const store::outbox::OutboxMessage&, const std::string& error,
                     UnixSeconds now)>
      given_up;

  // kValidation naming the first option out of range.
  Status Validate() const;
};

// The delay before the next attempt after `attempts` attempts, for `jitter`
// in [0, 1): 0 gives the full delay, values towards 1 up to 10% less.
// Never less than 1 second.
std::int64_t RetryDelaySeconds(int attempts, const OutboxSenderOptions& options, double jitter);

// Delivers the outbox (store/outbox.hpp) through a Transport, on a
// background thread started by `roster serve`. All its state is in the
// table, so any number of senders on one database, and restarts, neither
// lose nor duplicate a message: a message is marked sent as soon as the
// transport accepts it, and only a crash between those two steps (or a
// database that stays unreachable for that moment) can send it twice. An
// invitation or password reset e-mail whose one-time password ended before
// it was claimed is withdrawn, not sent: it would sign no one in. Logs
// the message id and the recipient's domain, never the body.
class OutboxSender {
 public:
  // REQUIRES: options.Validate().ok(); the arguments outlive the sender.
  OutboxSender(store::Database& database, Transport& transport, const Clock& clock,
               OutboxSenderOptions options = {});
  // Stops the thread if it runs.
  ~OutboxSender();
  OutboxSender(const OutboxSender&) = delete;
  OutboxSender& operator=(const OutboxSender&) = delete;

  // Starts the background thread; it delivers what is due, then looks again
  // every poll_interval or at once after Notify. No-op when running.
  void Start();

  // Asks the thread to stop after the message in hand (its Send and its
  // mark), giving the rest of its batch back to the outbox; returns at once,
  // so a shutdown can ask every component before waiting for any.
  void RequestStop();

  // RequestStop, then waits for the thread to end. No-op when not running;
  // Start may be called again afterwards.
  void Stop();

  // Wakes the thread now: call it after committing a transaction that
  // enqueued mail, so delivery is prompt without polling fast.
  void Notify();

  // Delivers everything due now in the caller's thread (a CLI command that
  // exits right after, tests). Answers how many messages were tried; fails
  // only when the database does.
  Result<int> DeliverDue();

  // Outcomes since start, for /metrics.
  std::uint64_t delivered() const { return delivered_; }
  std::uint64_t failed_attempts() const { return failed_attempts_; }
  std::uint64_t given_up() const { return given_up_; }
  // Invitation e-mails not sent because their invitation had ended.
  std::uint64_t withdrawn() const { return withdrawn_; }
  // Whether the relay's last answer refused the setup (the login or the
  // sender address): no mail goes out until it is corrected.
  bool setup_refused() const { return setup_refusals_ > 0; }

 private:
  // True while the sender waits after a refused setup.
  bool Paused() const;
  // Claims one batch and tries each message; answers how many it claimed.
  Result<int> DeliverBatch();
  void Deliver(const store::outbox::OutboxMessage& message);
  void RecordSent(const store::outbox::OutboxMessage& message);
  void RecordFailure(const store::outbox::OutboxMessage& message, const Problem& problem);
  // Deletes a claimed invitation e-mail whose invitation has ended, unsent.
  void Withdraw(const store::outbox::OutboxMessage& message);
  // Marks `message` given up, with options_.given_up, in one transaction.
  Status GiveUp(const store::outbox::OutboxMessage& message, const std::string& error);
  void Run();

  store::Database& database_;
  Transport& transport_;
  const Clock& clock_;
  const OutboxSenderOptions options_;

  std::thread thread_;
  std::atomic<bool> stopping_{false};
  std::mutex mutex_;
  std::condition_variable wake_;
  bool notified_ = false;  // GUARDED_BY(mutex_)
  std::atomic<std::uint64_t> delivered_{0}, failed_attempts_{0}, given_up_{0}, withdrawn_{0};
  // Refused setups in a row, since the last delivery, and the pause after
  // them: written by the delivering thread (Run's, or DeliverDue's caller).
  std::atomic<int> setup_refusals_{0};
  UnixSeconds paused_until_ = 0;
};

}  // namespace roster::mail
