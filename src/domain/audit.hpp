#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "core/ids.hpp"

namespace roster::domain {

// Who did something: a person, an organization's API key, or nobody (the
// command line). At most one of the two is set.
struct Actor {
  std::optional<Id> user_id;
  std::optional<Id> api_key_id;
};

struct AuditEvent {
  Id id = 0;
  Id organization_id = 0;
  UnixSeconds at = 0;
  Actor actor;
  std::string action;  // "invited", "role_changed", ...
  std::optional<Id> target_user_id;
  std::string details;  // a JSON object
};

// An event as the log shows it: with the names and e-mails of the accounts
// and the key's name, so that it says who even after they left the
// organization (accounts are never deleted, revoked keys are kept). Empty
// for an absent actor or target.
struct NamedAuditEvent {
  AuditEvent event;
  std::string actor_name, actor_email;
  std::string actor_api_key_name;
  std::string target_name, target_email;
};

// Which events a list or an export wants: those at or after `since` and
// before `until`, by one actor (a member or an API key), of one action, about
// one target. An absent field does not narrow.
struct AuditFilter {
  std::optional<UnixSeconds> since;
  std::optional<UnixSeconds> until;
  std::optional<Id> actor_user_id;
  std::optional<std::string> action;
  std::optional<Id> target_user_id;
  std::optional<Id> actor_api_key_id;  // done with this API key
};

// An action as the filter accepts it: 1 to 64 of a-z, 0-9, '_' and '.'
// ("role_changed"). An unknown but well-formed action matches nothing.
bool IsWellFormedAuditAction(std::string_view action);

}  // namespace roster::domain
