#pragma once

#include <optional>
#include <string>
#include <utility>

#include "core/ids.hpp"
#include "domain/audit.hpp"
#include "domain/model.hpp"
#include "store/organizations.hpp"

namespace roster::app {

// An organization's API key acting as a request's principal.
struct ApiKeyIdentity {
  Id id = 0;
  Id organization_id = 0;
  domain::ApiKeyScope scope = domain::ApiKeyScope::kRead;
  std::string name;
};

// Who a request acts as (SPEC section 7): exactly one of a signed-in person
// (a session cookie) or an API key of one organization. What either may do
// in an organization is decided by app/permissions.hpp alone.
struct Principal {
  // A person: his account and session. Zero for an API key.
  Id user_id = 0;
  Id session_id = 0;
  std::string email;
  std::string name;
  bool must_change_password = false;
  // An API key instead of a person.
  std::optional<ApiKeyIdentity> api_key;
  // A correct password still waiting for its second factor (SPEC 9):
  // session_id is then the sign-in challenge's, and only POST /auth/mfa and
  // logout accept it.
  bool second_factor_pending = false;
  // A person's membership of the organization in the request's path, read
  // with his session (a GET's: one statement fewer per request). Only a
  // read uses it (see Enter): a write reads it again inside its
  // transaction, where it holds for the write.
  struct MembershipRead {
    Id organization_id = 0;
    std::optional<store::CallerMembership> membership;  // nullopt: not a member
  };
  std::optional<MembershipRead> membership_read;
  // When his session opened (his sign-in); zero for a key.
  UnixSeconds signed_in_at = 0;

  // A signed-in person, without the membership read.
  static Principal Person(Id user_id, Id session_id, std::string email, std::string name,
                          bool must_change_password = false) {
    Principal person;
    person.user_id = user_id;
    person.session_id = session_id;
    person.email = std::move(email);
    person.name = std::move(name);
    person.must_change_password = must_change_password;
    return person;
  }

  bool IsApiKey() const { return api_key.has_value(); }
  // The audit log's "who": the person or the key.
  domain::Actor AsActor() const {
    if (api_key) return {std::nullopt, api_key->id};
    return {user_id, std::nullopt};
  }
};

}  // namespace roster::app
