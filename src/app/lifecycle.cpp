#include "app/lifecycle.hpp"

#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

#include "app/access.hpp"
#include "app/audit_trail.hpp"
#include "app/in_transaction.hpp"
#include "app/member_rules.hpp"
#include "app/offboarding.hpp"
#include "store/accounts.hpp"
#include "store/organizations.hpp"

namespace roster::app {

using store::Tx;

Result<MemberView> DeactivateMemberIn(Tx& tx, const Principal& caller, Id organization_id,
                                      Id user_id, std::optional<Id> reassign_to, Channel channel,
                                      UnixSeconds now, std::int64_t* moved) {
  store::LockOrganization(tx, organization_id);
  auto [access, leaver] = ROSTER_TRY(
      RequireWithMember(tx, caller, organization_id, MemberChangeAction(channel), user_id));
  if (leaver.state == domain::MembershipState::kDeactivated) {
    return ChangedMember(tx, access, user_id, now);
  }
  // Someone who has not joined yet loses his invitation: its one-time
  // password stops working (identity providers deprovision people who
  // never signed in), and a reactivation invites him again.
  bool invitation_revoked = leaver.state == domain::MembershipState::kInvited;
  ROSTER_TRY_STATUS(KeepAnAdmin(tx, leaver));
  std::vector<Handover> plan =
      ROSTER_TRY(PlanHandover(tx, organization_id, user_id, reassign_to, MissingReceiver::kRefuse));
  std::int64_t lead_count = MoveLeads(tx, organization_id, user_id, plan, access.actor, now);
  if (moved) *moved = lead_count;
  store::DeactivateMembership(tx, organization_id, user_id, now);
  // A session that reaches no other organization has nothing left to do.
  bool sessions_ended = !store::HasActiveMembershipElsewhere(tx, user_id, organization_id);
  if (sessions_ended) store::DeleteSessionsOfUser(tx, user_id);
  std::optional<Id> receiver = reassign_to ? reassign_to : SoleReceiver(plan);
  RecordAudit(tx, organization_id, now, access.actor, "member_deactivated", user_id,
              {{"email", leaver.email},
               {"role", domain::ToString(leaver.role)},
               {"reassigned_to", receiver ? nlohmann::json(FormatId(*receiver)) : nlohmann::json()},
               {"lead_count", lead_count},
               {"sessions_ended", sessions_ended},
               {"invitation_revoked", invitation_revoked}});
  RecordHandover(tx, organization_id, user_id, plan, access.actor, "member_deactivated", now);
  return ChangedMember(tx, access, user_id, now);
}

Result<MemberView> DeactivateMember(Context& context, const Principal& caller, Id organization_id,
                                    Id user_id, std::optional<Id> reassign_to, Channel channel) {
  UnixSeconds now = context.clock.Now();
  std::int64_t moved = 0;
  Result<MemberView> member = context.database.Write<MemberView>([&](Tx& tx) -> Result<MemberView> {
    return DeactivateMemberIn(tx, caller, organization_id, user_id, reassign_to, channel, now,
                              &moved);
  });
  if (member.ok()) {
    spdlog::info("event=member_deactivated organization={} actor={} target={} leads={}",
                 organization_id, ActorText(caller), user_id, moved);
  }
  return member;
}

Result<MemberView> ReactivateMemberIn(Tx& tx, const Context& context, const Principal& caller,
                                      Id organization_id, Id user_id, Channel channel,
                                      UnixSeconds now, bool* invited_again) {
  store::LockOrganization(tx, organization_id);
  auto [access, returning] = ROSTER_TRY(
      RequireWithMember(tx, caller, organization_id, MemberChangeAction(channel), user_id));
  if (returning.state == domain::MembershipState::kActive) {
    return ChangedMember(tx, access, user_id, now);
  }
  if (returning.state == domain::MembershipState::kInvited) {
    return Problem::Conflict("not_deactivated",
                             "This member is invited, not deactivated; there is nothing to "
                             "reactivate.");
  }
  nlohmann::json details = {{"email", returning.email}, {"role", domain::ToString(returning.role)}};
  if (returning.joined_at) {
    store::ReactivateMembership(tx, organization_id, user_id, domain::MembershipState::kActive);
  } else {
    // Deactivated before he joined: he is invited again.
    Inviter inviter = ROSTER_TRY(InviterOf(tx, access, caller));
    details["invitation"] =
        ROSTER_TRY(SendNewInvitation(tx, context, inviter, returning, now)).details;
    if (invited_again) *invited_again = true;
  }
  RecordAudit(tx, organization_id, now, access.actor, "member_reactivated", user_id, details);
  return ChangedMember(tx, access, user_id, now);
}

Result<MemberView> ReactivateMember(Context& context, const Principal& caller, Id organization_id,
                                    Id user_id, Channel channel) {
  UnixSeconds now = context.clock.Now();
  bool invited_again = false;
  Result<MemberView> member = context.database.Write<MemberView>([&](Tx& tx) -> Result<MemberView> {
    invited_again = false;  // a retried transaction starts over
    return ReactivateMemberIn(tx, context, caller, organization_id, user_id, channel, now,
                              &invited_again);
  });
  if (invited_again && member.ok()) context.mail_queued();
  if (member.ok()) {
    spdlog::info("event=member_reactivated organization={} actor={} target={}", organization_id,
                 ActorText(caller), user_id);
  }
  return member;
}

}  // namespace roster::app
