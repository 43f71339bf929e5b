#pragma once

#include "app/context.hpp"
#include "core/result.hpp"
#include "domain/model.hpp"
#include "store/database.hpp"

namespace roster::app {

// The caller's active membership in the organization; 404 when he is not an
// active member, so non-members cannot tell an organization exists.
Result<domain::Member> RequireMember(store::Tx& tx, const Principal& caller, Id organization_id);
// As RequireMember, and 403 `forbidden` unless the caller is an admin.
Result<domain::Member> RequireAdmin(store::Tx& tx, const Principal& caller, Id organization_id);

}  // namespace roster::app
