#pragma once

#include <optional>

#include "app/context.hpp"
#include "app/members.hpp"
#include "core/result.hpp"

// Deactivation and reactivation (SPEC 8). Deactivation keeps a person's
// membership, history and assistant assignments and can be undone; removal
// (app/members.hpp) is for good. Through Channel::kApi these need what
// removal needs (admins, admin keys); through Channel::kScim an API key with
// scope `scim`.
namespace roster::app {

// Deactivates an active member in one transaction: every lead he owns moves
// (to `reassign_to`, else by the offboarding policy; 409
// `no_offboarding_heir` and nothing changed when a lead has nowhere to go),
// his manager flags go, his membership reads `deactivated`, so his next
// request to the organization answers 404, and his sessions end when no
// other organization is open to him. 409 `last_admin` for the last active
// admin, 409 `not_active` for an invited member; an already deactivated
// member is answered as he is.
Result<MemberView> DeactivateMember(Context& context, const Principal& caller, Id organization_id,
                                    Id user_id, std::optional<Id> reassign_to,
                                    Channel channel = Channel::kApi);

// Makes a deactivated member active again with the role he had (his manager
// flags and leads do not come back). 409 `not_deactivated` for an invited
// member; an active member is answered as he is.
Result<MemberView> ReactivateMember(Context& context, const Principal& caller, Id organization_id,
                                    Id user_id, Channel channel = Channel::kApi);

}  // namespace roster::app
