-- The leads list's status filter and its orders (GET /orgs/{org}/leads?status=
-- &sort=, and its export). Each visibility range of store/visibility.cpp (the
-- organization, an owner's leads, an assistant's leads) gets an index by
-- status and one by name, so a filtered or sorted page is still a walk of one
-- index range per range. Expand-only.
CREATE INDEX leads_by_org_status ON leads (organization_id, status, id);
CREATE INDEX leads_by_owner_status ON leads (organization_id, owner_id, status, id);
CREATE INDEX leads_by_assistant_status ON leads (assistant_id, status, id);
CREATE INDEX leads_by_org_name ON leads (organization_id, name, id);
CREATE INDEX leads_by_owner_name ON leads (organization_id, owner_id, name, id);
CREATE INDEX leads_by_assistant_name ON leads (assistant_id, name, id);
