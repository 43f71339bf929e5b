#include "app/members.hpp"

#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>

#include "app/access.hpp"
#include "app/mail_queue.hpp"
#include "auth/secrets.hpp"
#include "domain/validation.hpp"
#include "store/accounts.hpp"
#include "store/assistants.hpp"
#include "store/database.hpp"

namespace roster::app {
namespace {

using store::Tx;

std::string ResendBucket(Id organization_id, Id user_id) {
  return "resend:" + FormatId(organization_id) + ":" + FormatId(user_id);
}

void Audit(Tx& tx, Id organization_id, UnixSeconds now, std::optional<Id> actor, std::string action,
           std::optional<Id> target, const nlohmann::json& details) {
  store::InsertAuditEvent(
      tx, {0, organization_id, now, actor, std::move(action), target, details.dump()});
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

Result<domain::Member> LoadMember(Tx& tx, Id organization_id, Id user_id) {
  auto member = store::FindMember(tx, organization_id, user_id);
  if (!member) return Problem::NotFound("No such member in this organization.");
  return *member;
}

// Invariant 1: refuses a change that would leave no active admin.
Status KeepAnAdmin(Tx& tx, const domain::Member& member) {
  if (member.role == domain::Role::kAdmin && member.state == domain::MembershipState::kActive &&
      store::CountActiveAdmins(tx, member.organization_id) <= 1) {
    return Problem::Conflict(
        "last_admin", "This is the organization's last admin; make someone else an admin first.");
  }
  return {};
}

}  // namespace

Result<std::vector<store::MembershipOfUser>> ListMyOrganizations(Context& context,
                                                                 const Principal& caller) {
  return context.database.Read<std::vector<store::MembershipOfUser>>(
      [&](Tx& tx) -> Result<std::vector<store::MembershipOfUser>> {
        std::vector<store::MembershipOfUser> active;
        for (auto& membership : store::OrganizationsOfUser(tx, caller.user_id)) {
          if (membership.state == domain::MembershipState::kActive) active.push_back(membership);
        }
        return active;
      });
}

Result<domain::Organization> GetOrganization(Context& context, const Principal& caller,
                                             Id organization_id) {
  return context.database.Read<domain::Organization>([&](Tx& tx) -> Result<domain::Organization> {
    ROSTER_TRY(RequireMember(tx, caller, organization_id));
    auto organization = store::FindOrganization(tx, organization_id);
    if (!organization) return Problem::NotFound();
    organization->member_count = store::CountMembers(tx, organization_id);
    return *organization;
  });
}

Result<MemberList> ListMembers(Context& context, const Principal& caller, Id organization_id,
                               store::MemberFilter filter) {
  filter.now = context.clock.Now();
  return context.database.Read<MemberList>([&](Tx& tx) -> Result<MemberList> {
    domain::Member self = ROSTER_TRY(RequireMember(tx, caller, organization_id));
    store::Page<domain::Member> page = ROSTER_TRY(store::ListMembers(tx, organization_id, filter));
    return MemberList{std::move(page), self.role == domain::Role::kAdmin};
  });
}

Result<MemberView> GetMember(Context& context, const Principal& caller, Id organization_id,
                             Id user_id) {
  return context.database.Read<MemberView>([&](Tx& tx) -> Result<MemberView> {
    domain::Member self = ROSTER_TRY(RequireMember(tx, caller, organization_id));
    domain::Member member = ROSTER_TRY(LoadMember(tx, organization_id, user_id));
    return MemberView{std::move(member), self.role == domain::Role::kAdmin};
  });
}

Result<domain::Member> InviteMember(Context& context, const Principal& caller, Id organization_id,
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
  Result<domain::Member> member =
      context.database.Write<domain::Member>([&](Tx& tx) -> Result<domain::Member> {
        domain::Member admin = ROSTER_TRY(RequireAdmin(tx, caller, organization_id));
        auto organization = store::FindOrganization(tx, organization_id);
        if (!organization) return Problem::NotFound();
        for (Id assistant_id : request.assistant_ids) {
          if (!store::AssistantExists(tx, organization_id, assistant_id)) {
            return Problem::Validation(
                "assistant_ids",
                "Assistant " + FormatId(assistant_id) + " does not exist in this organization.");
          }
        }
        auto user = store::FindUserByEmail(tx, email);
        if (user && store::FindMember(tx, organization_id, user->id)) {
          return Problem::Conflict("already_member",
                                   "This e-mail is already a member of the organization.");
        }
        if (!user) {
          Id id = store::InsertUser(tx, email, *name, now);
          user = store::FindUserById(tx, id);
        }
        bool has_password = user->password_hash.has_value();
        std::string sort_key = store::MemberSortKey(user->name, user->email);
        store::InsertMembership(
            tx, organization_id, user->id, request.role,
            has_password ? domain::MembershipState::kActive : domain::MembershipState::kInvited,
            sort_key, now);
        if (has_password) {
          ROSTER_TRY_STATUS(QueueAddedMail(tx, context, *organization, admin.name, *user));
        } else {
          store::InsertInvitation(tx, organization_id, user->id, otp.hash, expires_at,
                                  caller.user_id, now);
          ROSTER_TRY_STATUS(QueueInvitationMail(
              tx, context, {*organization, admin.name, *user, otp.plain, expires_at, false}));
        }
        for (Id assistant_id : request.assistant_ids) {
          store::AssignUser(tx, organization_id, assistant_id, user->id, false, now);
        }
        Audit(tx, organization_id, now, caller.user_id, "invited", user->id,
              {{"email", email},
               {"role", domain::ToString(request.role)},
               {"existing_account", has_password},
               {"assistant_ids", request.assistant_ids}});
        return LoadMember(tx, organization_id, user->id);
      });
  if (member.ok()) {
    context.mail_queued();
    spdlog::info("event=member_invited organization={} actor={} target={}", organization_id,
                 caller.user_id, member->user_id);
  }
  return member;
}

Result<domain::Member> ResendInvitation(Context& context, const Principal& caller,
                                        Id organization_id, Id user_id) {
  NewOtp otp = MakeOneTimePassword();
  UnixSeconds now = context.clock.Now();
  UnixSeconds expires_at = now + context.settings.invite_ttl;
  // SERIALIZABLE: the resend limit counts a window of rows.
  Result<domain::Member> member =
      context.database.WriteSerializable<domain::Member>([&](Tx& tx) -> Result<domain::Member> {
        domain::Member admin = ROSTER_TRY(RequireAdmin(tx, caller, organization_id));
        domain::Member invitee = ROSTER_TRY(LoadMember(tx, organization_id, user_id));
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
        auto organization = store::FindOrganization(tx, organization_id);
        auto user = store::FindUserById(tx, user_id);
        if (user->password_hash) {
          // He set a password through another organization after this
          // invitation expired: as with inviting an existing account, he is
          // added at once and told so; a one-time password would never work.
          store::ActivateMembership(tx, organization_id, user_id, now);
          ROSTER_TRY_STATUS(QueueAddedMail(tx, context, *organization, admin.name, *user));
          Audit(tx, organization_id, now, caller.user_id, "invite_resent", user_id,
                {{"existing_account", true}});
          return LoadMember(tx, organization_id, user_id);
        }
        store::ReplaceInvitation(tx, organization_id, user_id, otp.hash, expires_at);
        ROSTER_TRY_STATUS(QueueInvitationMail(
            tx, context, {*organization, admin.name, *user, otp.plain, expires_at, true}));
        Audit(tx, organization_id, now, caller.user_id, "invite_resent", user_id,
              {{"expires_at", FormatRfc3339(expires_at)}});
        return LoadMember(tx, organization_id, user_id);
      });
  if (member.ok()) context.mail_queued();
  return member;
}

Result<domain::Member> ChangeRole(Context& context, const Principal& caller, Id organization_id,
                                  Id user_id, domain::Role role) {
  UnixSeconds now = context.clock.Now();
  return context.database.Write<domain::Member>([&](Tx& tx) -> Result<domain::Member> {
    store::LockMemberships(tx, organization_id);
    ROSTER_TRY(RequireAdmin(tx, caller, organization_id));
    domain::Member member = ROSTER_TRY(LoadMember(tx, organization_id, user_id));
    if (member.role == role) return member;
    if (role == domain::Role::kUser) ROSTER_TRY_STATUS(KeepAnAdmin(tx, member));
    store::UpdateRole(tx, organization_id, user_id, role);
    Audit(tx, organization_id, now, caller.user_id, "role_changed", user_id,
          {{"from", domain::ToString(member.role)}, {"to", domain::ToString(role)}});
    spdlog::info("event=role_changed organization={} actor={} target={} to={}", organization_id,
                 caller.user_id, user_id, domain::ToString(role));
    return LoadMember(tx, organization_id, user_id);
  });
}

Result<RemovalPreview> PreviewRemoval(Context& context, const Principal& caller, Id organization_id,
                                      Id user_id) {
  return context.database.Read<RemovalPreview>([&](Tx& tx) -> Result<RemovalPreview> {
    ROSTER_TRY(RequireAdmin(tx, caller, organization_id));
    domain::Member member = ROSTER_TRY(LoadMember(tx, organization_id, user_id));
    RemovalPreview preview;
    preview.by_assistant = store::LeadCountsByAssistant(tx, organization_id, user_id);
    for (const auto& count : preview.by_assistant) preview.lead_count += count.lead_count;
    preview.is_last_admin = !KeepAnAdmin(tx, member).ok();
    return preview;
  });
}

Result<Removal> RemoveMember(Context& context, const Principal& caller, Id organization_id,
                             Id user_id, std::optional<Id> reassign_to) {
  UnixSeconds now = context.clock.Now();
  Result<Removal> removal = context.database.Write<Removal>([&](Tx& tx) -> Result<Removal> {
    store::LockMemberships(tx, organization_id);
    ROSTER_TRY(RequireAdmin(tx, caller, organization_id));
    domain::Member member = ROSTER_TRY(LoadMember(tx, organization_id, user_id));
    ROSTER_TRY_STATUS(KeepAnAdmin(tx, member));
    Removal done{user_id, reassign_to, 0};
    if (reassign_to) {
      auto receiver = store::FindMember(tx, organization_id, *reassign_to);
      if (*reassign_to == user_id || !receiver ||
          receiver->state != domain::MembershipState::kActive) {
        return Problem::Invalid(
            "invalid_reassign_target",
            "The leads can only go to another active member of this organization.");
      }
    }
    if (reassign_to) {
      done.reassigned_lead_count =
          store::ReassignAllLeads(tx, organization_id, user_id, *reassign_to, now);
    } else if (store::OwnsLeads(tx, organization_id, user_id)) {
      return Problem::Invalid("reassign_target_required",
                              "This member owns leads; choose who receives them (reassign_to).");
    }
    store::DeleteMembership(tx, organization_id, user_id);
    bool was_invited = member.state == domain::MembershipState::kInvited;
    Audit(tx, organization_id, now, caller.user_id,
          was_invited ? "invite_revoked" : "member_removed", user_id,
          {{"email", member.email},
           {"reassigned_to",
            done.reassigned_to ? nlohmann::json(FormatId(*done.reassigned_to)) : nlohmann::json()},
           {"lead_count", done.reassigned_lead_count}});
    return done;
  });
  if (removal.ok()) {
    spdlog::info("event=member_removed organization={} actor={} target={} leads={}",
                 organization_id, caller.user_id, user_id, removal->reassigned_lead_count);
  }
  return removal;
}

Result<store::Page<store::NamedAuditEvent>> ListAuditEvents(
    Context& context, const Principal& caller, Id organization_id, int limit,
    const std::optional<std::string>& cursor, const store::AuditRange& range) {
  return context.database.Read<store::Page<store::NamedAuditEvent>>(
      [&](Tx& tx) -> Result<store::Page<store::NamedAuditEvent>> {
        ROSTER_TRY(RequireAdmin(tx, caller, organization_id));
        return store::ListAuditEvents(tx, organization_id, limit, cursor, range);
      });
}

Result<CreatedOrganization> CreateOrganization(Context& context, const std::string& raw_name,
                                               const std::string& admin_email,
                                               const std::string& admin_name) {
  std::string name = ROSTER_TRY(domain::ValidateLabel(raw_name, "name", false));
  std::string email = domain::NormalizeEmail(admin_email);
  ROSTER_TRY_STATUS(domain::ValidateEmail(email, "admin-email"));
  std::string display_name = admin_name.empty() ? email.substr(0, email.find('@')) : admin_name;
  display_name = ROSTER_TRY(domain::ValidateName(display_name, "admin-name"));

  NewOtp otp = MakeOneTimePassword();
  UnixSeconds now = context.clock.Now();
  UnixSeconds expires_at = now + context.settings.invite_ttl;
  Result<CreatedOrganization> created =
      context.database.Write<CreatedOrganization>([&](Tx& tx) -> Result<CreatedOrganization> {
        Id organization_id = store::InsertOrganization(tx, name, now);
        auto organization = store::FindOrganization(tx, organization_id);
        auto user = store::FindUserByEmail(tx, email);
        if (!user) user = store::FindUserById(tx, store::InsertUser(tx, email, display_name, now));
        bool has_password = user->password_hash.has_value();
        store::InsertMembership(
            tx, organization_id, user->id, domain::Role::kAdmin,
            has_password ? domain::MembershipState::kActive : domain::MembershipState::kInvited,
            store::MemberSortKey(user->name, user->email), now);
        CreatedOrganization result{*organization, {}, {}};
        if (has_password) {
          ROSTER_TRY_STATUS(QueueAddedMail(tx, context, *organization, "", *user));
        } else {
          store::InsertInvitation(tx, organization_id, user->id, otp.hash, expires_at, std::nullopt,
                                  now);
          ROSTER_TRY_STATUS(QueueInvitationMail(
              tx, context, {*organization, "", *user, otp.plain, expires_at, false}));
          result.one_time_password = otp.plain;
        }
        Audit(tx, organization_id, now, std::nullopt, "organization_created", user->id,
              {{"name", name}, {"admin_email", email}});
        result.admin = ROSTER_TRY(LoadMember(tx, organization_id, user->id));
        result.organization.member_count = 1;
        return result;
      });
  if (created.ok()) context.mail_queued();
  return created;
}

}  // namespace roster::app
