#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/ids.hpp"
#include "core/result.hpp"
#include "store/database.hpp"

// The outbox: e-mails written in the same transaction as the change that
// causes them, and delivered later by mail::OutboxSender. A message is
//   pending   sent_at IS NULL and next_attempt_at < kGaveUp
//   due       pending, next_attempt_at <= now, and not leased (lease_until
//             NULL or past: a sender that died holding it no longer does)
//   sent      sent_at set; `message` is then '' so a one-time password does
//             not outlive its e-mail
//   failed    sent_at IS NULL and next_attempt_at = kGaveUp (the sender gave
//             up; last_error says why). An operator retries it by setting
//             next_attempt_at back to a past time.
// An unsent invitation or password reset e-mail whose one-time password
// no longer works is withdrawn: the row goes, its one-time password with it.
namespace roster::store::outbox {

inline constexpr UnixSeconds kGaveUp = std::numeric_limits<std::int64_t>::max();

// The pending invitation whose one-time password an e-mail carries: the
// member's, until `expires_at` (V017).
struct InvitationOfMessage {
  Id user_id = 0;
  UnixSeconds expires_at = 0;
};

// The password reset whose one-time password an e-mail carries: the
// account's while password_resets holds this hash for it, unexpired (V019).
struct ResetOfMessage {
  Id user_id = 0;
  std::string otp_hash;
};

struct OutboxMessage {
  Id id = 0;
  std::optional<Id> organization_id;
  std::string recipient;
  std::string message;  // the whole RFC 5322 text, CRLF line ends
  UnixSeconds created_at = 0;
  int attempts = 0;  // deliveries started: counted when claimed
  UnixSeconds next_attempt_at = 0;
  std::optional<UnixSeconds> lease_until;
  std::optional<UnixSeconds> sent_at;
  std::optional<std::string> last_error;
  std::optional<InvitationOfMessage> invitation;
  std::optional<ResetOfMessage> reset;
  // Set by ClaimDue: the one-time password this e-mail carries signs no one
  // in. Its `invitation` is no longer the member's pending one (sent again,
  // accepted, revoked, or expired), or its `reset` is no longer the
  // account's (a newer one asked for, used, or expired).
  bool password_ended = false;
};

// Adds a message, due at once. Runs in the caller's transaction, so the
// message commits (or not) with the change that caused it; on PostgreSQL it
// is written with the COMMIT (Query::ExecuteAtCommit), so the transaction
// does not see it.
void Enqueue(Tx& tx, std::optional<Id> organization_id, const std::string& recipient,
             const std::string& message, UnixSeconds now,
             const std::optional<InvitationOfMessage>& invitation = std::nullopt,
             const std::optional<ResetOfMessage>& reset = std::nullopt);

// Claims up to `limit` due messages, oldest due first: each gets
// lease_until = now + lease_seconds and one more attempt, and is read with
// password_ended as of `now`. Until the lease ends no other claim returns
// it; the caller must MarkSent, MarkFailed, Withdraw or Release it before
// then. On PostgreSQL concurrent claimers skip each
// other's rows (FOR UPDATE SKIP LOCKED); SQLite has one writer at a time.
Result<std::vector<OutboxMessage>> ClaimDue(Database& database, UnixSeconds now, int lease_seconds,
                                            int limit);

// Records delivery: sent_at = now, message cleared, lease dropped.
// kNotFound when there is no such message.
Status MarkSent(Database& database, Id id, UnixSeconds now);

// Records a failed attempt: last_error = error, the lease dropped, and the
// next attempt at `next_attempt_at` (kGaveUp: never, and the message is
// cleared as on delivery, so no one-time password stays behind; recipient
// and error remain for the operator). kNotFound when there is no such
// unsent message.
Status MarkFailed(Database& database, Id id, const std::string& error, UnixSeconds next_attempt_at);
// The same in the caller's transaction.
Status MarkFailed(Tx& tx, Id id, const std::string& error, UnixSeconds next_attempt_at);

// Deletes an unsent message: an invitation e-mail whose invitation ended.
// A message sent meanwhile stays.
Status Withdraw(Database& database, Id id);

// Gives back a claimed message that was not tried: the lease dropped and the
// attempt that ClaimDue counted taken back. It is due again at once.
Status Release(Database& database, Id id);

// Messages not yet sent that will still be tried (failed ones excluded).
Result<std::int64_t> CountPending(Database& database);

// Messages the sender gave up on.
Result<std::int64_t> CountFailed(Database& database);

// One message, whatever its state; nullopt when there is none.
Result<std::optional<OutboxMessage>> Find(Database& database, Id id);

}  // namespace roster::store::outbox
