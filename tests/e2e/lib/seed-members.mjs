// The benchmarks' organization of many members, written with sqlite3 straight
// into the database before `roster serve` starts: inviting 10,000 people
// through the API would spend ~25 ms of argon2 each. A tenth are pending
// invitations, and every member owns two leads on one shared assistant, so
// lead counts are real.
import { execFileSync } from 'node:child_process';

/** Adds `count` members to organization 1 of the SQLite database at `dbPath`. */
export function seedMembers(dbPath, count) {
  const now = Math.floor(Date.now() / 1000);
  const sql = `
PRAGMA journal_mode=WAL;
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${count})
INSERT INTO users (email, name, password_hash, created_at)
  SELECT printf('member%05d@acme.test', i), printf('Member %05d', i), NULL, ${now} FROM n;
INSERT INTO memberships (organization_id, user_id, role, status, sort_key, invited_at, joined_at, created_at)
  SELECT 1, id, 'user', CASE WHEN id % 10 = 0 THEN 'invited' ELSE 'active' END,
         lower(name) || char(31) || email, ${now}, CASE WHEN id % 10 = 0 THEN NULL ELSE ${now} END, ${now}
  FROM users WHERE email LIKE 'member%@acme.test';
INSERT INTO invitations (organization_id, user_id, otp_hash, expires_at, created_at)
  SELECT 1, user_id, 'not-a-real-hash', ${now + 86400}, ${now}
  FROM memberships m JOIN users u ON u.id = m.user_id
  WHERE m.organization_id = 1 AND m.status = 'invited' AND u.email LIKE 'member%@acme.test';
INSERT INTO assistants (organization_id, name, created_at) VALUES (1, 'Outbound EU', ${now});
INSERT INTO assistant_users (organization_id, assistant_id, user_id, is_manager, created_at)
  SELECT 1, (SELECT max(id) FROM assistants), user_id, 0, ${now} FROM memberships WHERE organization_id = 1;
WITH RECURSIVE k(j) AS (SELECT 1 UNION ALL SELECT j + 1 FROM k WHERE j < 2)
INSERT INTO leads (organization_id, assistant_id, owner_id, name, email, created_at)
  SELECT 1, (SELECT max(id) FROM assistants), m.user_id, 'Lead ' || m.user_id || '-' || k.j,
         'lead' || m.user_id || '-' || k.j || '@prospect.test', ${now}
  FROM memberships m, k WHERE m.organization_id = 1;
COMMIT;`;
  execFileSync('sqlite3', [dbPath], { input: sql, stdio: ['pipe', 'ignore', 'inherit'] });
}
