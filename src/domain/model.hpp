#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.hpp"
#include "core/ids.hpp"
#include "domain/member_assistant.hpp"
#include "domain/member_sort.hpp"

namespace roster::domain {

enum class Role { kAdmin, kUser };
// What the database stores. A deactivated member (SPEC 8) keeps his role
// and assignments but cannot enter the organization until reactivated.
enum class MembershipState { kInvited, kActive, kDeactivated };
// What clients see: `invited` past its expiry reads as `invite_expired`.
enum class MemberStatus { kInvited, kInviteExpired, kActive, kDeactivated };

std::string_view ToString(Role role);
std::string_view ToString(MembershipState state);
std::string_view ToString(MemberStatus status);
std::optional<Role> ParseRole(std::string_view text);
std::optional<MembershipState> ParseMembershipState(std::string_view text);
std::optional<MemberStatus> ParseMemberStatus(std::string_view text);

// The status clients see of a membership in `state` whose invitation (if
// any) expires at `invite_expires_at`.
MemberStatus StatusAt(MembershipState state, std::optional<UnixSeconds> invite_expires_at,
                      UnixSeconds now);

struct User {
  Id id = 0;
  std::string email;
  std::string name;
  std::optional<std::string> password_hash;
  std::optional<UnixSeconds> last_login_at;
  UnixSeconds created_at = 0;
};

struct Organization {
  Id id = 0;
  std::string name;
  UnixSeconds created_at = 0;
  std::int64_t member_count = 0;
  bool requires_mfa = false;  // every member must sign in with two factors (SPEC 9)
};

// A membership joined with its user and its pending invitation, as the Org
// users page shows it.
struct Member {
  Id organization_id = 0;
  Id user_id = 0;
  std::string email;
  std::string name;
  Role role = Role::kUser;
  MembershipState state = MembershipState::kInvited;
  std::optional<UnixSeconds> invited_at;
  std::optional<UnixSeconds> invite_expires_at;  // only while invited
  std::optional<UnixSeconds> joined_at;
  std::optional<UnixSeconds> last_login_at;
  std::int64_t lead_count = 0;
  bool mfa = false;  // two-factor sign-in on (SPEC 9)
  // Why the pending invitation's e-mail did not arrive, when the mail
  // server refused it (V017); nullopt otherwise.
  std::optional<std::string> invite_undelivered;
  // The assistants he is on, by name, as the reader may see them: read only
  // when asked for (store::ListMembers and FindMember with a viewer).
  std::optional<std::vector<MemberAssistant>> assistants;

  MemberStatus StatusAt(UnixSeconds now) const;
};

struct Session {
  Id id = 0;
  Id user_id = 0;
  bool must_change_password = false;
  UnixSeconds created_at = 0;
  UnixSeconds last_seen_at = 0;
  UnixSeconds expires_at = 0;
};

struct Assistant {
  Id id = 0;
  Id organization_id = 0;
  std::string name;
  UnixSeconds created_at = 0;
  std::int64_t user_count = 0;
};

}  // namespace roster::domain

namespace roster::domain {

// What an organization's API key may do (SPEC section 7): `admin` what an
// org admin may do through the API except managing keys and webhooks,
// `read` every read an admin may do, `scim` only provisioning (/scim/v2).
enum class ApiKeyScope { kAdmin, kRead, kScim };
std::string_view ToString(ApiKeyScope scope);
std::optional<ApiKeyScope> ParseApiKeyScope(std::string_view text);

// The organizations of a user, with his membership in each.
struct MembershipOfUser {
  Organization organization;  // member_count not filled
  Role role = Role::kUser;
  MembershipState state = MembershipState::kInvited;
  std::optional<UnixSeconds> invite_expires_at;  // while invited
};

// The narrowing of the Org users list.
struct MemberFilter {
  std::string query;  // matches name or e-mail, case-insensitive
  std::optional<Role> role;
  std::optional<MemberStatus> status;  // `invite_expired` needs `now`
  std::optional<bool> mfa;             // with (true) or without two-factor sign-in on
  UnixSeconds now = 0;
  int limit = 50;
  std::optional<std::string> cursor;
  MemberSort sort;  // a cursor is only valid with the sort that made it
};

}  // namespace roster::domain

namespace roster::domain {

// An organization's API key as lists show it; the key itself is shown once,
// at creation, and stored only as its SHA-256.
struct ApiKey {
  Id id = 0;
  Id organization_id = 0;
  std::string name;
  ApiKeyScope scope = ApiKeyScope::kRead;
  std::string prefix;  // the key's first characters, to tell keys apart
  std::optional<Id> created_by;  // the admin who made it (nobody for the command line)
  std::string created_by_name, created_by_email;
  UnixSeconds created_at = 0;
  std::optional<UnixSeconds> expires_at;
  std::optional<UnixSeconds> last_used_at;
  std::optional<UnixSeconds> revoked_at;
};

}  // namespace roster::domain
