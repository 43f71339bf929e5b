#pragma once

#include <optional>
#include <string>

#include "core/clock.hpp"
#include "core/ids.hpp"
#include "core/result.hpp"
#include "mail/message.hpp"
#include "store/database.hpp"
#include "store/outbox.hpp"

namespace roster::mail {

// Composes `content` (ComposeMessage) and adds it to the outbox in the
// caller's transaction, so the e-mail commits with the change that causes
// it. After the commit, call OutboxSender::Notify for prompt delivery.
// Fails (kValidation) when an address or `message_id_domain` is invalid.
// `invitation`: the pending invitation whose one-time password it carries.
Status EnqueueEmail(
    store::Tx& tx, std::optional<Id> organization_id, const EmailContent& content, UnixSeconds now,
    const std::string& message_id_domain,
    const std::optional<store::outbox::InvitationOfMessage>& invitation = std::nullopt);

}  // namespace roster::mail
