#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "domain/scim.hpp"
#include "store/database.hpp"

// The reads and writes of SCIM provisioning (SPEC section 8): members with
// what the identity provider said about them (table scim_users), and
// assistants as groups. SCIM pages by index, not by cursor: the order is
// the primary key, so a page only shifts when rows are added before it.
namespace roster::store {

using domain::ScimUserFilter;

std::int64_t CountScimUsers(Tx& tx, Id organization_id,
                            const std::optional<ScimUserFilter>& filter);
// Members by user id, from the `offset`-th (0-based), at most `count`.
std::vector<domain::ScimUser> ListScimUsers(Tx& tx, Id organization_id,
                                            const std::optional<ScimUserFilter>& filter,
                                            std::int64_t offset, std::int64_t count);
std::optional<domain::ScimUser> FindScimUser(Tx& tx, Id organization_id, Id user_id);

// Writes the identity provider's attributes of a member (replacing them).
// REQUIRES: the user is a member of the organization (a foreign key).
void SaveScimAttributes(Tx& tx, Id organization_id, Id user_id,
                        const std::optional<std::string>& external_id,
                        const domain::ScimName& name, UnixSeconds now);

// Assistants by id, optionally only the one whose name equals `name`
// ignoring ASCII case; without members.
std::int64_t CountScimGroups(Tx& tx, Id organization_id, const std::optional<std::string>& name);
std::vector<domain::ScimGroup> ListScimGroups(Tx& tx, Id organization_id,
                                              const std::optional<std::string>& name,
                                              std::int64_t offset, std::int64_t count);
// Every user of the assistant, by user id.
std::vector<domain::ScimGroupMember> ScimGroupMembers(Tx& tx, Id organization_id,
                                                      Id assistant_id);

}  // namespace roster::store
