-- How many leads each member owns, kept by the database as leads are
-- inserted, moved and deleted. The members page showed it by counting the
-- member's entries of leads_by_owner for every row of every page: a member
-- who owns 20,000 leads made a page of 50 cost 4.5 times one whose members
-- own none, and a page sorted by leads counted every lead of the
-- organization. A count is the sum of its member's rows here.
--
-- Triggers keep it, not the code that writes leads, so that servers of an
-- older version still running during a rolling upgrade keep it right too.
-- On PostgreSQL each connection adds to its own row of the member (shard =
-- its process id mod 16): lead creations for one owner from many
-- connections would otherwise all wait for one row's lock until they
-- commit. A statement's changes are added up once per statement, so a
-- removal that moves 100,000 leads writes two rows, not 200,000 updates.
-- SQLite has one writer and row triggers only: shard 0.
--
-- Expand-only: older servers neither read nor write the table.
CREATE TABLE lead_counts (
  organization_id BIGINT NOT NULL,
  user_id BIGINT NOT NULL,
  shard INTEGER NOT NULL,
  lead_count BIGINT NOT NULL,
  PRIMARY KEY (organization_id, user_id, shard)
);

-- roster: postgresql
CREATE FUNCTION lead_counts_follow() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO lead_counts AS c (organization_id, user_id, shard, lead_count)
    SELECT n.organization_id, n.owner_id, pg_backend_pid() % 16, COUNT(*) FROM new_leads n
    GROUP BY n.organization_id, n.owner_id ORDER BY 1, 2
    ON CONFLICT (organization_id, user_id, shard)
    DO UPDATE SET lead_count = c.lead_count + EXCLUDED.lead_count;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO lead_counts AS c (organization_id, user_id, shard, lead_count)
    SELECT o.organization_id, o.owner_id, pg_backend_pid() % 16, -COUNT(*) FROM old_leads o
    GROUP BY o.organization_id, o.owner_id ORDER BY 1, 2
    ON CONFLICT (organization_id, user_id, shard)
    DO UPDATE SET lead_count = c.lead_count + EXCLUDED.lead_count;
  ELSE
    -- An edit that keeps the owner adds and takes one: nothing is written.
    INSERT INTO lead_counts AS c (organization_id, user_id, shard, lead_count)
    SELECT d.organization_id, d.owner_id, pg_backend_pid() % 16, SUM(d.change) FROM (
      SELECT n.organization_id, n.owner_id, 1 AS change FROM new_leads n
      UNION ALL
      SELECT o.organization_id, o.owner_id, -1 AS change FROM old_leads o) d
    GROUP BY d.organization_id, d.owner_id HAVING SUM(d.change) <> 0 ORDER BY 1, 2
    ON CONFLICT (organization_id, user_id, shard)
    DO UPDATE SET lead_count = c.lead_count + EXCLUDED.lead_count;
  END IF;
  RETURN NULL;
END
$$;
CREATE TRIGGER leads_counted_insert AFTER INSERT ON leads
  REFERENCING NEW TABLE AS new_leads
  FOR EACH STATEMENT EXECUTE FUNCTION lead_counts_follow();
CREATE TRIGGER leads_counted_update AFTER UPDATE ON leads
  REFERENCING OLD TABLE AS old_leads NEW TABLE AS new_leads
  FOR EACH STATEMENT EXECUTE FUNCTION lead_counts_follow();
CREATE TRIGGER leads_counted_delete AFTER DELETE ON leads
  REFERENCING OLD TABLE AS old_leads
  FOR EACH STATEMENT EXECUTE FUNCTION lead_counts_follow();

-- roster: sqlite
-- A row here while a statement moves leads: that statement's caller counts
-- the move itself (store/leads.cpp ReassignLeadsOnAssistant, a removal's
-- 100,000 leads: two sums instead of 200,000 trigger statements, which
-- added ~40 % to the move). Empty outside such a transaction, so the
-- statements of any other code, or of an older server, are counted here.
CREATE TABLE lead_counts_paused (paused INTEGER NOT NULL);
CREATE TRIGGER leads_counted_insert AFTER INSERT ON leads BEGIN
  INSERT INTO lead_counts (organization_id, user_id, shard, lead_count)
  VALUES (new.organization_id, new.owner_id, 0, 1)
  ON CONFLICT (organization_id, user_id, shard) DO UPDATE SET lead_count = lead_count + 1;
END;
CREATE TRIGGER leads_counted_update AFTER UPDATE OF organization_id, owner_id ON leads
WHEN (old.organization_id <> new.organization_id OR old.owner_id <> new.owner_id)
  AND NOT EXISTS (SELECT 1 FROM lead_counts_paused) BEGIN
  INSERT INTO lead_counts (organization_id, user_id, shard, lead_count)
  VALUES (old.organization_id, old.owner_id, 0, -1)
  ON CONFLICT (organization_id, user_id, shard) DO UPDATE SET lead_count = lead_count - 1;
  INSERT INTO lead_counts (organization_id, user_id, shard, lead_count)
  VALUES (new.organization_id, new.owner_id, 0, 1)
  ON CONFLICT (organization_id, user_id, shard) DO UPDATE SET lead_count = lead_count + 1;
END;
CREATE TRIGGER leads_counted_delete AFTER DELETE ON leads BEGIN
  INSERT INTO lead_counts (organization_id, user_id, shard, lead_count)
  VALUES (old.organization_id, old.owner_id, 0, -1)
  ON CONFLICT (organization_id, user_id, shard) DO UPDATE SET lead_count = lead_count - 1;
END;

-- roster: all databases
-- The leads written before: the triggers above lock leads against writers
-- (PostgreSQL) until this migration commits, so none is counted twice or
-- missed.
INSERT INTO lead_counts (organization_id, user_id, shard, lead_count)
SELECT organization_id, owner_id, 0, COUNT(*) FROM leads GROUP BY organization_id, owner_id;
