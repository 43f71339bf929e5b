#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

#include "app/context.hpp"
#include "core/result.hpp"

namespace roster::app {

struct WebhookSenderOptions {
  // Threads that deliver. At most one delivery per endpoint is in flight
  // (across processes too), so one slow endpoint holds at most one of them;
  // and one organization's endpoints hold at most half of them
  // (PerOrganization), so that an organization's slow or hanging endpoints
  // leave other organizations' the rest. Within an organization its half is
  // shared: its slow endpoints may hold it all (docs/webhooks.md).
  int workers = 4;
  // Backoff after the n-th failed attempt: retry_initial * 2^(n-1), at most
  // retry_max (ROSTER_WEBHOOK_RETRY_MAX), less up to 10% jitter.
  int retry_initial_seconds = 1;
  int retry_max_seconds = 3600;
  // A delivery still failing this long after its event is failed for good.
  int retry_for_seconds = 3 * 86400;
  // An endpoint without one success for this long is disabled, audited, and
  // its organization's admins are e-mailed (ROSTER_WEBHOOK_DISABLE_AFTER).
  int disable_after_seconds = 3 * 86400;
  // A claim belongs to its sender this long; more than the attempt takes.
  int lease_seconds = 60;
  std::chrono::milliseconds timeout{10000};  // one attempt: a 2xx within it is success
  std::chrono::milliseconds poll_interval{500};

  // kValidation naming the first option out of range.
  Status Validate() const;
  // How many of one organization's endpoints may be in flight at once.
  int PerOrganization() const { return workers > 1 ? workers / 2 : 1; }
};

// Delivers webhook deliveries (store/webhooks.hpp) from threads of `roster
// serve`. All state is in the database: several processes share the queue
// through leases, and a delivery is marked delivered as soon as the
// receiver's 2xx arrives (only a crash between the two sends it twice).
// Before each attempt the URL is checked again and the connection goes to
// the checked address (webhook/target.hpp).
class WebhookSender {
 public:
  // REQUIRES: options.Validate().ok(); `context` outlives the sender.
  WebhookSender(Context& context, WebhookSenderOptions options);
  ~WebhookSender();
  WebhookSender(const WebhookSender&) = delete;
  WebhookSender& operator=(const WebhookSender&) = delete;

  void Start();
  // Asks the workers to stop after the attempt in hand; returns at once.
  void RequestStop();
  // RequestStop, then waits for the workers.
  void Stop();

  // Claims and tries one due delivery in the caller's thread; false when
  // nothing was due. Fails only when the database does.
  Result<bool> DeliverOne();

  // Outcomes since start, for /metrics.
  std::uint64_t delivered() const { return delivered_; }
  std::uint64_t failed_attempts() const { return failed_attempts_; }
  std::uint64_t given_up() const { return given_up_; }

 private:
  void Run();

  Context& context_;
  const WebhookSenderOptions options_;
  std::vector<std::thread> threads_;
  std::atomic<bool> stopping_{false};
  std::mutex mutex_;
  std::condition_variable wake_;
  std::atomic<std::uint64_t> delivered_{0}, failed_attempts_{0}, given_up_{0};
};

// The delay before the next attempt after `attempts` attempts, for `jitter`
// in [0, 1). At least 1 second.
std::int64_t WebhookRetryDelaySeconds(int attempts, const WebhookSenderOptions& options,
                                      double jitter);

}  // namespace roster::app
