#include "app/scim.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <set>

#include "app/access.hpp"
#include "app/assistants.hpp"
#include "app/audit_trail.hpp"
#include "app/in_transaction.hpp"
#include "app/lifecycle.hpp"
#include "app/members.hpp"
#include "domain/validation.hpp"
#include "store/assistants.hpp"
#include "store/leads.hpp"
#include "store/organizations.hpp"
#include "store/scim.hpp"

namespace roster::app {
namespace {

using store::Tx;

// The SCIM key acting through the API's use cases. The `scim` scope is
// checked once per request (Action::kProvision, in ScimTenant); the use
// cases then run for the same key with what an admin key may do, so their
// audit events name the key and their rules are the API's.
Principal Provisioner(const Principal& caller) {
  Principal provisioner = caller;
  provisioner.api_key->scope = domain::ApiKeyScope::kAdmin;
  return provisioner;
}

Problem ScimProblem(ProblemCode category, std::string scim_type, std::string detail) {
  Problem problem;
  problem.category = category;
  problem.slug = std::move(scim_type);
  problem.detail = std::move(detail);
  return problem;
}

Problem InvalidValue(std::string detail) {
  return ScimProblem(ProblemCode::kBadRequest, "invalidValue", std::move(detail));
}

// A 422 of a use case is a value SCIM sent: 400 `invalidValue`, naming the
// fields.
Problem AsScim(Problem problem) {
  if (problem.category == ProblemCode::kValidation) {
    std::string detail = problem.detail;
    for (const FieldError& error : problem.errors) {
      detail += (detail.empty() ? "" : " ") + error.field + ": " + error.message;
    }
    return InvalidValue(detail);
  }
  if (problem.slug == "already_member") {
    return ScimProblem(ProblemCode::kConflict, "uniqueness",
                       "A member of this organization already has this userName.");
  }
  if (problem.slug == "no_offboarding_heir") {
    problem.detail = "This member owns leads that the organization's offboarding policy cannot "
                     "place: set a default heir (or assistant managers) in Roster's organization "
                     "settings, then try again. Nothing was changed.";
    return problem;
  }
  if (problem.slug == "assistant_name_taken") {
    return ScimProblem(ProblemCode::kConflict, "uniqueness",
                       "Another group (assistant) of this organization has this displayName.");
  }
  return problem;
}

template <class T>
Result<T> Scim(Result<T> result) {
  if (result.ok()) return result;
  return AsScim(std::move(result).problem());
}

Status AsScimStatus(Status status) {
  if (status.ok()) return status;
  return AsScim(std::move(status).problem());
}

// Each name part is optional; a present one is 1-200 characters.
Result<domain::ScimName> CheckName(const domain::ScimName& name) {
  domain::ScimName checked;
  auto check = [](const std::optional<std::string>& part,
                  const char* field) -> Result<std::optional<std::string>> {
    if (!part) return std::optional<std::string>();
    std::string text = ROSTER_TRY(Scim(domain::ValidateLabel(*part, field, true)));
    return text.empty() ? std::optional<std::string>() : std::optional<std::string>(text);
  };
  checked.given_name = ROSTER_TRY(check(name.given_name, "name.givenName"));
  checked.family_name = ROSTER_TRY(check(name.family_name, "name.familyName"));
  checked.formatted = ROSTER_TRY(check(name.formatted, "name.formatted"));
  checked.display_name = ROSTER_TRY(check(name.display_name, "displayName"));
  return checked;
}

Result<std::optional<std::string>> CheckExternalId(const std::optional<std::string>& external_id) {
  if (!external_id) return std::optional<std::string>();
  return std::optional<std::string>(
      ROSTER_TRY(Scim(domain::ValidateLabel(*external_id, "externalId", false))));
}

// The name an invitation gives a new account: the formatted name, else the
// displayName, else the given and family names, else the e-mail's local part.
std::string AccountName(const domain::ScimName& name, const std::string& email) {
  if (name.formatted) return *name.formatted;
  if (name.display_name) return *name.display_name;
  std::string joined = name.given_name.value_or("");
  if (name.family_name) joined += (joined.empty() ? "" : " ") + *name.family_name;
  return joined.empty() ? email.substr(0, email.find('@')) : joined;
}

Result<domain::ScimUser> LoadUser(Tx& tx, Id organization_id, Id user_id) {
  auto user = store::FindScimUser(tx, organization_id, user_id);
  if (!user) return Problem::NotFound("No such user in this organization.");
  return *user;
}

Result<domain::ScimGroup> LoadGroup(Tx& tx, Id organization_id, Id group_id) {
  auto assistant = store::FindAssistant(tx, organization_id, group_id);
  if (!assistant) return Problem::NotFound("No such group in this organization.");
  return domain::ScimGroup{assistant->id, assistant->name, assistant->created_at,
                           store::ScimGroupMembers(tx, organization_id, group_id)};
}

// Writes the identity provider's attributes and audits what changed, when
// they differ from `stored`'s external id and `name_before`.
void SaveAttributes(Tx& tx, const Access& access, Id organization_id,
                    const domain::ScimUser& stored, const domain::ScimName& name_before,
                    const std::optional<std::string>& external_id, const domain::ScimName& name,
                    UnixSeconds now) {
  if (stored.external_id == external_id && name_before == name) return;
  store::SaveScimAttributes(tx, organization_id, stored.user_id, external_id, name, now);
  auto text = [](const std::optional<std::string>& value) {
    return value ? nlohmann::json(*value) : nlohmann::json();
  };
  RecordAudit(tx, organization_id, now, access.actor, "scim_user_updated", stored.user_id,
              {{"external_id", text(external_id)},
               {"given_name", text(name.given_name)},
               {"family_name", text(name.family_name)},
               {"formatted_name", text(name.formatted)},
               {"display_name", text(name.display_name)}});
}

// Every id must be a member of the organization, so that a group change is
// refused whole rather than done in part.
Status CheckMembers(Tx& tx, Id organization_id, const std::vector<Id>& user_ids) {
  for (Id user_id : user_ids) {
    if (!store::FindMembership(tx, organization_id, user_id)) {
      return InvalidValue("Member " + FormatId(user_id) + " is not a user of this organization.");
    }
  }
  return {};
}

Status Assign(Tx& tx, const Principal& caller, Id organization_id, Id group_id,
              const std::vector<Id>& user_ids, UnixSeconds now) {
  for (Id user_id : user_ids) {
    ROSTER_TRY(Scim(AssignUserIn(tx, Provisioner(caller), organization_id, group_id, user_id,
                                 std::nullopt, now)));
  }
  return {};
}

// A user who owns leads on the assistant stays: they would need a new owner.
Status Unassign(Tx& tx, const Principal& caller, Id organization_id, Id group_id,
                const std::vector<Id>& user_ids, UnixSeconds now) {
  for (Id user_id : user_ids) {
    auto done = UnassignUserIn(tx, Provisioner(caller), organization_id, group_id, user_id,
                               std::nullopt, now);
    if (done.ok() || done.problem().category == ProblemCode::kNotFound) continue;
    if (done.problem().slug == "reassign_target_required") {
      return ScimProblem(ProblemCode::kConflict, "",
                         "User " + FormatId(user_id) +
                             " owns leads on this assistant; move them in Roster first.");
    }
    return AsScim(done.problem());
  }
  return {};
}

std::vector<Id> Distinct(std::vector<Id> ids) {
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return ids;
}

}  // namespace

bool IsScimActive(const domain::ScimUser& user) {
  return user.state != domain::MembershipState::kDeactivated;
}

Result<Id> ScimTenant(Context& context, const Principal& caller) {
  if (!caller.api_key) {
    return Problem::Unauthenticated(
        "unauthenticated", "SCIM takes an API key with scope scim as a bearer token.");
  }
  Id organization_id = caller.api_key->organization_id;
  ROSTER_TRY(context.database.Read<Access>([&](Tx& tx) -> Result<Access> {
    return Require(tx, caller, organization_id, Action::kProvision);
  }));
  return organization_id;
}

Result<domain::ScimPage<domain::ScimUser>> ListScimUsers(
    Context& context, const Principal& caller, const std::optional<domain::ScimUserFilter>& filter,
    ScimPaging paging) {
  Id organization_id = ROSTER_TRY(ScimTenant(context, caller));
  std::optional<domain::ScimUserFilter> query = filter;
  if (query && query->attribute == domain::ScimUserAttribute::kUserName) {
    query->value = domain::NormalizeEmail(query->value);
  }
  return context.database.Read<domain::ScimPage<domain::ScimUser>>(
      [&](Tx& tx) -> Result<domain::ScimPage<domain::ScimUser>> {
        ROSTER_TRY(Require(tx, caller, organization_id, Action::kProvision));
        domain::ScimPage<domain::ScimUser> page;
        page.start_index = paging.start_index;
        page.total = store::CountScimUsers(tx, organization_id, query);
        if (paging.count > 0) {
          page.items = store::ListScimUsers(tx, organization_id, query, paging.start_index - 1,
                                            std::min(paging.count, kScimMaxResults));
        }
        return page;
      });
}

Result<domain::ScimUser> GetScimUser(Context& context, const Principal& caller, Id user_id) {
  Id organization_id = ROSTER_TRY(ScimTenant(context, caller));
  return context.database.Read<domain::ScimUser>([&](Tx& tx) -> Result<domain::ScimUser> {
    ROSTER_TRY(Require(tx, caller, organization_id, Action::kProvision));
    return LoadUser(tx, organization_id, user_id);
  });
}

Result<domain::ScimUser> CreateScimUser(Context& context, const Principal& caller,
                                        const ScimUserInput& input) {
  Id organization_id = ROSTER_TRY(ScimTenant(context, caller));
  domain::ScimName name = ROSTER_TRY(CheckName(input.name));
  std::optional<std::string> external_id = ROSTER_TRY(CheckExternalId(input.external_id));
  if (input.active == false) {
    return InvalidValue("A person is provisioned active; deactivate him once he has joined.");
  }
  std::string email = domain::NormalizeEmail(input.user_name);
  InviteRequest invite{email, AccountName(name, email), input.role.value_or(domain::Role::kUser),
                       {}};
  MemberView member =
      ROSTER_TRY(Scim(InviteMember(context, Provisioner(caller), organization_id, invite)));
  // A second transaction: the invitation is the API's use case. Should this
  // one fail, the identity provider finds the member by userName and sends
  // its attributes again.
  UnixSeconds now = context.clock.Now();
  return context.database.Write<domain::ScimUser>([&](Tx& tx) -> Result<domain::ScimUser> {
    Access access = ROSTER_TRY(Require(tx, caller, organization_id, Action::kProvision));
    domain::ScimUser stored = ROSTER_TRY(LoadUser(tx, organization_id, member.user_id));
    SaveAttributes(tx, access, organization_id, stored, stored.name, external_id, name, now);
    return LoadUser(tx, organization_id, member.user_id);
  });
}

domain::ScimName ShownScimName(const domain::ScimUser& user) {
  domain::ScimName name = user.name;
  if (name.given_name || name.family_name || name.formatted) return name;
  std::size_t space = user.account_name.find(' ');
  name.given_name = user.account_name.substr(0, space);
  if (space != std::string::npos) name.family_name = user.account_name.substr(space + 1);
  return name;
}

Result<domain::ScimUser> ReplaceScimUser(Context& context, const Principal& caller, Id user_id,
                                         const ScimUserChange& change) {
  Id organization_id = ROSTER_TRY(ScimTenant(context, caller));
  UnixSeconds now = context.clock.Now();
  bool invited_again = false;
  Result<domain::ScimUser> user =
      context.database.Write<domain::ScimUser>([&](Tx& tx) -> Result<domain::ScimUser> {
        invited_again = false;  // a retried transaction starts over
        Access access = ROSTER_TRY(Require(tx, caller, organization_id, Action::kProvision));
        // Every change of a membership of the organization waits for this
        // one: another request's PATCH reads the user as this one leaves him.
        store::LockOrganization(tx, organization_id);
        domain::ScimUser stored = ROSTER_TRY(LoadUser(tx, organization_id, user_id));
        ScimUserInput input = ROSTER_TRY(change(stored));
        if (domain::NormalizeEmail(input.user_name) != stored.email) {
          return ScimProblem(ProblemCode::kBadRequest, "mutability",
                             "userName is the person's e-mail, which identifies his account in "
                             "every organization; it cannot be changed through SCIM.");
        }
        domain::ScimName name = ROSTER_TRY(CheckName(input.name));
        std::optional<std::string> external_id = ROSTER_TRY(CheckExternalId(input.external_id));
        // active:false deactivates him through the offboarding policy (his
        // leads move, or nothing changes); active:true reactivates him with
        // his role.
        if (input.active && *input.active != IsScimActive(stored)) {
          if (*input.active) {
            ROSTER_TRY(Scim(ReactivateMemberIn(tx, context, caller, organization_id, user_id,
                                               Channel::kScim, now, &invited_again)));
          } else {
            ROSTER_TRY(Scim(DeactivateMemberIn(tx, caller, organization_id, user_id, std::nullopt,
                                               Channel::kScim, now)));
          }
        }
        if (input.role && *input.role != stored.role) {
          ROSTER_TRY(Scim(
              ChangeRoleIn(tx, Provisioner(caller), organization_id, user_id, *input.role, now)));
        }
        // Unchanged when the name is the one he is answered with (a PATCH
        // of `active` starts from it), though none was stored.
        SaveAttributes(tx, access, organization_id, stored, ShownScimName(stored), external_id,
                       name, now);
        return LoadUser(tx, organization_id, user_id);
      });
  if (invited_again && user.ok()) context.mail_queued();
  return user;
}

Status DeleteScimUser(Context& context, const Principal& caller, Id user_id) {
  Id organization_id = ROSTER_TRY(ScimTenant(context, caller));
  // His leads go by the offboarding policy, in the removal's transaction.
  ROSTER_TRY(Scim(RemoveMember(context, caller, organization_id, user_id, std::nullopt,
                               Channel::kScim)));
  return {};
}

Result<domain::ScimPage<domain::ScimGroup>> ListScimGroups(
    Context& context, const Principal& caller, const std::optional<std::string>& display_name,
    ScimPaging paging, bool with_members) {
  Id organization_id = ROSTER_TRY(ScimTenant(context, caller));
  return context.database.Read<domain::ScimPage<domain::ScimGroup>>(
      [&](Tx& tx) -> Result<domain::ScimPage<domain::ScimGroup>> {
        ROSTER_TRY(Require(tx, caller, organization_id, Action::kProvision));
        domain::ScimPage<domain::ScimGroup> page;
        page.start_index = paging.start_index;
        page.total = store::CountScimGroups(tx, organization_id, display_name);
        if (paging.count > 0) {
          page.items = store::ListScimGroups(tx, organization_id, display_name,
                                             paging.start_index - 1,
                                             std::min(paging.count, kScimMaxResults));
        }
        if (with_members) {
          for (auto& group : page.items) {
            group.members = store::ScimGroupMembers(tx, organization_id, group.id);
          }
        }
        return page;
      });
}

Result<domain::ScimGroup> GetScimGroup(Context& context, const Principal& caller, Id group_id) {
  Id organization_id = ROSTER_TRY(ScimTenant(context, caller));
  return context.database.Read<domain::ScimGroup>([&](Tx& tx) -> Result<domain::ScimGroup> {
    ROSTER_TRY(Require(tx, caller, organization_id, Action::kProvision));
    return LoadGroup(tx, organization_id, group_id);
  });
}

Result<domain::ScimGroup> CreateScimGroup(Context& context, const Principal& caller,
                                          const std::string& display_name,
                                          const std::vector<Id>& members) {
  Id organization_id = ROSTER_TRY(ScimTenant(context, caller));
  std::vector<Id> users = Distinct(members);
  UnixSeconds now = context.clock.Now();
  // One transaction: a group refused for one of its members is not left
  // behind, half made, for the identity provider's retry to find taken.
  return context.database.WriteSerializable<domain::ScimGroup>(
      [&](Tx& tx) -> Result<domain::ScimGroup> {
        ROSTER_TRY_STATUS(CheckMembers(tx, organization_id, users));
        domain::Assistant assistant = ROSTER_TRY(
            Scim(CreateAssistantIn(tx, Provisioner(caller), organization_id, display_name, now)));
        ROSTER_TRY_STATUS(Assign(tx, caller, organization_id, assistant.id, users, now));
        return LoadGroup(tx, organization_id, assistant.id);
      });
}

Result<domain::ScimGroup> ChangeScimGroup(Context& context, const Principal& caller, Id group_id,
                                          const ScimGroupChange& change) {
  Id organization_id = ROSTER_TRY(ScimTenant(context, caller));
  UnixSeconds now = context.clock.Now();
  return context.database.WriteSerializable<domain::ScimGroup>([&](Tx& tx)
                                                                   -> Result<domain::ScimGroup> {
    Access access = ROSTER_TRY(Require(tx, caller, organization_id, Action::kProvision));
    domain::ScimGroup group = ROSTER_TRY(LoadGroup(tx, organization_id, group_id));
    ScimGroupEdit edit = ROSTER_TRY(change(group));
    std::set<Id> current;
    for (const auto& member : group.members) current.insert(member.user_id);
    const ScimMemberChange& members = edit.members;
    std::set<Id> wanted =
        members.replace ? std::set<Id>(members.replace->begin(), members.replace->end()) : current;
    wanted.insert(members.add.begin(), members.add.end());
    for (Id user_id : members.remove) wanted.erase(user_id);
    std::vector<Id> added, removed;
    std::set_difference(wanted.begin(), wanted.end(), current.begin(), current.end(),
                        std::back_inserter(added));
    std::set_difference(current.begin(), current.end(), wanted.begin(), wanted.end(),
                        std::back_inserter(removed));
    ROSTER_TRY_STATUS(CheckMembers(tx, organization_id, added));

    if (edit.display_name && *edit.display_name != group.name) {
      std::string name =
          ROSTER_TRY(Scim(domain::ValidateLabel(*edit.display_name, "displayName", false)));
      ROSTER_TRY_STATUS(AsScimStatus(store::RenameAssistant(tx, organization_id, group_id, name)));
      RecordAudit(tx, organization_id, now, access.actor, "assistant_renamed", std::nullopt,
                  {{"assistant_id", FormatId(group_id)}, {"from", group.name}, {"to", name}});
    }
    ROSTER_TRY_STATUS(Assign(tx, caller, organization_id, group_id, added, now));
    ROSTER_TRY_STATUS(Unassign(tx, caller, organization_id, group_id, removed, now));
    return LoadGroup(tx, organization_id, group_id);
  });
}

}  // namespace roster::app
