#pragma once

#include <optional>
#include <string>

#include "core/result.hpp"
#include "store/database.hpp"
#include "store/page.hpp"

namespace roster::store {

struct AuditEvent {
  Id id = 0;
  Id organization_id = 0;
  UnixSeconds at = 0;
  std::optional<Id> actor_user_id;  // absent for the command line
  std::string action;               // "invited", "role_changed", ...
  std::optional<Id> target_user_id;
  std::string details;              // a JSON object
};

// Written inside the transaction of the change it describes.
void InsertAuditEvent(Tx& tx, const AuditEvent& event);

// Newest first. A malformed cursor is a 422.
Result<Page<AuditEvent>> ListAuditEvents(Tx& tx, Id organization_id, int limit,
                                         const std::optional<std::string>& cursor);

}  // namespace roster::store
