#pragma once

#include <optional>
#include <string>

#include "core/clock.hpp"
#include "core/ids.hpp"
#include "store/database.hpp"

// Pending password resets (SPEC 11): one per account at most.
namespace roster::store {

struct PasswordReset {
  Id user_id = 0;
  std::string otp_hash;  // SHA-256 of the normalized one-time password
  UnixSeconds expires_at = 0;
};

// Stores the account's reset, replacing any earlier one (whose one-time
// password stops working at once).
void ReplacePasswordReset(Tx& tx, Id user_id, const std::string& otp_hash, UnixSeconds expires_at,
                          std::optional<Id> requested_by, UnixSeconds now);
// The account's reset, expired or not, or nullopt.
std::optional<PasswordReset> FindPasswordReset(Tx& tx, Id user_id);
void DeletePasswordReset(Tx& tx, Id user_id);

}  // namespace roster::store
