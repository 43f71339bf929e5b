#include "app/lead_reassign.hpp"

#include <algorithm>
#include <map>
#include <set>

#include <spdlog/spdlog.h>

#include "app/access.hpp"
#include "app/audit_trail.hpp"
#include "app/lead_rules.hpp"
#include "store/assistants.hpp"
#include "store/leads.hpp"

namespace roster::app {
namespace {

using store::Tx;

constexpr std::string_view kReason = "leads_reassign";

// Every assistant of `assistants` must let the caller reassign its leads
// and let `owner_id` own them.
Status CheckAssistants(Tx& tx, const Access& access, const std::set<Id>& assistants, Id owner_id) {
  for (Id assistant_id : assistants) {
    ROSTER_TRY_STATUS(
        Check(access, Action::kReassignLead, RelationTo(tx, access, assistant_id)));
  }
  for (Id assistant_id : assistants) {
    ROSTER_TRY_STATUS(CheckLeadOwner(tx, access.organization_id, assistant_id, owner_id));
  }
  return {};
}

Result<std::int64_t> MoveNamedLeads(Tx& tx, const Access& access, UnixSeconds now,
                                    std::vector<Id> lead_ids, Id owner_id) {
  std::sort(lead_ids.begin(), lead_ids.end());
  lead_ids.erase(std::unique(lead_ids.begin(), lead_ids.end()), lead_ids.end());
  std::vector<store::LeadPlace> places =
      store::FindVisibleLeadPlaces(tx, access.organization_id, ViewerOf(access), lead_ids);
  if (places.size() != lead_ids.size()) {
    for (std::size_t i = 0; i < lead_ids.size(); ++i) {
      if (i >= places.size() || places[i].lead_id != lead_ids[i]) {
        return Problem::NotFound("No such lead: " + FormatId(lead_ids[i]) + ".");
      }
    }
  }
  std::set<Id> assistants;
  // previous owner -> assistant -> leads moving
  std::map<Id, std::map<Id, std::int64_t>> moving;
  for (const store::LeadPlace& place : places) {
    if (place.owner_id == owner_id) continue;
    assistants.insert(place.assistant_id);
    ++moving[place.owner_id][place.assistant_id];
  }
  ROSTER_TRY_STATUS(CheckAssistants(tx, access, assistants, owner_id));
  std::int64_t moved = store::ReassignLeads(tx, access.organization_id, lead_ids, owner_id);
  for (const auto& [from, by_assistant] : moving) {
    std::vector<store::AssistantLeadCount> counts;
    for (const auto& [assistant_id, count] : by_assistant) counts.push_back({assistant_id, count});
    RecordLeadsReassigned(tx, access.organization_id, now, access.actor, from, owner_id, kReason,
                          counts);
  }
  return moved;
}

Result<std::int64_t> MoveOwnersLeads(Tx& tx, const Access& access, UnixSeconds now,
                                     Id assistant_id, Id from, Id owner_id) {
  // The right first: someone who may not reassign on the assistant learns
  // nothing about it, not even whether it exists.
  ROSTER_TRY_STATUS(Check(access, Action::kReassignLead, RelationTo(tx, access, assistant_id)));
  if (!store::AssistantExists(tx, access.organization_id, assistant_id)) {
    return Problem::Validation("assistant_id", "No such assistant in this organization.");
  }
  if (from == owner_id) {
    return Problem::Validation("owner_id", "The receiver must be someone other than from_owner_id.");
  }
  ROSTER_TRY_STATUS(CheckLeadOwner(tx, access.organization_id, assistant_id, owner_id));
  std::int64_t moved =
      store::ReassignLeadsOnAssistant(tx, access.organization_id, assistant_id, from, owner_id);
  if (moved > 0) {
    RecordLeadsReassigned(tx, access.organization_id, now, access.actor, from, owner_id, kReason,
                          {{assistant_id, moved}});
  }
  return moved;
}

}  // namespace

Problem TooManyLeads() {
  Problem problem = Problem::Invalid("too_many_leads", "Reassign at most 500 leads at once.");
  problem.errors = {{"lead_ids", problem.detail}};
  return problem;
}

Result<LeadsReassigned> ReassignLeads(Context& context, const Principal& caller,
                                      Id organization_id, const LeadsReassignment& request) {
  UnixSeconds now = context.clock.Now();
  // SERIALIZABLE, as the single PATCH: the leads' owners and the receiver's
  // assignments are read, then written on.
  return context.database.WriteSerializable<LeadsReassigned>(
      [&](Tx& tx) -> Result<LeadsReassigned> {
        Access access = ROSTER_TRY(Require(tx, caller, organization_id, Action::kReadLeads));
        ROSTER_TRY_STATUS(Check(access, Action::kEditLead));
        if (request.lead_ids.size() > kMaxLeadsPerReassignment) {
          return TooManyLeads();
        }
        LeadsReassigned done{request.owner_id, 0};
        if (request.assistant_id && request.from_owner_id) {
          done.reassigned_lead_count = ROSTER_TRY(MoveOwnersLeads(
              tx, access, now, *request.assistant_id, *request.from_owner_id, request.owner_id));
        } else {
          done.reassigned_lead_count =
              ROSTER_TRY(MoveNamedLeads(tx, access, now, request.lead_ids, request.owner_id));
        }
        spdlog::info("event=leads_reassigned organization={} actor={} to={} leads={}",
                     organization_id, ActorText(caller), request.owner_id,
                     done.reassigned_lead_count);
        return done;
      });
}

}  // namespace roster::app
