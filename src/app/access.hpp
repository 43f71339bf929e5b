#pragma once

#include <optional>

#include "app/context.hpp"
#include "app/permissions.hpp"
#include "core/result.hpp"
#include "domain/model.hpp"
#include "store/database.hpp"
#include "store/visibility.hpp"

namespace roster::store {
class Query;  // store/query.hpp
}

// For the use cases of app/ only: the principal's standing in one
// organization, read inside the use case's transaction (or, for a read of
// the organization a GET's session statement read it for, taken from
// Principal::membership_read), and the checks of app/permissions.hpp
// turned into problems.
namespace roster::app {

struct Access {
  Standing standing = Standing::kOutsider;
  Id organization_id = 0;
  Id user_id = 0;  // the person; 0 for an API key
  domain::Actor actor;
  bool is_api_key = false;
  // Read with a person's membership; an API key's entry reads nothing.
  std::optional<domain::Organization> organization;
};

// The principal's standing; 404 for an outsider (a non-member, an invited
// member, or a key of another organization), so that nobody outside can
// tell an organization exists. `with`: a statement of the use case that
// needs nothing from the check, sent in the round trip of the membership's
// read when there is one (store::Query::With), else run when it is read;
// its rows are for after the check.
Result<Access> Enter(store::Tx& tx, const Principal& caller, Id organization_id,
                     store::Query* with = nullptr);

// 403 `forbidden` or 404 unless Decide allows the action.
Status Check(const Access& access, Action action, const Relation& relation = {});

// Enter (with `with`), then Check.
Result<Access> Require(store::Tx& tx, const Principal& caller, Id organization_id, Action action,
                       const Relation& relation = {}, store::Query* with = nullptr);

// The organization entered: as the access check read it for a person,
// read now for a key.
std::optional<domain::Organization> OrganizationOf(store::Tx& tx, const Access& access);

// The person's relation to an assistant (both false for a key).
Relation RelationTo(store::Tx& tx, const Access& access, Id assistant_id);

// Whom the visibility rule of store/visibility.hpp applies to.
store::Viewer ViewerOf(const Access& access);

}  // namespace roster::app
