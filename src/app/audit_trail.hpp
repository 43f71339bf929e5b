#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "app/principal.hpp"
#include "store/audit.hpp"

// For the use cases of app/ only: one audit event, written in the
// transaction of the change it describes.
namespace roster::app {

inline void RecordAudit(store::Tx& tx, Id organization_id, UnixSeconds now,
                        const domain::Actor& actor, std::string action, std::optional<Id> target,
                        const nlohmann::json& details) {
  store::InsertAuditEvent(tx, {0, organization_id, now, actor, std::move(action), target,
                               details.dump()});
}

// The principal for a log line: "7" for a person, "key:3" for an API key.
inline std::string ActorText(const Principal& caller) {
  return caller.api_key ? "key:" + FormatId(caller.api_key->id) : FormatId(caller.user_id);
}

}  // namespace roster::app
