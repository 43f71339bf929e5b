#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/context.hpp"
#include "core/result.hpp"
#include "domain/model.hpp"

// Sign-in, sessions and the password: SPEC sections 3 and 6.
namespace roster::app {

struct SignedIn {
  domain::User user;
  bool must_change_password = false;
  std::string session_token;  // the cookie value; shown to no one else
};

// Signs in with a password or a one-time password. Unknown e-mails and wrong
// passwords get the same answer after the same work (one argon2id check).
// 429 when the account is locked or the client address is over its limit.
Result<SignedIn> Login(Context& context, const std::string& email, const std::string& password,
                       const std::string& client_address);

// The caller of a session token, or 401 when the token is unknown or its
// idle or absolute expiry has passed. Refreshes the idle timer.
Result<Principal> Authenticate(Context& context, const std::string& session_token);

void Logout(Context& context, const Principal& principal);

// Sets the password (the policy of SPEC section 6), ends every session of
// the user, activates his invited memberships, and returns a new session.
Result<SignedIn> ChangePassword(Context& context, const Principal& principal,
                                const std::string& current_password,
                                const std::string& new_password);

struct MembershipView {
  domain::Organization organization;
  domain::Role role;
  domain::MembershipState state;
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
