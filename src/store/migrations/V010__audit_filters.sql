-- The audit log's filters (GET /orgs/{org}/audit-events?actor=&action=&target=
-- &since=&until=, and its export): each filter walks one index range newest
-- first, as audit_events_page does for the whole log. Expand-only.
CREATE INDEX audit_events_by_actor ON audit_events (organization_id, actor_user_id, id);
CREATE INDEX audit_events_by_target ON audit_events (organization_id, target_user_id, id);
CREATE INDEX audit_events_by_action ON audit_events (organization_id, action, id);
CREATE INDEX audit_events_by_time ON audit_events (organization_id, at, id);
