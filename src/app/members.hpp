#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/context.hpp"
#include "core/result.hpp"
#include "domain/model.hpp"
#include "store/audit.hpp"
#include "store/leads.hpp"
#include "store/organizations.hpp"
#include "store/page.hpp"

// The Org users page: SPEC sections 1-3. Every function checks that the
// caller is an active member (404 otherwise, so an organization's existence
// is not revealed) and, for changes, an admin (403 `forbidden`).
namespace roster::app {

// The caller's organizations.
Result<std::vector<store::MembershipOfUser>> ListMyOrganizations(Context& context,
                                                                 const Principal& caller);
Result<domain::Organization> GetOrganization(Context& context, const Principal& caller,
                                             Id organization_id);

// Members who are not admins see only name, e-mail, role and status of
// others; `caller_is_admin` tells the renderer which view to give.
struct MemberList {
  store::Page<domain::Member> page;
  bool caller_is_admin = false;
};
Result<MemberList> ListMembers(Context& context, const Principal& caller, Id organization_id,
                               store::MemberFilter filter);
struct MemberView {
  domain::Member member;
  bool caller_is_admin = false;
};
Result<MemberView> GetMember(Context& context, const Principal& caller, Id organization_id,
                             Id user_id);

struct InviteRequest {
  std::string email;
  std::string name;
  domain::Role role = domain::Role::kUser;
  std::vector<Id> assistant_ids;
};
// A new e-mail gets an account, an `invited` membership and an invitation
// e-mail with a one-time password; an account that already has a password
// becomes an `active` member at once and is told so by e-mail.
Result<domain::Member> InviteMember(Context& context, const Principal& caller, Id organization_id,
                                    const InviteRequest& request);
Result<domain::Member> ResendInvitation(Context& context, const Principal& caller,
                                        Id organization_id, Id user_id);
Result<domain::Member> ChangeRole(Context& context, const Principal& caller, Id organization_id,
                                  Id user_id, domain::Role role);

struct RemovalPreview {
  std::int64_t lead_count = 0;
  std::vector<store::AssistantLeadCount> by_assistant;
  bool is_last_admin = false;
};
Result<RemovalPreview> PreviewRemoval(Context& context, const Principal& caller,
                                      Id organization_id, Id user_id);

struct Removal {
  Id removed_user_id = 0;
  std::optional<Id> reassigned_to;
  std::int64_t reassigned_lead_count = 0;
};
// Removes the member and moves every lead he owns to `reassign_to`, in one
// transaction; on an invited member this revokes the invitation.
Result<Removal> RemoveMember(Context& context, const Principal& caller, Id organization_id,
                             Id user_id, std::optional<Id> reassign_to);

// Admins only (403 for other members), newest first, within `range`.
Result<store::Page<store::NamedAuditEvent>> ListAuditEvents(
    Context& context, const Principal& caller, Id organization_id, int limit,
    const std::optional<std::string>& cursor, const store::AuditRange& range = {});

// The bootstrap of `roster org create`: the organization, its first admin's
// invitation and the invitation e-mail, in one transaction. Returns the
// one-time password so the command can print it for a `file:` transport.
struct CreatedOrganization {
  domain::Organization organization;
  domain::Member admin;
  std::string one_time_password;  // empty when the admin already had a password
};
Result<CreatedOrganization> CreateOrganization(Context& context, const std::string& name,
                                               const std::string& admin_email,
                                               const std::string& admin_name);

}  // namespace roster::app
