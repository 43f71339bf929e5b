#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/context.hpp"
#include "core/result.hpp"
#include "domain/model.hpp"
#include "core/page.hpp"
#include "domain/audit.hpp"
#include "domain/leads.hpp"
#include "domain/member_assistant.hpp"

// The Org users page: SPEC sections 1-3. Every function asks
// app/permissions.hpp whether the caller may (404 for outsiders, so an
// organization's existence is not revealed; 403 `forbidden` for a member
// without the right) and answers only what he may see.
namespace roster::app {

// The caller's organizations: a person's active memberships; an API key's
// own organization.
Result<std::vector<domain::MembershipOfUser>> ListMyOrganizations(Context& context,
                                                                  const Principal& caller);
Result<domain::Organization> GetOrganization(Context& context, const Principal& caller,
                                             Id organization_id);

// A member as the caller may see him: `details` only for those who may see
// other members' details (admins, admin and read keys); everyone else gets
// name, e-mail, role and status.
struct MemberDetails {
  std::optional<UnixSeconds> invited_at;
  std::optional<UnixSeconds> invite_expires_at;  // only while invited
  std::optional<UnixSeconds> joined_at;
  std::optional<UnixSeconds> last_login_at;
  std::int64_t lead_count = 0;
  bool mfa = false;  // two-factor sign-in on
  // Why the pending invitation's e-mail did not arrive (the mail server
  // refused it); nullopt when it is not known to have failed.
  std::optional<std::string> invite_undelivered;
};
struct MemberView {
  Id user_id = 0;
  std::string email;
  std::string name;
  domain::Role role = domain::Role::kUser;
  domain::MemberStatus status = domain::MemberStatus::kInvited;  // at the time of the request
  std::optional<MemberDetails> details;
  // The assistants he is on: a detail, like his leads (SPEC 1 cuts other
  // members' rows to name, e-mail, role and status); only the list and the
  // single member view carry them.
  std::optional<std::vector<domain::MemberAssistant>> assistants;
};
using MemberList = Page<MemberView>;
// The member as the caller may see him, with his status at `now`.
MemberView ViewOfMember(domain::Member member, UnixSeconds now, bool with_details);
// Sorting by a detail (joined, last sign-in, leads) is 403 for those who
// may not see details: the order would tell them.
Result<MemberList> ListMembers(Context& context, const Principal& caller, Id organization_id,
                               domain::MemberFilter filter);
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
Result<MemberView> InviteMember(Context& context, const Principal& caller, Id organization_id,
                                    const InviteRequest& request);
Result<MemberView> ResendInvitation(Context& context, const Principal& caller,
                                        Id organization_id, Id user_id);
Result<MemberView> ChangeRole(Context& context, const Principal& caller, Id organization_id,
                                  Id user_id, domain::Role role);

struct RemovalPreview {
  std::int64_t lead_count = 0;
  std::vector<domain::AssistantLeadCount> by_assistant;
  bool is_last_admin = false;
};
Result<RemovalPreview> PreviewRemoval(Context& context, const Principal& caller,
                                      Id organization_id, Id user_id);

// Who asks for a change of a member: an admin (in person or with an API
// key) through /api/v1, or an identity provider through SCIM (an API key
// with scope `scim`).
enum class Channel { kApi, kScim };

struct Removal {
  Id removed_user_id = 0;
  std::optional<Id> reassigned_to;
  std::int64_t reassigned_lead_count = 0;
};
// Removes the member and moves every lead he owns, in one transaction: to
// `reassign_to`, or else by the organization's offboarding policy (see
// app/lifecycle.hpp); on an invited member this revokes the invitation.
// Without `reassign_to`, leads the policy cannot place are 409
// `no_offboarding_heir`, or, through kApi while no policy is set, 422
// `reassign_target_required` (SPEC 3). `reassigned_to` is the one receiver
// (null when the policy chose several).
Result<Removal> RemoveMember(Context& context, const Principal& caller, Id organization_id,
                             Id user_id, std::optional<Id> reassign_to,
                             Channel channel = Channel::kApi);

// Admins and keys that may read the audit log; newest first, narrowed by `filter`.
Result<Page<domain::NamedAuditEvent>> ListAuditEvents(
    Context& context, const Principal& caller, Id organization_id, int limit,
    const std::optional<std::string>& cursor, const domain::AuditFilter& filter = {});

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

// `roster org add-admin`: the operator's way back into an organization
// whose admins cannot sign in (the first admin's invitation expired or was
// lost, every admin left). The e-mail's person becomes an admin of it: a
// new member is invited (or, with a password already, added and told); an
// invited one gets a new one-time password that kills the old; a
// deactivated one is reactivated; a user is made admin. Audited as the
// command line (no actor) with the API's own events. 404 for no such
// organization, 409 `already_admin` when he is an active admin already.
Result<CreatedOrganization> AddOrganizationAdmin(Context& context, Id organization_id,
                                                 const std::string& email,
                                                 const std::string& name);

}  // namespace roster::app
