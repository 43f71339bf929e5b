#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "app/context.hpp"
#include "core/result.hpp"
#include "domain/scim.hpp"

// SCIM 2.0 provisioning (SPEC section 8): what an identity provider does to
// an organization's members and assistants, through the API key with scope
// `scim` (Action::kProvision; the key's organization is the tenant). Every
// change runs through the use cases of the API (InviteMember, ChangeRole,
// AssignUser, ...), so its rules, audit events (under the key), webhook
// events and e-mails are theirs.
//
// Problems whose slug is a SCIM error type (`uniqueness`, `mutability`,
// `invalidValue`, `noTarget`) carry it as the answer's scimType.
namespace roster::app {

// SCIM paging: `start_index` is 1-based; `count` at most kScimMaxResults.
struct ScimPaging {
  std::int64_t start_index = 1;
  std::int64_t count = 100;
};
inline constexpr std::int64_t kScimMaxResults = 200;

// A whole user as POST and PUT send it (PATCH applies its operations to
// the stored user and sends the result).
struct ScimUserInput {
  std::string user_name;  // the e-mail
  domain::ScimName name;
  std::optional<std::string> external_id;
  std::optional<bool> active;        // absent: as it is
  std::optional<domain::Role> role;  // absent: as it is (`user` on creation)
};

// SCIM's `active`: every member who may be in the organization, invited
// ones included (an identity provider provisions before the first sign-in).
bool IsScimActive(const domain::ScimUser& user);

// The organization of a SCIM request: the key's. 401 for a person (SCIM
// takes no cookies); 403 for a key without scope `scim`.
Result<Id> ScimTenant(Context& context, const Principal& caller);

Result<domain::ScimPage<domain::ScimUser>> ListScimUsers(
    Context& context, const Principal& caller, const std::optional<domain::ScimUserFilter>& filter,
    ScimPaging paging);
// 404 for anyone who is not a member of the key's organization.
Result<domain::ScimUser> GetScimUser(Context& context, const Principal& caller, Id user_id);

// Invites a new person (SPEC section 2 step 4) or adds an account that has
// a password; 409 `uniqueness` when the e-mail is a member already.
Result<domain::ScimUser> CreateScimUser(Context& context, const Principal& caller,
                                        const ScimUserInput& input);
// His name as answered: what the identity provider sent, else the parts
// of his account's name (given name up to its first space). A PATCH of one
// part starts from these, so that the others stay as they read.
domain::ScimName ShownScimName(const domain::ScimUser& user);

// What a PUT sends; what a PATCH's operations make of the user as stored.
// Called inside the request's transaction, with the membership locked:
// two requests at once never overwrite each other's changes, and a request
// is done whole or not at all (RFC 7644 section 3.5.2).
using ScimUserChange = std::function<Result<ScimUserInput>(const domain::ScimUser& stored)>;

// Replaces what SCIM keeps of him; `userName` cannot change (400
// `mutability`): the e-mail identifies the account in every organization.
Result<domain::ScimUser> ReplaceScimUser(Context& context, const Principal& caller, Id user_id,
                                         const ScimUserChange& change);
// Removes him from the organization.
Status DeleteScimUser(Context& context, const Principal& caller, Id user_id);

// The change of a group's members that a PATCH's operations add up to:
// `replace` (the whole set) when one replaced or removed them all, then
// the members to add and to remove.
struct ScimMemberChange {
  std::optional<std::vector<Id>> replace;
  std::vector<Id> add;
  std::vector<Id> remove;
};

Result<domain::ScimPage<domain::ScimGroup>> ListScimGroups(
    Context& context, const Principal& caller, const std::optional<std::string>& display_name,
    ScimPaging paging, bool with_members);
Result<domain::ScimGroup> GetScimGroup(Context& context, const Principal& caller, Id group_id);
// Creates the assistant and assigns the members (plain users).
Result<domain::ScimGroup> CreateScimGroup(Context& context, const Principal& caller,
                                          const std::string& display_name,
                                          const std::vector<Id>& members);
// What a PUT or a PATCH of a group changes, as ScimUserChange: made of
// the group as stored, inside the request's transaction.
struct ScimGroupEdit {
  std::optional<std::string> display_name;
  ScimMemberChange members;
};
using ScimGroupChange = std::function<Result<ScimGroupEdit>(const domain::ScimGroup& stored)>;

// Renames the assistant (when the name differs) and changes its users, in
// one transaction. Every member named must be a member of the organization
// (400 `invalidValue`); a user who owns leads on the assistant is not
// taken off it (409, nothing changed): his leads need an owner, chosen in
// Roster.
Result<domain::ScimGroup> ChangeScimGroup(Context& context, const Principal& caller, Id group_id,
                                          const ScimGroupChange& change);

}  // namespace roster::app
