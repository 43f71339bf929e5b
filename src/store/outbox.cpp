#include "store/outbox.hpp"

#include <soci/soci.h>

#include "store/query.hpp"

namespace roster::store::outbox {
namespace {

constexpr const char* kColumns =
    "SELECT id, organization_id, recipient, message, created_at, attempts, next_attempt_at,"
    " lease_until, sent_at, last_error FROM outbox_messages ";

// Due: unsent, its time has come, and nobody holds a live lease on it.
constexpr const char* kDueCondition =
    "WHERE sent_at IS NULL AND next_attempt_at <= :now"
    " AND (lease_until IS NULL OR lease_until <= :lease_now)"
    " ORDER BY next_attempt_at, id LIMIT :limit";

// The receiving end of a kColumns row; nullable columns carry indicators.
struct RowBuffer {
  OutboxMessage row;
  Id organization_id = 0;
  UnixSeconds lease_until = 0, sent_at = 0;
  std::string last_error;
  soci::indicator organization_null = soci::i_ok, lease_null = soci::i_ok, sent_null = soci::i_ok,
                  error_null = soci::i_ok;

  void Bind(soci::statement& statement) {
    statement.exchange(soci::into(row.id));
    statement.exchange(soci::into(organization_id, organization_null));
    statement.exchange(soci::into(row.recipient));
    statement.exchange(soci::into(row.message));
    statement.exchange(soci::into(row.created_at));
    statement.exchange(soci::into(row.attempts));
    statement.exchange(soci::into(row.next_attempt_at));
    statement.exchange(soci::into(lease_until, lease_null));
    statement.exchange(soci::into(sent_at, sent_null));
    statement.exchange(soci::into(last_error, error_null));
  }

  OutboxMessage Take() const {
    OutboxMessage out = row;
    if (organization_null == soci::i_ok) out.organization_id = organization_id;
    if (lease_null == soci::i_ok) out.lease_until = lease_until;
    if (sent_null == soci::i_ok) out.sent_at = sent_at;
    if (error_null == soci::i_ok) out.last_error = last_error;
    return out;
  }
};

// Runs an UPDATE and answers how many rows it changed.
template <class... Uses>
long long Update(Tx& tx, const std::string& sql, Uses&&... uses) {
  soci::statement statement = ((tx.sql.prepare << sql), ..., std::forward<Uses>(uses));
  statement.execute(true);
  return statement.get_affected_rows();
}

Result<std::int64_t> Count(Database& database, const char* sql) {
  return database.Read<std::int64_t>([&](Tx& tx) -> Result<std::int64_t> {
    std::int64_t count = 0;
    UnixSeconds gave_up = kGaveUp;
    tx.sql << sql, soci::into(count), soci::use(gave_up);
    return count;
  });
}

}  // namespace

Result<Id> Enqueue(Tx& tx, std::optional<Id> organization_id, const std::string& recipient,
                   const std::string& message, UnixSeconds now) {
  // Prepared once per connection: every invitation queues a message.
  Query insert(tx,
               "INSERT INTO outbox_messages (organization_id, recipient, message, created_at,"
               " attempts, next_attempt_at) VALUES ($1, $2, $3, $4, 0, $5) RETURNING id");
  std::optional<std::int64_t> organization;
  if (organization_id) organization = static_cast<std::int64_t>(*organization_id);
  insert.Bind(organization)
      .Bind(std::string_view(recipient))
      .Bind(std::string_view(message))
      .Bind(static_cast<std::int64_t>(now))
      .Bind(static_cast<std::int64_t>(now));
  insert.Next();
  return static_cast<Id>(insert.Int64(0));
}

Result<std::vector<OutboxMessage>> ClaimDue(Database& database, UnixSeconds now, int lease_seconds,
                                            int limit) {
  using Messages = std::vector<OutboxMessage>;
  return database.Write<Messages>([&](Tx& tx) -> Result<Messages> {
    std::string query = std::string(kColumns) + kDueCondition;
    if (tx.backend == Backend::kPostgres) query += " FOR UPDATE SKIP LOCKED";
    UnixSeconds lease_now = now;
    RowBuffer buffer;
    soci::statement select(tx.sql);
    buffer.Bind(select);
    select.exchange(soci::use(now));
    select.exchange(soci::use(lease_now));
    select.exchange(soci::use(limit));
    select.alloc();
    select.prepare(query);
    select.define_and_bind();
    select.execute(false);
    Messages claimed;
    while (select.fetch()) claimed.push_back(buffer.Take());

    UnixSeconds lease_until = now + lease_seconds;
    for (OutboxMessage& message : claimed) {
      // Prepared once per connection, as MarkSent's: every e-mail runs both.
      Query(tx, "UPDATE outbox_messages SET lease_until = $1, attempts = attempts + 1 WHERE id = $2")
          .Bind(static_cast<std::int64_t>(lease_until))
          .Bind(static_cast<std::int64_t>(message.id))
          .Execute();
      message.lease_until = lease_until;
      message.attempts += 1;
    }
    return claimed;
  });
}

Status MarkSent(Database& database, Id id, UnixSeconds now) {
  return database.Write<void>([&](Tx& tx) -> Status {
    std::int64_t changed =
        Query(tx, "UPDATE outbox_messages SET sent_at = $1, message = '', lease_until = NULL "
                  "WHERE id = $2")
            .Bind(static_cast<std::int64_t>(now))
            .Bind(static_cast<std::int64_t>(id))
            .Execute();
    if (changed == 0) return Problem::NotFound("There is no outbox message " + FormatId(id) + ".");
    return {};
  });
}

Status MarkFailed(Database& database, Id id, const std::string& error,
                  UnixSeconds next_attempt_at) {
  return database.Write<void>([&](Tx& tx) -> Status {
    // Given up: nothing will send it, so its one-time password goes now.
    std::string clear_message = next_attempt_at == kGaveUp ? " message = ''," : "";
    long long changed = Update(tx,
                               "UPDATE outbox_messages SET last_error = :error," + clear_message +
                                   " next_attempt_at = :next, lease_until = NULL"
                                   " WHERE id = :id AND sent_at IS NULL",
                               soci::use(error), soci::use(next_attempt_at), soci::use(id));
    if (changed == 0) {
      return Problem::NotFound("There is no unsent outbox message " + FormatId(id) + ".");
    }
    return {};
  });
}

Status Release(Database& database, Id id) {
  return database.Write<void>([&](Tx& tx) -> Status {
    Update(tx,
           "UPDATE outbox_messages SET lease_until = NULL,"
           " attempts = CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END"
           " WHERE id = :id AND sent_at IS NULL AND lease_until IS NOT NULL",
           soci::use(id));
    return {};
  });
}

Result<std::int64_t> CountPending(Database& database) {
  return Count(database,
               "SELECT COUNT(*) FROM outbox_messages"
               " WHERE sent_at IS NULL AND next_attempt_at < :gave_up");
}

Result<std::int64_t> CountFailed(Database& database) {
  return Count(database,
               "SELECT COUNT(*) FROM outbox_messages"
               " WHERE sent_at IS NULL AND next_attempt_at = :gave_up");
}

Result<std::optional<OutboxMessage>> Find(Database& database, Id id) {
  using Found = std::optional<OutboxMessage>;
  return database.Read<Found>([&](Tx& tx) -> Result<Found> {
    RowBuffer buffer;
    soci::statement select(tx.sql);
    buffer.Bind(select);
    select.exchange(soci::use(id));
    select.alloc();
    select.prepare(std::string(kColumns) + "WHERE id = :id");
    select.define_and_bind();
    if (!select.execute(true)) return Found();
    return Found(buffer.Take());
  });
}

}  // namespace roster::store::outbox
