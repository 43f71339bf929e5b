#pragma once

#include <memory>
#include <span>
#include <string>

#include "core/ids.hpp"
#include "domain/model.hpp"
#include "store/database.hpp"
#include "store/visibility.hpp"

namespace roster::store {

class Query;       // store/query.hpp
class SqlBuilder;  // store/sql_builder.hpp

// Sets each member's `assistants` (all of one organization) to those he is
// assigned to, by name, in one query for a whole page: only the assignments
// `viewer` may see (store/visibility.hpp: all for an admin; a member's own,
// and every user of the assistants he manages).
void FillAssistants(Tx& tx, Id organization_id, std::span<domain::Member> members,
                    const Viewer& viewer);

// FillAssistants's statement for `user_ids` (one or more), bound, to send with the one
// that reads those members (Query::With); ReadAssistants reads it.
std::unique_ptr<Query> AssistantsOfMembers(Tx& tx, Id organization_id,
                                          std::span<const Id> user_ids, const Viewer& viewer);

// The same for the members whose user ids the SELECT `keys` gives (its
// parameters in `parameters`, `organization` among them), such as a
// page's: sent with that page's statement (Query::With), it costs no round
// trip of its own. ReadAssistants reads its rows.
std::string AssistantsOfKeysSql(SqlBuilder& parameters, const std::string& keys,
                                const std::string& organization, const Viewer& viewer);
// Sets each member's `assistants` to those of the rows of `rows`.
void ReadAssistants(Query& rows, std::span<domain::Member* const> members);

}  // namespace roster::store
