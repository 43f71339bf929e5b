-- Webhooks (SPEC 7): endpoints an organization's admins register, and one
-- delivery per event and subscribed endpoint, written in the transaction of
-- the audit event it reports (the outbox pattern, as outbox_messages).

-- `events` is the subscription, space-separated types or "*". `secret` signs
-- deliveries; after a rotation `previous_secret` signs them too until
-- `previous_secret_until`. `failing_since` is the first failed attempt since
-- the last success (NULL while the endpoint answers); an endpoint failing for
-- ROSTER_WEBHOOK_DISABLE_AFTER is disabled (`disabled_reason` says why).
-- `lease_until` lets one sender at a time deliver to the endpoint, and
-- `claimed_at` makes the senders take endpoints in turn.
CREATE TABLE webhook_endpoints (
  id {{id}},
  organization_id BIGINT NOT NULL REFERENCES organizations (id),
  url TEXT NOT NULL,
  events TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),
  disabled_reason TEXT,
  secret TEXT NOT NULL,
  previous_secret TEXT,
  previous_secret_until BIGINT,
  created_at BIGINT NOT NULL,
  failing_since BIGINT,
  lease_until BIGINT,
  claimed_at BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX webhook_endpoints_by_organization ON webhook_endpoints (organization_id, id);

-- `event_id` is the audit event's id (the `webhook-id` a receiver dedupes
-- on); a redelivery is a new row with the same event. `payload` is the JSON
-- body, fixed when the event happened.
CREATE TABLE webhook_deliveries (
  id {{id}},
  organization_id BIGINT NOT NULL REFERENCES organizations (id),
  endpoint_id BIGINT NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
  event_id BIGINT NOT NULL,
  event_type TEXT NOT NULL,
  payload TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  next_attempt_at BIGINT NOT NULL,
  lease_until BIGINT,
  last_status_code INTEGER,
  last_error TEXT,
  delivered_at BIGINT
);
-- The senders' claim (an endpoint's oldest due delivery), the queue gauges,
-- and the deliveries page of an endpoint, with and without a status filter.
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (endpoint_id, status, next_attempt_at, id);
CREATE INDEX webhook_deliveries_pending ON webhook_deliveries (status, created_at);
CREATE INDEX webhook_deliveries_page ON webhook_deliveries (endpoint_id, id);
