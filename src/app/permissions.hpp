#pragma once

#include <string_view>

// Who may do what (SPEC section 1 "Who may do what", section 7 key scopes):
// every permission question of the use cases is one call of Decide, and
// its table is the whole rule. Which rows a principal may *see* (leads,
// assistant users) is the same rule evaluated inside SQL, by
// store/visibility.hpp, from the Viewer that VisibilityOf gives.
namespace roster::app {

// What a principal is in one organization.
enum class Standing {
  kOutsider,  // not an active member, or a key of another organization
  kUser,      // an active member with role `user`
  kAdmin,     // an active org admin
  kAdminKey,  // an API key with scope `admin`
  kReadKey,   // ... `read`
  kScimKey,   // ... `scim`: /scim/v2 only
};

enum class Action {
  kReadOrganization,   // GET /orgs/{org}
  kListMembers,        // the Org users list (cut for those without kSeeMemberDetails)
  kSeeMemberDetails,   // lead counts, sign-ins, invitation dates of others
  kPreviewRemoval,     // GET …/removal-preview
  kManageMembers,      // invite, resend, revoke, change role, remove
  kReadAuditEvents,
  kManageAssistants,   // create, assign, unassign, grant/revoke manager
  kListAssistants,     // which ones: the visibility rule
  kListAssistantUsers, // of one assistant; which ones: the visibility rule
  kReadLeads,          // lists, single reads, exports; which ones: the visibility rule
  kCreateLead,
  kEditLead,           // name, company, status of a lead he sees
  kReassignLead,
  kExplainLeadAccess,  // GET …/leads/{id}/access
  kManageApiKeys,
  kManageWebhooks,
  kReadSettings,       // GET …/settings
  kManageSettings,     // PATCH …/settings
  kProvisionMembers,   // deactivate, reactivate, remove as an identity provider does (SCIM)
};

// What the rule may need to know of the resource, besides the standing.
struct Relation {
  bool manages_assistant = false;      // a manager of the resource's assistant
  bool assigned_to_assistant = false;  // assigned to the resource's assistant
  bool for_self = false;               // a lead created for himself
};

enum class Verdict {
  kAllowed,
  kForbidden,  // 403: he may see the thing, not do this
  kNotFound,   // 404: he may not know the thing exists
};

Verdict Decide(Standing standing, Action action, const Relation& relation = {});

// The 403 detail for an action that was refused.
std::string_view RefusalDetail(Standing standing, Action action);

// Whether the standing sees every lead and assistant user of the
// organization (admins and admin/read keys) or only by the rule's rows.
bool SeesEverything(Standing standing);

}  // namespace roster::app
