#pragma once

#include <optional>
#include <string>

#include "core/clock.hpp"
#include "core/problem.hpp"
#include "store/database.hpp"
#include "store/password_resets.hpp"

// For the use cases of app/ only: how sign-in and the password change treat
// a pending password reset's one-time password (SPEC 11).
namespace roster::app {

struct ResetMatch {
  bool matched = false;  // `typed` is the reset's one-time password
  bool expired = false;  // ... and it has expired
};
// Compares the SHA-256 of `typed` (normalized as one-time passwords are) in
// constant time; no password hashing.
ResetMatch MatchPasswordReset(const std::optional<store::PasswordReset>& reset,
                              const std::string& typed, UnixSeconds now);

// 401 `reset_expired`: the right one-time password, too late.
Problem ResetExpired();

// The `password_reset_completed` audit event in every organization where
// the user is an active member.
void RecordResetCompleted(store::Tx& tx, Id user_id, UnixSeconds now);

// 429 when `network` made the login limit's number of attempts (sign-ins
// and reset requests) within the last minute; else counts this one.
// Implemented in sign_in.cpp, beside the sign-in limits it shares.
Status CountAddressAttempt(store::Tx& tx, int limit, const std::string& network, UnixSeconds now);

}  // namespace roster::app
