-- What an identity provider said about a member over SCIM (RFC 7643): its
-- own id for him (`externalId`) and the name parts it sent. Kept per
-- organization because an account is global by e-mail: one organization's
-- identity provider must not change the name of a person in another organization.
-- The row goes with the membership (removal deletes both).
CREATE TABLE scim_users (
  organization_id BIGINT NOT NULL,
  user_id BIGINT NOT NULL,
  external_id TEXT,
  given_name TEXT,
  family_name TEXT,
  formatted_name TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (organization_id, user_id),
  FOREIGN KEY (organization_id, user_id)
    REFERENCES memberships (organization_id, user_id) ON DELETE CASCADE
);
-- `filter=externalId eq "…"` (case-exact, RFC 7643 section 3.1).
CREATE INDEX scim_users_by_external_id ON scim_users (organization_id, external_id);
