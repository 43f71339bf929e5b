#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "core/problem.hpp"

namespace roster {

// What the policy knows about the user choosing a password.
struct PasswordContext {
  std::string email;
  std::string name;
  std::vector<std::string> organization_names;  // of every organization he belongs to
  // The one-time password he signed in with (the `current_password` of
  // POST /auth/password while his invitation is pending), as typed; empty
  // when he is replacing an ordinary password.
  std::string current_one_time_password;
  // The ordinary password he is replacing, as typed and verified; empty
  // when he signed in with a one-time password.
  std::string current_password;
};

inline constexpr std::size_t kMinPasswordCodePoints = 15;
inline constexpr std::size_t kMaxPasswordCodePoints = 128;

// The rules of SPEC §6 for a new password. Returns one FieldError{field
// "new_password"} per broken rule, with a sentence for the user saying why;
// empty means acceptable. The rules:
//  - valid UTF-8 (if not, that is the only error reported);
//  - 15 to 128 Unicode code points; nothing is truncated, and there are no
//    composition rules (no "one digit, one symbol");
//  - zxcvbn score at least 3, with the user's e-mail, its parts, name and
//    organization names as extra dictionary words (see kMinStrengthBits);
//  - does not contain, ignoring ASCII case, the e-mail's local part (from 3
//    characters), the whole name and the organization names (from 4), or any
//    of their words of 4 or more characters (other than a few filler words
//    such as "the" or "inc"); shorter words only feed zxcvbn ("Ann" does not
//    refuse "planning");
//  - is not the current one-time password (compared normalized), nor the
//    current password (a change must change it, as GitHub and Keycloak ask).
// Thread-safe: the zxcvbn C library keeps no mutable state.
std::vector<FieldError> CheckNewPassword(std::string_view password, const PasswordContext& context);

// zxcvbn-c answers an entropy in bits; guesses = 2^bits. zxcvbn's scores are
// guesses < 1e3 → 0, < 1e6 → 1, < 1e8 → 2, < 1e10 → 3, else 4, so score ≥ 3
// means guesses ≥ 1e8, i.e. bits ≥ log2(1e8) ≈ 26.58.
inline constexpr double kMinStrengthBits = 26.575424759098897;  // log2(1e8)

}  // namespace roster
