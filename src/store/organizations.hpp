#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "domain/audit.hpp"
#include "domain/model.hpp"
#include "store/database.hpp"
#include "store/page.hpp"
#include "store/query.hpp"
#include "store/visibility.hpp"

// Organizations, memberships and invitations.
namespace roster::store {

Id InsertOrganization(Tx& tx, const std::string& name, UnixSeconds now);
// The organization without its member_count (0): counting reads every
// membership of the organization, work (and, in a SERIALIZABLE write, a
// conflict with every concurrent invitation) that only GET /orgs/{org}
// needs; it asks CountMembers.
std::optional<domain::Organization> FindOrganization(Tx& tx, Id organization_id);
std::int64_t CountMembers(Tx& tx, Id organization_id);
using domain::MemberFilter;
using domain::MembershipOfUser;
// The organizations where the user is a member, in any state, by name.
std::vector<MembershipOfUser> OrganizationsOfUser(Tx& tx, Id user_id);

// The role and state of the user's membership, or nullopt: one primary-key
// probe, for the access check every request makes (FindMember also counts
// the member's leads).
struct Membership {
  domain::Role role = domain::Role::kUser;
  domain::MembershipState state = domain::MembershipState::kInvited;
};
std::optional<Membership> FindMembership(Tx& tx, Id organization_id, Id user_id);
// The caller's membership as the access check reads it: FindMembership,
// MissesRequiredMfa and the organization in one statement (one round trip
// on every request; the operations that write e-mails name the
// organization without another).
struct CallerMembership {
  Membership membership;
  bool misses_required_mfa = false;
  domain::Organization organization;
  // An enabled webhook endpoint (FindCallerMembership only; see
  // Tx::SetWebhooksAbsentIn).
  bool has_webhooks = false;
};
// With `with`, that statement goes out in this one's round trip
// (Query::With).
std::optional<CallerMembership> FindCallerMembership(Tx& tx, Id organization_id, Id user_id,
                                                     Query* with = nullptr);
// Its columns, for a statement that reads it with something else (the
// membership aliased m, its organization o, left-joined), and their reader
// from column `first`: nullopt when the row has no membership. A column
// after them is at `first + kCallerMembershipColumnCount`.
extern const char* const kCallerMembershipColumns;
inline constexpr int kCallerMembershipColumnCount = 7;
std::optional<CallerMembership> ReadCallerMembership(const Query& row, int first);

// The membership of `user_id` in the organization, joined with the user and
// the invitation, or nullopt when he is not a member.
// With `assistants_for`, his assistants as that viewer may see them.
std::optional<domain::Member> FindMember(Tx& tx, Id organization_id, Id user_id,
                                         const Viewer* assistants_for = nullptr);

// FindMember as a statement made first and read later, so that it can go
// out in an earlier statement's round trip (Query::With): the changes of a
// member send it with the access check. With `assistants_for`, their
// statement goes out in the same round trip.
class MemberLookup {
 public:
  MemberLookup(Tx& tx, Id organization_id, Id user_id, const Viewer* assistants_for = nullptr);
  Query& query() { return query_; }
  std::optional<domain::Member> Read();

 private:
  Query query_;
  std::unique_ptr<Query> assistants_;
};

// Members in the filter's order. A malformed cursor is a 422. With
// `assistants_for`, each member's assistants as that viewer may see them
// (store/member_assistants.hpp).
Result<Page<domain::Member>> ListMembers(Tx& tx, Id organization_id, const MemberFilter& filter,
                                         const Viewer* assistants_for = nullptr);

void InsertMembership(Tx& tx, Id organization_id, Id user_id, domain::Role role,
                      domain::MembershipState state, const std::string& sort_key, UnixSeconds now);
void UpdateRole(Tx& tx, Id organization_id, Id user_id, domain::Role role);
// Gives the member `role` unless he has it already; making him a user only
// while another active admin remains (invariant 1), checked in the same
// statement. A demotion must hold LockOrganization, so that two demotions
// never both see the other as the remaining admin. Answers whether the row
// changed: false for no such member, the role he already has, or the last
// admin. Marks the transaction contended (the member's row is locked until
// it ends). With `audit`, the event is written (and its id set) only when
// the row changed; on PostgreSQL in the same statement.
bool SetRoleKeepingAnAdmin(Tx& tx, Id organization_id, Id user_id, domain::Role role,
                           domain::AuditEvent* audit = nullptr);
// The member's role, his row locked until the transaction ends (no other
// transaction can change it meanwhile); nullopt when he is not a member.
std::optional<domain::Role> LockMemberRole(Tx& tx, Id organization_id, Id user_id);
// Activates the user's memberships whose invitation has not expired at `now`
// and drops those invitations; returns the organizations activated. An
// expired invitation stays as it is (`invite_expired`): setting a password
// with another organization's one-time password must not revive it.
std::vector<Id> ActivateMemberships(Tx& tx, Id user_id, UnixSeconds now);
// Makes one `invited` membership `active` and drops its invitation.
void ActivateMembership(Tx& tx, Id organization_id, Id user_id, UnixSeconds now);
void DeleteMembership(Tx& tx, Id organization_id, Id user_id);
std::int64_t CountActiveAdmins(Tx& tx, Id organization_id);

// Deactivates a membership (SPEC 8): it keeps its role and its assistant
// assignments, loses every manager flag and its invitation if it had one,
// and reads as `deactivated` until ReactivateMembership.
void DeactivateMembership(Tx& tx, Id organization_id, Id user_id, UnixSeconds now);
// A deactivated membership is `state` again (kActive, or kInvited for one
// that never joined, which then needs an invitation); others are left.
void ReactivateMembership(Tx& tx, Id organization_id, Id user_id, domain::MembershipState state);
// Whether the user is an active member of an organization other than `organization_id`.
bool HasActiveMembershipElsewhere(Tx& tx, Id user_id, Id organization_id);

// The organization's settings as stored: a JSON object ("{}" by default).
std::string ReadSettings(Tx& tx, Id organization_id);
void WriteSettings(Tx& tx, Id organization_id, const std::string& settings);

// Serializes, per organization, the write transactions that check a rule
// over a set of its rows before changing it: who its members and admins are
// (role changes, removals; invariant 1: an active admin remains), its
// settings' heir, how many webhooks it has. The rule then holds under READ
// COMMITTED. Takes the organization row's lock until the transaction ends
// and marks the transaction contended; nothing on SQLite, whose writers
// already take turns.
void LockOrganization(Tx& tx, Id organization_id);

void InsertInvitation(Tx& tx, Id organization_id, Id user_id, const std::string& otp_hash,
                      UnixSeconds expires_at, std::optional<Id> invited_by, UnixSeconds now);

// A new person invited: his account, his `invited` membership and its
// invitation, in one statement on PostgreSQL (one round trip, not three).
// Returns the account's id, or nullopt, having written nothing, when the
// e-mail has an account already (InsertUserIfNew).
struct InvitedAccount {
  Id organization_id = 0;
  std::string normalized_email;
  std::string name;
  domain::Role role = domain::Role::kUser;
  std::string otp_hash;
  UnixSeconds expires_at = 0;
  std::optional<Id> invited_by;
};
std::optional<Id> InsertInvitedAccount(Tx& tx, const InvitedAccount& invited, UnixSeconds now);
// Replaces the one-time password and expiry and counts the resend, or,
// where the membership has no invitation (a deactivation took it), makes
// one from `invited_by` at `now`; clears a failed e-mail's mark
// (MarkInviteUndelivered).
void ReplaceInvitation(Tx& tx, Id organization_id, Id user_id, const std::string& otp_hash,
                       UnixSeconds expires_at, std::optional<Id> invited_by, UnixSeconds now);
// Records that the e-mail of the invitation expiring at `expires_at` did not
// arrive, and why (V017), if that invitation is still the member's pending
// one; whether it was.
bool MarkInviteUndelivered(Tx& tx, Id organization_id, Id user_id, UnixSeconds expires_at,
                           const std::string& reason);

// The sort key of a membership: lower-cased name, a separator, the e-mail.
std::string MemberSortKey(const std::string& name, const std::string& email);

}  // namespace roster::store
