#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "app/assistants.hpp"
#include "app/lifecycle.hpp"
#include "app/members.hpp"
#include "core/result.hpp"
#include "store/database.hpp"

// For the use cases of app/ only: the bodies of use cases, run inside the
// caller's transaction, for a use case that composes several and must be
// done whole or not at all (a SCIM request: RFC 7644 section 3.5.2). Each
// checks its caller as its use case does; its audit events, webhook events
// and e-mails are written in the transaction, so they go with it. The
// counterparts of app/members.hpp, app/lifecycle.hpp and app/assistants.hpp
// are these, each in its own transaction.
namespace roster::app {

// `moved` (when given) gets the number of leads handed over.
Result<MemberView> DeactivateMemberIn(store::Tx& tx, const Principal& caller, Id organization_id,
                                      Id user_id, std::optional<Id> reassign_to, Channel channel,
                                      UnixSeconds now, std::int64_t* moved = nullptr);
// `invited_again` (when given) is set when he never joined and got a new
// invitation: mail was queued.
Result<MemberView> ReactivateMemberIn(store::Tx& tx, const Context& context,
                                      const Principal& caller, Id organization_id, Id user_id,
                                      Channel channel, UnixSeconds now,
                                      bool* invited_again = nullptr);
Result<MemberView> ChangeRoleIn(store::Tx& tx, const Principal& caller, Id organization_id,
                                Id user_id, domain::Role role, UnixSeconds now);

// The assistants' (SERIALIZABLE on PostgreSQL: see CreateAssistant).
Result<domain::Assistant> CreateAssistantIn(store::Tx& tx, const Principal& caller,
                                            Id organization_id, const std::string& raw_name,
                                            UnixSeconds now);
Result<domain::AssistantUser> AssignUserIn(store::Tx& tx, const Principal& caller,
                                           Id organization_id, Id assistant_id, Id user_id,
                                           std::optional<bool> is_manager, UnixSeconds now);
Result<Unassignment> UnassignUserIn(store::Tx& tx, const Principal& caller, Id organization_id,
                                    Id assistant_id, Id user_id, std::optional<Id> reassign_to,
                                    UnixSeconds now);

}  // namespace roster::app
