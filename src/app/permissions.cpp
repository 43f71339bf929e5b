#include "app/permissions.hpp"

namespace roster::app {
namespace {

// What a `read` key may do: every read an admin may do.
bool IsRead(Action action) {
  switch (action) {
    case Action::kReadOrganization:
    case Action::kListMembers:
    case Action::kSeeMemberDetails:
    case Action::kPreviewRemoval:
    case Action::kReadAuditEvents:
    case Action::kListAssistants:
    case Action::kListAssistantUsers:
    case Action::kReadLeads:
    case Action::kExplainLeadAccess:
    case Action::kReadSettings:
      return true;
    default:
      return false;
  }
}

// A member whose role is `user`: SPEC's right-hand column.
Verdict DecideForUser(Action action, const Relation& relation) {
  switch (action) {
    case Action::kReadOrganization:
    case Action::kListMembers:
    case Action::kListAssistants:
    case Action::kReadLeads:
    case Action::kEditLead:
      return Verdict::kAllowed;
    case Action::kListAssistantUsers:
      // An assistant he is not assigned to is none of his business.
      return relation.assigned_to_assistant || relation.manages_assistant ? Verdict::kAllowed
                                                                          : Verdict::kNotFound;
    case Action::kCreateLead:
      return relation.for_self || relation.manages_assistant ? Verdict::kAllowed
                                                             : Verdict::kForbidden;
    case Action::kReassignLead:
    case Action::kExplainLeadAccess:
      return relation.manages_assistant ? Verdict::kAllowed : Verdict::kForbidden;
    default:
      return Verdict::kForbidden;
  }
}

}  // namespace

Verdict Decide(Standing standing, Action action, const Relation& relation) {
  switch (standing) {
    case Standing::kOutsider:
      return Verdict::kNotFound;
    case Standing::kScimKey:
      return action == Action::kProvisionMembers ? Verdict::kAllowed : Verdict::kForbidden;
    case Standing::kAdmin:
      return Verdict::kAllowed;
    case Standing::kAdminKey:
      return action == Action::kManageApiKeys || action == Action::kManageWebhooks
                 ? Verdict::kForbidden
                 : Verdict::kAllowed;
    case Standing::kReadKey:
      return IsRead(action) ? Verdict::kAllowed : Verdict::kForbidden;
    case Standing::kUser:
      return DecideForUser(action, relation);
  }
  return Verdict::kNotFound;
}

std::string_view RefusalDetail(Standing standing, Action action) {
  if (standing == Standing::kScimKey) {
    return "This API key may only be used for SCIM provisioning.";
  }
  if (action == Action::kManageApiKeys || action == Action::kManageWebhooks) {
    return standing == Standing::kUser
               ? "Only the organization's admins can do this."
               : "API keys and webhooks are managed by an admin in person, not with an API key.";
  }
  if (standing == Standing::kReadKey) return "This API key may only read.";
  switch (action) {
    case Action::kCreateLead:
      return "Only admins and the assistant's managers can create leads for others.";
    case Action::kReassignLead:
      return "Only admins and the assistant's managers can reassign a lead.";
    case Action::kExplainLeadAccess:
      return "Only admins and the assistant's managers can see who may see a lead.";
    default:
      return "Only the organization's admins can do this.";
  }
}

bool SeesEverything(Standing standing) {
  return standing == Standing::kAdmin || standing == Standing::kAdminKey ||
         standing == Standing::kReadKey;
}

}  // namespace roster::app
