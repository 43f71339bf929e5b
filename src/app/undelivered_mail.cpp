#include "app/undelivered_mail.hpp"

#include <string_view>

#include "app/audit_trail.hpp"
#include "store/organizations.hpp"
#include "store/outbox.hpp"

namespace roster::app {

std::string UndeliveredReason(const std::string& error) {
  static constexpr std::string_view kReply = "last reply ";
  std::size_t at = error.find(kReply);
  std::string code = at == std::string::npos ? "" : error.substr(at + kReply.size(), 3);
  if (code.empty()) return "The mail server refused the e-mail.";
  // libcurl names the refused command: RCPT TO is the recipient's address.
  if (error.find("RCPT failed") != std::string::npos) {
    return "The mail server refused the address (" + code + ").";
  }
  return "The mail server refused the e-mail (" + code + ").";
}

void RecordUndeliveredMail(store::Tx& tx, const store::outbox::OutboxMessage& message,
                           const std::string& error, UnixSeconds now) {
  if (!message.organization_id || !message.invitation) return;
  const Id organization_id = *message.organization_id;
  const store::outbox::InvitationOfMessage& invitation = *message.invitation;
  std::string reason = UndeliveredReason(error);
  if (!store::MarkInviteUndelivered(tx, organization_id, invitation.user_id, invitation.expires_at,
                                    reason)) {
    return;  // accepted, revoked or sent again since: no longer his pending invitation's
  }
  RecordAudit(tx, organization_id, now, domain::Actor{}, "invite_undelivered", invitation.user_id,
              {{"reason", reason}, {"expires_at", FormatRfc3339(invitation.expires_at)}});
}

}  // namespace roster::app
