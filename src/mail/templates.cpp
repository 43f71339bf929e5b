#include "mail/templates.hpp"

#include <cstdio>
#include <ctime>
#include <utility>

#include "mail/headers.hpp"

namespace roster::mail {
namespace {

enum class InvitationKind { kFirst, kResent };

// The values of one e-mail, each made one line, in text and in HTML.
struct Field {
  explicit Field(std::string_view raw) : text(SanitizeLine(raw)), html(EscapeHtml(text)) {}
  std::string text;
  std::string html;
};

std::string Greeting(const Field& name) {
  return name.text.empty() ? "Hello," : "Hello " + name.text + ",";
}

std::string HtmlGreeting(const Field& name) {
  return name.html.empty() ? "Hello," : "Hello " + name.html + ",";
}

// A link only for http(s) addresses: anything else is shown as text, so a
// misconfigured URL can never become a javascript: link.
std::string HtmlLink(const Field& url) {
  bool web = url.text.rfind("https://", 0) == 0 || url.text.rfind("http://", 0) == 0;
  if (!web) return url.html;
  return "<a href=\"" + url.html + "\">" + url.html + "</a>";
}

std::string HtmlPage(const std::string& title, const std::string& body) {
  return "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n<title>" + title +
         "</title>\n</head>\n"
         "<body style=\"font-family: Arial, Helvetica, sans-serif; line-height: 1.5; "
         "color: #222222;\">\n" +
         body + "</body>\n</html>\n";
}

std::string HtmlRow(const std::string& label, const std::string& value) {
  return "<tr><td style=\"padding: 2px 16px 2px 0; color: #555555;\">" + label +
         "</td><td style=\"padding: 2px 0;\">" + value + "</td></tr>\n";
}

const char* kClosingText =
    "If you did not expect this e-mail, you can ignore it.\n"
    "\n"
    "-- \n"
    "Roster\n";

const char* kClosingHtml =
    "<p style=\"color: #555555;\">If you did not expect this e-mail, you can ignore it.</p>\n";

// Where the organization requires two-factor sign-in (SPEC 9), what the
// newcomer will be asked for, as {text, html}; a person told only on
// arrival may not have his phone at hand. `after`: what comes first.
std::pair<std::string, std::string> TwoFactorNotice(const Field& organization,
                                                    const std::string& after) {
  std::string text = organization.text + " requires two-factor sign-in: " + after +
                     ", you will set it up with an authenticator app on your phone before you "
                     "can work in " +
                     organization.text + ".";
  std::string html = "<strong>" + organization.html +
                     "</strong> requires two-factor sign-in: " + after +
                     ", you will set it up with an authenticator app on your phone before you "
                     "can work in " +
                     organization.html + ".";
  return {text, html};
}

// The opening sentence of an invitation, as {text, html}.
std::pair<std::string, std::string> InvitationOpening(const Field& inviter,
                                                      const Field& organization,
                                                      InvitationKind kind) {
  std::string org_html = "<strong>" + organization.html + "</strong>";
  if (kind == InvitationKind::kResent) {
    std::string tail = " a new one-time password for ";
    std::string after = " on Roster. The previous one-time password no longer works.";
    if (inviter.text.empty()) {
      return {"Here is" + tail + organization.text + after, "Here is" + tail + org_html + after};
    }
    return {inviter.text + " sent you" + tail + organization.text + after,
            "<strong>" + inviter.html + "</strong> sent you" + tail + org_html + after};
  }
  if (inviter.text.empty()) {
    return {"You have been invited to join " + organization.text + " on Roster.",
            "You have been invited to join " + org_html + " on Roster."};
  }
  return {inviter.text + " invited you to join " + organization.text + " on Roster.",
          "<strong>" + inviter.html + "</strong> invited you to join " + org_html + " on Roster."};
}

std::string InvitationSubject(const Field& inviter, const Field& organization,
                              InvitationKind kind) {
  if (kind == InvitationKind::kResent) {
    return "Your new one-time password for " + organization.text + " on Roster";
  }
  std::string who = inviter.text.empty() ? "You have been invited" : inviter.text + " invited you";
  return who + " to " + organization.text + " on Roster";
}

EmailContent RenderInvitationAs(const InvitationEmail& email, InvitationKind kind) {
  Field name(email.to_name), organization(email.organization_name),
      inviter(email.inviter_name), url(email.login_url), address(email.to_address),
      otp(email.one_time_password);
  std::string expires = FormatRfc3339(email.expires_at);
  std::string readable = FormatReadableUtc(email.expires_at);
  auto [opening, opening_html] = InvitationOpening(inviter, organization, kind);
  auto [two_factor, two_factor_html] =
      email.two_factor_required ? TwoFactorNotice(organization, "after choosing your password")
                                : std::pair<std::string, std::string>();

  EmailContent content;
  content.from_address = email.from_address;
  content.from_name = email.from_name;
  content.to_address = email.to_address;
  content.to_name = name.text;
  content.subject = InvitationSubject(inviter, organization, kind);
  // One line of the e-mail per line here.
  // clang-format off
  content.text = Greeting(name) + "\n\n" + opening + "\n\n" +
                 "Sign in at: " + url.text + "\n" +
                 "E-mail: " + address.text + "\n" +
                 "One-time password: " + otp.text + "\n" +
                 "Expires: " + expires + "\n\n" +
                 "The one-time password works until " + readable + ".\n" +
                 "After you sign in with it, you will be asked to choose a new password of\n"
                 "your own; the one-time password stops working as soon as you do.\n\n" +
                 (two_factor.empty() ? "" : two_factor + "\n\n") +
                 kClosingText;
  // clang-format on

  std::string body =
      "<p>" + HtmlGreeting(name) + "</p>\n<p>" + opening_html + "</p>\n" +
      "<table role=\"presentation\" style=\"border-collapse: collapse;\">\n" +
      HtmlRow("Sign in at", HtmlLink(url)) + HtmlRow("E-mail", address.html) +
      HtmlRow("One-time password", "<code style=\"font-size: 1.2em;\">" + otp.html + "</code>") +
      HtmlRow("Expires", EscapeHtml(readable) + " (" + expires + ")") +
      "</table>\n"
      "<p>After you sign in with it, you will be asked to choose a new password "
      "of your own; the one-time password stops working as soon as you do.</p>\n" +
      (two_factor_html.empty() ? "" : "<p>" + two_factor_html + "</p>\n") + kClosingHtml;
  content.html = HtmlPage(EscapeHtml(content.subject), body);
  return content;
}

}  // namespace

EmailContent RenderInvitation(const InvitationEmail& email) {
  return RenderInvitationAs(email, InvitationKind::kFirst);
}

EmailContent RenderResentInvitation(const InvitationEmail& email) {
  return RenderInvitationAs(email, InvitationKind::kResent);
}

EmailContent RenderAddedToOrganization(const AddedToOrganizationEmail& email) {
  Field name(email.to_name), organization(email.organization_name),
      inviter(email.inviter_name), url(email.login_url), address(email.to_address);
  EmailContent content;
  content.from_address = email.from_address;
  content.from_name = email.from_name;
  content.to_address = email.to_address;
  content.to_name = name.text;
  std::string who = inviter.text.empty() ? "You have been added" : inviter.text + " added you";
  std::string who_html =
      inviter.html.empty() ? "You have been added" : "<strong>" + inviter.html + "</strong> added you";
  content.subject = who + " to " + organization.text + " on Roster";
  auto [two_factor, two_factor_html] =
      email.two_factor_required
          ? TwoFactorNotice(organization, "unless your account has it already")
          : std::pair<std::string, std::string>();

  // clang-format off
  content.text = Greeting(name) + "\n\n" + who + " to " + organization.text + " on Roster.\n\n" +
                 "You already have a Roster account, so there is no new password: sign in\n"
                 "with your existing password.\n\n" +
                 "Sign in at: " + url.text + "\n" +
                 "E-mail: " + address.text + "\n\n" +
                 (two_factor.empty() ? "" : two_factor + "\n\n") +
                 kClosingText;
  // clang-format on

  std::string body =
      "<p>" + HtmlGreeting(name) + "</p>\n<p>" + who_html + " to <strong>" + organization.html +
      "</strong> on Roster.</p>\n" +
      "<p>You already have a Roster account, so there is no new password: "
      "sign in with your existing password.</p>\n"
      "<table role=\"presentation\" style=\"border-collapse: collapse;\">\n" +
      HtmlRow("Sign in at", HtmlLink(url)) + HtmlRow("E-mail", address.html) + "</table>\n" +
      (two_factor_html.empty() ? "" : "<p>" + two_factor_html + "</p>\n") + kClosingHtml;
  content.html = HtmlPage(EscapeHtml(content.subject), body);
  return content;
}

EmailContent RenderPasswordReset(const PasswordResetEmail& email) {
  Field name(email.to_name), requested_by(email.requested_by),
      organization(email.organization_name), url(email.login_url), address(email.to_address),
      otp(email.one_time_password);
  std::string expires = FormatRfc3339(email.expires_at);
  std::string readable = FormatReadableUtc(email.expires_at);
  std::string opening =
      requested_by.text.empty()
          ? "Someone, probably you, asked to reset the password of your Roster account."
          : requested_by.text + (organization.text.empty() ? "" : " of " + organization.text) +
                " sent you a password reset for your Roster account.";
  std::string opening_html =
      requested_by.html.empty()
          ? opening
          : "<strong>" + requested_by.html + "</strong>" +
                (organization.html.empty() ? "" : " of <strong>" + organization.html + "</strong>") +
                " sent you a password reset for your Roster account.";
  const std::string after =
      "Sign in with this one-time password instead of your password; you will be\n"
      "asked to choose a new password at once. Until you do, your current password\n"
      "keeps working. If you do not want a new password, ignore this e-mail: nothing\n"
      "changes.";

  EmailContent content;
  content.from_address = email.from_address;
  content.from_name = email.from_name;
  content.to_address = email.to_address;
  content.to_name = name.text;
  content.subject = "Reset your Roster password";
  content.text = Greeting(name) + "\n\n" + opening + "\n\n" +
                 "Sign in at: " + url.text + "\n" +
                 "E-mail: " + address.text + "\n" +
                 "One-time password: " + otp.text + "\n" +
                 "Expires: " + expires + "\n\n" +
                 "The one-time password works until " + readable + ".\n" + after +
                 "\n\n-- \nRoster\n";
  std::string after_html = after;
  for (char& c : after_html) {
    if (c == '\n') c = ' ';
  }
  std::string body = "<p>" + HtmlGreeting(name) + "</p>\n<p>" + opening_html + "</p>\n" +
                     "<table role=\"presentation\" style=\"border-collapse: collapse;\">\n" +
                     HtmlRow("Sign in at", HtmlLink(url)) + HtmlRow("E-mail", address.html) +
                     HtmlRow("One-time password",
                             "<code style=\"font-size: 1.2em;\">" + otp.html + "</code>") +
                     HtmlRow("Expires", EscapeHtml(readable) + " (" + expires + ")") +
                     "</table>\n<p>" + after_html + "</p>\n";
  content.html = HtmlPage(EscapeHtml(content.subject), body);
  return content;
}

EmailContent RenderWebhookDisabled(const WebhookDisabledEmail& email) {
  Field name(email.to_name), organization(email.organization_name), hook(email.webhook_url),
      reason(email.reason), url(email.console_url);
  Field since(FormatReadableUtc(email.failing_since));
  EmailContent content;
  content.from_address = email.from_address;
  content.from_name = email.from_name;
  content.to_address = email.to_address;
  content.to_name = name.text;
  content.subject = "A webhook of " + organization.text + " was disabled";
  content.text = Greeting(name) + "\n\n" + "Roster disabled a webhook endpoint of " +
                 organization.text + ": every delivery to it has failed since " + since.text +
                 ".\n\n" + "Endpoint: " + hook.text + "\n" + "Last error: " + reason.text +
                 "\n\n" + "Fix the receiver, then enable the endpoint again on the Webhooks page:\n" +
                 url.text + "\n\n-- \nRoster\n";
  std::string body = "<p>" + HtmlGreeting(name) + "</p>\n<p>Roster disabled a webhook endpoint of <strong>" +
                     organization.html + "</strong>: every delivery to it has failed since " +
                     since.html + ".</p>\n" +
                     "<table role=\"presentation\" style=\"border-collapse: collapse;\">\n" +
                     HtmlRow("Endpoint", hook.html) + HtmlRow("Last error", reason.html) +
                     "</table>\n<p>Fix the receiver, then enable the endpoint again on the " +
                     HtmlLink(url) + " page.</p>\n";
  content.html = HtmlPage(EscapeHtml(content.subject), body);
  return content;
}

EmailContent RenderSecurityNotice(const SecurityNoticeEmail& email) {
  Field name(email.to_name), admin(email.admin_name), organization(email.organization_name),
      url(email.login_url), address(email.to_address);
  std::string when = FormatReadableUtc(email.at);
  std::string subject, what, what_html;
  const std::string reset_password =
      "reset your password at once from the sign-in page (\"Forgot password?\")";
  std::string advice;
  switch (email.change) {
    case SecurityChange::kPasswordChanged:
      subject = "Your Roster password was changed";
      what = what_html = "The password of your Roster account was changed on " + when + ".";
      advice = "If you did not change it, " + reset_password +
               " and tell an admin of your organization.";
      break;
    case SecurityChange::kTwoFactorOn:
      subject = "Two-factor sign-in was turned on for your Roster account";
      what = what_html = "Two-factor sign-in was turned on for your Roster account on " + when +
                         ": signing in now takes a code from the authenticator app it was set up "
                         "with.";
      advice = "If you did not turn it on, someone else has access to your account: " +
               reset_password + " and ask an admin of your organization to reset your "
               "two-factor sign-in.";
      break;
    case SecurityChange::kTwoFactorOff:
      subject = "Two-factor sign-in was turned off for your Roster account";
      what = what_html = "Two-factor sign-in was turned off for your Roster account on " + when +
                         ": signing in now takes your password only.";
      advice = "If you did not turn it off, " + reset_password +
               " and turn two-factor sign-in on again on the Security page.";
      break;
    case SecurityChange::kTwoFactorReset:
      subject = admin.text.empty()
                    ? "The operator turned off two-factor sign-in for your Roster account"
                    : "An admin turned off two-factor sign-in for your Roster account";
      what = " turned off two-factor sign-in for your Roster account on " + when +
             " (as when a phone is lost): signing in now takes your password only.";
      if (admin.text.empty()) {
        what = what_html = "The operator of this Roster server" + what;
      } else {
        what_html = "<strong>" + admin.html + "</strong>, an admin of <strong>" +
                    organization.html + "</strong>," + EscapeHtml(what);
        what = admin.text + ", an admin of " + organization.text + "," + what;
      }
      advice = "Set it up again on the Security page after you sign in. If you did not ask for "
               "this, tell " +
               std::string(admin.text.empty() ? "an admin of your organization" : "that admin") +
               " and " + reset_password + ".";
      break;
  }
  EmailContent content;
  content.from_address = email.from_address;
  content.from_name = email.from_name;
  content.to_address = email.to_address;
  content.to_name = name.text;
  content.subject = subject;
  content.text = Greeting(name) + "\n\n" + what + "\n\n" + advice + "\n\n" +
                 "Sign in at: " + url.text + "\n" + "E-mail: " + address.text +
                 "\n\n-- \nRoster\n";
  std::string body = "<p>" + HtmlGreeting(name) + "</p>\n<p>" + what_html + "</p>\n<p>" +
                     EscapeHtml(advice) + "</p>\n" +
                     "<table role=\"presentation\" style=\"border-collapse: collapse;\">\n" +
                     HtmlRow("Sign in at", HtmlLink(url)) + HtmlRow("E-mail", address.html) +
                     "</table>\n";
  content.html = HtmlPage(EscapeHtml(content.subject), body);
  return content;
}

std::string FormatReadableUtc(UnixSeconds t) {
  static constexpr const char* kDays[] = {"Sunday",   "Monday", "Tuesday", "Wednesday",
                                          "Thursday", "Friday", "Saturday"};
  static constexpr const char* kMonths[] = {"January", "February", "March",     "April",
                                            "May",     "June",     "July",      "August",
                                            "September", "October", "November", "December"};
  std::time_t time = static_cast<std::time_t>(t);
  std::tm tm{};
  gmtime_r(&time, &tm);
  char buffer[80];
  std::snprintf(buffer, sizeof buffer, "%s, %d %s %d, %02d:%02d UTC", kDays[tm.tm_wday],
                tm.tm_mday, kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min);
  return buffer;
}

std::string EscapeHtml(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

}  // namespace roster::mail
