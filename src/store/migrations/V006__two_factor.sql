-- Two-factor sign-in (SPEC section 9): a TOTP factor per person, his
-- recovery codes, the half-finished sign-ins that wait for a second factor,
-- and the organizations that require it.

-- `secret_box` is the shared secret sealed with ROSTER_SECRET_KEY (libsodium
-- secretbox: nonce and ciphertext, base64), never the secret itself.
-- `confirmed_at` is NULL while the person has asked for a secret but not yet
-- typed a code from it: only a confirmed factor is "two-factor on".
-- `last_used_step` is the newest 30-second step whose code was accepted; a
-- code of that step or an older one is refused, so a code works once.
CREATE TABLE totp_factors (
  user_id BIGINT PRIMARY KEY REFERENCES users (id),
  secret_box TEXT NOT NULL,
  confirmed_at BIGINT,
  last_used_step BIGINT,
  created_at BIGINT NOT NULL
);

-- Ten per confirmed factor, each the SHA-256 of a 128-bit code; `used_at`
-- is set by the one sign-in it served.
CREATE TABLE recovery_codes (
  user_id BIGINT NOT NULL REFERENCES users (id),
  code_hash TEXT NOT NULL,
  used_at BIGINT,
  PRIMARY KEY (user_id, code_hash)
);

-- A correct password of a person with two-factor on opens one of these, not
-- a session: its cookie reaches only POST /auth/mfa and logout. Kept apart
-- from `sessions` so that a process of an older release, which knows no
-- second factor, never takes it for a session.
CREATE TABLE mfa_challenges (
  id {{id}},
  token_hash TEXT NOT NULL UNIQUE,
  user_id BIGINT NOT NULL REFERENCES users (id),
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE INDEX mfa_challenges_by_user ON mfa_challenges (user_id);

-- An organization whose members must have two-factor on (its admins' switch).
ALTER TABLE organizations ADD COLUMN require_mfa INTEGER NOT NULL DEFAULT 0;
