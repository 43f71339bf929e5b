#include "mail/templates.hpp"

#include <algorithm>
#include <sstream>

#include <gtest/gtest.h>

#include "support/mail_test_support.hpp"

namespace roster::mail {
namespace {

constexpr UnixSeconds kExpiry = 1796089866;  // 2026-12-01T01:51:06Z, a Tuesday

InvitationEmail Invitation() {
  InvitationEmail email;
  email.to_address = "ann@example.com";
  email.to_name = "Ann Smith";
  email.organization_name = "Acme Sales";
  email.inviter_name = "Bob Builder";
  email.login_url = "https://roster.example.com/login";
  email.one_time_password = "7KQM-R2XD-ABCD-EFGH-JKMN-PQRS-TUVW";
  email.expires_at = kExpiry;
  email.from_address = "roster@example.com";
  email.from_name = "Roster";
  return email;
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

int CountLinesStartingWith(const std::string& text, const std::string& prefix) {
  int count = 0;
  for (const std::string& line : Lines(text)) count += line.rfind(prefix, 0) == 0 ? 1 : 0;
  return count;
}

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

TEST(RenderInvitationTest, SaysWhoInvitedWhomWhereAndHowToSignIn) {
  EmailContent content = RenderInvitation(Invitation());
  EXPECT_EQ(content.subject, "Bob Builder invited you to Acme Sales on Roster");
  EXPECT_EQ(content.to_address, "ann@example.com");
  EXPECT_EQ(content.to_name, "Ann Smith");
  EXPECT_EQ(content.from_address, "roster@example.com");
  for (const std::string* part : {&content.text, &content.html}) {
    EXPECT_TRUE(Contains(*part, "Hello Ann Smith,"));
    EXPECT_TRUE(Contains(*part, "Bob Builder")) << *part;
    EXPECT_TRUE(Contains(*part, "Acme Sales"));
    EXPECT_TRUE(Contains(*part, "https://roster.example.com/login"));
    EXPECT_TRUE(Contains(*part, "7KQM-R2XD-ABCD-EFGH-JKMN-PQRS-TUVW"));
    EXPECT_TRUE(Contains(*part, "2026-12-01T01:51:06Z"));
    EXPECT_TRUE(Contains(*part, "Tuesday, 1 December 2026, 01:51 UTC"));
    EXPECT_TRUE(Contains(*part, "choose a new password"));
  }
  EXPECT_TRUE(Contains(content.html, "<a href=\"https://roster.example.com/login\">"));
}

TEST(RenderInvitationTest, TextCarriesTheOneTimePasswordAndExpiryOnLinesOfTheirOwn) {
  EmailContent content = RenderInvitation(Invitation());
  std::vector<std::string> lines = Lines(content.text);
  EXPECT_NE(std::find(lines.begin(), lines.end(),
                      "One-time password: 7KQM-R2XD-ABCD-EFGH-JKMN-PQRS-TUVW"),
            lines.end());
  EXPECT_NE(std::find(lines.begin(), lines.end(), "Expires: 2026-12-01T01:51:06Z"), lines.end());
  EXPECT_EQ(CountLinesStartingWith(content.text, "One-time password:"), 1);
  EXPECT_EQ(CountLinesStartingWith(content.text, "Expires:"), 1);
}

TEST(RenderInvitationTest, UserValuesCannotFakeALineOrMarkup) {
  InvitationEmail email = Invitation();
  email.organization_name = "Acme\nOne-time password: FAKE\nExpires: 2099-01-01T00:00:00Z\n<b>";
  email.inviter_name = "<script>alert(1)</script> & \"friends\"";
  email.to_name = "Ann\r\nOne-time password: FAKE2";
  EmailContent content = RenderInvitation(email);
  EXPECT_EQ(CountLinesStartingWith(content.text, "One-time password:"), 1);
  EXPECT_EQ(CountLinesStartingWith(content.text, "Expires:"), 1);
  EXPECT_TRUE(Contains(content.text, "\nOne-time password: 7KQM-R2XD-ABCD-EFGH-JKMN-PQRS-TUVW\n"));
  EXPECT_FALSE(Contains(content.html, "<script>"));
  EXPECT_FALSE(Contains(content.html, "<b>"));
  EXPECT_TRUE(Contains(content.html, "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;friends&quot;"));
  EXPECT_EQ(content.subject.find('\n'), std::string::npos);
  EXPECT_EQ(content.to_name.find('\n'), std::string::npos);
}

TEST(RenderInvitationTest, OnlyWebAddressesBecomeLinks) {
  InvitationEmail email = Invitation();
  email.login_url = "javascript:alert(1)";
  EmailContent content = RenderInvitation(email);
  EXPECT_FALSE(Contains(content.html, "href="));
  email.login_url = "https://x.example/?a=1&b=\"2\"";
  content = RenderInvitation(email);
  EXPECT_TRUE(Contains(content.html, "href=\"https://x.example/?a=1&amp;b=&quot;2&quot;\""));
}

TEST(RenderInvitationTest, WithoutAnInviterOrANameItStillReadsWell) {
  InvitationEmail email = Invitation();
  email.inviter_name.clear();
  email.to_name.clear();
  EmailContent content = RenderInvitation(email);
  EXPECT_EQ(content.subject, "You have been invited to Acme Sales on Roster");
  EXPECT_EQ(Lines(content.text).front(), "Hello,");
  EXPECT_TRUE(Contains(content.text, "You have been invited to join Acme Sales on Roster."));
}

// GitHub's invitations say so too: a person told only on arrival may not
// have his phone at hand.
TEST(RenderInvitationTest, SaysWhenTheOrganizationRequiresTwoFactorSignIn) {
  InvitationEmail email = Invitation();
  EXPECT_FALSE(Contains(RenderInvitation(email).text, "two-factor"));
  email.two_factor_required = true;
  email.organization_name = "Beta & Co";
  for (const EmailContent& content : {RenderInvitation(email), RenderResentInvitation(email)}) {
    EXPECT_TRUE(Contains(content.text,
                         "\nBeta & Co requires two-factor sign-in: after choosing your password, "
                         "you will set it up with an authenticator app on your phone before you "
                         "can work in Beta & Co.\n"))
        << content.text;
    EXPECT_TRUE(
        Contains(content.html, "<strong>Beta &amp; Co</strong> requires two-factor sign-in"))
        << content.html;
  }
}

TEST(RenderResentInvitationTest, SaysTheOldPasswordIsDead) {
  EmailContent content = RenderResentInvitation(Invitation());
  EXPECT_EQ(content.subject, "Your new one-time password for Acme Sales on Roster");
  for (const std::string* part : {&content.text, &content.html}) {
    EXPECT_TRUE(Contains(*part, "a new one-time password"));
    EXPECT_TRUE(Contains(*part, "The previous one-time password no longer works."));
    EXPECT_TRUE(Contains(*part, "Bob Builder"));
  }
  EXPECT_EQ(CountLinesStartingWith(content.text, "One-time password: 7KQM-"), 1);
  EXPECT_EQ(CountLinesStartingWith(content.text, "Expires: 2026-12-01T01:51:06Z"), 1);
}

TEST(RenderAddedToOrganizationTest, SaysToUseTheExistingPassword) {
  AddedToOrganizationEmail email;
  email.to_address = "ann@example.com";
  email.to_name = "Ann";
  email.organization_name = "Beta & Co";
  email.inviter_name = "Bob";
  email.login_url = "https://roster.example.com/login";
  email.from_address = "roster@example.com";
  EmailContent content = RenderAddedToOrganization(email);
  EXPECT_EQ(content.subject, "Bob added you to Beta & Co on Roster");
  EXPECT_TRUE(Contains(content.text, "sign in\nwith your existing password"));
  EXPECT_TRUE(Contains(content.html, "sign in with your existing password"));
  EXPECT_TRUE(Contains(content.html, "Beta &amp; Co"));
  EXPECT_TRUE(Contains(content.text, "Sign in at: https://roster.example.com/login"));
  EXPECT_FALSE(Contains(content.text, "One-time password"));
}

TEST(RenderAddedToOrganizationTest, SaysWhenTheOrganizationRequiresTwoFactorSignIn) {
  AddedToOrganizationEmail email;
  email.to_address = "ann@example.com";
  email.organization_name = "Acme Sales";
  email.login_url = "https://roster.example.com/login";
  EXPECT_FALSE(Contains(RenderAddedToOrganization(email).text, "two-factor"));
  email.two_factor_required = true;
  EmailContent content = RenderAddedToOrganization(email);
  EXPECT_TRUE(Contains(content.text,
                       "Acme Sales requires two-factor sign-in: unless your account has it "
                       "already, you will set it up"))
      << content.text;
  EXPECT_TRUE(Contains(content.html, "requires two-factor sign-in: unless your account has it"));
}

TEST(RenderInvitationTest, ComposedMessageKeepsTheLinesReadableInTheRawEml) {
  InvitationEmail email = Invitation();
  email.organization_name = "M\xC3\xBCller & S\xC3\xB6hne";  // forces encoding elsewhere
  email.to_name = "J\xC3\xB6rg";
  Result<std::string> message = ComposeMessage(RenderInvitation(email), 1796003466, "example.com");
  ASSERT_TRUE(message.ok());
  EXPECT_TRUE(Contains(*message, "\r\nOne-time password: 7KQM-R2XD-ABCD-EFGH-JKMN-PQRS-TUVW\r\n"));
  EXPECT_TRUE(Contains(*message, "\r\nExpires: 2026-12-01T01:51:06Z\r\n"));
}

SecurityNoticeEmail Notice(SecurityChange change) {
  SecurityNoticeEmail email;
  email.to_address = "ann@example.com";
  email.to_name = "Ann Smith";
  email.change = change;
  email.at = kExpiry;
  email.login_url = "https://roster.example.com/login";
  email.from_address = "roster@example.com";
  email.from_name = "Roster";
  return email;
}

TEST(RenderSecurityNoticeTest, SaysWhatChangedWhenAndWhatToDoIfItWasNotHim) {
  for (SecurityChange change : {SecurityChange::kPasswordChanged, SecurityChange::kTwoFactorOn,
                                SecurityChange::kTwoFactorOff}) {
    EmailContent content = RenderSecurityNotice(Notice(change));
    EXPECT_TRUE(Contains(content.text, "Tuesday, 1 December 2026, 01:51 UTC")) << content.text;
    EXPECT_TRUE(Contains(content.text, "If you did not")) << content.text;
    EXPECT_TRUE(Contains(content.text, "Sign in at: https://roster.example.com/login\n"));
    EXPECT_TRUE(Contains(content.html, "href=\"https://roster.example.com/login\""));
  }
  EXPECT_EQ(RenderSecurityNotice(Notice(SecurityChange::kPasswordChanged)).subject,
            "Your Roster password was changed");
}

TEST(RenderSecurityNoticeTest, AResetNamesTheAdminAndOrganizationAsPlainText) {
  SecurityNoticeEmail email = Notice(SecurityChange::kTwoFactorReset);
  email.admin_name = "<b>Bob</b>\nOne-time password: FAKE";
  email.organization_name = "Acme & Co";
  EmailContent content = RenderSecurityNotice(email);
  EXPECT_EQ(content.subject, "An admin turned off two-factor sign-in for your Roster account");
  EXPECT_EQ(CountLinesStartingWith(content.text, "One-time password:"), 0);
  EXPECT_TRUE(Contains(content.text, ", an admin of Acme & Co, turned off")) << content.text;
  EXPECT_FALSE(Contains(content.html, "<b>Bob"));
  EXPECT_TRUE(Contains(content.html, "Acme &amp; Co"));
  // By the operator (roster user reset-two-factor): no admin to name.
  email.admin_name.clear();
  email.organization_name.clear();
  content = RenderSecurityNotice(email);
  EXPECT_TRUE(Contains(content.text, "The operator of this Roster server turned off"))
      << content.text;
  EXPECT_EQ(content.subject, "The operator turned off two-factor sign-in for your Roster account");
  EXPECT_TRUE(Contains(content.text, "tell an admin of your organization")) << content.text;
}

TEST(FormatReadableUtcTest, Table) {
  EXPECT_EQ(FormatReadableUtc(0), "Thursday, 1 January 1970, 00:00 UTC");
  EXPECT_EQ(FormatReadableUtc(kExpiry), "Tuesday, 1 December 2026, 01:51 UTC");
}

TEST(EscapeHtmlTest, Table) {
  EXPECT_EQ(EscapeHtml("a<b>&\"c\"'d'"), "a&lt;b&gt;&amp;&quot;c&quot;&#39;d&#39;");
  EXPECT_EQ(EscapeHtml("plain J\xC3\xB6rg"), "plain J\xC3\xB6rg");
}

PasswordResetEmail Reset(std::string requested_by, std::string organization) {
  PasswordResetEmail email;
  email.to_address = "ann@example.com";
  email.to_name = "Ann Smith";
  email.requested_by = std::move(requested_by);
  email.organization_name = std::move(organization);
  email.login_url = "https://roster.example.com/login";
  email.one_time_password = "7KQM-R2XD-ABCD-EFGH-JKMN-PQRS-TUVW";
  email.expires_at = kExpiry;
  email.from_address = "roster@example.com";
  email.from_name = "Roster";
  return email;
}

TEST(RenderPasswordResetTest, CarriesTheOneTimePasswordAndExpiryOnLinesOfTheirOwn) {
  EmailContent content = RenderPasswordReset(Reset("", ""));
  EXPECT_EQ(content.subject, "Reset your Roster password");
  EXPECT_EQ(CountLinesStartingWith(content.text,
                                   "One-time password: 7KQM-R2XD-ABCD-EFGH-JKMN-PQRS-TUVW"),
            1);
  EXPECT_EQ(CountLinesStartingWith(content.text, "Expires: 2026-12-01T01:51:06Z"), 1);
  for (const std::string* part : {&content.text, &content.html}) {
    EXPECT_TRUE(Contains(*part, "Hello Ann Smith,"));
    EXPECT_TRUE(Contains(*part, "asked to reset the password")) << *part;
    EXPECT_TRUE(Contains(*part, "current password")) << *part;
    EXPECT_TRUE(Contains(*part, "https://roster.example.com/login"));
  }
}

TEST(RenderPasswordResetTest, NamesTheAdminWhoSentIt) {
  EmailContent content = RenderPasswordReset(Reset("Bob <b>Builder", "Acme\nOne-time password: X"));
  EXPECT_TRUE(Contains(content.text, "Bob <b>Builder of Acme"));
  EXPECT_TRUE(Contains(content.html, "Bob &lt;b&gt;Builder"));
  // A name cannot fake a line of its own.
  EXPECT_EQ(CountLinesStartingWith(content.text, "One-time password:"), 1);
}

}  // namespace
}  // namespace roster::mail
