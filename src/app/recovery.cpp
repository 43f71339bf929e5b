#include "app/recovery.hpp"

#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

#include "app/access.hpp"
#include "app/audit_trail.hpp"
#include "app/mail_queue.hpp"
#include "app/member_rules.hpp"
#include "app/reset_codes.hpp"
#include "auth/secrets.hpp"
#include "domain/validation.hpp"
#include "store/accounts.hpp"
#include "store/organizations.hpp"
#include "store/outbox.hpp"
#include "store/password_resets.hpp"

namespace roster::app {
namespace {

using store::Tx;

// At most this many reset e-mails per account per hour, whoever asks.
constexpr int kResetsPerHour = 3;
constexpr UnixSeconds kResetWindow = 3600;

// Keyed by a hash of the e-mail, so unknown e-mails are counted the same
// way and an attacker's input never grows the database.
std::string ResetBucket(const std::string& normalized_email) {
  return "password-reset:" + HashToken(normalized_email);
}

// Who asked: an admin of an organization, or someone on the sign-in page.
struct Origin {
  const domain::Organization* organization = nullptr;  // nullptr: the sign-in page
  domain::Actor actor;
  std::string requester_name;
};

struct Issued {
  bool sent = false;
  UnixSeconds expires_at = 0;
  int retry_after = 0;  // when !sent: seconds until the account may have another
};

// The shared step of both requests, inside their transaction: counts the
// request against the account's limit and, under it, stores the reset,
// queues its e-mail and writes the audit events. The message is composed
// whether or not it is sent (`user` nullopt or without a password), so an
// unknown e-mail costs the same work.
Result<Issued> IssueReset(Tx& tx, Context& context, const std::string& normalized_email,
                          const std::optional<domain::User>& user, const Origin& origin) {
  UnixSeconds now = context.clock.Now();
  Issued issued{false, now + context.settings.reset_ttl, 0};
  std::string plain = NewOneTimePassword();
  std::string hash = HashOneTimePassword(plain);
  domain::User placeholder;
  placeholder.email = "nobody@example.invalid";
  const domain::User& recipient = user ? *user : placeholder;
  std::string message = ROSTER_TRY(ComposePasswordResetMail(
      context, {recipient, origin.organization, origin.requester_name, plain, issued.expires_at}));

  std::string bucket = ResetBucket(normalized_email);
  auto recent = store::RecentRateEvents(tx, bucket, now - kResetWindow, kResetsPerHour);
  if (static_cast<int>(recent.size()) >= kResetsPerHour) {
    issued.retry_after = static_cast<int>(recent.back() + kResetWindow - now) + 1;
    return issued;
  }
  store::RecordRateEvent(tx, bucket, now);
  if (!user || !user->password_hash) return issued;

  store::ReplacePasswordReset(tx, user->id, hash, issued.expires_at, origin.actor.user_id, now);
  std::optional<Id> mail_organization;
  if (origin.organization) mail_organization = origin.organization->id;
  store::outbox::Enqueue(tx, mail_organization, user->email, message, now, std::nullopt,
                         store::outbox::ResetOfMessage{user->id, hash});
  nlohmann::json details = {{"via", origin.organization ? "admin" : "sign_in_page"},
                            {"expires_at", FormatRfc3339(issued.expires_at)}};
  if (origin.organization) {
    RecordAudit(tx, origin.organization->id, now, origin.actor, "password_reset_requested",
                user->id, details);
  } else {
    // Nobody signed in asked: each organization of the account hears of it.
    for (const auto& membership : store::OrganizationsOfUser(tx, user->id)) {
      if (membership.state != domain::MembershipState::kActive) continue;
      RecordAudit(tx, membership.organization.id, now, {}, "password_reset_requested", user->id,
                  details);
    }
  }
  issued.sent = true;
  return issued;
}

}  // namespace

Status RequestPasswordReset(Context& context, const ResetRequest& request) {
  ROSTER_TRY_STATUS(domain::CheckEmailLength(request.email));
  std::string email = domain::NormalizeEmail(request.email);
  UnixSeconds now = context.clock.Now();
  // SERIALIZABLE: both limits count a window of rows that parallel requests add to.
  Result<Issued> issued = context.database.WriteSerializable<Issued>([&](Tx& tx) -> Result<Issued> {
    ROSTER_TRY_STATUS(
        CountAddressAttempt(tx, context.settings.login_address_limit, request.client_network, now));
    return IssueReset(tx, context, email, store::FindUserByEmail(tx, email), Origin{});
  });
  if (!issued.ok()) return issued.problem();
  if (issued->sent) context.mail_queued();
  // The log says what happened without telling whose account it was.
  spdlog::info("event=password_reset_requested address={} sent={}", request.client_network,
               issued->sent ? "yes" : "no");
  return {};
}

Result<ResetSent> SendPasswordReset(Context& context, const Principal& caller, Id organization_id,
                                    Id user_id) {
  Result<ResetSent> sent =
      context.database.WriteSerializable<ResetSent>([&](Tx& tx) -> Result<ResetSent> {
        Access access = ROSTER_TRY(Require(tx, caller, organization_id, Action::kManageMembers));
        auto member = store::FindMember(tx, organization_id, user_id);
        if (!member) return NoSuchMember();
        if (member->state == domain::MembershipState::kDeactivated) {
          return Problem::Conflict("not_active",
                                   "A deactivated member is sent no password reset; reactivate "
                                   "him first.");
        }
        if (member->state != domain::MembershipState::kActive) {
          return Problem::Conflict("not_active",
                                   "Only active members can be sent a password reset; an invited "
                                   "member gets a new one-time password with Resend invite.");
        }
        auto organization = OrganizationOf(tx, access);
        auto user = store::FindUserById(tx, user_id);
        if (!organization || !user) return Problem::NotFound();
        // The e-mail names who sent it: the admin, or the key and its name.
        std::string sender =
            caller.IsApiKey() ? "The API key \"" + caller.api_key->name + "\"" : caller.name;
        Origin origin{&*organization, access.actor, sender};
        Issued issued = ROSTER_TRY(IssueReset(tx, context, user->email, user, origin));
        if (!issued.sent) {
          return Problem::RateLimited(
              std::max(issued.retry_after, 1),
              "This member was sent 3 password resets within the hour; try again later.");
        }
        return ResetSent{user_id, issued.expires_at};
      });
  if (sent.ok()) {
    context.mail_queued();
    spdlog::info("event=password_reset_sent organization={} actor={} target={}", organization_id,
                 ActorText(caller), user_id);
  }
  return sent;
}

ResetMatch MatchPasswordReset(const std::optional<store::PasswordReset>& reset,
                              const std::string& typed, UnixSeconds now) {
  if (!reset) return {};
  if (!ConstantTimeEquals(reset->otp_hash, HashOneTimePassword(typed))) return {};
  return {true, reset->expires_at <= now};
}

Problem ResetExpired() {
  return Problem::Unauthenticated(
      "reset_expired",
      "This one-time password has expired; ask for a new password reset on the sign-in page.");
}

void RecordResetCompleted(Tx& tx, Id user_id, UnixSeconds now) {
  for (const auto& membership : store::OrganizationsOfUser(tx, user_id)) {
    if (membership.state != domain::MembershipState::kActive) continue;
    RecordAudit(tx, membership.organization.id, now, {user_id, std::nullopt},
                "password_reset_completed", user_id, nlohmann::json::object());
  }
}

}  // namespace roster::app
