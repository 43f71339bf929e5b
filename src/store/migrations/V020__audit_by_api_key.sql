-- The audit log's filter by API key (GET /orgs/{org}/audit-events?actor_api_key=,
-- and its export): one index range newest first, as the filter by member
-- walks audit_events_by_actor (V010). Expand-only.
CREATE INDEX audit_events_by_api_key ON audit_events (organization_id, actor_api_key_id, id);
