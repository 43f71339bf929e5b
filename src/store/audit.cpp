#include "store/audit.hpp"
#include <limits>

#include <soci/soci.h>

#include "store/row.hpp"

namespace roster::store {

void InsertAuditEvent(Tx& tx, const AuditEvent& event) {
  Id actor = event.actor.user_id.value_or(0);
  Id key = event.actor.api_key_id.value_or(0);
  Id target = event.target_user_id.value_or(0);
  soci::indicator actor_indicator = event.actor.user_id ? soci::i_ok : soci::i_null;
  soci::indicator key_indicator = event.actor.api_key_id ? soci::i_ok : soci::i_null;
  soci::indicator target_indicator = event.target_user_id ? soci::i_ok : soci::i_null;
  tx.sql << "INSERT INTO audit_events (organization_id, at, actor_user_id, actor_api_key_id, "
            "action, target_user_id, details) "
            "VALUES (:org, :at, :actor, :key, :action, :target, :details)",
      soci::use(event.organization_id), soci::use(event.at), soci::use(actor, actor_indicator),
      soci::use(key, key_indicator), soci::use(event.action), soci::use(target, target_indicator),
      soci::use(event.details);
}

Result<Page<NamedAuditEvent>> ListAuditEvents(Tx& tx, Id organization_id, int limit,
                                              const std::optional<std::string>& cursor) {
  Id before = std::numeric_limits<Id>::max();
  if (cursor) {
    auto parsed = ParseId(*cursor);
    if (!parsed) return Problem::Validation("cursor", "The cursor is not valid.");
    before = *parsed;
  }
  Page<NamedAuditEvent> page;
  int fetch = limit + 1;
  soci::rowset<soci::row> rows =
      (tx.sql.prepare << "SELECT e.id, e.organization_id, e.at, e.actor_user_id, e.action, "
                         "e.target_user_id, e.details, a.name, a.email, t.name, t.email, "
                         "e.actor_api_key_id, k.name "
                         "FROM audit_events e LEFT JOIN users a ON a.id = e.actor_user_id "
                         "LEFT JOIN api_keys k ON k.id = e.actor_api_key_id "
                         "LEFT JOIN users t ON t.id = e.target_user_id "
                         "WHERE e.organization_id = :org AND e.id < :before "
                         "ORDER BY e.id DESC LIMIT :limit",
       soci::use(organization_id), soci::use(before), soci::use(fetch));
  for (const soci::row& row : rows) {
    if (static_cast<int>(page.items.size()) == limit) {
      page.next_cursor = FormatId(page.items.back().event.id);
      break;
    }
    NamedAuditEvent named;
    named.event = {Int64(row, 0),        Int64(row, 1),
                   Int64(row, 2),        {OptionalInt64(row, 3), OptionalInt64(row, 11)},
                   Text(row, 4),         OptionalInt64(row, 5),
                   Text(row, 6)};
    named.actor_name = OptionalText(row, 7).value_or("");
    named.actor_email = OptionalText(row, 8).value_or("");
    named.target_name = OptionalText(row, 9).value_or("");
    named.target_email = OptionalText(row, 10).value_or("");
    named.actor_api_key_name = OptionalText(row, 12).value_or("");
    page.items.push_back(std::move(named));
  }
  return page;
}

}  // namespace roster::store
