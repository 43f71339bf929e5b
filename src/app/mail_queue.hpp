#pragma once

#include <string>

#include "app/context.hpp"
#include "core/result.hpp"
#include "domain/model.hpp"
#include "mail/templates.hpp"
#include "store/database.hpp"

// Renders an e-mail and queues it in the transaction of the change that
// causes it (the outbox pattern); the sender delivers it after commit.
namespace roster::app {

struct InvitationMail {
  const domain::Organization& organization;
  const std::string& inviter_name;  // empty for the command line bootstrap
  const domain::User& invitee;
  const std::string& one_time_password;
  UnixSeconds expires_at;
  bool resent;
};
Status QueueInvitationMail(store::Tx& tx, const Context& context, const InvitationMail& mail);

// For an existing account added to an organization without a password.
Status QueueAddedMail(store::Tx& tx, const Context& context, const domain::Organization& organization,
                    const std::string& inviter_name, const domain::User& user);

// A password reset (SPEC 11) to `user`, composed but not queued: the
// sign-in page's request composes one for unknown e-mails too, so that its
// answer takes the same time. With `organization` it was sent by an admin of
// it (`requested_by`); without, asked for on the sign-in page.
struct PasswordResetMail {
  const domain::User& user;
  const domain::Organization* organization;  // nullptr: self-service
  const std::string& requested_by;
  const std::string& one_time_password;
  UnixSeconds expires_at;
};
Result<std::string> ComposePasswordResetMail(const Context& context, const PasswordResetMail& mail);

// Tells `user` that the way his account signs in changed
// (mail/templates.hpp SecurityChange); for kTwoFactorReset, `admin_name` of
// `organization` did it. Queued with no organization: it is about the account.
Status QueueSecurityNotice(store::Tx& tx, const Context& context, const domain::User& user,
                           mail::SecurityChange change, const std::string& admin_name = "",
                           const std::string& organization_name = "");

// To each active admin of the organization: one of its webhook endpoints
// was disabled after failing since `failing_since`.
Status QueueWebhookDisabledMail(store::Tx& tx, const Context& context, Id organization_id,
                                const std::string& webhook_url, const std::string& reason,
                                UnixSeconds failing_since);

}  // namespace roster::app
