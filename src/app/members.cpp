#include "app/members.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "app/access.hpp"
#include "app/audit_trail.hpp"
#include "app/in_transaction.hpp"
#include "app/mail_queue.hpp"
#include "app/member_rules.hpp"
#include "app/offboarding.hpp"
#include "app/org_settings.hpp"
#include "auth/secrets.hpp"
#include "domain/validation.hpp"
#include "store/accounts.hpp"
#include "store/assistants.hpp"
#include "store/database.hpp"
#include "store/leads.hpp"
#include "store/member_assistants.hpp"
#include "store/organizations.hpp"

namespace roster::app {
namespace {

using store::Tx;

std::string ResendBucket(Id organization_id, Id user_id) {
  return "resend:" + FormatId(organization_id) + ":" + FormatId(user_id);
}

// A fresh one-time password and its stored form (SPEC 6: a SHA-256, so
// issuing one costs no password hash).
struct NewOtp {
  std::string plain;
  std::string hash;
};
NewOtp MakeOneTimePassword() {
  NewOtp otp{NewOneTimePassword(), {}};
  otp.hash = HashOneTimePassword(otp.plain);
  return otp;
}

MemberView ViewOf(domain::Member member, UnixSeconds now, bool with_details) {
  return ViewOfMember(std::move(member), now, with_details);
}

Problem LastAdmin() {
  return Problem::Conflict(
      "last_admin", "This is the organization's last admin; make someone else an admin first.");
}

// The admin an operator names on the command line: his e-mail normalized,
// his name (the e-mail's local part when none is given), each checked under
// the name of its option.
struct AdminNamed {
  std::string email;
  std::string name;
};
Result<AdminNamed> AdminOfCommandLine(const std::string& email_option,
                                      const std::string& name_option, const char* email_field,
                                      const char* name_field) {
  std::string email = domain::NormalizeEmail(email_option);
  ROSTER_TRY_STATUS(domain::ValidateEmail(email, email_field));
  std::string name = name_option.empty() ? email.substr(0, email.find('@')) : name_option;
  return AdminNamed{email, ROSTER_TRY(domain::ValidateName(name, name_field))};
}

// The inviter an e-mail names: the admin in person, or nobody for a key
// (the e-mail then names only the organization, as for `roster org create`).
std::string InviterName(const Principal& caller) { return caller.IsApiKey() ? "" : caller.name; }

// A new admin of `organization`, from the command line: active and told so
// when his account has a password, else invited with a first one-time
// password, which is returned ("" for the former) for the command to print.
Result<std::string> EnrolAdmin(Tx& tx, const Context& context,
                               const domain::Organization& organization, const domain::User& user,
                               UnixSeconds now) {
  bool has_password = user.password_hash.has_value();
  store::InsertMembership(
      tx, organization.id, user.id, domain::Role::kAdmin,
      has_password ? domain::MembershipState::kActive : domain::MembershipState::kInvited,
      store::MemberSortKey(user.name, user.email), now);
  if (has_password) {
    ROSTER_TRY_STATUS(QueueAddedMail(tx, context, organization, "", user));
    return std::string();
  }
  NewOtp otp = MakeOneTimePassword();
  UnixSeconds expires_at = now + context.settings.invite_ttl;
  store::InsertInvitation(tx, organization.id, user.id, otp.hash, expires_at, std::nullopt, now);
  ROSTER_TRY_STATUS(
      QueueInvitationMail(tx, context, {organization, "", user, otp.plain, expires_at, false}));
  return std::move(otp.plain);
}

}  // namespace

Result<domain::Member> LoadMember(Tx& tx, Id organization_id, Id user_id,
                                  const store::Viewer* assistants_for) {
  auto member = store::FindMember(tx, organization_id, user_id, assistants_for);
  if (!member) return NoSuchMember();
  return *member;
}

Result<AccessToMember> RequireWithMember(Tx& tx, const Principal& caller, Id organization_id,
                                         Action action, Id user_id,
                                         const store::Viewer* assistants_for) {
  store::MemberLookup lookup(tx, organization_id, user_id, assistants_for);
  Access access = ROSTER_TRY(Require(tx, caller, organization_id, action, {}, &lookup.query()));
  std::optional<domain::Member> member = lookup.Read();
  if (!member) return NoSuchMember();
  return AccessToMember{std::move(access), std::move(*member)};
}

Result<MemberView> ChangedMember(Tx& tx, const Access& access, Id user_id, UnixSeconds now) {
  store::Viewer viewer = ViewerOf(access);
  return ViewOf(ROSTER_TRY(LoadMember(tx, access.organization_id, user_id, &viewer)), now, true);
}

Status KeepAnAdmin(Tx& tx, const domain::Member& member) {
  if (member.role == domain::Role::kAdmin && member.state == domain::MembershipState::kActive &&
      store::CountActiveAdmins(tx, member.organization_id) <= 1) {
    return LastAdmin();
  }
  return {};
}

MemberView ViewOfMember(domain::Member member, UnixSeconds now, bool with_details) {
  MemberView view{member.user_id, std::move(member.email), std::move(member.name), member.role,
                  member.StatusAt(now), std::nullopt, std::nullopt};
  if (with_details) {
    view.details = MemberDetails{member.invited_at, member.invite_expires_at, member.joined_at,
                                 member.last_login_at, member.lead_count, member.mfa,
                                 std::move(member.invite_undelivered)};
    view.assistants = std::move(member.assistants);
  }
  return view;
}

Result<std::vector<domain::MembershipOfUser>> ListMyOrganizations(Context& context,
                                                                  const Principal& caller) {
  return context.database.Read<std::vector<domain::MembershipOfUser>>(
      [&](Tx& tx) -> Result<std::vector<domain::MembershipOfUser>> {
        std::vector<domain::MembershipOfUser> active;
        if (caller.api_key) {
          // As GET /orgs/{org} answers the key: a scim key gets 403 here too.
          ROSTER_TRY(Require(tx, caller, caller.api_key->organization_id,
                             Action::kReadOrganization));
          auto organization = store::FindOrganization(tx, caller.api_key->organization_id);
          if (organization) {
            active.push_back({*organization, domain::Role::kAdmin,
                              domain::MembershipState::kActive, std::nullopt});
          }
          return active;
        }
        for (auto& membership : store::OrganizationsOfUser(tx, caller.user_id)) {
          if (membership.state == domain::MembershipState::kActive) active.push_back(membership);
        }
        return active;
      });
}

Result<domain::Organization> GetOrganization(Context& context, const Principal& caller,
                                             Id organization_id) {
  return context.database.Read<domain::Organization>([&](Tx& tx) -> Result<domain::Organization> {
    Access access = ROSTER_TRY(Require(tx, caller, organization_id, Action::kReadOrganization));
    auto organization = OrganizationOf(tx, access);
    if (!organization) return Problem::NotFound();
    organization->member_count = store::CountMembers(tx, organization_id);
    return *organization;
  });
}

Result<MemberList> ListMembers(Context& context, const Principal& caller, Id organization_id,
                               domain::MemberFilter filter) {
  filter.now = context.clock.Now();
  return context.database.Read<MemberList>([&](Tx& tx) -> Result<MemberList> {
    Access access = ROSTER_TRY(Require(tx, caller, organization_id, Action::kListMembers));
    bool details = Check(access, Action::kSeeMemberDetails).ok();
    ROSTER_TRY_STATUS(CheckDetailsAsked(filter, details));
    return ReadMemberPage(tx, access, filter, details);
  });
}

Status CheckDetailsAsked(const domain::MemberFilter& filter, bool sees_details) {
  if (sees_details) return {};
  if (domain::SortReadsDetails(filter.sort)) {
    return Problem::Forbidden("Only those who see members' details may sort by " +
                              domain::ToString(filter.sort) + ": the order would show them.");
  }
  if (filter.mfa) {
    return Problem::Forbidden(
        "Only those who see members' details may filter by two-factor sign-in: the answer "
        "would show who has it on.");
  }
  return {};
}

Result<MemberList> ReadMemberPage(store::Tx& tx, const Access& access,
                                  const domain::MemberFilter& filter, bool with_details) {
  store::Viewer viewer = ViewerOf(access);
  Page<domain::Member> page = ROSTER_TRY(
      store::ListMembers(tx, access.organization_id, filter, with_details ? &viewer : nullptr));
  MemberList list;
  list.items.reserve(page.items.size());
  for (domain::Member& member : page.items) {
    list.items.push_back(ViewOf(std::move(member), filter.now, with_details));
  }
  list.next_cursor = std::move(page.next_cursor);
  return list;
}

Result<MemberView> GetMember(Context& context, const Principal& caller, Id organization_id,
                             Id user_id) {
  UnixSeconds now = context.clock.Now();
  return context.database.Read<MemberView>([&](Tx& tx) -> Result<MemberView> {
    Access access = ROSTER_TRY(Require(tx, caller, organization_id, Action::kListMembers));
    bool details = Check(access, Action::kSeeMemberDetails).ok();
    store::Viewer viewer = ViewerOf(access);
    domain::Member member =
        ROSTER_TRY(LoadMember(tx, organization_id, user_id, details ? &viewer : nullptr));
    return ViewOf(std::move(member), now, details);
  });
}

Result<MemberView> InviteMember(Context& context, const Principal& caller, Id organization_id,
                                    const InviteRequest& request) {
  std::string email = domain::NormalizeEmail(request.email);
  std::vector<FieldError> errors;
  if (Status valid = domain::ValidateEmail(email); !valid.ok()) {
    errors.push_back(valid.problem().errors.front());
  }
  Result<std::string> name = domain::ValidateName(request.name);
  if (!name.ok()) errors.push_back(name.problem().errors.front());
  if (!errors.empty()) return Problem::Validation(std::move(errors));

  NewOtp otp = MakeOneTimePassword();
  UnixSeconds now = context.clock.Now();
  UnixSeconds expires_at = now + context.settings.invite_ttl;
  // Its one rule, "not a member yet", is carried by the unique e-mail and the
  // membership's key, so concurrent invitations need not serialize.
  Result<MemberView> member =
      context.database.Write<MemberView>([&](Tx& tx) -> Result<MemberView> {
        Access access = ROSTER_TRY(Require(tx, caller, organization_id, Action::kManageMembers));
        std::string inviter = InviterName(caller);
        auto organization = OrganizationOf(tx, access);
        if (!organization) return Problem::NotFound();
        for (Id assistant_id : request.assistant_ids) {
          if (!store::AssistantExists(tx, organization_id, assistant_id)) {
            return Problem::Validation(
                "assistant_ids",
                "Assistant " + FormatId(assistant_id) + " does not exist in this organization.");
          }
        }
        // Most invitees are new: their account, membership and invitation
        // are inserted without a lookup first; they are members of nothing yet.
        std::optional<Id> new_account = store::InsertInvitedAccount(
            tx, {organization_id, email, *name, request.role, otp.hash, expires_at,
                 access.actor.user_id},
            now);
        std::optional<domain::User> user;
        bool has_password = false;
        if (new_account) {
          user = domain::User{*new_account, email, *name, std::nullopt, std::nullopt, now};
        } else {
          user = store::FindUserByEmail(tx, email);  // accounts are never deleted
          if (!user) return Problem::Internal("the account of a taken e-mail is missing");
          if (auto member = store::FindMember(tx, organization_id, user->id)) {
            if (member->state == domain::MembershipState::kInvited) {
              return Problem::Conflict("already_member",
                                       "This e-mail is already invited; Resend invite sends a new "
                                       "one-time password.");
            }
            return Problem::Conflict("already_member",
                                     "This e-mail is already a member of the organization.");
          }
          has_password = user->password_hash.has_value();
          store::InsertMembership(
              tx, organization_id, user->id, request.role,
              has_password ? domain::MembershipState::kActive : domain::MembershipState::kInvited,
              store::MemberSortKey(user->name, user->email), now);
          if (!has_password) {
            store::InsertInvitation(tx, organization_id, user->id, otp.hash, expires_at,
                                    access.actor.user_id, now);
          }
        }
        if (has_password) {
          ROSTER_TRY_STATUS(QueueAddedMail(tx, context, *organization, inviter, *user));
        } else {
          ROSTER_TRY_STATUS(QueueInvitationMail(
              tx, context, {*organization, inviter, *user, otp.plain, expires_at, false}));
        }
        for (Id assistant_id : request.assistant_ids) {
          store::AssignUser(tx, organization_id, assistant_id, user->id, false, now);
        }
        RecordAudit(tx, organization_id, now, access.actor, "invited", user->id,
                    {{"email", email},
                     {"role", domain::ToString(request.role)},
                     {"existing_account", has_password},
                     {"assistant_ids", IdList(request.assistant_ids)}});
        if (!new_account) return ChangedMember(tx, access, user->id, now);
        // The new member as just written: a read back would only add a round trip.
        domain::Member invited{organization_id, user->id, email, *name, request.role,
                               domain::MembershipState::kInvited, now, expires_at,
                               std::nullopt, std::nullopt, 0, false, std::nullopt,
                               std::vector<domain::MemberAssistant>{}};
        if (!request.assistant_ids.empty()) {
          store::FillAssistants(tx, organization_id, {&invited, 1}, ViewerOf(access));
        }
        return ViewOf(std::move(invited), now, true);
      });
  if (member.ok()) {
    context.mail_queued();
    spdlog::info("event=member_invited organization={} actor={} target={}", organization_id,
                 ActorText(caller), member->user_id);
  }
  return member;
}

Result<Inviter> InviterOf(Tx& tx, const Access& access, const Principal& caller) {
  auto organization = OrganizationOf(tx, access);
  if (!organization) return Problem::NotFound();
  return Inviter{*std::move(organization), InviterName(caller), access.actor.user_id};
}

Result<NewInvitation> SendNewInvitation(Tx& tx, const Context& context, const Inviter& inviter,
                                        const domain::Member& member, UnixSeconds now) {
  auto user = store::FindUserById(tx, member.user_id);
  if (!user) return Problem::NotFound();
  store::ReactivateMembership(tx, member.organization_id, member.user_id,
                              domain::MembershipState::kInvited);
  if (user->password_hash) {
    // As with inviting an existing account: added at once and told so; a
    // one-time password would never work.
    store::ActivateMembership(tx, member.organization_id, member.user_id, now);
    ROSTER_TRY_STATUS(QueueAddedMail(tx, context, inviter.organization, inviter.name, *user));
    return NewInvitation{{{"existing_account", true}}, ""};
  }
  // The expiry names the invitation (an e-mail's, V017): a resend within
  // the second of the last one still moves it on.
  UnixSeconds expires_at =
      std::max(now + context.settings.invite_ttl, member.invite_expires_at.value_or(0) + 1);
  NewOtp otp = MakeOneTimePassword();
  store::ReplaceInvitation(tx, member.organization_id, member.user_id, otp.hash, expires_at,
                           inviter.user_id, now);
  ROSTER_TRY_STATUS(QueueInvitationMail(
      tx, context, {inviter.organization, inviter.name, *user, otp.plain, expires_at, true}));
  return NewInvitation{{{"expires_at", FormatRfc3339(expires_at)}}, std::move(otp.plain)};
}

Result<MemberView> ResendInvitation(Context& context, const Principal& caller, Id organization_id,
                                    Id user_id) {
  UnixSeconds now = context.clock.Now();
  // SERIALIZABLE: the resend limit counts a window of rows.
  Result<MemberView> member =
      context.database.WriteSerializable<MemberView>([&](Tx& tx) -> Result<MemberView> {
        auto [access, invitee] = ROSTER_TRY(
            RequireWithMember(tx, caller, organization_id, Action::kManageMembers, user_id));
        if (invitee.state == domain::MembershipState::kDeactivated) {
          return Problem::Conflict("not_invited",
                                   "This member is deactivated; reactivate him instead (one who "
                                   "never joined then gets a new invitation).");
        }
        if (invitee.state != domain::MembershipState::kInvited) {
          return Problem::Conflict(
              "not_invited", "This member has already joined; there is no invitation to resend.");
        }
        std::string bucket = ResendBucket(organization_id, user_id);
        auto recent =
            store::RecentRateEvents(tx, bucket, now - 3600, context.settings.resend_limit);
        if (static_cast<int>(recent.size()) >= context.settings.resend_limit) {
          return Problem::RateLimited(static_cast<int>(recent.back() + 3600 - now) + 1,
                                      "This invitation was resent too often; try again later.");
        }
        store::RecordRateEvent(tx, bucket, now);
        // He may have set a password through another organization after
        // this invitation expired: then he is added.
        Inviter inviter = ROSTER_TRY(InviterOf(tx, access, caller));
        NewInvitation sent = ROSTER_TRY(SendNewInvitation(tx, context, inviter, invitee, now));
        RecordAudit(tx, organization_id, now, access.actor, "invite_resent", user_id, sent.details);
        return ChangedMember(tx, access, user_id, now);
      });
  if (member.ok()) context.mail_queued();
  return member;
}

Result<MemberView> ChangeRoleIn(Tx& tx, const Principal& caller, Id organization_id, Id user_id,
                                domain::Role role, UnixSeconds now) {
  // Everything that needs no lock comes first: on PostgreSQL other role
  // changes queue behind this one from the lock (or the member's row) on.
  // Only admins (people and keys) manage members, and they see every
  // assignment: his assistants, for the answer, come with the check.
  const store::Viewer admin{0, true};
  auto [access, member] = ROSTER_TRY(
      RequireWithMember(tx, caller, organization_id, Action::kManageMembers, user_id, &admin));
  if (member.role == role) return ViewOf(std::move(member), now, true);
  WebhookEndpoints endpoints = ReadWebhookEndpoints(tx, organization_id);
  // A promotion cannot lose the last admin; a demotion holds the lock, so
  // that two demotions never both count the other as the admin who stays.
  if (role == domain::Role::kUser) store::LockOrganization(tx, organization_id);
  // The change writes its audit event (on PostgreSQL in the same
  // statement: one round trip less in the hold).
  nlohmann::json details;
  store::AuditEvent event;
  auto change = [&] {
    details = {{"from", domain::ToString(member.role)}, {"to", domain::ToString(role)}};
    event = store::AuditEvent{0,       organization_id, now, access.actor, "role_changed",
                              user_id, details.dump()};
    return store::SetRoleKeepingAnAdmin(tx, organization_id, user_id, role, &event);
  };
  if (!change()) {
    // Refused: removed or given this role meanwhile, the last admin, or a
    // change of his role committed after the statement's snapshot. With
    // his row locked his role stays put, and one more try decides.
    std::optional<domain::Role> current = store::LockMemberRole(tx, organization_id, user_id);
    if (!current) return NoSuchMember();
    member.role = *current;
    if (member.role == role) return ViewOf(std::move(member), now, true);
    if (!change()) return LastAdmin();
  }
  QueueAuditDeliveries(tx, event, details, endpoints);
  spdlog::info("event=role_changed organization={} actor={} target={} to={}", organization_id,
               ActorText(caller), user_id, domain::ToString(role));
  // The member as read above with his new role: a second read would only
  // hold the lock longer.
  member.role = role;
  return ViewOf(std::move(member), now, true);
}

Result<MemberView> ChangeRole(Context& context, const Principal& caller, Id organization_id,
                              Id user_id, domain::Role role) {
  UnixSeconds now = context.clock.Now();
  return context.database.Write<MemberView>([&](Tx& tx) -> Result<MemberView> {
    return ChangeRoleIn(tx, caller, organization_id, user_id, role, now);
  });
}

Result<RemovalPreview> PreviewRemoval(Context& context, const Principal& caller, Id organization_id,
                                      Id user_id) {
  return context.database.Read<RemovalPreview>([&](Tx& tx) -> Result<RemovalPreview> {
    ROSTER_TRY(Require(tx, caller, organization_id, Action::kPreviewRemoval));
    domain::Member member = ROSTER_TRY(LoadMember(tx, organization_id, user_id));
    RemovalPreview preview;
    preview.by_assistant = store::LeadCountsByAssistant(tx, organization_id, user_id);
    for (const auto& count : preview.by_assistant) preview.lead_count += count.lead_count;
    preview.is_last_admin = !KeepAnAdmin(tx, member).ok();
    return preview;
  });
}

Result<Removal> RemoveMember(Context& context, const Principal& caller, Id organization_id,
                             Id user_id, std::optional<Id> reassign_to, Channel channel) {
  UnixSeconds now = context.clock.Now();
  Result<Removal> removal = context.database.Write<Removal>([&](Tx& tx) -> Result<Removal> {
    store::LockOrganization(tx, organization_id);
    auto [access, member] = ROSTER_TRY(
        RequireWithMember(tx, caller, organization_id, MemberChangeAction(channel), user_id));
    ROSTER_TRY_STATUS(KeepAnAdmin(tx, member));
    std::vector<Handover> plan = ROSTER_TRY(PlanHandover(
        tx, organization_id, user_id, reassign_to,
        channel == Channel::kApi ? MissingReceiver::kAskForOne : MissingReceiver::kRefuse));
    Removal done{user_id, reassign_to ? reassign_to : SoleReceiver(plan), 0};
    done.reassigned_lead_count = MoveLeads(tx, organization_id, user_id, plan, access.actor, now);
    store::DeleteMembership(tx, organization_id, user_id);
    ForgetRemovedHeir(tx, organization_id, user_id, access.actor, now);
    bool was_invited = member.state == domain::MembershipState::kInvited;
    RecordAudit(tx, organization_id, now, access.actor,
                was_invited ? "invite_revoked" : "member_removed", user_id,
                {{"email", member.email},
                 {"reassigned_to", done.reassigned_to
                                       ? nlohmann::json(FormatId(*done.reassigned_to))
                                       : nlohmann::json()},
                 {"lead_count", done.reassigned_lead_count}});
    RecordHandover(tx, organization_id, user_id, plan, access.actor, "member_removed", now);
    return done;
  });
  if (removal.ok()) {
    spdlog::info("event=member_removed organization={} actor={} target={} leads={}",
                 organization_id, ActorText(caller), user_id, removal->reassigned_lead_count);
  }
  return removal;
}

Result<Page<domain::NamedAuditEvent>> ListAuditEvents(
    Context& context, const Principal& caller, Id organization_id, int limit,
    const std::optional<std::string>& cursor, const domain::AuditFilter& filter) {
  return context.database.Read<Page<domain::NamedAuditEvent>>(
      [&](Tx& tx) -> Result<Page<domain::NamedAuditEvent>> {
        ROSTER_TRY(Require(tx, caller, organization_id, Action::kReadAuditEvents));
        return store::ListAuditEvents(tx, organization_id, limit, cursor, filter);
      });
}

Result<CreatedOrganization> CreateOrganization(Context& context, const std::string& raw_name,
                                               const std::string& admin_email,
                                               const std::string& admin_name) {
  std::string name = ROSTER_TRY(domain::ValidateLabel(raw_name, "name", false));
  AdminNamed admin =
      ROSTER_TRY(AdminOfCommandLine(admin_email, admin_name, "admin-email", "admin-name"));
  const std::string& email = admin.email;
  const std::string& display_name = admin.name;

  UnixSeconds now = context.clock.Now();
  Result<CreatedOrganization> created =
      context.database.Write<CreatedOrganization>([&](Tx& tx) -> Result<CreatedOrganization> {
        Id organization_id = store::InsertOrganization(tx, name, now);
        auto organization = store::FindOrganization(tx, organization_id);
        auto user = store::FindUserByEmail(tx, email);
        if (!user) user = store::FindUserById(tx, store::InsertUser(tx, email, display_name, now));
        CreatedOrganization result{*organization, {}, {}};
        result.one_time_password = ROSTER_TRY(EnrolAdmin(tx, context, *organization, *user, now));
        RecordAudit(tx, organization_id, now, {}, "organization_created", user->id,
                    {{"name", name}, {"admin_email", email}});
        result.admin = ROSTER_TRY(LoadMember(tx, organization_id, user->id));
        result.organization.member_count = 1;
        return result;
      });
  if (created.ok()) context.mail_queued();
  return created;
}

Result<CreatedOrganization> AddOrganizationAdmin(Context& context, Id organization_id,
                                                 const std::string& admin_email,
                                                 const std::string& admin_name) {
  AdminNamed admin = ROSTER_TRY(AdminOfCommandLine(admin_email, admin_name, "email", "name"));
  const std::string& email = admin.email;
  const std::string& display_name = admin.name;
  UnixSeconds now = context.clock.Now();
  const domain::Actor command_line{};
  Result<CreatedOrganization> added =
      context.database.Write<CreatedOrganization>([&](Tx& tx) -> Result<CreatedOrganization> {
        store::LockOrganization(tx, organization_id);
        auto organization = store::FindOrganization(tx, organization_id);
        if (!organization) {
          return Problem::NotFound("There is no organization " + FormatId(organization_id) + ".");
        }
        auto user = store::FindUserByEmail(tx, email);
        if (!user) user = store::FindUserById(tx, store::InsertUser(tx, email, display_name, now));
        CreatedOrganization result{*organization, {}, {}};
        auto member = store::FindMember(tx, organization_id, user->id);
        if (!member) {
          bool has_password = user->password_hash.has_value();
          result.one_time_password = ROSTER_TRY(EnrolAdmin(tx, context, *organization, *user, now));
          RecordAudit(tx, organization_id, now, command_line, "invited", user->id,
                      {{"email", email},
                       {"role", "admin"},
                       {"existing_account", has_password},
                       {"assistant_ids", nlohmann::json::array()}});
        } else {
          if (member->role == domain::Role::kAdmin &&
              member->state == domain::MembershipState::kActive) {
            return Problem::Conflict(
                "already_admin", email + " is an active admin of " + organization->name +
                                     " already; a forgotten password is reset from the sign-in "
                                     "page (Forgot password?).");
          }
          if (member->role != domain::Role::kAdmin) {
            store::SetRoleKeepingAnAdmin(tx, organization_id, user->id, domain::Role::kAdmin);
            RecordAudit(tx, organization_id, now, command_line, "role_changed", user->id,
                        {{"from", domain::ToString(member->role)}, {"to", "admin"}});
          }
          // As the API's resend and reactivation: one who has not joined
          // (invited, or deactivated before he joined) is invited again.
          const Inviter inviter{*organization, "", std::nullopt};
          if (member->state == domain::MembershipState::kInvited) {
            NewInvitation sent = ROSTER_TRY(SendNewInvitation(tx, context, inviter, *member, now));
            result.one_time_password = std::move(sent.one_time_password);
            RecordAudit(tx, organization_id, now, command_line, "invite_resent", user->id,
                        sent.details);
          } else if (member->state == domain::MembershipState::kDeactivated) {
            nlohmann::json details = {{"email", email}, {"role", "admin"}};
            if (member->joined_at) {
              store::ReactivateMembership(tx, organization_id, user->id,
                                          domain::MembershipState::kActive);
            } else {
              NewInvitation sent =
                  ROSTER_TRY(SendNewInvitation(tx, context, inviter, *member, now));
              result.one_time_password = std::move(sent.one_time_password);
              details["invitation"] = std::move(sent.details);
            }
            RecordAudit(tx, organization_id, now, command_line, "member_reactivated", user->id,
                        details);
          }
        }
        result.admin = ROSTER_TRY(LoadMember(tx, organization_id, user->id));
        result.organization.member_count = store::CountMembers(tx, organization_id);
        return result;
      });
  if (added.ok()) {
    context.mail_queued();
    spdlog::info("event=admin_added organization={} actor=command_line target={}",
                 organization_id, added->admin.user_id);
  }
  return added;
}

}  // namespace roster::app
