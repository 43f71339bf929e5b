#include "app/webhook_sender.hpp"

#include <spdlog/spdlog.h>

#include "app/audit_trail.hpp"
#include "app/mail_queue.hpp"
#include "app/webhooks.hpp"
#include "core/backoff.hpp"
#include "store/webhooks.hpp"
#include "webhook/http_post.hpp"
#include "webhook/signature.hpp"
#include "webhook/target.hpp"

namespace roster::app {
namespace {

using store::webhooks::Claim;

constexpr std::size_t kMaxErrorLength = 300;

Problem InvalidOption(const std::string& message) {
  return Problem::Validation("webhook_sender", message);
}

// The webhook-signature header: the current secret's signature, and the
// previous secret's while it is still valid after a rotation.
Result<std::string> SignatureHeader(const store::webhooks::Endpoint& endpoint,
                                    const std::string& message_id, UnixSeconds timestamp,
                                    const std::string& body) {
  std::string header = ROSTER_TRY(webhook::Sign(endpoint.secret, message_id, timestamp, body));
  if (endpoint.previous_secret && endpoint.previous_secret_until &&
      *endpoint.previous_secret_until > timestamp) {
    header += " " + ROSTER_TRY(webhook::Sign(*endpoint.previous_secret, message_id, timestamp, body));
  }
  return header;
}

// One attempt on the wire; no database work.
webhook::PostOutcome Attempt(const Context& context, const WebhookSenderOptions& options,
                             const Claim& claim, UnixSeconds now) {
  webhook::TargetPolicy policy{context.settings.webhook_allow_http,
                               context.settings.webhook_allow_private};
  webhook::PostOutcome refused;
  auto url = webhook::ParseWebhookUrl(claim.endpoint.url, policy);
  if (!url.ok()) {
    refused.error = "not sent: " + url.problem().errors.at(0).message;
    return refused;
  }
  auto addresses = webhook::ResolveTarget(*url, policy);
  if (!addresses.ok()) {
    refused.error = "not sent: " + addresses.problem().errors.at(0).message;
    return refused;
  }
  std::string message_id = FormatId(claim.delivery.event_id);
  auto signature = SignatureHeader(claim.endpoint, message_id, now, claim.delivery.payload);
  if (!signature.ok()) {
    refused.error = "not sent: the endpoint's secret is unusable";
    return refused;
  }
  webhook::PostRequest request;
  request.url = claim.endpoint.url;
  request.parsed = *url;
  request.addresses = *addresses;
  request.headers = {{"webhook-id", message_id},
                     {"webhook-timestamp", std::to_string(now)},
                     {"webhook-signature", *signature}};
  request.body = claim.delivery.payload;
  request.timeout = options.timeout;
  return webhook::Post(request);
}

// Logs an attempt whose outcome was not recorded; true: a delivery was tried.
bool LostClaim(const Claim& claim) {
  // Its lease ran out (another sender may be trying the delivery again) or
  // its endpoint was deleted: the outcome is nobody's to record.
  spdlog::warn("event=webhook_claim_lost organization={} webhook={} delivery={} attempt={}",
               claim.endpoint.organization_id, claim.endpoint.id, claim.delivery.id,
               claim.delivery.attempts);
  return true;
}

}  // namespace

Status WebhookSenderOptions::Validate() const {
  if (workers < 1 || workers > 64) return InvalidOption("ROSTER_WEBHOOK_WORKERS must be 1 to 64.");
  if (retry_initial_seconds < 1) return InvalidOption("The first retry delay must be at least 1 s.");
  if (retry_max_seconds < retry_initial_seconds) {
    return InvalidOption("ROSTER_WEBHOOK_RETRY_MAX must be at least the first retry delay.");
  }
  if (retry_for_seconds < 1) return InvalidOption("The retry window must be positive.");
  if (disable_after_seconds < 1) {
    return InvalidOption("ROSTER_WEBHOOK_DISABLE_AFTER must be at least 1 s.");
  }
  if (lease_seconds * 1000 <= timeout.count() + 5000) {
    return InvalidOption("The webhook lease must outlast an attempt by 5 s.");
  }
  if (poll_interval.count() < 1) return InvalidOption("The poll interval must be positive.");
  return {};
}

std::int64_t WebhookRetryDelaySeconds(int attempts, const WebhookSenderOptions& options,
                                      double jitter) {
  return BackoffDelaySeconds(attempts, options.retry_initial_seconds, options.retry_max_seconds,
                             jitter);
}

WebhookSender::WebhookSender(Context& context, WebhookSenderOptions options)
    : context_(context), options_(std::move(options)) {}

WebhookSender::~WebhookSender() { Stop(); }

void WebhookSender::Start() {
  if (!threads_.empty()) return;
  stopping_ = false;
  for (int i = 0; i < options_.workers; ++i) threads_.emplace_back([this] { Run(); });
}

void WebhookSender::RequestStop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
}

void WebhookSender::Stop() {
  if (threads_.empty()) return;
  RequestStop();
  for (std::thread& thread : threads_) thread.join();
  threads_.clear();
}

void WebhookSender::Run() {
  bool database_failing = false;
  while (!stopping_) {
    Result<bool> tried = DeliverOne();
    if (!tried.ok() && !database_failing) {
      spdlog::warn("event=webhook_sender_database_error error={}", tried.problem().internal);
    }
    database_failing = !tried.ok();
    if (tried.ok() && *tried) continue;  // more may be due
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, options_.poll_interval, [this] { return stopping_.load(); });
  }
}

Result<bool> WebhookSender::DeliverOne() {
  UnixSeconds now = context_.clock.Now();
  const int per_organization = options_.PerOrganization();
  if (!ROSTER_TRY(store::webhooks::AnyDue(context_.database, now, per_organization))) return false;
  auto claimed =
      ROSTER_TRY(store::webhooks::ClaimNext(context_.database, now, options_.lease_seconds,
                                            per_organization));
  if (!claimed) return false;
  const Claim& claim = *claimed;
  if (stopping_) {
    ROSTER_TRY_STATUS(context_.database.Write<void>([&](store::Tx& tx) -> Status {
      store::webhooks::Release(tx, claim);
      return {};
    }));
    return false;
  }
  webhook::PostOutcome outcome = Attempt(context_, options_, claim, now);
  UnixSeconds done = context_.clock.Now();
  if (outcome.delivered) {
    bool held = false;
    ROSTER_TRY_STATUS(context_.database.Write<void>([&](store::Tx& tx) -> Status {
      held = store::webhooks::RecordDelivered(tx, claim, outcome.status_code.value_or(200), done);
      return {};
    }));
    if (!held) return LostClaim(claim);
    ++delivered_;
    spdlog::info("event=webhook_delivered organization={} webhook={} delivery={} status={} "
                 "attempt={}",
                 claim.endpoint.organization_id, claim.endpoint.id, claim.delivery.id,
                 outcome.status_code.value_or(0), claim.delivery.attempts);
    return true;
  }

  std::string error = OneLineError(outcome.error, kMaxErrorLength);
  bool give_up = done - claim.delivery.created_at >= options_.retry_for_seconds;
  std::optional<UnixSeconds> next;
  if (!give_up) {
    next = done + WebhookRetryDelaySeconds(claim.delivery.attempts, options_, BackoffJitter());
  }
  bool disabled = false;
  bool held = false;
  ROSTER_TRY_STATUS(context_.database.Write<void>([&](store::Tx& tx) -> Status {
    disabled = false;
    std::optional<UnixSeconds> recorded =
        store::webhooks::RecordFailed(tx, claim, outcome.status_code, error, next, done);
    held = recorded.has_value();
    if (!held) return {};
    UnixSeconds failing_since = *recorded;
    if (done - failing_since < options_.disable_after_seconds) return {};
    auto endpoint = store::webhooks::FindEndpoint(tx, claim.endpoint.organization_id,
                                                  claim.endpoint.id);
    if (!endpoint || !endpoint->enabled) return {};
    endpoint->enabled = false;
    endpoint->disabled_reason = "failing since " + FormatRfc3339(failing_since) + ": " + error;
    store::webhooks::UpdateEndpoint(tx, *endpoint);
    RecordAudit(tx, endpoint->organization_id, done, {}, "webhook_disabled", std::nullopt,
                {{"webhook_id", FormatId(endpoint->id)},
                 {"url", AuditedUrl(endpoint->url)},
                 {"failing_since", FormatRfc3339(failing_since)},
                 {"last_error", error}});
    ROSTER_TRY_STATUS(QueueWebhookDisabledMail(tx, context_, endpoint->organization_id,
                                               endpoint->url, error, failing_since));
    disabled = true;
    return {};
  }));
  if (!held) return LostClaim(claim);
  ++failed_attempts_;
  if (give_up) ++given_up_;
  spdlog::warn("event=webhook_attempt_failed organization={} webhook={} delivery={} attempt={} "
               "error=\"{}\" {}",
               claim.endpoint.organization_id, claim.endpoint.id, claim.delivery.id,
               claim.delivery.attempts, error,
               give_up ? "gave_up=true" : "retry_in=" + std::to_string(*next - done));
  if (disabled) {
    spdlog::warn("event=webhook_disabled organization={} webhook={}",
                 claim.endpoint.organization_id, claim.endpoint.id);
    context_.mail_queued();
  }
  return true;
}

}  // namespace roster::app
