#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/ids.hpp"
#include "domain/model.hpp"

// SCIM 2.0 provisioning (SPEC section 8, RFC 7643): a member as an
// identity provider sees him, and an assistant as a SCIM group.
namespace roster::domain {

// The names an identity provider sent, kept per organization: the name's
// parts and, apart from them, the displayName (Entra ID and Okta fill the
// two from different sources).
struct ScimName {
  std::optional<std::string> given_name;
  std::optional<std::string> family_name;
  std::optional<std::string> formatted;
  std::optional<std::string> display_name;

  bool operator==(const ScimName&) const = default;
};

// A member with what the organization's identity provider said about him.
struct ScimUser {
  Id user_id = 0;
  std::string email;         // userName
  std::string account_name;  // the account's own name
  Role role = Role::kUser;
  MembershipState state = MembershipState::kInvited;
  UnixSeconds created_at = 0;   // the membership's
  UnixSeconds updated_at = 0;   // the last change of what he is answered with
  std::optional<std::string> external_id;
  ScimName name;
};

// The attributes `filter=<attribute> eq "<value>"` may name on Users, with
// RFC 7643's case rules: userName and displayName ignore case, externalId
// does not.
enum class ScimUserAttribute { kUserName, kExternalId, kDisplayName };
struct ScimUserFilter {
  ScimUserAttribute attribute = ScimUserAttribute::kUserName;
  std::string value;
};

struct ScimGroupMember {
  Id user_id = 0;
  std::string display;
};

// An assistant as a SCIM group: displayName is its name, members its users.
struct ScimGroup {
  Id id = 0;
  std::string name;
  UnixSeconds created_at = 0;
  std::vector<ScimGroupMember> members;
};

// A page by SCIM's index (1-based `startIndex`, `count`), with the total.
template <class T>
struct ScimPage {
  std::vector<T> items;
  std::int64_t total = 0;
  std::int64_t start_index = 1;
};

}  // namespace roster::domain
