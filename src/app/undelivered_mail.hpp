#pragma once

#include <string>

#include "core/clock.hpp"

namespace roster::store {
class Tx;
namespace outbox {
struct OutboxMessage;
}
}  // namespace roster::store

// The end of the e-mail outbox for the mail sender (mail/outbox_sender.hpp,
// OutboxSenderOptions::given_up): what a given-up e-mail means to the
// organization.
namespace roster::app {

// `message` was given up (the mail server refused it, `error`), in the
// transaction that marks it so. An invitation's e-mail that was its
// member's pending invitation's marks the membership with a reason an admin
// can act on (the members page's `invite_undelivered`) and writes the
// `invite_undelivered` audit event, with its webhook deliveries
// (`member.invite_undelivered`). Other e-mails: nothing more (the sender
// logs them).
void RecordUndeliveredMail(store::Tx& tx, const store::outbox::OutboxMessage& message,
                           const std::string& error, UnixSeconds now);

// The reason RecordUndeliveredMail shows an admin for a sender's `error`:
// the mail server's reply code, never its host.
std::string UndeliveredReason(const std::string& error);

}  // namespace roster::app
