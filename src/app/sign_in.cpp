#include "app/sign_in.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "app/audit_trail.hpp"
#include "app/mail_queue.hpp"
#include "app/reset_codes.hpp"
#include "app/sign_in_steps.hpp"
#include "auth/password_hasher.hpp"
#include "auth/password_policy.hpp"
#include "auth/secrets.hpp"
#include "domain/validation.hpp"
#include "store/accounts.hpp"
#include "store/assistants.hpp"
#include "store/audit.hpp"
#include "store/database.hpp"
#include "store/organizations.hpp"
#include "store/password_resets.hpp"
#include "store/two_factor.hpp"

namespace roster::app {
namespace {

using store::Tx;

// Rate-limit keys are fixed-size hashes (SPEC 6): what an attacker types
// never grows the database.
std::string AccountBucket(const std::string& email) { return "login-failure:" + HashToken(email); }
std::string AddressBucket(const std::string& network) {
  return "login-address:" + HashToken(network);
}

Problem InvalidCredentials() {
  return Problem::Unauthenticated("invalid_credentials", "The e-mail or password is not correct.");
}

Problem AccountLocked(int retry_after) {
  return Problem::RateLimited(std::max(retry_after, 1),
                              "Too many failed sign-ins for this account; try again later.");
}

// 429 while the account has had login_failure_limit failures (logins, or
// wrong current passwords) within the window.
Status CheckAccountLock(Tx& tx, const Settings& settings, const std::string& email,
                        UnixSeconds now) {
  auto failures = store::RecentRateEvents(
      tx, AccountBucket(email), now - settings.login_failure_window, settings.login_failure_limit);
  if (static_cast<int>(failures.size()) < settings.login_failure_limit) return {};
  spdlog::warn("event=login_locked account_hash={}", HashToken(email).substr(0, 12));
  // Locked for a whole window from the failure that reached the limit.
  return AccountLocked(static_cast<int>(failures.front() + settings.login_failure_window - now));
}

// 429 when the client network or the account is over its limit. Checked
// before any hashing, so a locked account costs the server nothing.
Status CheckLoginLimits(Context& context, const std::string& email, const std::string& network) {
  const Settings& settings = context.settings;
  UnixSeconds now = context.clock.Now();
  // SERIALIZABLE: the limits count a window of rows that parallel attempts
  // add to; no row lock covers a window.
  return context.database.WriteSerializable<void>([&](Tx& tx) -> Status {
    ROSTER_TRY_STATUS(CountAddressAttempt(tx, settings.login_address_limit, network, now));
    return CheckAccountLock(tx, settings, email, now);
  });
}

// Records a failed sign-in; true when it is past the account's limit, which
// parallel attempts reach after all passing CheckLoginLimits at once.
bool RecordFailure(Context& context, const std::string& email) {
  UnixSeconds now = context.clock.Now();
  const Settings& settings = context.settings;
  Result<bool> over = context.database.WriteSerializable<bool>([&](Tx& tx) -> Result<bool> {
    store::RecordRateEvent(tx, AccountBucket(email), now);
    auto failures =
        store::RecentRateEvents(tx, AccountBucket(email), now - settings.login_failure_window,
                                settings.login_failure_limit + 1);
    return static_cast<int>(failures.size()) > settings.login_failure_limit;
  });
  if (!over.ok())
    spdlog::error("event=login_failure_not_recorded error={}", over.problem().internal);
  return over.ok() && *over;
}

Result<SignedIn> OpenSession(Tx& tx, Context& context, domain::User user, bool must_change) {
  UnixSeconds now = context.clock.Now();
  SignedIn signed_in{std::move(user), must_change, NewSessionToken()};
  store::InsertSession(tx, HashToken(signed_in.session_token), signed_in.user.id, must_change, now,
                       now + context.settings.session_max);
  store::RecordLogin(tx, signed_in.user.id, now);
  return signed_in;
}

// An invitation made before one-time passwords were stored as SHA-256 holds
// an argon2 string; it is verified as such until it expires.
bool IsArgon2Hash(const std::string& stored) { return stored.rfind("$argon2", 0) == 0; }

// Which of the user's invitations `typed` opens. An expired match is
// reported so the caller can say `invite_expired`; `hashed` says whether an
// argon2 verification was spent on an old invitation.
struct OtpMatch {
  bool matched = false;
  bool expired = false;
  bool hashed = false;
};
Result<OtpMatch> MatchOneTimePassword(Context& context,
                                      const std::vector<store::PendingInvitation>& invitations,
                                      const std::string& typed) {
  const std::string digest = HashOneTimePassword(typed);
  OtpMatch match;
  for (const store::PendingInvitation& invitation : invitations) {
    bool ok = false;
    if (IsArgon2Hash(invitation.otp_hash)) {
      ok = ROSTER_TRY(context.hasher.Verify(invitation.otp_hash, NormalizeOneTimePassword(typed)));
      match.hashed = true;
    } else {
      ok = ConstantTimeEquals(invitation.otp_hash, digest);
    }
    if (!ok) continue;
    match.matched = true;
    match.expired = invitation.expires_at <= context.clock.Now();
    if (!match.expired) return match;
  }
  return match;
}

Status CheckSignInBounds(const std::string& email, const std::string& password,
                         std::string_view password_field) {
  std::vector<FieldError> errors;
  if (Status bounded = domain::CheckEmailLength(email); !bounded.ok())
    errors.push_back(bounded.problem().errors.front());
  if (Status bounded = domain::CheckPasswordLength(password, password_field); !bounded.ok())
    errors.push_back(bounded.problem().errors.front());
  if (!errors.empty()) return Problem::Validation(std::move(errors));
  return {};
}

}  // namespace

Result<SignedIn> Login(Context& context, const LoginAttempt& attempt) {
  ROSTER_TRY_STATUS(CheckSignInBounds(attempt.email, attempt.password, "password"));
  // Refused for want of a hashing slot before anything is recorded: such an
  // attempt checks no password, so it counts toward no limit.
  ROSTER_TRY_STATUS(context.hasher.CheckNotSaturated());
  std::string email = domain::NormalizeEmail(attempt.email);
  ROSTER_TRY_STATUS(CheckLoginLimits(context, email, attempt.client_network));

  struct Account {
    std::optional<domain::User> user;
    std::vector<store::PendingInvitation> invitations;
    std::optional<store::PasswordReset> reset;
  };
  Account account = ROSTER_TRY(context.database.Read<Account>([&](Tx& tx) -> Result<Account> {
    Account found{store::FindUserByEmail(tx, email), {}, std::nullopt};
    if (found.user && !found.user->password_hash)
      found.invitations = store::FindInvitationsOfUser(tx, found.user->id);
    if (found.user && found.user->password_hash)
      found.reset = store::FindPasswordReset(tx, found.user->id);
    return found;
  }));

  // Exactly one argon2 verification per attempt, whatever the account's
  // state, so the time taken tells nothing about it (SPEC 6).
  bool password_ok = false;
  OtpMatch otp;
  if (account.user && account.user->password_hash) {
    password_ok = ROSTER_TRY(context.hasher.Verify(*account.user->password_hash, attempt.password));
  } else {
    if (account.user)
      otp = ROSTER_TRY(MatchOneTimePassword(context, account.invitations, attempt.password));
    if (!otp.hashed) ROSTER_TRY_STATUS(context.hasher.VerifyNothing(attempt.password));
  }

  // A password reset's one-time password (SPEC 11): the current password
  // keeps working beside it, so it is tried only when that one failed.
  ResetMatch reset;
  if (!password_ok) reset = MatchPasswordReset(account.reset, attempt.password, context.clock.Now());
  if (reset.matched && reset.expired) {
    spdlog::info("event=login_failed reason=reset_expired user={}", account.user->id);
    return ResetExpired();
  }
  otp.matched = otp.matched || reset.matched;
  if (otp.matched && otp.expired) {
    spdlog::info("event=login_failed reason=invite_expired user={}", account.user->id);
    return Problem::Unauthenticated(
        "invite_expired",
        "This one-time password has expired; ask an admin to resend the invitation.");
  }
  if (!password_ok && !otp.matched) {
    bool over_limit = RecordFailure(context, email);
    spdlog::info("event=login_failed reason=invalid_credentials address={}",
                 attempt.client_network);
    if (over_limit) return AccountLocked(static_cast<int>(context.settings.login_failure_window));
    return InvalidCredentials();
  }
  // Raised argon2 parameters reach old hashes at their owner's next sign-in.
  std::optional<std::string> rehashed;
  if (password_ok && context.hasher.NeedsRehash(*account.user->password_hash)) {
    Result<std::string> hash = context.hasher.Hash(attempt.password);
    if (hash.ok()) rehashed = std::move(hash).value();
  }
  Result<SignedIn> signed_in = context.database.Write<SignedIn>([&](Tx& tx) -> Result<SignedIn> {
    // A sign-in ends the session the browser still carried (SPEC 6).
    if (!attempt.replaced_session_token.empty()) {
      store::DeleteSessionByTokenHash(tx, HashToken(attempt.replaced_session_token));
      store::DeleteMfaChallengeByTokenHash(tx, HashToken(attempt.replaced_session_token));
    }
    if (rehashed)
      store::ReplacePasswordHash(tx, account.user->id, *account.user->password_hash, *rehashed);
    // With two-factor on, the password opens only a challenge (SPEC 9), and
    // the failure count stays: wrong codes go on counting toward the lockout.
    // So does a reset's one-time password, which proves the mailbox only:
    // the second factor is still due after the new password.
    bool second_factor = store::HasConfirmedTotp(tx, account.user->id);
    if (password_ok && second_factor) return OpenMfaChallenge(tx, context, *account.user);
    if (!second_factor) store::ClearRateEvents(tx, AccountBucket(email));
    return OpenSession(tx, context, *account.user, /*must_change=*/otp.matched);
  });
  if (signed_in.ok()) {
    spdlog::info("event=login_succeeded user={} one_time_password={}{}{}", account.user->id,
                 otp.matched ? "yes" : "no", rehashed ? " password_rehashed=yes" : "",
                 signed_in->mfa_required ? " second_factor=pending" : "");
  }
  return signed_in;
}

Result<Principal> Authenticate(Context& context, const std::string& session_token,
                               std::optional<Id> organization_id) {
  if (session_token.empty() || session_token.size() > 128) {
    return Problem::Unauthenticated();
  }
  UnixSeconds now = context.clock.Now();
  std::string token_hash = HashToken(session_token);
  // Every request comes here, and nearly all of them change nothing: one
  // statement outside a transaction (it is its own snapshot), and a write
  // of its own only for the rare expiry or idle-time update, so that
  // authentication never queues behind writers. A session's user cannot
  // be missing (sessions.user_id references users).
  std::optional<store::SessionOfUser> found =
      ROSTER_TRY(context.database.ReadOneStatement<std::optional<store::SessionOfUser>>(
          [&](Tx& tx) -> Result<std::optional<store::SessionOfUser>> {
            return store::FindSessionAndUser(tx, token_hash, organization_id.value_or(0));
          }));
  if (!found) return AuthenticateMfaChallenge(context, token_hash);
  const domain::Session& session = found->session;
  if (session.expires_at <= now || session.last_seen_at + context.settings.session_idle <= now) {
    ROSTER_TRY_STATUS(context.database.WriteOneStatement<void>([&](Tx& tx) -> Status {
      store::DeleteSession(tx, session.id);
      return {};
    }));
    return Problem::Unauthenticated("unauthenticated", "Your session has expired; sign in again.");
  }
  // Idle time is kept to the second but written at most every 10 s, and
  // at least twice per idle timeout, so that a short one (ROSTER_SESSION_IDLE
  // allows 1 s) never ends a session in use.
  if (now - session.last_seen_at >= std::min<UnixSeconds>(10, context.settings.session_idle / 2)) {
    ROSTER_TRY_STATUS(context.database.WriteOneStatement<void>([&](Tx& tx) -> Status {
      store::TouchSession(tx, session.id, now);
      return {};
    }));
  }
  const domain::User& user = found->user;
  Principal principal =
      Principal::Person(user.id, session.id, user.email, user.name, session.must_change_password);
  principal.signed_in_at = session.created_at;
  if (organization_id) {
    principal.membership_read = Principal::MembershipRead{*organization_id, found->membership};
  }
  return principal;
}

void Logout(Context& context, const Principal& principal) {
  Result<bool> done = context.database.Write<bool>([&](Tx& tx) -> Result<bool> {
    if (principal.second_factor_pending) {
      store::DeleteMfaChallenge(tx, principal.session_id);
    } else {
      store::DeleteSession(tx, principal.session_id);
    }
    return true;
  });
  if (!done.ok()) spdlog::error("event=logout_failed error={}", done.problem().internal);
}

Result<SignedIn> ChangePassword(Context& context, const Principal& principal,
                                const std::string& current_password,
                                const std::string& new_password) {
  {
    std::vector<FieldError> errors;
    for (auto [field, value] : {std::pair{"current_password", &current_password},
                                std::pair{"new_password", &new_password}}) {
      if (Status bounded = domain::CheckPasswordLength(*value, field); !bounded.ok())
        errors.push_back(bounded.problem().errors.front());
    }
    if (!errors.empty()) return Problem::Validation(std::move(errors));
  }
  struct Account {
    domain::User user;
    std::vector<store::PendingInvitation> invitations;
    std::vector<std::string> organization_names;
    std::optional<store::PasswordReset> reset;
  };
  // Guessing the current password here counts toward the login lockout.
  Account account = ROSTER_TRY(context.database.Read<Account>([&](Tx& tx) -> Result<Account> {
    auto user = store::FindUserById(tx, principal.user_id);
    if (!user) return Problem::Unauthenticated();
    ROSTER_TRY_STATUS(CheckAccountLock(tx, context.settings, user->email, context.clock.Now()));
    Account found{*user, store::FindInvitationsOfUser(tx, user->id), {},
                  store::FindPasswordReset(tx, user->id)};
    for (const auto& membership : store::OrganizationsOfUser(tx, user->id)) {
      found.organization_names.push_back(membership.organization.name);
    }
    return found;
  }));

  bool current_ok = false;
  bool used_one_time_password = false;
  ResetMatch reset = MatchPasswordReset(account.reset, current_password, context.clock.Now());
  if (reset.matched) {
    if (reset.expired) return ResetExpired();
    current_ok = used_one_time_password = true;
  } else if (account.user.password_hash) {
    current_ok = ROSTER_TRY(context.hasher.Verify(*account.user.password_hash, current_password));
  } else {
    OtpMatch otp = ROSTER_TRY(MatchOneTimePassword(context, account.invitations, current_password));
    if (otp.matched && otp.expired) {
      return Problem::Unauthenticated(
          "invite_expired", "This one-time password has expired; ask for a new invitation.");
    }
    current_ok = used_one_time_password = otp.matched;
  }
  if (!current_ok) {
    spdlog::info("event=password_change_refused reason=wrong_current_password user={}",
                 account.user.id);
    if (RecordFailure(context, account.user.email))
      return AccountLocked(static_cast<int>(context.settings.login_failure_window));
    return Problem::Validation("current_password", "The current password is not correct.");
  }

  PasswordContext policy_context{account.user.email, account.user.name, account.organization_names,
                                 used_one_time_password ? current_password : std::string(),
                                 used_one_time_password ? std::string() : current_password};
  std::vector<FieldError> reasons = CheckNewPassword(new_password, policy_context);
  if (!reasons.empty()) return Problem::Validation(std::move(reasons));
  std::string new_hash = ROSTER_TRY(context.hasher.Hash(new_password));

  UnixSeconds now = context.clock.Now();
  // SERIALIZABLE: of parallel changes from one old password exactly one wins.
  auto changed = context.database.WriteSerializable<SignedIn>([&](Tx& tx) -> Result<SignedIn> {
    // A parallel request may have set a password since ours was checked.
    auto current = store::FindUserById(tx, account.user.id);
    if (!current || current->password_hash != account.user.password_hash) {
      return Problem::Validation("current_password", "The current password is not correct.");
    }
    if (reset.matched) {
      // Replaced by a newer reset, or used by a parallel change, since it was read.
      auto still = store::FindPasswordReset(tx, account.user.id);
      if (!still || still->otp_hash != account.reset->otp_hash) {
        return Problem::Validation("current_password", "The current password is not correct.");
      }
      RecordResetCompleted(tx, account.user.id, now);
    }
    // Any new password ends a pending reset: its one-time password dies.
    store::DeletePasswordReset(tx, account.user.id);
    store::SetPasswordHash(tx, account.user.id, new_hash, now);
    for (Id organization_id : store::ActivateMemberships(tx, account.user.id, now)) {
      RecordAudit(tx, organization_id, now, {account.user.id, std::nullopt}, "invitation_accepted",
                  account.user.id, nlohmann::json::object());
    }
    store::DeleteSessionsOfUser(tx, account.user.id);
    // The first password (an invitation's) replaces none: no notice then.
    if (account.user.password_hash) {
      ROSTER_TRY_STATUS(
          QueueSecurityNotice(tx, context, account.user, mail::SecurityChange::kPasswordChanged));
    }
    spdlog::info("event=password_changed user={}", account.user.id);
    // A reset proves the mailbox, not the second factor (SPEC 11): with
    // two-factor on, the person signs in again with the new password and a
    // code, and no session is opened here.
    if (reset.matched && store::HasConfirmedTotp(tx, account.user.id)) {
      return SignedIn{account.user, false, std::string(), /*mfa_required=*/true};
    }
    return OpenSession(tx, context, account.user, /*must_change=*/false);
  });
  if (changed.ok() && account.user.password_hash) context.mail_queued();
  return changed;
}

Result<Me> DescribeMe(Context& context, const Principal& principal) {
  UnixSeconds now = context.clock.Now();
  return context.database.Read<Me>([&](Tx& tx) -> Result<Me> {
    auto user = store::FindUserById(tx, principal.user_id);
    if (!user) return Problem::Unauthenticated();
    Me me{*user, principal.must_change_password, {}};
    // A reset's one-time password proves the mailbox, not the second
    // factor: until the new password is set (and the code typed at the next
    // sign-in), such a session learns nothing of his organizations.
    if (principal.must_change_password && store::HasConfirmedTotp(tx, user->id)) return me;
    auto managed = store::ManagedAssistantsOfUser(tx, user->id);
    for (auto& membership : store::OrganizationsOfUser(tx, user->id)) {
      // A deactivated membership opens nothing (SPEC 8).
      if (membership.state == domain::MembershipState::kDeactivated) continue;
      me.memberships.push_back(
          {membership.organization, membership.role,
           domain::StatusAt(membership.state, membership.invite_expires_at, now),
           managed[membership.organization.id]});
    }
    return me;
  });
}

}  // namespace roster::app

namespace roster::app {

Status PruneExpired(Context& context) {
  UnixSeconds now = context.clock.Now();
  // The longest window that reads rate events is the resend limit's hour.
  UnixSeconds oldest_needed =
      now - std::max<UnixSeconds>(3600, context.settings.login_failure_window);
  return context.database.Write<void>([&](Tx& tx) -> Status {
    store::DeleteExpiredSessions(tx, now - context.settings.session_idle, now);
    store::DeleteExpiredMfaChallenges(tx, now);
    store::PruneRateEvents(tx, oldest_needed);
    return {};
  });
}

}  // namespace roster::app

namespace roster::app {

Status CountAddressAttempt(Tx& tx, int limit, const std::string& network, UnixSeconds now) {
  auto by_address = store::RecentRateEvents(tx, AddressBucket(network), now - 60, limit);
  if (static_cast<int>(by_address.size()) >= limit) {
    spdlog::warn("event=login_rate_limited address={}", network);
    return Problem::RateLimited(static_cast<int>(by_address.back() + 60 - now) + 1,
                                "Too many sign-in attempts from this address; wait a minute.");
  }
  store::RecordRateEvent(tx, AddressBucket(network), now);
  return {};
}

}  // namespace roster::app

// The steps of sign-in that two-factor sign-in (app/two_factor.cpp) shares.
namespace roster::app {

Status CheckSignInLock(store::Tx& tx, const Settings& settings, const std::string& email,
                       UnixSeconds now) {
  return CheckAccountLock(tx, settings, email, now);
}

bool RecordSignInFailure(Context& context, const std::string& email) {
  return RecordFailure(context, email);
}

Problem SignInLocked(const Settings& settings) {
  return AccountLocked(static_cast<int>(settings.login_failure_window));
}

void ClearSignInFailures(store::Tx& tx, const std::string& email) {
  store::ClearRateEvents(tx, AccountBucket(email));
}

Result<SignedIn> OpenFullSession(store::Tx& tx, Context& context, const domain::User& user) {
  return OpenSession(tx, context, user, /*must_change=*/false);
}

}  // namespace roster::app
