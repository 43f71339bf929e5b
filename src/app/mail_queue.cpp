#include "app/mail_queue.hpp"

#include "mail/enqueue.hpp"
#include "mail/templates.hpp"
#include "store/organizations.hpp"

namespace roster::app {
namespace {

// The host of the public URL names the Message-ID domain; an IPv6 address
// keeps its brackets (a domain literal, as RFC 5322 writes it).
std::string HostOf(const std::string& url) {
  auto start = url.find("://");
  start = start == std::string::npos ? 0 : start + 3;
  auto end =
      url.compare(start, 1, "[") == 0 ? url.find(']', start) + 1 : url.find_first_of(":/", start);
  std::string host = url.substr(start, end == std::string::npos ? std::string::npos : end - start);
  return host.empty() ? "localhost" : host;
}

std::string LoginUrl(const Context& context) {
  std::string url = context.settings.public_url;
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url + "/login";
}

Status Queue(store::Tx& tx, const Context& context, Id organization_id,
             const mail::EmailContent& content,
             const std::optional<store::outbox::InvitationOfMessage>& invitation = std::nullopt) {
  return mail::EnqueueEmail(tx, organization_id, content, context.clock.Now(),
                            HostOf(context.settings.public_url), invitation);
}

}  // namespace

Status QueueInvitationMail(store::Tx& tx, const Context& context, const InvitationMail& mail) {
  mail::InvitationEmail email{mail.invitee.email,
                              mail.invitee.name,
                              mail.organization.name,
                              mail.inviter_name,
                              LoginUrl(context),
                              mail.one_time_password,
                              mail.expires_at,
                              context.settings.mail_from_address,
                              context.settings.mail_from_name,
                              mail.organization.requires_mfa};
  return Queue(tx, context, mail.organization.id,
               mail.resent ? mail::RenderResentInvitation(email) : mail::RenderInvitation(email),
               store::outbox::InvitationOfMessage{mail.invitee.id, mail.expires_at});
}

Status QueueAddedMail(store::Tx& tx, const Context& context, const domain::Organization& organization,
                      const std::string& inviter_name, const domain::User& user) {
  mail::AddedToOrganizationEmail email{user.email,
                                       user.name,
                                       organization.name,
                                       inviter_name,
                                       LoginUrl(context),
                                       context.settings.mail_from_address,
                                       context.settings.mail_from_name,
                                       organization.requires_mfa};
  return Queue(tx, context, organization.id, mail::RenderAddedToOrganization(email));
}

Result<std::string> ComposePasswordResetMail(const Context& context, const PasswordResetMail& mail) {
  mail::PasswordResetEmail email{mail.user.email,
                                 mail.user.name,
                                 mail.requested_by,
                                 mail.organization ? mail.organization->name : std::string(),
                                 LoginUrl(context),
                                 mail.one_time_password,
                                 mail.expires_at,
                                 context.settings.mail_from_address,
                                 context.settings.mail_from_name};
  return mail::ComposeMessage(mail::RenderPasswordReset(email), context.clock.Now(),
                              HostOf(context.settings.public_url));
}

Status QueueSecurityNotice(store::Tx& tx, const Context& context, const domain::User& user,
                           mail::SecurityChange change, const std::string& admin_name,
                           const std::string& organization_name) {
  mail::SecurityNoticeEmail email{user.email,
                                  user.name,
                                  change,
                                  admin_name,
                                  organization_name,
                                  context.clock.Now(),
                                  LoginUrl(context),
                                  context.settings.mail_from_address,
                                  context.settings.mail_from_name};
  return mail::EnqueueEmail(tx, std::nullopt, mail::RenderSecurityNotice(email),
                            context.clock.Now(), HostOf(context.settings.public_url), std::nullopt);
}

Status QueueWebhookDisabledMail(store::Tx& tx, const Context& context, Id organization_id,
                                const std::string& webhook_url, const std::string& reason,
                                UnixSeconds failing_since) {
  auto organization = store::FindOrganization(tx, organization_id);
  if (!organization) return {};
  store::MemberFilter admins;
  admins.role = domain::Role::kAdmin;
  admins.status = domain::MemberStatus::kActive;
  admins.now = context.clock.Now();
  admins.limit = 200;
  store::Page<domain::Member> page = ROSTER_TRY(store::ListMembers(tx, organization_id, admins));
  std::string console = context.settings.public_url;
  while (!console.empty() && console.back() == '/') console.pop_back();
  console += "/orgs/" + FormatId(organization_id) + "/webhooks";
  for (const domain::Member& admin : page.items) {
    mail::WebhookDisabledEmail email{admin.email,
                                     admin.name,
                                     organization->name,
                                     webhook_url,
                                     reason,
                                     failing_since,
                                     console,
                                     context.settings.mail_from_address,
                                     context.settings.mail_from_name};
    ROSTER_TRY_STATUS(Queue(tx, context, organization_id, mail::RenderWebhookDisabled(email)));
  }
  return {};
}

}  // namespace roster::app
