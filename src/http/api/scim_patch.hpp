#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/scim.hpp"
#include "core/result.hpp"

// Reading SCIM request bodies (RFC 7643 resources, RFC 7644 PatchOp) into
// what the use cases of app/scim.hpp take, in the forms Okta and Microsoft
// Entra ID send: operation names in any case ("Replace"), booleans as
// strings ("False"), path-less value objects whose keys may be paths
// ("name.givenName"), filtered paths (emails[type eq "work"].value,
// members[value eq "7"]). Attributes Roster does not keep (title,
// phoneNumbers, the enterprise extension, ...) are accepted and dropped.
// Problems carry the SCIM error type as their slug.
namespace roster::http::scim {

// A User resource of POST or PUT. 400 `invalidValue` without a userName or
// for a value of the wrong type.
Result<app::ScimUserInput> ReadUser(const nlohmann::json& body);

// Applies a PatchOp's operations, in order, to `user` (the stored user
// `user_id`, whose role is `stored_role`). An `id` other than the
// resource's is 400 `mutability`; a filter that selects nothing 400
// `noTarget`.
Status ApplyUserPatch(const nlohmann::json& body, Id user_id, domain::Role stored_role,
                      app::ScimUserInput& user);

struct GroupInput {
  std::string display_name;
  std::optional<std::vector<Id>> members;  // absent: as they are (PUT)
};
Result<GroupInput> ReadGroup(const nlohmann::json& body);

struct GroupPatch {
  std::optional<std::string> display_name;
  app::ScimMemberChange members;
};
// The operations of a PatchOp on the group `group_id` whose users are
// `current`. A removal by filter of someone who is not a member is 400
// `noTarget`; an `id` other than the group's (Okta sends it along) is 400
// `mutability`.
Result<GroupPatch> ReadGroupPatch(const nlohmann::json& body, Id group_id,
                                  const std::set<Id>& current);

}  // namespace roster::http::scim
