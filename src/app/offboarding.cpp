#include "app/offboarding.hpp"

#include <map>

#include "app/audit_trail.hpp"
#include "store/assistants.hpp"
#include "store/leads.hpp"
#include "store/organizations.hpp"

namespace roster::app {
namespace {

using store::Tx;

bool IsActiveMember(Tx& tx, Id organization_id, Id user_id) {
  auto member = store::FindMembership(tx, organization_id, user_id);
  return member && member->state == domain::MembershipState::kActive;
}

// Why the policy's heir cannot take the leads, for NoHeir.
enum class HeirMissing { kNoneSet, kIsTheLeaver, kNotActive };

Problem NoHeir(HeirMissing why) {
  std::string detail = "Some of these leads have nobody to go to: ";
  switch (why) {
    case HeirMissing::kNoneSet:
      detail +=
          "name who receives them (reassign_to), or set a default heir in the organization's "
          "settings.";
      break;
    case HeirMissing::kIsTheLeaver:
      detail +=
          "the default heir in the organization's settings is this member himself. Name who "
          "receives them (reassign_to), or choose another heir.";
      break;
    case HeirMissing::kNotActive:
      detail +=
          "the default heir in the organization's settings is not an active member now. Name "
          "who receives them (reassign_to), or choose another heir.";
      break;
  }
  return Problem::Conflict("no_offboarding_heir", detail);
}

}  // namespace

Result<std::vector<Handover>> PlanHandover(Tx& tx, Id organization_id, Id leaver,
                                           std::optional<Id> reassign_to,
                                           MissingReceiver missing) {
  if (reassign_to && (*reassign_to == leaver || !IsActiveMember(tx, organization_id, *reassign_to))) {
    return Problem::Invalid("invalid_reassign_target",
                            "The leads can only go to another active member of this organization.");
  }
  std::vector<Handover> plan;
  std::vector<store::AssistantLeadCount> counts =
      store::LeadCountsByAssistant(tx, organization_id, leaver);
  if (counts.empty()) return plan;

  domain::OffboardingPolicy policy;
  std::optional<Id> heir;
  if (!reassign_to) {
    policy = ReadOrganizationSettings(tx, organization_id).offboarding;
    if (!policy.IsSet() && missing == MissingReceiver::kAskForOne) {
      return Problem::Invalid("reassign_target_required",
                              "This member owns leads; choose who receives them (reassign_to).");
    }
    // A heir who has left since he was chosen, or the leaver himself, is no heir.
    if (policy.heir_user_id && *policy.heir_user_id != leaver &&
        IsActiveMember(tx, organization_id, *policy.heir_user_id)) {
      heir = policy.heir_user_id;
    }
  }
  for (const auto& count : counts) {
    Handover handover{count.assistant_id, 0, count.lead_count, false};
    std::optional<Id> receiver = reassign_to;
    if (!receiver && policy.prefer_assistant_manager) {
      receiver = store::LeastLoadedManager(tx, organization_id, count.assistant_id, leaver);
    }
    if (!receiver) receiver = heir;
    if (!receiver) {
      return NoHeir(!policy.heir_user_id             ? HeirMissing::kNoneSet
                    : *policy.heir_user_id == leaver ? HeirMissing::kIsTheLeaver
                                                     : HeirMissing::kNotActive);
    }
    handover.receiver_id = *receiver;
    handover.receiver_joins =
        !store::FindAssistantUser(tx, organization_id, count.assistant_id, *receiver);
    plan.push_back(handover);
  }
  return plan;
}

std::int64_t MoveLeads(Tx& tx, Id organization_id, Id leaver, const std::vector<Handover>& plan,
                       const domain::Actor& actor, UnixSeconds now) {
  std::int64_t moved = 0;
  for (const Handover& handover : plan) {
    if (handover.receiver_joins) {
      store::AssignUser(tx, organization_id, handover.assistant_id, handover.receiver_id, false,
                        now);
      RecordAudit(tx, organization_id, now, actor, "assistant_user_assigned",
                  handover.receiver_id,
                  {{"assistant_id", FormatId(handover.assistant_id)}, {"is_manager", false}});
    }
    moved += store::ReassignLeadsOnAssistant(tx, organization_id, handover.assistant_id, leaver,
                                             handover.receiver_id);
  }
  return moved;
}

void RecordHandover(Tx& tx, Id organization_id, Id leaver, const std::vector<Handover>& plan,
                    const domain::Actor& actor, std::string_view reason, UnixSeconds now) {
  std::map<Id, std::vector<store::AssistantLeadCount>> by_receiver;
  for (const Handover& handover : plan) {
    by_receiver[handover.receiver_id].push_back({handover.assistant_id, handover.lead_count});
  }
  for (const auto& [receiver, counts] : by_receiver) {
    RecordLeadsReassigned(tx, organization_id, now, actor, leaver, receiver, reason, counts);
  }
}

}  // namespace roster::app
