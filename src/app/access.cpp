#include "app/access.hpp"

#include "store/organizations.hpp"

namespace roster::app {

Result<domain::Member> RequireMember(store::Tx& tx, const Principal& caller, Id organization_id) {
  auto member = store::FindMember(tx, organization_id, caller.user_id);
  if (!member || member->state != domain::MembershipState::kActive) {
    return Problem::NotFound("No such organization.");
  }
  return *member;
}

Result<domain::Member> RequireAdmin(store::Tx& tx, const Principal& caller, Id organization_id) {
  domain::Member member = ROSTER_TRY(RequireMember(tx, caller, organization_id));
  if (member.role != domain::Role::kAdmin) {
    return Problem::Forbidden("Only the organization's admins can do this.");
  }
  return member;
}

}  // namespace roster::app
