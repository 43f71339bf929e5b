#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/context.hpp"
#include "core/result.hpp"
#include "domain/model.hpp"

// Sign-in, sessions and the password: SPEC sections 3 and 6.
namespace roster::app {

// How long a sign-in waits for its second factor (SPEC 9).
inline constexpr UnixSeconds kMfaChallengeSeconds = 600;

struct SignedIn {
  domain::User user;
  bool must_change_password = false;
  std::string session_token;  // the cookie value; shown to no one else
  // The password was right and a second factor is due (SPEC 9):
  // session_token is then a challenge's, good for POST /auth/mfa only.
  bool mfa_required = false;
};

struct LoginAttempt {
  std::string email;
  std::string password;  // a password or a one-time password, as typed
  // Who the per-address limit counts: the client's IPv4 address or IPv6 /64.
  std::string client_network;
  // The session cookie the request carried, if any: ended by a successful
  // sign-in, so a login always rotates the session.
  std::string replaced_session_token;
};

// Signs in with a password or a one-time password. Over-long input is 422
// before any other work; unknown e-mails, wrong passwords and invited
// accounts get the same answer after the same work (exactly one argon2id
// verification). 429 when the account is locked or the client network is
// over its limit; 503 `busy` when every hashing slot is taken. A person
// with two-factor on gets `mfa_required` and a challenge, not a session.
Result<SignedIn> Login(Context& context, const LoginAttempt& attempt);

// The caller of a session token, or 401 when the token is unknown or its
// idle or absolute expiry has passed. Refreshes the idle timer. With
// `organization_id`, his membership of it is read in the same statement
// (Principal::membership_read).
Result<Principal> Authenticate(Context& context, const std::string& session_token,
                               std::optional<Id> organization_id = std::nullopt);

void Logout(Context& context, const Principal& principal);

// Sets the password (the policy of SPEC section 6), ends every session of
// the user, activates his memberships whose invitation has not expired, and
// returns a new session. A wrong current password counts toward the login
// lockout (429 once it is reached).
Result<SignedIn> ChangePassword(Context& context, const Principal& principal,
                                const std::string& current_password,
                                const std::string& new_password);

struct MembershipView {
  domain::Organization organization;
  domain::Role role;
  domain::MemberStatus status;  // an expired invitation reads `invite_expired`
  std::vector<Id> managed_assistant_ids;
};
struct Me {
  domain::User user;
  bool must_change_password = false;
  std::vector<MembershipView> memberships;
};
Result<Me> DescribeMe(Context& context, const Principal& principal);

}  // namespace roster::app

namespace roster::app {

// Deletes expired sessions and rate-limit events older than any window that
// reads them. Run periodically by `roster serve`; safe in every process.
Status PruneExpired(Context& context);

}  // namespace roster::app
