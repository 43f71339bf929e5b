#include "app/mail_queue.hpp"

#include "mail/enqueue.hpp"
#include "mail/templates.hpp"

namespace roster::app {
namespace {

// The host of the public URL names the Message-ID domain.
std::string HostOf(const std::string& url) {
  auto start = url.find("://");
  start = start == std::string::npos ? 0 : start + 3;
  auto end = url.find_first_of(":/", start);
  std::string host = url.substr(start, end == std::string::npos ? std::string::npos : end - start);
  return host.empty() ? "localhost" : host;
}

std::string LoginUrl(const Context& context) {
  std::string url = context.settings.public_url;
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url + "/login";
}

Status Queue(store::Tx& tx, const Context& context, Id organization_id,
             const mail::EmailContent& content) {
  ROSTER_TRY(mail::EnqueueEmail(tx, organization_id, content, context.clock.Now(),
                                HostOf(context.settings.public_url)));
  return {};
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
                              context.settings.mail_from_name};
  return Queue(tx, context, mail.organization.id,
               mail.resent ? mail::RenderResentInvitation(email) : mail::RenderInvitation(email));
}

Status QueueAddedMail(store::Tx& tx, const Context& context, const domain::Organization& organization,
                      const std::string& inviter_name, const domain::User& user) {
  mail::AddedToOrganizationEmail email{user.email,
                                       user.name,
                                       organization.name,
                                       inviter_name,
                                       LoginUrl(context),
                                       context.settings.mail_from_address,
                                       context.settings.mail_from_name};
  return Queue(tx, context, organization.id, mail::RenderAddedToOrganization(email));
}

}  // namespace roster::app
