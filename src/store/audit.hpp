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

// Written inside the transaction of the change it describes; answers its id.
Id InsertAuditEvent(Tx& tx, const AuditEvent& event);

using domain::AuditFilter;

// Newest first, narrowed by `filter`. A malformed cursor is a 422.
Result<Page<NamedAuditEvent>> ListAuditEvents(Tx& tx, Id organization_id, int limit,
                                              const std::optional<std::string>& cursor,
                                              const AuditFilter& filter = {});

}  // namespace roster::store
