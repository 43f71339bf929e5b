#pragma once

#include <optional>
#include <string>

#include "app/context.hpp"
#include "core/result.hpp"
#include "domain/leads.hpp"
#include "domain/model.hpp"
#include "core/page.hpp"

// Assistants and their users: SPEC sections 1-3. Non-members get 404 for
// everything; changes are for the organization's admins (403 `forbidden`
// for other members). An assistant the caller may not see (an assistant he
// is not assigned to, unless he is an admin) answers 404 like a missing one.
namespace roster::app {

// 422 for a blank or over-long name; 409 `assistant_name_taken` when another
// assistant of the organization has the name, ignoring ASCII case.
Result<domain::Assistant> CreateAssistant(Context& context, const Principal& caller,
                                          Id organization_id, const std::string& name);

// Admins: every assistant; others: those they are assigned to. user_count
// counts the users the caller may see (himself only, unless he manages it).
Result<Page<domain::Assistant>> ListAssistants(Context& context, const Principal& caller,
                                               Id organization_id, int limit,
                                               const std::optional<std::string>& cursor);

// Admins and managers of the assistant: all its users; an assigned user:
// himself; anyone else: 404.
Result<Page<domain::AssistantUser>> ListAssistantUsers(
    Context& context, const Principal& caller, Id organization_id, Id assistant_id, int limit,
    const std::optional<std::string>& cursor);

// Assigns a member (active or invited) to the assistant; idempotent. With
// `is_manager` given the flag is set to it; without, a new assignment is not
// a manager and an existing one keeps its flag. 404 when the assistant or
// the member does not exist.
Result<domain::AssistantUser> AssignUser(Context& context, const Principal& caller,
                                         Id organization_id, Id assistant_id, Id user_id,
                                         std::optional<bool> is_manager);

// Grants or revokes the manager flag; 404 unless the user is assigned
// (invariant 3: only assigned users can be managers).
Result<domain::AssistantUser> SetManager(Context& context, const Principal& caller,
                                         Id organization_id, Id assistant_id, Id user_id,
                                         bool is_manager);

struct Unassignment {
  Id assistant_id = 0;
  Id user_id = 0;
  std::optional<Id> reassigned_to;
  std::int64_t reassigned_lead_count = 0;
};
// Removes the user from the assistant (and so from its managers). The leads
// he owns on it go to `reassign_to`, who is assigned to the assistant if he
// was not, all in one transaction. 422 `reassign_target_required` when he
// owns leads there and no target is given; 422 `invalid_reassign_target`
// unless the target is another active member. 404 when not assigned.
Result<Unassignment> UnassignUser(Context& context, const Principal& caller, Id organization_id,
                                  Id assistant_id, Id user_id, std::optional<Id> reassign_to);

}  // namespace roster::app
