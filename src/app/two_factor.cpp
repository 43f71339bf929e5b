#include "app/two_factor.hpp"

#include <spdlog/spdlog.h>

#include "app/access.hpp"
#include "app/audit_trail.hpp"
#include "app/mail_queue.hpp"
#include "app/mfa_requirement.hpp"
#include "app/sign_in_steps.hpp"
#include "auth/password_hasher.hpp"
#include "auth/secret_box.hpp"
#include "auth/secrets.hpp"
#include "auth/totp.hpp"
#include "domain/validation.hpp"
#include "store/accounts.hpp"
#include "store/organizations.hpp"
#include "store/two_factor.hpp"

namespace roster::app {
namespace {

using store::Tx;

constexpr int kRecoveryCodeCount = 10;
constexpr const char* kIssuer = "Roster";

Problem SecretKeyMissing() {
  Problem problem = Problem::Unavailable("ROSTER_SECRET_KEY is not set");
  problem.slug = "secret_key_missing";
  problem.detail =
      "Two-factor codes cannot be checked: the server has no ROSTER_SECRET_KEY. Tell the "
      "operator; a recovery code still works.";
  return problem;
}

// The same, said to someone turning two-factor sign-in on.
Problem NoKeyToSetUp() {
  Problem problem = SecretKeyMissing();
  problem.detail =
      "Two-factor sign-in cannot be turned on now: the server has no ROSTER_SECRET_KEY. Tell "
      "the operator.";
  return problem;
}

// The key at hand does not open the secret: the database was restored
// without the key it was sealed with, or the processes' keys differ.
Problem SecretKeyMismatch(const Problem& opened) {
  Problem problem = Problem::Unavailable(opened.internal);
  problem.slug = "secret_key_mismatch";
  problem.detail =
      "Two-factor codes cannot be checked: the server's ROSTER_SECRET_KEY is not the key they "
      "were set up with. Tell the operator; a recovery code still works.";
  return problem;
}

// Before sealing a new secret: a confirmed secret of anyone that this
// process's key does not open means the processes' keys differ, and a
// secret sealed here would not open on the others.
Status KeyOpensTheOthers(Tx& tx, const Context& context) {
  std::optional<std::string> sealed = store::FirstConfirmedTotpSecret(tx);
  if (!sealed) return {};
  Result<std::string> opened = context.secret_box->Open(*sealed);
  if (opened.ok()) return {};
  Problem problem = SecretKeyMismatch(opened.problem());
  problem.detail =
      "Two-factor sign-in cannot be turned on now: this server's ROSTER_SECRET_KEY is not the "
      "key of the two-factor secrets already set up. Tell the operator.";
  return problem;
}

// A second factor checked as far as it can be before the transaction that
// uses it up: a code's matching step (none when it matches nothing), or a
// recovery code's hash.
struct FactorToUse {
  bool recovery = false;
  std::optional<std::int64_t> step;
  std::string recovery_hash;
};

// Uses it up; false when it was not right or was used already. The use is
// the row's update: of two requests with one code, one wins.
bool UseFactor(Tx& tx, Id user_id, const FactorToUse& factor, UnixSeconds now) {
  return factor.recovery ? store::UseRecoveryCode(tx, user_id, factor.recovery_hash, now)
                         : factor.step && store::UseTotpStep(tx, user_id, *factor.step);
}

Problem InvalidCode(ProblemCode category) {
  Problem problem = category == ProblemCode::kUnauthenticated
                        ? Problem::Unauthenticated("invalid_code", "")
                        : Problem::Invalid("invalid_code", "");
  problem.detail = "The code is not correct, or was used already. Enter the current code.";
  return problem;
}

Status CheckCodeLength(const std::string& value, const char* field) {
  if (value.size() > 64) return Problem::Validation(field, "Too long.");
  return {};
}

// A code or a recovery code as sent: exactly one, each within its bound.
Status CheckOneFactor(const SecondFactor& factor) {
  ROSTER_TRY_STATUS(CheckCodeLength(factor.code, "code"));
  ROSTER_TRY_STATUS(CheckCodeLength(factor.recovery_code, "recovery_code"));
  if (factor.code.empty() == factor.recovery_code.empty()) {
    return Problem::Validation("code", "Send either `code` or `recovery_code`.");
  }
  return {};
}

// Writes `action` in every organization where the user is an active member:
// his own security affects each of them.
// By the person himself unless `actor` says who else.
void AuditInHisOrganizations(Tx& tx, Id user_id, UnixSeconds now, const std::string& action,
                             const nlohmann::json& details,
                             std::optional<domain::Actor> actor = std::nullopt) {
  for (const auto& membership : store::OrganizationsOfUser(tx, user_id)) {
    if (membership.state != domain::MembershipState::kActive) continue;
    RecordAudit(tx, membership.organization.id, now,
                actor.value_or(domain::Actor{user_id, std::nullopt}), action, user_id, details);
  }
}

// Tells the person by e-mail that his sign-in changed (in the transaction
// of the change: the notice goes if and only if the change commits).
Status NoticeToHim(Tx& tx, const Context& context, Id user_id, mail::SecurityChange change,
                   const std::string& admin_name = "", const std::string& organization_name = "") {
  auto user = store::FindUserById(tx, user_id);
  if (!user) return {};
  return QueueSecurityNotice(tx, context, *user, change, admin_name, organization_name);
}

// The step a code of the user's confirmed (or, for confirmation, pending)
// factor matches, not used before; nullopt otherwise.
Result<std::optional<std::int64_t>> MatchCode(const Context& context,
                                              const store::TotpFactor& factor,
                                              const std::string& code) {
  if (context.secret_box == nullptr) return SecretKeyMissing();
  Result<std::string> secret = context.secret_box->Open(factor.secret_box);
  if (!secret.ok()) return SecretKeyMismatch(secret.problem());
  return MatchTotp(*secret, code, context.clock.Now(), factor.last_used_step);
}

// `factor` read against the person's TOTP factor (a code matches nothing
// when he has no confirmed one).
Result<FactorToUse> ReadFactor(const Context& context, const std::optional<store::TotpFactor>& totp,
                               const SecondFactor& factor) {
  FactorToUse read;
  read.recovery = !factor.recovery_code.empty();
  if (read.recovery) {
    read.recovery_hash = HashOneTimePassword(factor.recovery_code);
  } else if (totp && totp->confirmed_at) {
    read.step = ROSTER_TRY(MatchCode(context, *totp, factor.code));
  }
  return read;
}

std::vector<std::string> NewRecoveryCodes(std::vector<std::string>* hashes) {
  std::vector<std::string> codes;
  for (int i = 0; i < kRecoveryCodeCount; ++i) {
    codes.push_back(NewOneTimePassword());
    hashes->push_back(HashOneTimePassword(codes.back()));
  }
  return codes;
}

}  // namespace

Result<TotpStatus> DescribeTotp(Context& context, const Principal& caller) {
  return context.database.Read<TotpStatus>([&](Tx& tx) -> Result<TotpStatus> {
    TotpStatus status;
    status.enabled = store::HasConfirmedTotp(tx, caller.user_id);
    if (status.enabled) status.recovery_codes_left = store::CountUnusedRecoveryCodes(tx, caller.user_id);
    return status;
  });
}

// The caller's own password, for a change of how his account signs in;
// a wrong one counts toward the account's lockout as a sign-in's does and
// is logged as `refused_event`. Answers his account.
Result<domain::User> CheckOwnPassword(Context& context, const Principal& caller,
                                      const std::string& password, const char* refused_event) {
  ROSTER_TRY_STATUS(domain::CheckPasswordLength(password, "password"));
  ROSTER_TRY_STATUS(context.hasher.CheckNotSaturated());
  UnixSeconds now = context.clock.Now();
  domain::User user =
      ROSTER_TRY(context.database.Read<domain::User>([&](Tx& tx) -> Result<domain::User> {
        auto found = store::FindUserById(tx, caller.user_id);
        if (!found) return Problem::Unauthenticated();
        ROSTER_TRY_STATUS(CheckSignInLock(tx, context.settings, found->email, now));
        return *found;
      }));
  bool right = false;
  if (user.password_hash) right = ROSTER_TRY(context.hasher.Verify(*user.password_hash, password));
  if (right) return user;
  spdlog::info("event={} user={} reason=wrong_password", refused_event, caller.user_id);
  if (RecordSignInFailure(context, user.email)) return SignInLocked(context.settings);
  return Problem::Invalid("invalid_credentials", "The password is not correct.");
}

Result<TotpSetup> SetUpTotp(Context& context, const Principal& caller,
                            const std::string& password) {
  if (context.secret_box == nullptr) return NoKeyToSetUp();
  UnixSeconds now = context.clock.Now();
  if (now - caller.signed_in_at > kRecentSignInSeconds) {
    if (password.empty()) {
      return Problem::Invalid("password_required",
                              "Enter your password to turn on two-factor sign-in.");
    }
    ROSTER_TRY_STATUS(CheckOwnPassword(context, caller, password, "mfa_setup_refused"));
  }
  std::string secret = NewTotpSecret();
  std::string sealed = context.secret_box->Seal(secret);
  ROSTER_TRY_STATUS(context.database.Write<void>([&](Tx& tx) -> Status {
    if (store::HasConfirmedTotp(tx, caller.user_id)) {
      return Problem::Conflict("mfa_already_enabled",
                               "Two-factor sign-in is already on; turn it off first.");
    }
    ROSTER_TRY_STATUS(KeyOpensTheOthers(tx, context));
    store::PutUnconfirmedTotp(tx, caller.user_id, sealed, now);
    return {};
  }));
  std::string base32 = EncodeBase32(secret);
  spdlog::info("event=mfa_setup_started user={}", caller.user_id);
  return TotpSetup{base32, TotpUri(kIssuer, caller.email, base32)};
}

Result<std::vector<std::string>> ConfirmTotp(Context& context, const Principal& caller,
                                             const std::string& code) {
  ROSTER_TRY_STATUS(CheckCodeLength(code, "code"));
  if (context.secret_box == nullptr) return NoKeyToSetUp();
  UnixSeconds now = context.clock.Now();
  std::vector<std::string> hashes;
  std::vector<std::string> codes = NewRecoveryCodes(&hashes);
  auto confirmed = context.database.Write<std::vector<std::string>>(
      [&](Tx& tx) -> Result<std::vector<std::string>> {
        auto factor = store::FindTotpFactor(tx, caller.user_id);
        if (!factor) {
          return Problem::Conflict("mfa_not_set_up",
                                   "Start the set-up first: it gives the secret to confirm.");
        }
        if (factor->confirmed_at) {
          return Problem::Conflict("mfa_already_enabled", "Two-factor sign-in is already on.");
        }
        ROSTER_TRY_STATUS(KeyOpensTheOthers(tx, context));
        auto step = ROSTER_TRY(MatchCode(context, *factor, code));
        if (!step) return InvalidCode(ProblemCode::kValidation);
        store::ConfirmTotp(tx, caller.user_id, *step, now);
        store::ReplaceRecoveryCodes(tx, caller.user_id, hashes);
        AuditInHisOrganizations(tx, caller.user_id, now, "mfa_enabled", nlohmann::json::object());
        ROSTER_TRY_STATUS(
            NoticeToHim(tx, context, caller.user_id, mail::SecurityChange::kTwoFactorOn));
        spdlog::info("event=mfa_enabled user={}", caller.user_id);
        return codes;
      });
  if (confirmed.ok()) context.mail_queued();
  return confirmed;
}

Status RemoveTotp(Context& context, const Principal& caller, const std::string& password,
                  const SecondFactor& factor) {
  ROSTER_TRY_STATUS(domain::CheckPasswordLength(password, "password"));
  ROSTER_TRY_STATUS(CheckOneFactor(factor));
  UnixSeconds now = context.clock.Now();
  auto totp = ROSTER_TRY(context.database.Read<std::optional<store::TotpFactor>>(
      [&](Tx& tx) -> Result<std::optional<store::TotpFactor>> {
        return store::FindTotpFactor(tx, caller.user_id);
      }));
  if (!totp || !totp->confirmed_at) {
    return Problem::Conflict("mfa_not_enabled", "Two-factor sign-in is not on.");
  }
  domain::User user =
      ROSTER_TRY(CheckOwnPassword(context, caller, password, "mfa_disable_refused"));
  FactorToUse used = ROSTER_TRY(ReadFactor(context, totp, factor));
  Status removed = context.database.Write<void>([&](Tx& tx) -> Status {
    if (!UseFactor(tx, caller.user_id, used, now)) return InvalidCode(ProblemCode::kValidation);
    store::DeleteTotp(tx, caller.user_id);
    std::string_view with = used.recovery ? "recovery_code" : "totp";
    AuditInHisOrganizations(tx, caller.user_id, now, "mfa_disabled", {{"second_factor", with}});
    ROSTER_TRY_STATUS(
        NoticeToHim(tx, context, caller.user_id, mail::SecurityChange::kTwoFactorOff));
    spdlog::info("event=mfa_disabled user={} second_factor={}", caller.user_id, with);
    return {};
  });
  if (!removed.ok() && removed.problem().slug == "invalid_code") {
    spdlog::info("event=mfa_disable_refused user={} reason=wrong_code", caller.user_id);
    if (RecordSignInFailure(context, user.email)) return SignInLocked(context.settings);
    return removed;
  }
  if (removed.ok()) context.mail_queued();
  return removed;
}

Result<SignedIn> CompleteSignIn(Context& context, const Principal& challenge,
                                const SecondFactor& factor) {
  ROSTER_TRY_STATUS(CheckOneFactor(factor));
  UnixSeconds now = context.clock.Now();
  struct Account {
    domain::User user;
    std::optional<store::TotpFactor> factor;
  };
  Account account = ROSTER_TRY(context.database.Read<Account>([&](Tx& tx) -> Result<Account> {
    auto user = store::FindUserById(tx, challenge.user_id);
    if (!user) return Problem::Unauthenticated();
    ROSTER_TRY_STATUS(CheckSignInLock(tx, context.settings, user->email, now));
    return Account{*user, store::FindTotpFactor(tx, user->id)};
  }));

  FactorToUse used = ROSTER_TRY(ReadFactor(context, account.factor, factor));

  Result<SignedIn> signed_in = context.database.Write<SignedIn>([&](Tx& tx) -> Result<SignedIn> {
    // The challenge is used once: of two requests with one challenge cookie
    // (each with another recovery code), one opens a session; the other
    // finds it gone, as after a password reset that ended it meanwhile.
    if (!store::DeleteMfaChallenge(tx, challenge.session_id)) return Problem::Unauthenticated();
    if (!UseFactor(tx, account.user.id, used, now)) {
      return InvalidCode(ProblemCode::kUnauthenticated);
    }
    ClearSignInFailures(tx, account.user.email);
    if (used.recovery) {
      AuditInHisOrganizations(
          tx, account.user.id, now, "mfa_recovery_code_used",
          {{"recovery_codes_left", store::CountUnusedRecoveryCodes(tx, account.user.id)}});
    }
    return OpenFullSession(tx, context, account.user);
  });
  if (!signed_in.ok() && signed_in.problem().slug == "invalid_code") {
    spdlog::info("event=login_failed reason=invalid_second_factor user={}", account.user.id);
    if (RecordSignInFailure(context, account.user.email)) return SignInLocked(context.settings);
    return signed_in;
  }
  if (signed_in.ok()) {
    spdlog::info("event=login_succeeded user={} second_factor={}", account.user.id,
                 used.recovery ? "recovery_code" : "totp");
  }
  return signed_in;
}

Result<SignedIn> OpenMfaChallenge(Tx& tx, Context& context, const domain::User& user) {
  UnixSeconds now = context.clock.Now();
  SignedIn signed_in{user, false, NewSessionToken(), /*mfa_required=*/true};
  store::InsertMfaChallenge(tx, HashToken(signed_in.session_token), user.id, now,
                            now + std::min(kMfaChallengeSeconds, context.settings.session_max));
  return signed_in;
}

Result<Principal> AuthenticateMfaChallenge(Context& context, const std::string& token_hash) {
  UnixSeconds now = context.clock.Now();
  struct Found {
    std::optional<store::MfaChallenge> challenge;
    std::optional<domain::User> user;
  };
  Found found = ROSTER_TRY(context.database.Read<Found>([&](Tx& tx) -> Result<Found> {
    Found in_database{store::FindMfaChallenge(tx, token_hash), std::nullopt};
    if (in_database.challenge)
      in_database.user = store::FindUserById(tx, in_database.challenge->user_id);
    return in_database;
  }));
  if (!found.challenge || !found.user) {
    spdlog::debug("event=session_unknown");
    return Problem::Unauthenticated();
  }
  if (found.challenge->expires_at <= now) {
    return Problem::Unauthenticated("unauthenticated",
                                    "The sign-in took too long; enter your password again.");
  }
  Principal pending =
      Principal::Person(found.user->id, found.challenge->id, found.user->email, found.user->name);
  pending.second_factor_pending = true;
  return pending;
}

Status ResetMemberMfa(Context& context, const Principal& caller, Id organization_id,
                      Id user_id) {
  UnixSeconds now = context.clock.Now();
  Status reset = context.database.Write<void>([&](Tx& tx) -> Status {
    Access access = ROSTER_TRY(Require(tx, caller, organization_id, Action::kManageMembers));
    if (!store::FindMembership(tx, organization_id, user_id)) return Problem::NotFound();
    // Only a person answers for taking a second factor away: a key (which
    // leaks more easily than a person is fooled) may not, as it may not
    // change require_mfa.
    if (caller.IsApiKey()) {
      return Problem::Forbidden(
          "A member's second factor is reset by an admin in person, not with an API key.");
    }
    if (user_id == caller.user_id) {
      return Problem::Conflict("own_second_factor",
                               "Turn off your own two-factor sign-in on the Security page, with "
                               "your password and a code.");
    }
    if (!store::HasConfirmedTotp(tx, user_id)) {
      return Problem::Conflict("mfa_not_enabled", "This member has no second factor to reset.");
    }
    // His account, and its second factor, is one across organizations: an
    // admin of one of them resets it only if he is an admin of every
    // organization the person is active in. Otherwise any admin could add
    // an existing account to his own organization (active at once) and
    // take away the second factor another organization relies on.
    std::vector<Id> his_organizations = {organization_id};
    for (const auto& membership : store::OrganizationsOfUser(tx, user_id)) {
      if (membership.state != domain::MembershipState::kActive) continue;
      const Id other = membership.organization.id;
      if (other == organization_id) continue;
      auto own = store::FindMembership(tx, other, caller.user_id);
      if (!own || own->role != domain::Role::kAdmin ||
          own->state != domain::MembershipState::kActive) {
        return Problem::Conflict(
            "mfa_reset_elsewhere",
            "This person also belongs to an organization you are not an admin of, and his second "
            "factor protects it too. He signs in with a recovery code and turns two-factor "
            "sign-in off himself, or an admin of every organization he belongs to resets it.");
      }
      his_organizations.push_back(other);
    }
    store::DeleteTotp(tx, user_id);
    store::DeleteMfaChallengesOfUser(tx, user_id);
    for (Id organization : his_organizations) {
      RecordAudit(tx, organization, now, access.actor, "mfa_reset", user_id,
                  nlohmann::json::object());
    }
    auto organization = store::FindOrganization(tx, organization_id);
    ROSTER_TRY_STATUS(NoticeToHim(tx, context, user_id, mail::SecurityChange::kTwoFactorReset,
                                  caller.name, organization ? organization->name : ""));
    spdlog::info("event=mfa_reset org={} user={} by={}", organization_id, user_id,
                 ActorText(caller));
    return {};
  });
  if (reset.ok()) context.mail_queued();
  return reset;
}

Status ResetAccountMfa(Context& context, const std::string& email) {
  ROSTER_TRY_STATUS(domain::CheckEmailLength(email));
  UnixSeconds now = context.clock.Now();
  Status reset = context.database.Write<void>([&](Tx& tx) -> Status {
    auto user = store::FindUserByEmail(tx, domain::NormalizeEmail(email));
    if (!user) return Problem::NotFound("No account has the e-mail " + email + ".");
    if (!store::HasConfirmedTotp(tx, user->id)) {
      return Problem::Conflict("mfa_not_enabled", email + " has no second factor to reset.");
    }
    store::DeleteTotp(tx, user->id);
    store::DeleteMfaChallengesOfUser(tx, user->id);
    AuditInHisOrganizations(tx, user->id, now, "mfa_reset", nlohmann::json::object(),
                            domain::Actor{});
    ROSTER_TRY_STATUS(
        QueueSecurityNotice(tx, context, *user, mail::SecurityChange::kTwoFactorReset));
    spdlog::info("event=mfa_reset user={} by=command_line", user->id);
    return {};
  });
  if (reset.ok()) context.mail_queued();
  return reset;
}

bool ReadRequireMfa(Tx& tx, Id organization_id) {
  return store::OrganizationRequiresMfa(tx, organization_id);
}

Result<bool> ApplyRequireMfa(Tx& tx, const Principal& caller, const Access& access,
                             Id organization_id, bool required, UnixSeconds now) {
  if (caller.IsApiKey()) {
    return Problem::Forbidden(
        "Requiring two-factor sign-in is changed by an admin in person, not with an API key.");
  }
  if (required && !store::HasConfirmedTotp(tx, caller.user_id)) {
    return Problem::Conflict("mfa_setup_required",
                             "Turn on two-factor sign-in for yourself before requiring it.");
  }
  if (store::OrganizationRequiresMfa(tx, organization_id) != required) {
    store::SetOrganizationRequiresMfa(tx, organization_id, required);
    RecordAudit(tx, organization_id, now, access.actor, "mfa_requirement_changed", std::nullopt,
                {{"require_mfa", required}});
    spdlog::info("event=mfa_requirement_changed org={} require_mfa={} by={}", organization_id,
                 required, ActorText(caller));
  }
  return required;
}

}  // namespace roster::app
