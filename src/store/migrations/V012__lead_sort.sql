-- The leads list's status filter and its orders (GET /orgs/{org}/leads?status=
-- &sort=, and its export). The organization's range and an assistant's range
-- of store/visibility.cpp get an index by status and one by name, so a
-- filtered or sorted page of them is still a walk of one index range. One
-- owner's range has none: it is one person's leads, read through
-- leads_by_owner and sorted in memory, and an index holding owner_id is one
-- more to rewrite for every lead a removal or deactivation moves (SQLite
-- rewrites only the indexes of the changed column). Expand-only.
CREATE INDEX leads_by_org_status ON leads (organization_id, status, id);
CREATE INDEX leads_by_assistant_status ON leads (assistant_id, status, id);
CREATE INDEX leads_by_org_name ON leads (organization_id, name, id);
CREATE INDEX leads_by_assistant_name ON leads (assistant_id, name, id);
