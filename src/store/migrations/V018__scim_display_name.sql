-- The displayName an identity provider sent for a member, apart from his
-- name.formatted: Entra ID and Okta map the two from different sources, so
-- keeping one value for both made each sync overwrite the other (and audit
-- a change every cycle). NULL: none sent; the User's displayName is then
-- name.formatted (or what it is derived from), as before this column.
--
-- Expand-only: an older server neither reads nor writes it; one that sets
-- a displayName during a rolling upgrade writes it into formatted_name, as
-- it always did.
ALTER TABLE scim_users ADD COLUMN display_name TEXT;
