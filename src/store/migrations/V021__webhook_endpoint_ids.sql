-- A webhook endpoint's ID names one endpoint for good: the audit log, the
-- deliveries and an integrator's own records refer to it. PostgreSQL's
-- identity never hands a number out twice; SQLite's rowid gives the highest
-- one again once that endpoint is deleted. On SQLite the next ID is taken
-- from this high-water mark instead (store/webhooks.cpp), which also steps
-- over any ID a server of the release before inserted meanwhile.
--
-- Expand-only: older servers neither read nor write the table.

-- roster: sqlite
CREATE TABLE id_high_water (
  name TEXT PRIMARY KEY,
  last_id BIGINT NOT NULL
);
INSERT INTO id_high_water (name, last_id)
  SELECT 'webhook_endpoints', COALESCE(MAX(id), 0) FROM webhook_endpoints;
