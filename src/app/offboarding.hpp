#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "core/result.hpp"
#include "domain/audit.hpp"
#include "domain/org_settings.hpp"
#include "store/database.hpp"

// For the use cases of app/ only: where the leads of a member who leaves go
// (SPEC 8), the one routing that deactivation, removal and SCIM share.
namespace roster::app {

// The organization's settings as stored, defaults where unset.
domain::OrganizationSettings ReadOrganizationSettings(store::Tx& tx, Id organization_id);

// What to answer when nobody is named to take the leads and the offboarding
// policy cannot place every one of them.
enum class MissingReceiver {
  // 422 `reassign_target_required` while the organization has no policy at
  // all, 409 `no_offboarding_heir` once it has one (removal through /api/v1,
  // where SPEC 3 asks the admin to choose).
  kAskForOne,
  // 409 `no_offboarding_heir` (deactivation, SCIM).
  kRefuse,
};

// The leaver's leads on one assistant and who takes them.
struct Handover {
  Id assistant_id = 0;
  Id receiver_id = 0;
  std::int64_t lead_count = 0;
  bool receiver_joins = false;  // the receiver is not on the assistant yet
};

// Where each group of `leaver`'s leads goes, changing nothing: every group
// to `reassign_to` when given (422 `invalid_reassign_target` unless he is
// another active member), else by the policy: to the assistant's least
// loaded active manager other than the leaver when `prefer_assistant_manager`
// and there is one, else to the heir (an active member other than the
// leaver). Empty when he owns no leads.
Result<std::vector<Handover>> PlanHandover(store::Tx& tx, Id organization_id, Id leaver,
                                           std::optional<Id> reassign_to,
                                           MissingReceiver missing);

// Carries the plan out in `tx`, one set-based UPDATE per group: receivers
// join the assistants they were not on (an `assistant_user_assigned` event
// each), then the leads move. Returns how many moved.
std::int64_t MoveLeads(store::Tx& tx, Id organization_id, Id leaver,
                       const std::vector<Handover>& plan, const domain::Actor& actor,
                       UnixSeconds now);

// One `leads_reassigned` event per receiver of the plan, with his counts per
// assistant; `reason` names the action that moved them.
void RecordHandover(store::Tx& tx, Id organization_id, Id leaver,
                    const std::vector<Handover>& plan, const domain::Actor& actor,
                    std::string_view reason, UnixSeconds now);

}  // namespace roster::app
