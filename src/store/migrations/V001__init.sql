-- Roster's schema, version 1. One file serves SQLite and PostgreSQL:
-- {{id}} becomes the backend's auto-assigned 64-bit primary key.
-- Every row below `users` carries organization_id, and every index that a
-- list pages through starts with it, so every query is scoped by organization.

CREATE TABLE organizations (
  id {{id}},
  name TEXT NOT NULL,
  created_at BIGINT NOT NULL
);

-- A person, global by e-mail (stored trimmed and lower-cased).
CREATE TABLE users (
  id {{id}},
  email TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  password_hash TEXT,            -- NULL until the first password is set
  password_changed_at BIGINT,
  last_login_at BIGINT,
  created_at BIGINT NOT NULL
);

CREATE TABLE memberships (
  organization_id BIGINT NOT NULL REFERENCES organizations (id),
  user_id BIGINT NOT NULL REFERENCES users (id),
  role TEXT NOT NULL CHECK (role IN ('admin', 'user')),
  status TEXT NOT NULL CHECK (status IN ('invited', 'active')),
  sort_key TEXT NOT NULL,        -- lower-cased name, then e-mail: the list order
  invited_at BIGINT,
  joined_at BIGINT,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (organization_id, user_id)
);
CREATE INDEX memberships_by_user ON memberships (user_id);
CREATE INDEX memberships_page ON memberships (organization_id, sort_key, user_id);
CREATE INDEX memberships_admins ON memberships (organization_id, role, status);

-- The pending state of an `invited` membership; one per organization and
-- user (and so per e-mail), enforced by the primary key.
CREATE TABLE invitations (
  organization_id BIGINT NOT NULL,
  user_id BIGINT NOT NULL,
  otp_hash TEXT NOT NULL,
  expires_at BIGINT NOT NULL,
  invited_by BIGINT REFERENCES users (id),
  resend_count INTEGER NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (organization_id, user_id),
  FOREIGN KEY (organization_id, user_id)
    REFERENCES memberships (organization_id, user_id) ON DELETE CASCADE
);
CREATE INDEX invitations_by_user ON invitations (user_id);

CREATE TABLE assistants (
  id {{id}},
  organization_id BIGINT NOT NULL REFERENCES organizations (id),
  name TEXT NOT NULL,
  settings TEXT NOT NULL DEFAULT '{}',
  created_at BIGINT NOT NULL,
  UNIQUE (organization_id, id)
);

CREATE TABLE assistant_users (
  organization_id BIGINT NOT NULL,
  assistant_id BIGINT NOT NULL,
  user_id BIGINT NOT NULL,
  is_manager INTEGER NOT NULL DEFAULT 0 CHECK (is_manager IN (0, 1)),
  created_at BIGINT NOT NULL,
  PRIMARY KEY (assistant_id, user_id),
  FOREIGN KEY (organization_id, assistant_id) REFERENCES assistants (organization_id, id),
  FOREIGN KEY (organization_id, user_id)
    REFERENCES memberships (organization_id, user_id) ON DELETE CASCADE
);
CREATE INDEX assistant_users_by_user ON assistant_users (organization_id, user_id);

-- Invariant 2 is a foreign key: a lead's (assistant, owner) must be an
-- assistant user, and an assistant user must be a member.
CREATE TABLE leads (
  id {{id}},
  organization_id BIGINT NOT NULL,
  assistant_id BIGINT NOT NULL,
  owner_id BIGINT NOT NULL,
  name TEXT NOT NULL,
  email TEXT NOT NULL,
  company TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL DEFAULT 'new',
  created_at BIGINT NOT NULL,
  FOREIGN KEY (organization_id, assistant_id) REFERENCES assistants (organization_id, id),
  FOREIGN KEY (assistant_id, owner_id) REFERENCES assistant_users (assistant_id, user_id)
);
CREATE INDEX leads_by_org ON leads (organization_id, id);
CREATE INDEX leads_by_owner ON leads (organization_id, owner_id, id);
CREATE INDEX leads_by_assistant ON leads (assistant_id, id);
CREATE INDEX leads_by_assistant_owner ON leads (assistant_id, owner_id, id);

CREATE TABLE audit_events (
  id {{id}},
  organization_id BIGINT NOT NULL REFERENCES organizations (id),
  at BIGINT NOT NULL,
  actor_user_id BIGINT,
  action TEXT NOT NULL,
  target_user_id BIGINT,
  details TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_events_page ON audit_events (organization_id, id);

-- E-mails to deliver. `message` is the whole RFC 5322 text; it is cleared
-- once delivered, so a one-time password does not outlive its e-mail here.
CREATE TABLE outbox_messages (
  id {{id}},
  organization_id BIGINT,
  recipient TEXT NOT NULL,
  message TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at BIGINT NOT NULL,
  lease_until BIGINT,
  sent_at BIGINT,
  last_error TEXT
);
CREATE INDEX outbox_due ON outbox_messages (sent_at, next_attempt_at);

CREATE TABLE sessions (
  id {{id}},
  token_hash TEXT NOT NULL UNIQUE,
  user_id BIGINT NOT NULL REFERENCES users (id),
  must_change_password INTEGER NOT NULL CHECK (must_change_password IN (0, 1)),
  created_at BIGINT NOT NULL,
  last_seen_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_by_user ON sessions (user_id);

-- Sliding-window counters shared by every process: failed logins per
-- account, login attempts per client address, resends per member.
CREATE TABLE rate_events (
  bucket TEXT NOT NULL,
  at BIGINT NOT NULL
);
CREATE INDEX rate_events_by_bucket ON rate_events (bucket, at);
