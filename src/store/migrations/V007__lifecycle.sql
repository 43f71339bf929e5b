-- Identity lifecycle (SPEC 8): organization settings and deactivation.

-- An organization's settings, one JSON object: each feature's settings are
-- a member of it ("offboarding" here; others join beside it), changed with
-- merge-patch semantics. '{}' reads as every default.
ALTER TABLE organizations ADD COLUMN settings TEXT NOT NULL DEFAULT '{}';

-- A deactivated membership: `deactivated_at` set. V001 allows only
-- 'invited' and 'active' in `status` (a CHECK that SQLite cannot change in
-- place), so a deactivated membership keeps status 'invited' with no
-- invitation row: code that knows only V001's states, and any query asking
-- for status 'active', treats the person as someone who cannot sign in to
-- the organization. `role` is kept for his reactivation.
ALTER TABLE memberships ADD COLUMN deactivated_at BIGINT;
