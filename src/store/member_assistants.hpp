#pragma once

#include <map>
#include <vector>

#include "core/ids.hpp"
#include "domain/member_assistant.hpp"
#include "store/database.hpp"
#include "store/visibility.hpp"

namespace roster::store {

// The assistants each of `user_ids` is assigned to in the organization, by
// name, in one query for a whole page: only the assignments `viewer` may see
// (store/visibility.hpp: all for an admin; a member's own, and every user of
// the assistants he manages). Members without any are absent from the map.
std::map<Id, std::vector<domain::MemberAssistant>> AssistantsOfMembers(
    Tx& tx, Id organization_id, const std::vector<Id>& user_ids, const Viewer& viewer);

}  // namespace roster::store
