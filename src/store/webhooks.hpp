#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/ids.hpp"
#include "core/result.hpp"
#include "domain/webhook_events.hpp"
#include "store/audit.hpp"
#include "store/database.hpp"
#include "store/page.hpp"

// Webhook endpoints and their deliveries (SPEC 7). A delivery is
//   pending    to be tried: due when next_attempt_at <= now and no live
//              lease; only claimed while its endpoint is enabled
//   delivered  a 2xx came back (delivered_at)
//   failed     the sender gave up after the retry window (last_error says why)
// Every function is scoped by organization except the senders' own
// (Claim..., Record...), which work on what Claim returned.
namespace roster::store::webhooks {

using Endpoint = domain::WebhookEndpoint;
using Delivery = domain::WebhookDelivery;
using domain::DeliveryStatus;
using domain::ParseDeliveryStatus;
using domain::ToString;

// --- Endpoints, for the API's use cases -------------------------------

Id InsertEndpoint(Tx& tx, const Endpoint& endpoint);
std::optional<Endpoint> FindEndpoint(Tx& tx, Id organization_id, Id endpoint_id);
// Oldest first. A malformed cursor is a 422.
Result<Page<Endpoint>> ListEndpoints(Tx& tx, Id organization_id, int limit,
                                     const std::optional<std::string>& cursor);
std::int64_t CountEndpoints(Tx& tx, Id organization_id);
// Writes url, events, description, enabled, disabled_reason and
// failing_since of `endpoint` (found by its id and organization).
void UpdateEndpoint(Tx& tx, const Endpoint& endpoint);
// The new secret signs from now on; the current one keeps signing until
// `previous_until`.
void RotateSecret(Tx& tx, Id organization_id, Id endpoint_id, const std::string& new_secret,
                  UnixSeconds previous_until);
// Deletes the endpoint and its deliveries.
void DeleteEndpoint(Tx& tx, Id organization_id, Id endpoint_id);
// The enabled endpoints of the organization, for RecordAudit to pick the
// subscribed ones from (an organization has a handful).
std::vector<Endpoint> EnabledEndpoints(Tx& tx, Id organization_id);
// InsertAuditEvent, then EnabledEndpoints of the event's organization into
// `endpoints`; one round trip on PostgreSQL (every audited change runs it).
// When the transaction knows the organization has no enabled endpoint
// (Tx::webhooks_absent_in), the event goes with the COMMIT instead, no
// endpoint is read, and the answer is 0, not the event's id.
Id InsertAuditEventReadingEndpoints(Tx& tx, const AuditEvent& event,
                                    std::vector<Endpoint>& endpoints);

// --- Deliveries ----------------------------------------------------------

// A pending delivery, due at once.
Id InsertDelivery(Tx& tx, Id organization_id, Id endpoint_id, Id event_id,
                  const std::string& event_type, const std::string& payload, UnixSeconds now);
std::optional<Delivery> FindDelivery(Tx& tx, Id organization_id, Id endpoint_id, Id delivery_id);
// Newest first, optionally of one status. A malformed cursor is a 422.
Result<Page<Delivery>> ListDeliveries(Tx& tx, Id organization_id, Id endpoint_id,
                                      std::optional<DeliveryStatus> status, int limit,
                                      const std::optional<std::string>& cursor);
// A pending delivery becomes due now (its backoff skipped).
void MakeDue(Tx& tx, Id delivery_id, UnixSeconds now);

// --- The senders ---------------------------------------------------------

// One due delivery and the endpoint it goes to, both leased until
// `lease_until`. The outcome is recorded only while that lease is still the
// one on both rows: an attempt that outlived its lease (another sender may
// have claimed again since), or whose endpoint was deleted meanwhile (and
// whose IDs SQLite may have given to another organization's new rows),
// writes nothing.
struct Claim {
  Endpoint endpoint;
  Delivery delivery;
  UnixSeconds lease_until = 0;
};

// Claims the oldest due delivery of one enabled endpoint that nobody is
// delivering to, of an organization with fewer than `per_organization` of
// its endpoints in flight: the endpoint and the delivery both get
// lease_until = now + lease_seconds, the delivery one more attempt. So at
// most one delivery per endpoint is in flight across every process, one
// organization's slow endpoints hold at most `per_organization` senders
// (on PostgreSQL two processes claiming at once may each see the other's
// claim only after it commits, one over the limit at most per process),
// and endpoints are taken in turn (the one claimed longest ago first). On
// PostgreSQL concurrent
// claimers skip each other's rows (FOR NO KEY UPDATE SKIP LOCKED: a lock
// that still lets a SERIALIZABLE change queue a delivery to the endpoint
// meanwhile; FOR UPDATE would make that change's foreign-key check wait
// for the claim and then fail to serialize).
Result<std::optional<Claim>> ClaimNext(Database& database, UnixSeconds now, int lease_seconds,
                                       int per_organization);
// The same in the caller's write transaction.
std::optional<Claim> ClaimNext(Tx& tx, UnixSeconds now, int lease_seconds, int per_organization);

// True when ClaimNext would likely find something (a cheap read before the
// write transaction of a claim).
Result<bool> AnyDue(Database& database, UnixSeconds now, int per_organization);

// The outcome of an attempt, in the caller's transaction, if the claim is
// still held (see Claim); false or nullopt when it is not, and nothing was
// written. Each drops both leases. Success: delivered, endpoint's
// failing_since cleared.
bool RecordDelivered(Tx& tx, const Claim& claim, int status_code, UnixSeconds now);
// Failure: the delivery retries at `next_attempt_at`, or (nullopt) is
// failed for good; the endpoint's failing_since is set if it was not.
// Answers the endpoint's failing_since afterwards.
std::optional<UnixSeconds> RecordFailed(Tx& tx, const Claim& claim,
                                        std::optional<int> status_code, const std::string& error,
                                        std::optional<UnixSeconds> next_attempt_at,
                                        UnixSeconds now);
// Gives a claim still held back untried (shutdown): leases dropped, attempt
// taken back.
void Release(Tx& tx, const Claim& claim);

struct QueueStats {
  std::int64_t pending = 0;
  std::optional<UnixSeconds> oldest_pending_created_at;
};
Result<QueueStats> ReadQueueStats(Database& database);

}  // namespace roster::store::webhooks
