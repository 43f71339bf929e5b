#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/context.hpp"
#include "app/sign_in.hpp"
#include "core/result.hpp"

// Two-factor sign-in (SPEC section 9): TOTP set-up, confirmation and
// removal by the person himself, the second step of sign-in, the admin's
// reset, and an organization's requirement. Every use case here is the
// person's own (a full session; API keys and one-time-password sessions are
// refused by the HTTP layer) except ResetMemberMfa. Set-up and codes need ROSTER_SECRET_KEY: without it they answer
// 503 `secret_key_missing` (recovery codes still work).
namespace roster::app {

struct TotpStatus {
  bool enabled = false;                 // a confirmed factor
  std::int64_t recovery_codes_left = 0;  // unused recovery codes
};
Result<TotpStatus> DescribeTotp(Context& context, const Principal& caller);

struct TotpSetup {
  std::string secret;       // base32, for typing into an app
  std::string otpauth_uri;  // the same, for a QR code
};
// A new secret, replacing one set up but never confirmed. 409
// `mfa_already_enabled` when two-factor is on (turn it off first). Adding a
// factor changes how the account signs in: a session opened more than
// kRecentSignInSeconds ago must give the password (422 `password_required`
// without it, 422 `invalid_credentials` when wrong, counted toward the
// lockout), so that a stolen session cannot bind the thief's authenticator.
inline constexpr UnixSeconds kRecentSignInSeconds = 600;
Result<TotpSetup> SetUpTotp(Context& context, const Principal& caller, const std::string& password);

// Confirms the set-up with a code of the new secret and answers the ten
// recovery codes, shown this once (stored as SHA-256). 409 `mfa_not_set_up`
// without a pending set-up, 409 `mfa_already_enabled` when already on, 422
// `invalid_code` for a wrong code. Audited `mfa_enabled` in each of his
// organizations.
Result<std::vector<std::string>> ConfirmTotp(Context& context, const Principal& caller,
                                             const std::string& code);

// A TOTP code or a recovery code: exactly one.
struct SecondFactor {
  std::string code;
  std::string recovery_code;
};

// Turns two-factor off with the password and a current code, or a recovery
// code (which is used up: the way out for someone who lost his phone and
// whom no admin may reset). Wrong ones count toward the sign-in
// lockout: 422 `invalid_credentials` / `invalid_code`, 429 once locked. 409
// `mfa_not_enabled` when off. Audited `mfa_disabled`.
Status RemoveTotp(Context& context, const Principal& caller, const std::string& password,
                  const SecondFactor& factor);

// The second step of sign-in: a challenge's principal and a TOTP code or a
// recovery code (exactly one). Ends the challenge and opens a full session.
// A wrong or replayed code is 401 `invalid_code` and counts toward the
// lockout (429 with Retry-After once 10 failures are reached). A recovery
// code works once; its use is audited `mfa_recovery_code_used`.
Result<SignedIn> CompleteSignIn(Context& context, const Principal& challenge,
                                const SecondFactor& factor);

// An admin removes a member's second factor (his phone is lost): the
// member signs in with his password alone until he sets it up again. An
// admin in person (403 for a key) of every organization the member is
// active in (409 `mfa_reset_elsewhere`), not for himself (409
// `own_second_factor`); 409 `mfa_not_enabled` when he has none. Audited
// `mfa_reset` in each of his organizations; he is told by e-mail.
Status ResetMemberMfa(Context& context, const Principal& caller, Id organization_id,
                      Id user_id);

// `roster user reset-two-factor`: the operator removes the second factor of
// the account with this e-mail, for a person no admin may reset (he belongs
// to organizations with different admins) who has lost his phone and his
// recovery codes. 404 for no such account, 409 `mfa_not_enabled`. Audited
// `mfa_reset` with no actor in each of his organizations; he is told.
Status ResetAccountMfa(Context& context, const std::string& email);

// The organization's requirement is one of its settings: app/org_settings.hpp
// (app/mfa_requirement.hpp for its rule).

}  // namespace roster::app
