#include "store/outbox.hpp"

#include <algorithm>
#include <tuple>

#include "store/query.hpp"

namespace roster::store::outbox {
namespace {

constexpr const char* kColumns =
    "id, organization_id, recipient, message, created_at, attempts, next_attempt_at,"
    " lease_until, sent_at, last_error, invitation_user_id, invitation_expires_at,"
    " reset_user_id, reset_otp_hash";

OutboxMessage ReadMessage(const Query& row) {
  OutboxMessage message;
  message.id = static_cast<Id>(row.Int64(0));
  std::optional<std::int64_t> organization = row.OptionalInt64(1);
  if (organization) message.organization_id = static_cast<Id>(*organization);
  message.recipient = row.Text(2);
  message.message = row.Text(3);
  message.created_at = row.Int64(4);
  message.attempts = static_cast<int>(row.Int64(5));
  message.next_attempt_at = row.Int64(6);
  message.lease_until = row.OptionalInt64(7);
  message.sent_at = row.OptionalInt64(8);
  message.last_error = row.OptionalText(9);
  std::optional<std::int64_t> invited = row.OptionalInt64(10);
  std::optional<std::int64_t> expires_at = row.OptionalInt64(11);
  if (invited && expires_at) message.invitation = InvitationOfMessage{*invited, *expires_at};
  std::optional<std::int64_t> reset_user = row.OptionalInt64(12);
  std::optional<std::string> reset_hash = row.OptionalText(13);
  if (reset_user && reset_hash) message.reset = ResetOfMessage{*reset_user, std::move(*reset_hash)};
  return message;
}

// `sql` counts messages, with kGaveUp as its parameter $1.
Result<std::int64_t> Count(Database& database, const char* sql) {
  return database.Read<std::int64_t>([&](Tx& tx) -> Result<std::int64_t> {
    Query count(tx, sql);
    count.Bind(static_cast<std::int64_t>(kGaveUp)).Next();
    return count.Int64(0);
  });
}

}  // namespace

void Enqueue(Tx& tx, std::optional<Id> organization_id, const std::string& recipient,
             const std::string& message, UnixSeconds now,
             const std::optional<InvitationOfMessage>& invitation,
             const std::optional<ResetOfMessage>& reset) {
  // Nothing reads the message back before the commit: on PostgreSQL it goes
  // with the COMMIT, no round trip of its own.
  Query insert(tx,
               "INSERT INTO outbox_messages (organization_id, recipient, message, created_at,"
               " attempts, next_attempt_at, invitation_user_id, invitation_expires_at,"
               " reset_user_id, reset_otp_hash)"
               " VALUES ($1, $2, $3, $4, 0, $5, $6, $7, $8, $9)");
  std::optional<std::int64_t> organization, invited, expires_at, reset_user;
  if (organization_id) organization = static_cast<std::int64_t>(*organization_id);
  if (invitation) {
    invited = static_cast<std::int64_t>(invitation->user_id);
    expires_at = static_cast<std::int64_t>(invitation->expires_at);
  }
  if (reset) reset_user = static_cast<std::int64_t>(reset->user_id);
  insert.Bind(organization)
      .Bind(std::string_view(recipient))
      .Bind(std::string_view(message))
      .Bind(static_cast<std::int64_t>(now))
      .Bind(static_cast<std::int64_t>(now))
      .Bind(invited)
      .Bind(expires_at)
      .Bind(reset_user);
  if (reset) {
    insert.Bind(std::string_view(reset->otp_hash));
  } else {
    insert.Bind(std::optional<std::int64_t>());
  }
  insert.ExecuteAtCommit();
}

Result<std::vector<OutboxMessage>> ClaimDue(Database& database, UnixSeconds now, int lease_seconds,
                                            int limit) {
  using Messages = std::vector<OutboxMessage>;
  return database.WriteOneStatement<Messages>([&](Tx& tx) -> Result<Messages> {
    // One statement, prepared once per connection (every e-mail is
    // claimed): the due messages in the order of outbox_unsent (V013),
    // leased as they are read. The selection is a materialized CTE so that
    // PostgreSQL locks and limits it once, before the UPDATE; concurrent
    // claimers skip each other's rows there.
    std::string claim =
        "WITH due AS MATERIALIZED (SELECT id FROM outbox_messages"
        " WHERE sent_at IS NULL AND next_attempt_at <= $2"
        " AND (lease_until IS NULL OR lease_until <= $2)"
        " ORDER BY next_attempt_at, id LIMIT $3";
    if (tx.backend == Backend::kPostgres) claim += " FOR UPDATE SKIP LOCKED";
    // The last column: whether the one-time password the e-mail carries
    // has ended: its invitation, as store::MarkInviteUndelivered reads "his
    // pending invitation", or its password reset.
    claim +=
        ") UPDATE outbox_messages SET lease_until = $1, attempts = attempts + 1"
        " WHERE id IN (SELECT id FROM due) RETURNING ";
    claim += kColumns;
    claim +=
        ", CASE WHEN (invitation_user_id IS NULL OR EXISTS (SELECT 1 FROM memberships m"
        " WHERE m.organization_id = outbox_messages.organization_id"
        " AND m.user_id = outbox_messages.invitation_user_id AND m.status = 'invited'"
        " AND m.invite_expires_at = outbox_messages.invitation_expires_at"
        " AND m.invite_expires_at > $2))"
        " AND (reset_user_id IS NULL OR EXISTS (SELECT 1 FROM password_resets r"
        " WHERE r.user_id = outbox_messages.reset_user_id"
        " AND r.otp_hash = outbox_messages.reset_otp_hash AND r.expires_at > $2))"
        " THEN 0 ELSE 1 END";
    Query due(tx, claim);
    due.Bind(static_cast<std::int64_t>(now + lease_seconds))
        .Bind(static_cast<std::int64_t>(now))
        .Bind(static_cast<std::int64_t>(limit));
    Messages claimed;
    while (due.Next()) {
      claimed.push_back(ReadMessage(due));
      claimed.back().password_ended = due.Int64(14) != 0;
    }
    // RETURNING follows no order.
    std::sort(claimed.begin(), claimed.end(), [](const OutboxMessage& a, const OutboxMessage& b) {
      return std::tie(a.next_attempt_at, a.id) < std::tie(b.next_attempt_at, b.id);
    });
    return claimed;
  });
}

Status MarkSent(Database& database, Id id, UnixSeconds now) {
  return database.WriteOneStatement<void>([&](Tx& tx) -> Status {
    std::int64_t changed =
        Query(tx, "UPDATE outbox_messages SET sent_at = $1, message = '', lease_until = NULL, "
                  "reset_otp_hash = NULL WHERE id = $2")
            .Bind(static_cast<std::int64_t>(now))
            .Bind(static_cast<std::int64_t>(id))
            .Execute();
    if (changed == 0) return Problem::NotFound("There is no outbox message " + FormatId(id) + ".");
    return {};
  });
}

Status MarkFailed(Tx& tx, Id id, const std::string& error, UnixSeconds next_attempt_at) {
  // Given up: nothing will send it, so its one-time password goes now.
  std::string clear_message =
      next_attempt_at == kGaveUp ? " message = '', reset_otp_hash = NULL," : "";
  std::int64_t changed = Query(tx, "UPDATE outbox_messages SET last_error = $1," + clear_message +
                                       " next_attempt_at = $2, lease_until = NULL"
                                       " WHERE id = $3 AND sent_at IS NULL")
                             .Bind(std::string_view(error))
                             .Bind(static_cast<std::int64_t>(next_attempt_at))
                             .Bind(static_cast<std::int64_t>(id))
                             .Execute();
  if (changed == 0) {
    return Problem::NotFound("There is no unsent outbox message " + FormatId(id) + ".");
  }
  return {};
}

Status MarkFailed(Database& database, Id id, const std::string& error,
                  UnixSeconds next_attempt_at) {
  return database.WriteOneStatement<void>(
      [&](Tx& tx) -> Status { return MarkFailed(tx, id, error, next_attempt_at); });
}

Status Withdraw(Database& database, Id id) {
  return database.WriteOneStatement<void>([&](Tx& tx) -> Status {
    Query(tx, "DELETE FROM outbox_messages WHERE id = $1 AND sent_at IS NULL")
        .Bind(static_cast<std::int64_t>(id))
        .Execute();
    return {};
  });
}

Status Release(Database& database, Id id) {
  return database.WriteOneStatement<void>([&](Tx& tx) -> Status {
    Query(tx,
          "UPDATE outbox_messages SET lease_until = NULL,"
          " attempts = CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END"
          " WHERE id = $1 AND sent_at IS NULL AND lease_until IS NOT NULL")
        .Bind(static_cast<std::int64_t>(id))
        .Execute();
    return {};
  });
}

Result<std::int64_t> CountPending(Database& database) {
  return Count(database,
               "SELECT COUNT(*) FROM outbox_messages"
               " WHERE sent_at IS NULL AND next_attempt_at < $1");
}

Result<std::int64_t> CountFailed(Database& database) {
  return Count(database,
               "SELECT COUNT(*) FROM outbox_messages"
               " WHERE sent_at IS NULL AND next_attempt_at = $1");
}

Result<std::optional<OutboxMessage>> Find(Database& database, Id id) {
  using Found = std::optional<OutboxMessage>;
  return database.Read<Found>([&](Tx& tx) -> Result<Found> {
    Query row(tx, std::string("SELECT ") + kColumns + " FROM outbox_messages WHERE id = $1");
    row.Bind(static_cast<std::int64_t>(id));
    if (!row.Next()) return Found();
    return Found(ReadMessage(row));
  });
}

}  // namespace roster::store::outbox
