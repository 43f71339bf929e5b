#include "store/webhooks.hpp"

#include <limits>
#include <sstream>

#include "store/audit.hpp"
#include "store/query.hpp"

namespace roster::store::webhooks {
namespace {

#define ROSTER_ENDPOINT_COLUMNS                                                            \
  "id, organization_id, url, events, description, enabled, disabled_reason, secret, " \
  "previous_secret, previous_secret_until, created_at, failing_since"
constexpr const char* kEndpointColumns = "SELECT " ROSTER_ENDPOINT_COLUMNS " FROM webhook_endpoints ";

constexpr const char* kDeliveryColumns =
    "SELECT id, organization_id, endpoint_id, event_id, event_type, payload, status, attempts,"
    " created_at, next_attempt_at, last_status_code, last_error, delivered_at"
    " FROM webhook_deliveries ";

std::string JoinEvents(const std::vector<std::string>& events) {
  std::string joined;
  for (const std::string& event : events) {
    if (!joined.empty()) joined += ' ';
    joined += event;
  }
  return joined;
}

std::vector<std::string> SplitEvents(const std::string& text) {
  std::vector<std::string> events;
  std::istringstream words(text);
  for (std::string word; words >> word;) events.push_back(word);
  return events;
}

Endpoint ReadEndpoint(const Query& query) {
  Endpoint endpoint;
  endpoint.id = query.Int64(0);
  endpoint.organization_id = query.Int64(1);
  endpoint.url = query.Text(2);
  endpoint.events = SplitEvents(query.Text(3));
  endpoint.description = query.Text(4);
  endpoint.enabled = query.Int64(5) != 0;
  endpoint.disabled_reason = query.OptionalText(6);
  endpoint.secret = query.Text(7);
  endpoint.previous_secret = query.OptionalText(8);
  endpoint.previous_secret_until = query.OptionalInt64(9);
  endpoint.created_at = query.Int64(10);
  endpoint.failing_since = query.OptionalInt64(11);
  return endpoint;
}

Delivery ReadDelivery(const Query& query) {
  Delivery delivery;
  delivery.id = query.Int64(0);
  delivery.organization_id = query.Int64(1);
  delivery.endpoint_id = query.Int64(2);
  delivery.event_id = query.Int64(3);
  delivery.event_type = query.Text(4);
  delivery.payload = query.Text(5);
  delivery.status = ParseDeliveryStatus(query.Text(6)).value_or(DeliveryStatus::kPending);
  delivery.attempts = static_cast<int>(query.Int64(7));
  delivery.created_at = query.Int64(8);
  delivery.next_attempt_at = query.Int64(9);
  if (auto code = query.OptionalInt64(10)) delivery.last_status_code = static_cast<int>(*code);
  delivery.last_error = query.OptionalText(11);
  delivery.delivered_at = query.OptionalInt64(12);
  return delivery;
}

Result<Id> CursorId(const std::optional<std::string>& cursor, Id none) {
  if (!cursor) return none;
  auto parsed = ParseId(*cursor);
  if (!parsed) return Problem::Validation("cursor", "The cursor is not valid.");
  return *parsed;
}

// "" binds as NULL through NULLIF in the statements below.
std::string_view OrEmpty(const std::optional<std::string>& text) {
  return text ? std::string_view(*text) : std::string_view();
}

}  // namespace

Id InsertEndpoint(Tx& tx, const Endpoint& endpoint) {
  tx.SetWebhooksAbsentIn(0);  // from here on, endpoints are read again
  // An ID is never handed out twice (V021): SQLite's comes from the
  // high-water mark, past any endpoint there is; PostgreSQL's identity.
  std::optional<std::int64_t> id;
  if (tx.backend == Backend::kSqlite) {
    Query next(tx,
               "UPDATE id_high_water SET last_id = MAX(last_id, (SELECT COALESCE(MAX(id), 0) "
               "FROM webhook_endpoints)) + 1 WHERE name = 'webhook_endpoints' RETURNING last_id");
    if (next.Next()) id = next.Int64(0);
  }
  Query query(tx, id ? "INSERT INTO webhook_endpoints (organization_id, url, events, description, "
                       "enabled, secret, created_at, id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) "
                       "RETURNING id"
                     : "INSERT INTO webhook_endpoints (organization_id, url, events, description, "
                       "enabled, secret, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) "
                       "RETURNING id");
  query.Bind(endpoint.organization_id)
      .Bind(endpoint.url)
      .Bind(JoinEvents(endpoint.events))
      .Bind(endpoint.description)
      .Bind(std::int64_t{endpoint.enabled ? 1 : 0})
      .Bind(endpoint.secret)
      .Bind(endpoint.created_at);
  if (id) query.Bind(*id);
  query.Next();
  return query.Int64(0);
}

std::optional<Endpoint> FindEndpoint(Tx& tx, Id organization_id, Id endpoint_id) {
  tx.SetWebhooksAbsentIn(0);  // from here on, endpoints are read again
  Query query(tx, std::string(kEndpointColumns) + "WHERE organization_id = $1 AND id = $2");
  query.Bind(organization_id).Bind(endpoint_id);
  if (!query.Next()) return std::nullopt;
  return ReadEndpoint(query);
}

Result<Page<Endpoint>> ListEndpoints(Tx& tx, Id organization_id, int limit,
                                     const std::optional<std::string>& cursor) {
  Id after = ROSTER_TRY(CursorId(cursor, 0));
  Query query(tx, std::string(kEndpointColumns) +
                      "WHERE organization_id = $1 AND id > $2 ORDER BY id LIMIT $3");
  query.Bind(organization_id).Bind(after).Bind(std::int64_t{limit + 1});
  Page<Endpoint> page;
  while (query.Next()) {
    if (static_cast<int>(page.items.size()) == limit) {
      page.next_cursor = FormatId(page.items.back().id);
      break;
    }
    page.items.push_back(ReadEndpoint(query));
  }
  return page;
}

std::int64_t CountEndpoints(Tx& tx, Id organization_id) {
  Query query(tx, "SELECT COUNT(*) FROM webhook_endpoints WHERE organization_id = $1");
  query.Bind(organization_id);
  query.Next();
  return query.Int64(0);
}

void UpdateEndpoint(Tx& tx, const Endpoint& endpoint) {
  tx.SetWebhooksAbsentIn(0);  // from here on, endpoints are read again
  Query query(tx,
              "UPDATE webhook_endpoints SET url = $1, events = $2, description = $3, enabled = $4,"
              " disabled_reason = NULLIF($5, ''), failing_since = $6"
              " WHERE organization_id = $7 AND id = $8");
  query.Bind(endpoint.url)
      .Bind(JoinEvents(endpoint.events))
      .Bind(endpoint.description)
      .Bind(std::int64_t{endpoint.enabled ? 1 : 0})
      .Bind(OrEmpty(endpoint.disabled_reason))
      .Bind(endpoint.failing_since)
      .Bind(endpoint.organization_id)
      .Bind(endpoint.id);
  query.Execute();
}

void RotateSecret(Tx& tx, Id organization_id, Id endpoint_id, const std::string& new_secret,
                  UnixSeconds previous_until) {
  Query query(tx,
              "UPDATE webhook_endpoints SET previous_secret = secret, previous_secret_until = $1,"
              " secret = $2 WHERE organization_id = $3 AND id = $4");
  query.Bind(previous_until).Bind(new_secret).Bind(organization_id).Bind(endpoint_id);
  query.Execute();
}

void DeleteEndpoint(Tx& tx, Id organization_id, Id endpoint_id) {
  // Explicitly, not only by the foreign key's cascade: SQLite connections
  // enforce foreign keys only when told to.
  Query deliveries(
      tx, "DELETE FROM webhook_deliveries WHERE organization_id = $1 AND endpoint_id = $2");
  deliveries.Bind(organization_id).Bind(endpoint_id);
  deliveries.Execute();
  Query endpoint(tx, "DELETE FROM webhook_endpoints WHERE organization_id = $1 AND id = $2");
  endpoint.Bind(organization_id).Bind(endpoint_id);
  endpoint.Execute();
}

std::vector<Endpoint> EnabledEndpoints(Tx& tx, Id organization_id) {
  Query query(
      tx, std::string(kEndpointColumns) + "WHERE organization_id = $1 AND enabled = 1 ORDER BY id");
  query.Bind(organization_id);
  std::vector<Endpoint> endpoints;
  while (query.Next()) endpoints.push_back(ReadEndpoint(query));
  return endpoints;
}

Id InsertAuditEventReadingEndpoints(Tx& tx, const AuditEvent& event,
                                    std::vector<Endpoint>& endpoints) {
  endpoints.clear();
  if (tx.webhooks_absent_in() == event.organization_id) {
    // Nothing to deliver: the event is written with the COMMIT, in its
    // round trip (Query::ExecuteAtCommit).
    Query insert(tx, ROSTER_INSERT_AUDIT_EVENT "VALUES ($1, $2, $3, $4, $5, $6, $7)");
    BindAuditEvent(insert, event).ExecuteAtCommit();
    return 0;
  }
  if (tx.backend != Backend::kPostgres) {
    Id id = InsertAuditEvent(tx, event);
    endpoints = EnabledEndpoints(tx, event.organization_id);
    return id;
  }
  // The endpoints' columns first (ReadEndpoint's), the event's id last; one
  // row of NULL endpoint columns when there is no endpoint.
  Query query(tx, "WITH event (event_id) AS (" ROSTER_INSERT_AUDIT_EVENT
                  "VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id) "
                  "SELECT " ROSTER_ENDPOINT_COLUMNS ", event_id FROM event "
                  "LEFT JOIN webhook_endpoints ON organization_id = $1 AND enabled = 1 "
                  "ORDER BY id");
  BindAuditEvent(query, event);
  Id id = 0;
  while (query.Next()) {
    id = query.Int64(12);
    if (!query.IsNull(0)) endpoints.push_back(ReadEndpoint(query));
  }
  return id;
}

Id InsertDelivery(Tx& tx, Id organization_id, Id endpoint_id, Id event_id,
                  const std::string& event_type, const std::string& payload, UnixSeconds now) {
  Query query(tx,
              "INSERT INTO webhook_deliveries (organization_id, endpoint_id, event_id, event_type,"
              " payload, status, attempts, created_at, next_attempt_at)"
              " VALUES ($1, $2, $3, $4, $5, 'pending', 0, $6, $7) RETURNING id");
  query.Bind(organization_id)
      .Bind(endpoint_id)
      .Bind(event_id)
      .Bind(event_type)
      .Bind(payload)
      .Bind(now)
      .Bind(now);
  query.Next();
  return query.Int64(0);
}

std::optional<Delivery> FindDelivery(Tx& tx, Id organization_id, Id endpoint_id, Id delivery_id) {
  Query query(tx, std::string(kDeliveryColumns) +
                      "WHERE organization_id = $1 AND endpoint_id = $2 AND id = $3");
  query.Bind(organization_id).Bind(endpoint_id).Bind(delivery_id);
  if (!query.Next()) return std::nullopt;
  return ReadDelivery(query);
}

Result<Page<Delivery>> ListDeliveries(Tx& tx, Id organization_id, Id endpoint_id,
                                      std::optional<DeliveryStatus> status, int limit,
                                      const std::optional<std::string>& cursor) {
  Id before = ROSTER_TRY(CursorId(cursor, std::numeric_limits<Id>::max()));
  std::string sql =
      std::string(kDeliveryColumns) + "WHERE organization_id = $1 AND endpoint_id = $2 AND id < $3";
  if (status) sql += " AND status = $5";
  sql += " ORDER BY id DESC LIMIT $4";
  // The page is a range of webhook_deliveries_page, or with a status of
  // webhook_deliveries_by_status (V016), in its order: without statistics
  // PostgreSQL read all of an endpoint's 30,000 deliveries and sorted them
  // (11 ms instead of 0.1; AvoidSorts).
  AvoidSorts(tx);
  Query query(tx, sql);
  query.Bind(organization_id).Bind(endpoint_id).Bind(before).Bind(std::int64_t{limit + 1});
  if (status) query.Bind(std::string_view(ToString(*status)));
  Page<Delivery> page;
  while (query.Next()) {
    if (static_cast<int>(page.items.size()) == limit) {
      page.next_cursor = FormatId(page.items.back().id);
      break;
    }
    page.items.push_back(ReadDelivery(query));
  }
  RestoreSorts(tx);
  return page;
}

void MakeDue(Tx& tx, Id delivery_id, UnixSeconds now) {
  Query query(tx,
              "UPDATE webhook_deliveries SET next_attempt_at = $1"
              " WHERE id = $2 AND status = 'pending' AND next_attempt_at > $3");
  query.Bind(now).Bind(delivery_id).Bind(now);
  query.Execute();
}

std::optional<Claim> ClaimNext(Tx& tx, UnixSeconds now, int lease_seconds, int per_organization) {
  std::string pick = std::string(kEndpointColumns) +
                     "WHERE enabled = 1 AND (lease_until IS NULL OR lease_until <= $1)"
                     " AND EXISTS (SELECT 1 FROM webhook_deliveries d"
                     " WHERE d.endpoint_id = webhook_endpoints.id AND d.status = 'pending'"
                     " AND d.next_attempt_at <= $2)"
                     " AND (SELECT COUNT(*) FROM webhook_endpoints busy"
                     " WHERE busy.organization_id = webhook_endpoints.organization_id"
                     " AND busy.lease_until > $3) < $4"
                     " ORDER BY claimed_at, id LIMIT 1";
  if (tx.backend == Backend::kPostgres) pick += " FOR NO KEY UPDATE SKIP LOCKED";
  Query endpoints(tx, pick);
  endpoints.Bind(now).Bind(now).Bind(now).Bind(std::int64_t{per_organization});
  if (!endpoints.Next()) return std::nullopt;
  Claim claim;
  claim.endpoint = ReadEndpoint(endpoints);

  Query deliveries(tx, std::string(kDeliveryColumns) +
                           "WHERE endpoint_id = $1 AND status = 'pending'"
                           " AND next_attempt_at <= $2"
                           " AND (lease_until IS NULL OR lease_until <= $3)"
                           " ORDER BY next_attempt_at, id LIMIT 1");
  deliveries.Bind(claim.endpoint.id).Bind(now).Bind(now);
  if (!deliveries.Next()) return std::nullopt;
  claim.delivery = ReadDelivery(deliveries);

  UnixSeconds lease_until = now + lease_seconds;
  Query lease_endpoint(tx,
                       "UPDATE webhook_endpoints SET lease_until = $1, claimed_at = $2"
                       " WHERE id = $3");
  lease_endpoint.Bind(lease_until).Bind(now).Bind(claim.endpoint.id);
  lease_endpoint.Execute();
  Query lease_delivery(tx,
                       "UPDATE webhook_deliveries SET lease_until = $1, attempts = attempts + 1"
                       " WHERE id = $2");
  lease_delivery.Bind(lease_until).Bind(claim.delivery.id);
  lease_delivery.Execute();
  claim.delivery.attempts += 1;
  claim.lease_until = lease_until;
  return claim;
}

Result<std::optional<Claim>> ClaimNext(Database& database, UnixSeconds now, int lease_seconds,
                                       int per_organization) {
  using Claimed = std::optional<Claim>;
  return database.Write<Claimed>([&](Tx& tx) -> Result<Claimed> {
    return ClaimNext(tx, now, lease_seconds, per_organization);
  });
}

Result<bool> AnyDue(Database& database, UnixSeconds now, int per_organization) {
  // Every idle worker asks this every poll interval: one statement, no
  // transaction around it (on PostgreSQL one round trip, not three).
  return database.ReadOneStatement<bool>([&](Tx& tx) -> Result<bool> {
    // As ClaimNext's condition, so that deliveries waiting on a disabled or
    // busy endpoint, or a busy organization, do not make every idle worker
    // try a claim.
    Query query(tx,
                "SELECT 1 FROM webhook_deliveries d JOIN webhook_endpoints e"
                " ON e.id = d.endpoint_id WHERE d.status = 'pending' AND d.next_attempt_at <= $1"
                " AND e.enabled = 1 AND (e.lease_until IS NULL OR e.lease_until <= $2)"
                " AND (SELECT COUNT(*) FROM webhook_endpoints busy"
                " WHERE busy.organization_id = e.organization_id AND busy.lease_until > $3) < $4"
                " LIMIT 1");
    query.Bind(now).Bind(now).Bind(now).Bind(std::int64_t{per_organization});
    return query.Next();
  });
}

namespace {

// Updates the claimed delivery with `set` if the claim still holds it: the
// same row of the same endpoint and event, under the claim's lease. `set`
// numbers its own values from $5, bound by `bind` after the claim's four.
// Answers whether it did.
template <class Bind>
bool UpdateClaimedDelivery(Tx& tx, const Claim& claim, std::string_view set, Bind bind) {
  Query delivery(tx, std::string("UPDATE webhook_deliveries SET ")
                         .append(set)
                         .append(", lease_until = NULL WHERE id = $1 AND endpoint_id = $2"
                                 " AND event_id = $3 AND lease_until = $4"));
  delivery.Bind(claim.delivery.id)
      .Bind(claim.endpoint.id)
      .Bind(claim.delivery.event_id)
      .Bind(claim.lease_until);
  bind(delivery);
  return delivery.Execute() == 1;
}

// Drops the claim's lease of the endpoint, setting `set` too when given.
void DropEndpointLease(Tx& tx, const Claim& claim, std::string_view set = {}) {
  std::string sql = "UPDATE webhook_endpoints SET lease_until = NULL";
  if (!set.empty()) sql.append(", ").append(set);
  Query query(tx, sql.append(" WHERE id = $1 AND lease_until = $2"));
  query.Bind(claim.endpoint.id).Bind(claim.lease_until);
  query.Execute();
}

}  // namespace

bool RecordDelivered(Tx& tx, const Claim& claim, int status_code, UnixSeconds now) {
  if (!UpdateClaimedDelivery(
          tx, claim,
          "status = 'delivered', delivered_at = $5, last_status_code = $6, last_error = NULL",
          [&](Query& delivery) { delivery.Bind(now).Bind(std::int64_t{status_code}); })) {
    return false;
  }
  DropEndpointLease(tx, claim, "failing_since = NULL");
  return true;
}

std::optional<UnixSeconds> RecordFailed(Tx& tx, const Claim& claim,
                                        std::optional<int> status_code, const std::string& error,
                                        std::optional<UnixSeconds> next_attempt_at,
                                        UnixSeconds now) {
  std::optional<std::int64_t> code;
  if (status_code) code = *status_code;
  if (!UpdateClaimedDelivery(
          tx, claim,
          "status = $5, next_attempt_at = $6, last_status_code = $7, last_error = $8",
          [&](Query& delivery) {
            delivery.Bind(std::string_view(next_attempt_at ? "pending" : "failed"))
                .Bind(next_attempt_at.value_or(now))
                .Bind(code)
                .Bind(error);
          })) {
    return std::nullopt;
  }
  {
    Query endpoint(tx,
                   "UPDATE webhook_endpoints SET lease_until = NULL, failing_since ="
                   " COALESCE(failing_since, $1) WHERE id = $2 AND lease_until = $3");
    endpoint.Bind(now).Bind(claim.endpoint.id).Bind(claim.lease_until);
    endpoint.Execute();
  }
  Query since(tx, "SELECT failing_since FROM webhook_endpoints WHERE id = $1");
  since.Bind(claim.endpoint.id);
  if (!since.Next()) return now;
  return since.OptionalInt64(0).value_or(now);
}

void Release(Tx& tx, const Claim& claim) {
  if (!UpdateClaimedDelivery(
          tx, claim, "attempts = CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END",
          [](Query&) {})) {
    return;
  }
  DropEndpointLease(tx, claim);
}

Result<QueueStats> ReadQueueStats(Database& database) {
  return database.Read<QueueStats>([](Tx& tx) -> Result<QueueStats> {
    Query query(tx,
                "SELECT COUNT(*), MIN(created_at) FROM webhook_deliveries"
                " WHERE status = 'pending'");
    QueueStats stats;
    if (query.Next()) {
      stats.pending = query.Int64(0);
      stats.oldest_pending_created_at = query.OptionalInt64(1);
    }
    return stats;
  });
}

}  // namespace roster::store::webhooks
