#include "mail/enqueue.hpp"

#include "store/outbox.hpp"

namespace roster::mail {

Status EnqueueEmail(store::Tx& tx, std::optional<Id> organization_id, const EmailContent& content,
                    UnixSeconds now, const std::string& message_id_domain,
                    const std::optional<store::outbox::InvitationOfMessage>& invitation) {
  std::string message = ROSTER_TRY(ComposeMessage(content, now, message_id_domain));
  store::outbox::Enqueue(tx, organization_id, content.to_address, message, now, invitation);
  return {};
}

}  // namespace roster::mail
