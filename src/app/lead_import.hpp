#pragma once

#include <cstdint>
#include <string_view>

#include "core/clock.hpp"
#include "core/ids.hpp"
#include "core/result.hpp"

namespace roster::store {
class Database;
}

// `roster leads import`: leads from CSV, all or nothing.
namespace roster::app {

// Imports the leads of a CSV text whose header line names the columns
// name, email, company, assistant and owner_email (in any order, any case).
// `assistant` is an assistant's name (ignoring ASCII case) or, when no
// assistant has that name, its ID. The owner must be a member assigned to
// the assistant (invariant 2); nobody is assigned implicitly.
//
// One transaction: either every line is imported, or none is and the
// Problem (422) lists each bad line as an error whose field is "line N" (N
// counts physical lines from 1, the header being line 1). Returns the number
// of leads imported. Writes one audit event `leads_imported`.
Result<std::int64_t> ImportLeads(store::Database& database, const Clock& clock,
                                 Id organization_id, std::string_view csv);

}  // namespace roster::app
