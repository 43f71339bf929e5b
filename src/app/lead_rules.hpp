#pragma once

#include "core/ids.hpp"
#include "core/result.hpp"
#include "store/database.hpp"

// For the use cases of app/ only: the rules a lead's owner obeys, shared by
// the single and the bulk reassignment.
namespace roster::app {

// Invariant 2: a lead's owner is a member, not deactivated, assigned to its
// assistant; else 422 on `owner_id`.
Status CheckLeadOwner(store::Tx& tx, Id organization_id, Id assistant_id, Id owner_id);

}  // namespace roster::app
