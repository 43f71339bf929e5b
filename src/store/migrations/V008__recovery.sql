-- Account recovery (SPEC 11): the pending password reset of an account, at
-- most one; a newer request replaces it, and setting a password deletes it.
-- The one-time password is kept as SHA-256, as an invitation's is.
CREATE TABLE password_resets (
  user_id BIGINT PRIMARY KEY REFERENCES users (id),
  otp_hash TEXT NOT NULL,
  expires_at BIGINT NOT NULL,
  requested_by BIGINT REFERENCES users (id),  -- the admin who sent it; NULL: the person himself
  created_at BIGINT NOT NULL
);
