#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "app/access.hpp"
#include "app/members.hpp"
#include "app/offboarding.hpp"
#include "app/permissions.hpp"
#include "core/result.hpp"
#include "domain/model.hpp"
#include "store/database.hpp"

// For the use cases of app/ only: rules about members that the Org users
// page (members.cpp), the lifecycle (lifecycle.cpp) and the use cases that
// name a member (assistants, recovery) share.
namespace roster::app {

// The 404 of a member who is not in the organization (or whom the caller
// may not see).
inline Problem NoSuchMember() { return Problem::NotFound("No such member in this organization."); }

// The member, or 404; with `assistants_for`, his assistants as that viewer
// may see them.
Result<domain::Member> LoadMember(store::Tx& tx, Id organization_id, Id user_id,
                                  const store::Viewer* assistants_for = nullptr);

// Require, and the member `user_id` (or 404 once the check has passed),
// read in the round trip of the check's own read; with `assistants_for`,
// his assistants as that viewer may see them, in the same round trip.
struct AccessToMember {
  Access access;
  domain::Member member;
};
Result<AccessToMember> RequireWithMember(store::Tx& tx, const Principal& caller, Id organization_id,
                                         Action action, Id user_id,
                                         const store::Viewer* assistants_for = nullptr);

// The member after a change, as its author sees him: with the details and
// the assistants that a read of the single member shows.
Result<MemberView> ChangedMember(store::Tx& tx, const Access& access, Id user_id, UnixSeconds now);

// Who an invitation is from: the organization, the name the e-mail gives
// ("" for an API key or the command line) and the account recorded as
// inviting (none for a key or the command line).
struct Inviter {
  domain::Organization organization;
  std::string name;
  std::optional<Id> user_id;
};
// The inviter of an invitation sent by `caller` through `access`.
Result<Inviter> InviterOf(store::Tx& tx, const Access& access, const Principal& caller);

// What SendNewInvitation did: the audit details, and the one-time password
// it e-mailed ("" when he was added instead), which only the command line
// shows.
struct NewInvitation {
  nlohmann::json details;
  std::string one_time_password;
};

// A new invitation for `member`, who is invited or was deactivated before
// he joined (the deactivation took his invitation): a one-time password for
// the invitation's lifetime, e-mailed, the earlier one dead. When his
// account has a password by now (set through another organization) he is
// active at once and told so instead.
Result<NewInvitation> SendNewInvitation(store::Tx& tx, const Context& context,
                                        const Inviter& inviter, const domain::Member& member,
                                        UnixSeconds now);

// Invariant 1: refuses (409 `last_admin`) a change that would take away the
// organization's last active admin.
Status KeepAnAdmin(store::Tx& tx, const domain::Member& member);

// The action a change of a member needs through `channel`.
inline Action MemberChangeAction(Channel channel) {
  return channel == Channel::kScim ? Action::kProvisionMembers : Action::kManageMembers;
}

// Sorting by a member's detail (joined, last sign-in, leads) or filtering by
// one (two-factor) is 403 `forbidden` for a caller who does not see details:
// the order or the answer would show them.
Status CheckDetailsAsked(const domain::MemberFilter& filter, bool sees_details);

// A page of members as the caller may see it: cut to name, e-mail, role
// and status unless `with_details` (statuses as of the filter's `now`), and
// with details, each member's assistants as the caller may see them.
Result<MemberList> ReadMemberPage(store::Tx& tx, const Access& access,
                                  const domain::MemberFilter& filter, bool with_details);

// The receiver of every lead of the plan when there is exactly one.
inline std::optional<Id> SoleReceiver(const std::vector<Handover>& plan) {
  std::optional<Id> receiver;
  for (const Handover& handover : plan) {
    if (receiver && *receiver != handover.receiver_id) return std::nullopt;
    receiver = handover.receiver_id;
  }
  return receiver;
}

}  // namespace roster::app
