#include "app/assistants.hpp"

#include <spdlog/spdlog.h>

#include "app/access.hpp"
#include "app/audit_trail.hpp"
#include "app/in_transaction.hpp"
#include "app/member_rules.hpp"
#include "domain/validation.hpp"
#include "store/assistants.hpp"
#include "store/leads.hpp"
#include "store/organizations.hpp"

namespace roster::app {
namespace {

using store::Tx;

Result<domain::Assistant> LoadAssistant(Tx& tx, Id organization_id, Id assistant_id) {
  auto assistant = store::FindAssistant(tx, organization_id, assistant_id);
  if (!assistant) return Problem::NotFound("No such assistant.");
  return *assistant;
}

Result<domain::AssistantUser> LoadAssignment(Tx& tx, Id organization_id, Id assistant_id,
                                             Id user_id) {
  auto assignment = store::FindAssistantUser(tx, organization_id, assistant_id, user_id);
  if (!assignment) return Problem::NotFound("This user is not assigned to the assistant.");
  return *assignment;
}

void AuditManagerChange(Tx& tx, Id organization_id, UnixSeconds now, const domain::Actor& actor,
                        const domain::AssistantUser& assignment, bool is_manager) {
  RecordAudit(tx, organization_id, now, actor,
              is_manager ? "assistant_manager_granted" : "assistant_manager_revoked",
              assignment.user_id, {{"assistant_id", FormatId(assignment.assistant_id)}});
  spdlog::info("event={} organization={} actor={} target={} assistant={}",
               is_manager ? "assistant_manager_granted" : "assistant_manager_revoked",
               organization_id, FormatId(actor.user_id.value_or(0)), assignment.user_id,
               assignment.assistant_id);
}

// The receiver of an unassigned user's leads: another active member.
Status CheckReassignTarget(Tx& tx, Id organization_id, Id user_id, Id target) {
  auto receiver = store::FindMember(tx, organization_id, target);
  if (target == user_id || !receiver || receiver->state != domain::MembershipState::kActive) {
    return Problem::Invalid("invalid_reassign_target",
                            "The leads can only go to another active member of this organization.");
  }
  return {};
}

// Invariant of SPEC 8: a deactivated member manages nothing.
Status CheckCanManage(Tx& tx, Id organization_id, Id user_id) {
  auto member = store::FindMembership(tx, organization_id, user_id);
  if (member && member->state == domain::MembershipState::kDeactivated) {
    return Problem::Conflict("member_deactivated",
                             "A deactivated member cannot be an assistant manager; reactivate him "
                             "first.");
  }
  return {};
}

}  // namespace

Result<domain::Assistant> CreateAssistantIn(Tx& tx, const Principal& caller, Id organization_id,
                                            const std::string& raw_name, UnixSeconds now) {
  Access access = ROSTER_TRY(Require(tx, caller, organization_id, Action::kManageAssistants));
  std::string name = ROSTER_TRY(domain::ValidateLabel(raw_name, "name", false));
  Id id = ROSTER_TRY(store::InsertAssistant(tx, organization_id, name, now));
  RecordAudit(tx, organization_id, now, access.actor, "assistant_created", std::nullopt,
              {{"assistant_id", FormatId(id)}, {"name", name}});
  return LoadAssistant(tx, organization_id, id);
}

Result<domain::Assistant> CreateAssistant(Context& context, const Principal& caller,
                                          Id organization_id, const std::string& raw_name) {
  UnixSeconds now = context.clock.Now();
  // Assistant changes run SERIALIZABLE on PostgreSQL: they are rare, and
  // their rules (a name taken, the leads of a user being unassigned) read
  // sets of rows that no single row lock covers.
  return context.database.WriteSerializable<domain::Assistant>(
      [&](Tx& tx) -> Result<domain::Assistant> {
        return CreateAssistantIn(tx, caller, organization_id, raw_name, now);
      });
}

Result<Page<domain::Assistant>> ListAssistants(Context& context, const Principal& caller,
                                               Id organization_id, int limit,
                                               const std::optional<std::string>& cursor) {
  return context.database.Read<Page<domain::Assistant>>(
      [&](Tx& tx) -> Result<Page<domain::Assistant>> {
        Access access = ROSTER_TRY(Require(tx, caller, organization_id, Action::kListAssistants));
        return store::ListAssistants(tx, organization_id, ViewerOf(access), limit, cursor);
      });
}

Result<Page<domain::AssistantUser>> ListAssistantUsers(
    Context& context, const Principal& caller, Id organization_id, Id assistant_id, int limit,
    const std::optional<std::string>& cursor) {
  return context.database.Read<Page<domain::AssistantUser>>(
      [&](Tx& tx) -> Result<Page<domain::AssistantUser>> {
        Access access = ROSTER_TRY(Enter(tx, caller, organization_id));
        ROSTER_TRY(LoadAssistant(tx, organization_id, assistant_id));
        Status allowed = Check(access, Action::kListAssistantUsers,
                               RelationTo(tx, access, assistant_id));
        if (!allowed.ok()) {
          if (allowed.problem().category == ProblemCode::kNotFound) {
            return Problem::NotFound("No such assistant.");
          }
          return allowed.problem();
        }
        return store::ListAssistantUsers(tx, organization_id, assistant_id, ViewerOf(access),
                                         limit, cursor);
      });
}

Result<domain::AssistantUser> AssignUserIn(Tx& tx, const Principal& caller, Id organization_id,
                                           Id assistant_id, Id user_id,
                                           std::optional<bool> is_manager, UnixSeconds now) {
  Access access = ROSTER_TRY(Require(tx, caller, organization_id, Action::kManageAssistants));
  ROSTER_TRY(LoadAssistant(tx, organization_id, assistant_id));
  if (!store::FindMember(tx, organization_id, user_id)) {
    return NoSuchMember();
  }
  if (is_manager.value_or(false)) ROSTER_TRY_STATUS(CheckCanManage(tx, organization_id, user_id));
  auto existing = store::FindAssistantUser(tx, organization_id, assistant_id, user_id);
  if (!existing) {
    store::AssignUser(tx, organization_id, assistant_id, user_id, is_manager.value_or(false), now);
    RecordAudit(
        tx, organization_id, now, access.actor, "assistant_user_assigned", user_id,
        {{"assistant_id", FormatId(assistant_id)}, {"is_manager", is_manager.value_or(false)}});
    if (is_manager.value_or(false)) {
      auto assigned = ROSTER_TRY(LoadAssignment(tx, organization_id, assistant_id, user_id));
      AuditManagerChange(tx, organization_id, now, access.actor, assigned, true);
    }
  } else if (is_manager && *is_manager != existing->is_manager) {
    store::SetManager(tx, assistant_id, user_id, *is_manager);
    AuditManagerChange(tx, organization_id, now, access.actor, *existing, *is_manager);
  }
  return LoadAssignment(tx, organization_id, assistant_id, user_id);
}

Result<domain::AssistantUser> AssignUser(Context& context, const Principal& caller,
                                         Id organization_id, Id assistant_id, Id user_id,
                                         std::optional<bool> is_manager) {
  UnixSeconds now = context.clock.Now();
  return context.database.WriteSerializable<domain::AssistantUser>(
      [&](Tx& tx) -> Result<domain::AssistantUser> {
        return AssignUserIn(tx, caller, organization_id, assistant_id, user_id, is_manager, now);
      });
}

Result<domain::AssistantUser> SetManager(Context& context, const Principal& caller,
                                         Id organization_id, Id assistant_id, Id user_id,
                                         bool is_manager) {
  UnixSeconds now = context.clock.Now();
  return context.database.WriteSerializable<domain::AssistantUser>(
      [&](Tx& tx) -> Result<domain::AssistantUser> {
        Access access = ROSTER_TRY(Require(tx, caller, organization_id, Action::kManageAssistants));
        ROSTER_TRY(LoadAssistant(tx, organization_id, assistant_id));
        domain::AssistantUser assignment =
            ROSTER_TRY(LoadAssignment(tx, organization_id, assistant_id, user_id));
        if (assignment.is_manager == is_manager) return assignment;
        if (is_manager) ROSTER_TRY_STATUS(CheckCanManage(tx, organization_id, user_id));
        store::SetManager(tx, assistant_id, user_id, is_manager);
        AuditManagerChange(tx, organization_id, now, access.actor, assignment, is_manager);
        assignment.is_manager = is_manager;
        return assignment;
      });
}

Result<Unassignment> UnassignUserIn(Tx& tx, const Principal& caller, Id organization_id,
                                    Id assistant_id, Id user_id, std::optional<Id> reassign_to,
                                    UnixSeconds now) {
  Access access = ROSTER_TRY(Require(tx, caller, organization_id, Action::kManageAssistants));
  ROSTER_TRY(LoadAssistant(tx, organization_id, assistant_id));
  domain::AssistantUser assignment =
      ROSTER_TRY(LoadAssignment(tx, organization_id, assistant_id, user_id));
  if (reassign_to)
    ROSTER_TRY_STATUS(CheckReassignTarget(tx, organization_id, user_id, *reassign_to));
  std::int64_t owned = 0;
  for (const auto& count : store::LeadCountsByAssistant(tx, organization_id, user_id)) {
    if (count.assistant_id == assistant_id) owned = count.lead_count;
  }
  Unassignment done{assistant_id, user_id, reassign_to, 0};
  if (owned > 0) {
    if (!reassign_to) {
      return Problem::Invalid("reassign_target_required",
                              "This user owns leads on the assistant; choose who receives them "
                              "(reassign_to).");
    }
    if (!store::FindAssistantUser(tx, organization_id, assistant_id, *reassign_to)) {
      store::AssignUser(tx, organization_id, assistant_id, *reassign_to, false, now);
      RecordAudit(tx, organization_id, now, access.actor, "assistant_user_assigned", *reassign_to,
                  {{"assistant_id", FormatId(assistant_id)}, {"is_manager", false}});
    }
    done.reassigned_lead_count =
        store::ReassignLeadsOnAssistant(tx, organization_id, assistant_id, user_id, *reassign_to);
  }
  store::UnassignUser(tx, assistant_id, user_id);
  RecordAudit(
      tx, organization_id, now, access.actor, "assistant_user_unassigned", user_id,
      {{"assistant_id", FormatId(assistant_id)},
       {"was_manager", assignment.is_manager},
       {"reassigned_to", reassign_to ? nlohmann::json(FormatId(*reassign_to)) : nlohmann::json()},
       {"reassigned_lead_count", done.reassigned_lead_count}});
  if (done.reassigned_lead_count > 0) {
    RecordLeadsReassigned(tx, organization_id, now, access.actor, user_id, *reassign_to,
                          "assistant_user_unassigned",
                          {{assistant_id, done.reassigned_lead_count}});
  }
  spdlog::info(
      "event=assistant_user_unassigned organization={} actor={} target={} assistant={} leads={}",
      organization_id, ActorText(caller), user_id, assistant_id, done.reassigned_lead_count);
  return done;
}

Result<Unassignment> UnassignUser(Context& context, const Principal& caller, Id organization_id,
                                  Id assistant_id, Id user_id, std::optional<Id> reassign_to) {
  UnixSeconds now = context.clock.Now();
  return context.database.WriteSerializable<Unassignment>([&](Tx& tx) -> Result<Unassignment> {
    return UnassignUserIn(tx, caller, organization_id, assistant_id, user_id, reassign_to, now);
  });
}

}  // namespace roster::app
