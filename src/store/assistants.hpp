#pragma once

#include <map>
#include <vector>

#include "core/clock.hpp"
#include "core/ids.hpp"
#include "store/database.hpp"

// Assistants and their users.
namespace roster::store {

// organization id -> the assistants the user manages there.
std::map<Id, std::vector<Id>> ManagedAssistantsOfUser(Tx& tx, Id user_id);

}  // namespace roster::store

namespace roster::store {

bool AssistantExists(Tx& tx, Id organization_id, Id assistant_id);
// Assigns the user to the assistant; an existing assignment keeps its flag
// unless `is_manager` is given.
void AssignUser(Tx& tx, Id organization_id, Id assistant_id, Id user_id, bool is_manager,
                UnixSeconds now);

}  // namespace roster::store
