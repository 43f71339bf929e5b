#include "app/access.hpp"

#include <string>

#include "store/assistants.hpp"
#include "store/organizations.hpp"

namespace roster::app {

Result<Access> Enter(store::Tx& tx, const Principal& caller, Id organization_id,
                     store::Query* with) {
  Access access;
  access.organization_id = organization_id;
  access.actor = caller.AsActor();
  bool misses_required_mfa = false;
  if (caller.api_key) {
    access.is_api_key = true;
    if (caller.api_key->organization_id == organization_id) {
      switch (caller.api_key->scope) {
        case domain::ApiKeyScope::kAdmin:
          access.standing = Standing::kAdminKey;
          break;
        case domain::ApiKeyScope::kRead:
          access.standing = Standing::kReadKey;
          break;
        case domain::ApiKeyScope::kScim:
          access.standing = Standing::kScimKey;
          break;
      }
    }
  } else {
    access.user_id = caller.user_id;
    const auto& read = caller.membership_read;
    auto member = tx.read_only() && read && read->organization_id == organization_id
                      ? read->membership
                      : store::FindCallerMembership(tx, organization_id, caller.user_id, with);
    if (member && member->membership.state == domain::MembershipState::kActive) {
      access.standing =
          member->membership.role == domain::Role::kAdmin ? Standing::kAdmin : Standing::kUser;
      misses_required_mfa = member->misses_required_mfa;
      access.organization = std::move(member->organization);
    }
  }
  if (access.standing == Standing::kOutsider) return Problem::NotFound("No such organization.");
  // SPEC 9: a member without a second factor gets nothing of an organization
  // that requires one, until he sets it up.
  if (misses_required_mfa) {
    return Problem::Forbidden("This organization requires two-factor sign-in; set it up first.",
                              "mfa_setup_required");
  }
  return access;
}

Status Check(const Access& access, Action action, const Relation& relation) {
  switch (Decide(access.standing, action, relation)) {
    case Verdict::kAllowed:
      return {};
    case Verdict::kForbidden:
      return Problem::Forbidden(std::string(RefusalDetail(access.standing, action)));
    case Verdict::kNotFound:
      break;
  }
  return Problem::NotFound("Not found.");
}

Result<Access> Require(store::Tx& tx, const Principal& caller, Id organization_id, Action action,
                       const Relation& relation, store::Query* with) {
  Access access = ROSTER_TRY(Enter(tx, caller, organization_id, with));
  ROSTER_TRY_STATUS(Check(access, action, relation));
  return access;
}

std::optional<domain::Organization> OrganizationOf(store::Tx& tx, const Access& access) {
  if (access.organization) return access.organization;
  return store::FindOrganization(tx, access.organization_id);
}

Relation RelationTo(store::Tx& tx, const Access& access, Id assistant_id) {
  Relation relation;
  if (access.user_id == 0) return relation;
  auto assignment =
      store::FindAssistantUser(tx, access.organization_id, assistant_id, access.user_id);
  relation.assigned_to_assistant = assignment.has_value();
  relation.manages_assistant = assignment && assignment->is_manager;
  return relation;
}

store::Viewer ViewerOf(const Access& access) {
  return {access.user_id, SeesEverything(access.standing)};
}

}  // namespace roster::app
