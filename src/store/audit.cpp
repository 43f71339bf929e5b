#include "store/audit.hpp"
#include <limits>

#include "store/query.hpp"
#include "store/sql_builder.hpp"

namespace roster::store {

Id InsertAuditEvent(Tx& tx, const AuditEvent& event) {
  // Prepared once per connection: every audited change runs it, most of
  // them while holding a lock.
  Query insert(tx, ROSTER_INSERT_AUDIT_EVENT "VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id");
  BindAuditEvent(insert, event).Next();
  return insert.Int64(0);
}

Query& BindAuditEvent(Query& query, const AuditEvent& event) {
  return query.Bind(static_cast<std::int64_t>(event.organization_id))
      .Bind(static_cast<std::int64_t>(event.at))
      .Bind(event.actor.user_id)
      .Bind(event.actor.api_key_id)
      .Bind(std::string_view(event.action))
      .Bind(event.target_user_id)
      .Bind(std::string_view(event.details));
}

Result<Page<NamedAuditEvent>> ListAuditEvents(Tx& tx, Id organization_id, int limit,
                                              const std::optional<std::string>& cursor,
                                              const AuditFilter& filter) {
  Id before = std::numeric_limits<Id>::max();
  if (cursor) {
    auto parsed = ParseId(*cursor);
    if (!parsed) return Problem::Validation("cursor", "The cursor is not valid.");
    before = *parsed;
  }
  Page<NamedAuditEvent> page;
  // Each filter has an index that starts (organization_id, field, ...) and
  // ends in id (V010), so the newest-first walk stays one index range; the
  // time window has (organization_id, at).
  SqlBuilder query;
  query.sql =
      "SELECT e.id, e.organization_id, e.at, e.actor_user_id, e.action, "
      "e.target_user_id, e.details, a.name, a.email, t.name, t.email, "
      "e.actor_api_key_id, k.name "
      "FROM audit_events e LEFT JOIN users a ON a.id = e.actor_user_id "
      "LEFT JOIN api_keys k ON k.id = e.actor_api_key_id "
      "LEFT JOIN users t ON t.id = e.target_user_id "
      "WHERE e.organization_id = " + query.Bind(organization_id) +
      " AND e.id < " + query.Bind(before);
  if (filter.since) query.sql += " AND e.at >= " + query.Bind(*filter.since);
  if (filter.until) query.sql += " AND e.at < " + query.Bind(*filter.until);
  if (filter.actor_user_id) query.sql += " AND e.actor_user_id = " + query.Bind(*filter.actor_user_id);
  if (filter.actor_api_key_id) {
    query.sql += " AND e.actor_api_key_id = " + query.Bind(*filter.actor_api_key_id);
  }
  if (filter.target_user_id) {
    query.sql += " AND e.target_user_id = " + query.Bind(*filter.target_user_id);
  }
  if (filter.action) query.sql += " AND e.action = " + query.Bind(*filter.action);
  query.sql += " ORDER BY e.id DESC LIMIT " + query.Bind(limit + 1);
  // Without a time window the page is a range of one of those indexes, in
  // its order: without statistics PostgreSQL read all 30,000 events of an
  // organization and sorted them (21 ms instead of 0.2; AvoidSorts). A
  // window is read through (organization_id, at) and sorted.
  const bool walk_index = !filter.since && !filter.until;
  if (walk_index) AvoidSorts(tx);
  Query row(tx, query.sql, Query::Reuse::kOnce);
  query.BindTo(row);
  while (row.Next()) {
    if (static_cast<int>(page.items.size()) == limit) {
      page.next_cursor = FormatId(page.items.back().event.id);
      break;
    }
    NamedAuditEvent named;
    named.event = {row.Int64(0),        row.Int64(1),
                   row.Int64(2),        {row.OptionalInt64(3), row.OptionalInt64(11)},
                   row.Text(4),         row.OptionalInt64(5),
                   row.Text(6)};
    named.actor_name = row.Text(7);
    named.actor_email = row.Text(8);
    named.target_name = row.Text(9);
    named.target_email = row.Text(10);
    named.actor_api_key_name = row.Text(12);
    page.items.push_back(std::move(named));
  }
  if (walk_index) RestoreSorts(tx);
  return page;
}

}  // namespace roster::store
