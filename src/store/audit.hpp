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

// An event as the log shows it: with the names and e-mails of the accounts,
// so that it says who even after they left the organization (accounts are
// never deleted). Empty for an absent actor or target.
struct NamedAuditEvent {
  AuditEvent event;
  std::string actor_name, actor_email;
  std::string target_name, target_email;
};

// Written inside the transaction of the change it describes.
void InsertAuditEvent(Tx& tx, const AuditEvent& event);

// A window of time: events at or after `since` and before `until`.
struct AuditRange {
  std::optional<UnixSeconds> since;
  std::optional<UnixSeconds> until;
};

// Newest first, within `range`. A malformed cursor is a 422.
Result<Page<NamedAuditEvent>> ListAuditEvents(Tx& tx, Id organization_id, int limit,
                                              const std::optional<std::string>& cursor,
                                              const AuditRange& range = {});

}  // namespace roster::store
