#include "store/accounts.hpp"

#include "store/query.hpp"

namespace roster::store {
namespace {

constexpr const char* kSelectUser =
    "SELECT id, email, name, password_hash, last_login_at, created_at FROM users ";

domain::User ReadUser(const Query& row) {
  domain::User user;
  user.id = row.Int64(0);
  user.email = row.Text(1);
  user.name = row.Text(2);
  user.password_hash = row.OptionalText(3);
  user.last_login_at = row.OptionalInt64(4);
  user.created_at = row.Int64(5);
  return user;
}

template <class Key>
std::optional<domain::User> FindUser(Tx& tx, const std::string& where, const Key& key) {
  Query query(tx, kSelectUser + where);
  query.Bind(key);
  if (!query.Next()) return std::nullopt;
  return ReadUser(query);
}

}  // namespace

std::optional<domain::User> FindUserByEmail(Tx& tx, const std::string& normalized_email) {
  return FindUser(tx, "WHERE email = $1", std::string_view(normalized_email));
}

std::optional<domain::User> FindUserById(Tx& tx, Id user_id) {
  return FindUser(tx, "WHERE id = $1", static_cast<std::int64_t>(user_id));
}

Id InsertUser(Tx& tx, const std::string& normalized_email, const std::string& name,
              UnixSeconds now) {
  Query insert(tx, "INSERT INTO users (email, name, created_at) VALUES ($1, $2, $3) RETURNING id");
  insert.Bind(std::string_view(normalized_email)).Bind(std::string_view(name)).Bind(
      static_cast<std::int64_t>(now));
  insert.Next();
  return insert.Int64(0);
}

std::optional<Id> InsertUserIfNew(Tx& tx, const std::string& normalized_email,
                                  const std::string& name, UnixSeconds now) {
  Query insert(tx,
               "INSERT INTO users (email, name, created_at) VALUES ($1, $2, $3) "
               "ON CONFLICT (email) DO NOTHING RETURNING id");
  insert.Bind(std::string_view(normalized_email)).Bind(std::string_view(name)).Bind(
      static_cast<std::int64_t>(now));
  if (!insert.Next()) return std::nullopt;
  return insert.Int64(0);
}

void SetPasswordHash(Tx& tx, Id user_id, const std::string& password_hash, UnixSeconds now) {
  Query(tx, "UPDATE users SET password_hash = $1, password_changed_at = $2 WHERE id = $3")
      .Bind(password_hash)
      .Bind(static_cast<std::int64_t>(now))
      .Bind(static_cast<std::int64_t>(user_id))
      .Execute();
}

void ReplacePasswordHash(Tx& tx, Id user_id, const std::string& old_hash,
                         const std::string& new_hash) {
  Query(tx, "UPDATE users SET password_hash = $1 WHERE id = $2 AND password_hash = $3")
      .Bind(new_hash)
      .Bind(static_cast<std::int64_t>(user_id))
      .Bind(old_hash)
      .Execute();
}

void RecordLogin(Tx& tx, Id user_id, UnixSeconds now) {
  Query(tx, "UPDATE users SET last_login_at = $1 WHERE id = $2")
      .Bind(static_cast<std::int64_t>(now))
      .Bind(static_cast<std::int64_t>(user_id))
      .Execute();
}

std::vector<PendingInvitation> FindInvitationsOfUser(Tx& tx, Id user_id) {
  std::vector<PendingInvitation> invitations;
  Query rows(tx,
             "SELECT organization_id, otp_hash, expires_at FROM invitations WHERE user_id = $1 "
             "ORDER BY expires_at DESC");
  rows.Bind(static_cast<std::int64_t>(user_id));
  while (rows.Next()) invitations.push_back({rows.Int64(0), rows.Text(1), rows.Int64(2)});
  return invitations;
}

Id InsertSession(Tx& tx, const std::string& token_hash, Id user_id, bool must_change_password,
                 UnixSeconds now, UnixSeconds expires_at) {
  Query insert(tx,
               "INSERT INTO sessions (token_hash, user_id, must_change_password, created_at, "
               "last_seen_at, expires_at) VALUES ($1, $2, $3, $4, $4, $5) RETURNING id");
  insert.Bind(token_hash)
      .Bind(static_cast<std::int64_t>(user_id))
      .Bind(std::int64_t{must_change_password ? 1 : 0})
      .Bind(static_cast<std::int64_t>(now))
      .Bind(static_cast<std::int64_t>(expires_at));
  insert.Next();
  return insert.Int64(0);
}

std::optional<SessionOfUser> FindSessionAndUser(Tx& tx, const std::string& token_hash,
                                                Id organization_id) {
  // One text for every request (prepared once per connection); an
  // organization id of 0 joins no membership.
  static const std::string kSql =
      std::string("SELECT s.id, s.must_change_password, s.created_at, s.last_seen_at, "
                  "s.expires_at, u.id, u.email, u.name, u.password_hash, u.last_login_at, "
                  "u.created_at, ") +
      kCallerMembershipColumns +
      " FROM sessions s JOIN users u ON u.id = s.user_id "
      "LEFT JOIN memberships m ON m.organization_id = $2 AND m.user_id = s.user_id "
      "LEFT JOIN organizations o ON o.id = m.organization_id WHERE s.token_hash = $1";
  Query row(tx, kSql);
  row.Bind(token_hash).Bind(static_cast<std::int64_t>(organization_id));
  if (!row.Next()) return std::nullopt;
  SessionOfUser found;
  found.session.id = row.Int64(0);
  found.session.must_change_password = row.Int64(1) != 0;
  found.session.created_at = row.Int64(2);
  found.session.last_seen_at = row.Int64(3);
  found.session.expires_at = row.Int64(4);
  found.user.id = row.Int64(5);
  found.user.email = row.Text(6);
  found.user.name = row.Text(7);
  found.user.password_hash = row.OptionalText(8);
  found.user.last_login_at = row.OptionalInt64(9);
  found.user.created_at = row.Int64(10);
  found.session.user_id = found.user.id;
  found.membership = ReadCallerMembership(row, 11);
  return found;
}

void TouchSession(Tx& tx, Id session_id, UnixSeconds now) {
  Query(tx, "UPDATE sessions SET last_seen_at = $1 WHERE id = $2")
      .Bind(static_cast<std::int64_t>(now))
      .Bind(static_cast<std::int64_t>(session_id))
      .Execute();
}

void DeleteSessionByTokenHash(Tx& tx, const std::string& token_hash) {
  Query(tx, "DELETE FROM sessions WHERE token_hash = $1").Bind(token_hash).Execute();
}

void DeleteSession(Tx& tx, Id session_id) {
  Query(tx, "DELETE FROM sessions WHERE id = $1")
      .Bind(static_cast<std::int64_t>(session_id))
      .Execute();
}

void DeleteSessionsOfUser(Tx& tx, Id user_id) {
  Query(tx, "DELETE FROM sessions WHERE user_id = $1")
      .Bind(static_cast<std::int64_t>(user_id))
      .Execute();
  Query(tx, "DELETE FROM mfa_challenges WHERE user_id = $1")
      .Bind(static_cast<std::int64_t>(user_id))
      .Execute();
}

void DeleteExpiredSessions(Tx& tx, UnixSeconds idle_cutoff, UnixSeconds now) {
  Query(tx, "DELETE FROM sessions WHERE last_seen_at < $1 OR expires_at <= $2")
      .Bind(static_cast<std::int64_t>(idle_cutoff))
      .Bind(static_cast<std::int64_t>(now))
      .Execute();
}

void RecordRateEvent(Tx& tx, const std::string& bucket, UnixSeconds at) {
  Query(tx, "INSERT INTO rate_events (bucket, at) VALUES ($1, $2)")
      .Bind(bucket)
      .Bind(static_cast<std::int64_t>(at))
      .Execute();
}

std::vector<UnixSeconds> RecentRateEvents(Tx& tx, const std::string& bucket, UnixSeconds since,
                                          int limit) {
  std::vector<UnixSeconds> times;
  Query rows(tx,
             "SELECT at FROM rate_events WHERE bucket = $1 AND at > $2 ORDER BY at DESC LIMIT $3");
  rows.Bind(bucket).Bind(static_cast<std::int64_t>(since)).Bind(std::int64_t{limit});
  while (rows.Next()) times.push_back(rows.Int64(0));
  return times;
}

void ClearRateEvents(Tx& tx, const std::string& bucket) {
  Query(tx, "DELETE FROM rate_events WHERE bucket = $1").Bind(bucket).Execute();
}

void PruneRateEvents(Tx& tx, UnixSeconds before) {
  Query(tx, "DELETE FROM rate_events WHERE at < $1")
      .Bind(static_cast<std::int64_t>(before))
      .Execute();
}

}  // namespace roster::store
