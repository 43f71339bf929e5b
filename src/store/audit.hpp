#pragma once

#include <optional>
#include <string>

#include "core/result.hpp"
#include "domain/audit.hpp"
#include "store/database.hpp"
#include "store/page.hpp"

namespace roster::store {

using domain::AuditEvent;
using domain::NamedAuditEvent;

class Query;

// Written inside the transaction of the change it describes; answers its id.
Id InsertAuditEvent(Tx& tx, const AuditEvent& event);

// The head of InsertAuditEvent's statement, for a change that writes its
// event in the same statement (`WITH changed AS (UPDATE ...) ` this
// `SELECT` the seven values in this order `FROM changed RETURNING id`).
#define ROSTER_INSERT_AUDIT_EVENT                                                   \
  "INSERT INTO audit_events (organization_id, at, actor_user_id, actor_api_key_id, " \
  "action, target_user_id, details) "

// Binds the seven values of `event` in ROSTER_INSERT_AUDIT_EVENT's order, as
// the next parameters of `query`.
Query& BindAuditEvent(Query& query, const AuditEvent& event);

using domain::AuditFilter;

// Newest first, narrowed by `filter`. A malformed cursor is a 422.
Result<Page<NamedAuditEvent>> ListAuditEvents(Tx& tx, Id organization_id, int limit,
                                              const std::optional<std::string>& cursor,
                                              const AuditFilter& filter = {});

}  // namespace roster::store
