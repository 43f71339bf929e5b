#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "domain/model.hpp"
#include "store/database.hpp"
#include "store/organizations.hpp"

// Users, sessions and the shared rate-limit counters.
namespace roster::store {

std::optional<domain::User> FindUserByEmail(Tx& tx, const std::string& normalized_email);
std::optional<domain::User> FindUserById(Tx& tx, Id user_id);
Id InsertUser(Tx& tx, const std::string& normalized_email, const std::string& name,
              UnixSeconds now);
// Inserts the account unless the e-mail has one: its id, or nullopt when
// taken (on PostgreSQL after waiting for an uncommitted insert of it).
std::optional<Id> InsertUserIfNew(Tx& tx, const std::string& normalized_email,
                                  const std::string& name, UnixSeconds now);
void SetPasswordHash(Tx& tx, Id user_id, const std::string& password_hash, UnixSeconds now);
// Swaps the hash for one of the same password with current parameters,
// unless the password was changed since `old_hash` was read.
void ReplacePasswordHash(Tx& tx, Id user_id, const std::string& old_hash,
                         const std::string& new_hash);
void RecordLogin(Tx& tx, Id user_id, UnixSeconds now);

struct PendingInvitation {
  Id organization_id = 0;
  std::string otp_hash;
  UnixSeconds expires_at = 0;
};
// Every invitation of the user, expired ones included.
std::vector<PendingInvitation> FindInvitationsOfUser(Tx& tx, Id user_id);

Id InsertSession(Tx& tx, const std::string& token_hash, Id user_id, bool must_change_password,
                 UnixSeconds now, UnixSeconds expires_at);
struct SessionOfUser {
  domain::Session session;
  domain::User user;
  // In the organization asked for: nullopt when he is not a member.
  std::optional<CallerMembership> membership;
};
// The session and its person in one statement (every request reads them),
// and his membership of `organization_id` as the access check reads it
// (0: none asked for).
std::optional<SessionOfUser> FindSessionAndUser(Tx& tx, const std::string& token_hash,
                                                Id organization_id);
void TouchSession(Tx& tx, Id session_id, UnixSeconds now);
void DeleteSession(Tx& tx, Id session_id);
void DeleteSessionByTokenHash(Tx& tx, const std::string& token_hash);
// Ends every sign-in of the user: his sessions and his sign-ins still
// waiting for their second factor (a password change must end those too:
// they were started with the password it replaces).
void DeleteSessionsOfUser(Tx& tx, Id user_id);
// Drops sessions whose idle or absolute expiry has passed.
void DeleteExpiredSessions(Tx& tx, UnixSeconds idle_cutoff, UnixSeconds now);

// Sliding-window counters, shared by every process through the database.
void RecordRateEvent(Tx& tx, const std::string& bucket, UnixSeconds at);
// The times of the bucket's events after `since`, newest first, at most `limit`.
std::vector<UnixSeconds> RecentRateEvents(Tx& tx, const std::string& bucket, UnixSeconds since,
                                          int limit);
void ClearRateEvents(Tx& tx, const std::string& bucket);
void PruneRateEvents(Tx& tx, UnixSeconds before);

}  // namespace roster::store
