#pragma once

#include <string>

#include "app/context.hpp"
#include "core/result.hpp"

// Account recovery: SPEC section 11. A reset e-mails a one-time password
// that signs in once, to a session that can only set a new password; the
// current password keeps working until then. Signing in with it and setting
// the new password are Login and ChangePassword (app/sign_in.hpp).
namespace roster::app {

struct ResetRequest {
  std::string email;
  // Who the per-address login limit counts: the client's IPv4 address or IPv6 /64.
  std::string client_network;
};

// POST /auth/password-reset. The same answer (OK) after the same work for
// every e-mail of bounded length: an unknown one, an account without a
// password (an invitation is still pending: its admin resends it), and an
// account over its limit of reset e-mails (3 an hour) get no e-mail. 422 for
// an over-long e-mail; 429 when the client network is over the login limit.
Status RequestPasswordReset(Context& context, const ResetRequest& request);

struct ResetSent {
  Id user_id = 0;
  UnixSeconds expires_at = 0;
};
// POST /orgs/{org}/members/{user}/password-reset: an admin (or an admin key)
// e-mails an active member a reset. 404 for a non-member, 403 without the
// right to manage members, 409 `not_active` for an invited member, 429 when
// the account had 3 reset e-mails within the hour (however they were asked for).
Result<ResetSent> SendPasswordReset(Context& context, const Principal& caller, Id organization_id,
                                    Id user_id);

}  // namespace roster::app
