-- Organization API keys (SPEC section 7). A key belongs to its organization,
-- not to the admin who made it: `created_by` names him for the record and
-- the key survives his removal. Only the SHA-256 of the key is stored;
-- `prefix` (the key's first characters) lets people tell keys apart.
-- A revoked key keeps its row (revoked_at) so the audit log can still name it.
CREATE TABLE api_keys (
  id {{id}},
  organization_id BIGINT NOT NULL REFERENCES organizations (id),
  name TEXT NOT NULL,
  scope TEXT NOT NULL CHECK (scope IN ('admin', 'read', 'scim')),
  prefix TEXT NOT NULL,
  key_hash TEXT NOT NULL UNIQUE,
  created_by BIGINT REFERENCES users (id),
  created_at BIGINT NOT NULL,
  expires_at BIGINT,
  last_used_at BIGINT,
  revoked_at BIGINT
);
CREATE INDEX api_keys_page ON api_keys (organization_id, id);

-- What a key did is audited under the key; actor_user_id is then NULL.
ALTER TABLE audit_events ADD COLUMN actor_api_key_id BIGINT REFERENCES api_keys (id);
