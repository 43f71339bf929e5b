#pragma once

#include <string>

#include "app/context.hpp"
#include "core/result.hpp"
#include "domain/model.hpp"
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

// To each active admin of the organization: one of its webhook endpoints
// was disabled after failing since `failing_since`.
Status QueueWebhookDisabledMail(store::Tx& tx, const Context& context, Id organization_id,
                                const std::string& webhook_url, const std::string& reason,
                                UnixSeconds failing_since);

}  // namespace roster::app
