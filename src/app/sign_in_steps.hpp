#pragma once

#include <string>

#include "app/context.hpp"
#include "app/sign_in.hpp"
#include "core/result.hpp"
#include "domain/model.hpp"
#include "store/database.hpp"

// For the use cases of app/ only: the steps that sign-in with a password
// (app/sign_in.cpp) and with a second factor (app/two_factor.cpp) share, so
// that both count toward one lockout and open sessions alike.
namespace roster::app {

// 429 while the account is locked (SPEC 6: 10 failures in 15 minutes).
Status CheckSignInLock(store::Tx& tx, const Settings& settings, const std::string& email,
                       UnixSeconds now);
// Counts a failed attempt (wrong password or second factor); true when the
// account is now past its limit.
bool RecordSignInFailure(Context& context, const std::string& email);
// The 429 of a locked account, Retry-After the whole window.
Problem SignInLocked(const Settings& settings);
// A successful sign-in clears the account's failures.
void ClearSignInFailures(store::Tx& tx, const std::string& email);
// A new full session of `user`, recorded as his last sign-in.
Result<SignedIn> OpenFullSession(store::Tx& tx, Context& context, const domain::User& user);

// The challenge a correct password opens when the person has two-factor on
// (app/two_factor.cpp): `mfa_required`, and a token good for
// POST /auth/mfa and logout only, for kMfaChallengeSeconds (app/sign_in.hpp).
Result<SignedIn> OpenMfaChallenge(store::Tx& tx, Context& context, const domain::User& user);
// The principal of a challenge token (second_factor_pending), or 401 when
// the token is unknown or the challenge has expired.
Result<Principal> AuthenticateMfaChallenge(Context& context, const std::string& token_hash);

}  // namespace roster::app
