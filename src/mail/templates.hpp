#pragma once

#include <string>
#include <string_view>

#include "core/clock.hpp"
#include "mail/message.hpp"

// The e-mails Roster sends, as text and HTML. Every value that a user typed
// (names, the organization's name) is made one line (SanitizeLine), so it
// cannot fake a line of its own such as "One-time password: ...", and is
// HTML-escaped in the HTML part.
namespace roster::mail {

// An invitation to a new account: the one-time password signs in once and
// must be replaced by a password of the invitee's own.
struct InvitationEmail {
  std::string to_address;
  std::string to_name;
  std::string organization_name;
  std::string inviter_name;  // empty: "You have been invited" (bootstrap by the CLI)
  std::string login_url;     // from ROSTER_PUBLIC_URL, never from a request
  std::string one_time_password;
  UnixSeconds expires_at = 0;
  std::string from_address;
  std::string from_name;
  bool two_factor_required = false;  // the organization requires it: say so before he arrives
};

// An existing account added to one more organization: no new password.
struct AddedToOrganizationEmail {
  std::string to_address;
  std::string to_name;
  std::string organization_name;
  std::string inviter_name;
  std::string login_url;
  std::string from_address;
  std::string from_name;
  bool two_factor_required = false;
};

// Tells an admin that an endpoint of his organization was disabled after
// failing for too long, and how to turn it back on.
struct WebhookDisabledEmail {
  std::string to_address;
  std::string to_name;
  std::string organization_name;
  std::string webhook_url;
  std::string reason;       // the last error
  UnixSeconds failing_since = 0;
  std::string console_url;  // the console's Webhooks page
  std::string from_address;
  std::string from_name;
};
EmailContent RenderWebhookDisabled(const WebhookDisabledEmail& email);

// A password reset (SPEC 11): a one-time password that signs in once and
// must be replaced by a new password; the current password keeps working
// until then. The text part holds the lines "One-time password: <otp>" and
// "Expires: <RFC 3339>", as an invitation's does.
struct PasswordResetEmail {
  std::string to_address;
  std::string to_name;
  std::string requested_by;       // an admin's name, or empty: asked on the sign-in page
  std::string organization_name;  // the admin's organization; empty when self-service
  std::string login_url;
  std::string one_time_password;
  UnixSeconds expires_at = 0;
  std::string from_address;
  std::string from_name;
};
EmailContent RenderPasswordReset(const PasswordResetEmail& email);

// Who invited whom to which organization, the login address, the one-time
// password and its expiry (RFC 3339 and in words, UTC), and that a new
// password must be chosen at the first sign-in. The text part holds the lines
// "One-time password: <otp>" and "Expires: <RFC 3339>".
EmailContent RenderInvitation(const InvitationEmail& email);

// As RenderInvitation, worded as a resend: a new one-time password, and the
// previous one no longer works.
EmailContent RenderResentInvitation(const InvitationEmail& email);

// Tells an existing user he was added to an organization and signs in with
// his existing password.
EmailContent RenderAddedToOrganization(const AddedToOrganizationEmail& email);

// Tells a person that the way his account signs in changed, as GitHub and
// Clerk do: the only way the owner of a hijacked account learns of it.
enum class SecurityChange {
  kPasswordChanged,
  kTwoFactorOn,
  kTwoFactorOff,    // by himself, with his password and a code
  kTwoFactorReset,  // by admin_name of organization_name; by the operator without them
};
struct SecurityNoticeEmail {
  std::string to_address;
  std::string to_name;
  SecurityChange change = SecurityChange::kPasswordChanged;
  std::string admin_name;         // kTwoFactorReset
  std::string organization_name;  // kTwoFactorReset
  UnixSeconds at = 0;
  std::string login_url;
  std::string from_address;
  std::string from_name;
};
EmailContent RenderSecurityNotice(const SecurityNoticeEmail& email);

// "Tuesday, 1 December 2026, 01:51 UTC".
std::string FormatReadableUtc(UnixSeconds t);

// Escapes &, <, >, " and ' for HTML text and attribute values.
std::string EscapeHtml(std::string_view text);

}  // namespace roster::mail
