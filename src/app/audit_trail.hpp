#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "store/audit.hpp"

// For the use cases of app/ only: one audit event, written in the
// transaction of the change it describes.
namespace roster::app {

inline void RecordAudit(store::Tx& tx, Id organization_id, UnixSeconds now,
                        std::optional<Id> actor, std::string action, std::optional<Id> target,
                        const nlohmann::json& details) {
  store::InsertAuditEvent(tx, {0, organization_id, now, actor, std::move(action), target,
                               details.dump()});
}

}  // namespace roster::app
