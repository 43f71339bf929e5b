// Invitations through a real SMTP relay that requires TLS and a login
// (tests/support/smtp_tls_server.py), when the relay refuses what every
// message shares: the settings.

#include <fstream>
#include <sstream>

#include "api_fixture.hpp"
#include "support/eventually.hpp"
#include "support/smtp_server.hpp"

namespace roster::testing {
namespace {

using test_support::Eventually;
using test_support::SmtpServer;

class MailRelayTest : public ApiTest {
 protected:
  // Starts the server with the relay as its mail server, logging in with
  // `password` (the relay's is "relay pass").
  void StartServerWithRelay(const std::string& password) {
    relay_.Start();
    UseRelayPassword(password);
    env()["ROSTER_MAIL_CA"] = relay_.ca_file().string();
    StartServer();
  }
  void UseRelayPassword(const std::string& password) {
    env()["ROSTER_MAIL"] = "smtp://roster:" + password + "@" + relay_.url().substr(7);
  }

  // The value of `metric` on /metrics, as text ("" when absent).
  std::string Metric(const std::string& metric) const {
    std::string text = NewClient()->Get("/metrics").body;
    std::size_t at = text.find("\n" + metric + " ");
    if (at == std::string::npos) return "";
    at += metric.size() + 2;
    return text.substr(at, text.find('\n', at) - at);
  }

  std::string ServerLog() const {
    std::ifstream log(dir_.path() / "server.log");
    std::stringstream text;
    text << log.rdbuf();
    return text.str();
  }

  SmtpServer relay_{SmtpServer::Options{.login = "roster", .password = "relay pass"}};
};

// An operator who typed the relay's password wrong loses no invitation: the
// relay refuses the login, the message is tried again past the five
// attempts after which a refused message is given up, and it arrives, with
// a one-time password that signs in, once the setting is corrected.
TEST_F(MailRelayTest, AnInvitationWaitsOutAWrongRelayPasswordAndArrivesWhenItIsCorrected) {
  StartServerWithRelay("wrong%20pass");
  Invite("tia@acme.test", "Tia Invitee");
  ASSERT_TRUE(Eventually([&] { return ServerLog().find("attempt 6 refused") != std::string::npos; },
                         std::chrono::seconds(40), std::chrono::milliseconds(100)))
      << ServerLog();
  EXPECT_EQ(ServerLog().find("failed for good"), std::string::npos) << ServerLog();
  EXPECT_NE(ServerLog().find("535"), std::string::npos) << ServerLog();
  EXPECT_EQ(ServerLog().find("wrong pass"), std::string::npos) << "no password in the log";
  EXPECT_TRUE(relay_.Messages().empty());
  // An operator's alert: the relay refuses the setup, nothing was given up.
  EXPECT_EQ(Metric("roster_mail_setup_refused"), "1");
  EXPECT_EQ(Metric("roster_mail_given_up_total"), "0");
  EXPECT_EQ(Metric("roster_mail_delivered_total"), "0");
  EXPECT_EQ(Metric("roster_outbox_pending"), "1");

  StopServer();
  UseRelayPassword("relay%20pass");
  StartServer();
  ASSERT_TRUE(relay_.WaitForMessages(1, std::chrono::seconds(30))) << ServerLog();
  std::vector<std::string> messages = relay_.Messages();
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_NE(messages[0].find("X-RcptTo: tia@acme.test"), std::string::npos) << messages[0];
  std::optional<std::string> otp = OneTimePasswordIn(messages[0]);
  ASSERT_TRUE(otp.has_value()) << messages[0];
  EXPECT_EQ(NewClient()->Login("tia@acme.test", *otp).status, 200);
  EXPECT_EQ(Metric("roster_mail_setup_refused"), "0");
  EXPECT_TRUE(Eventually([&] { return Metric("roster_mail_delivered_total") == "1"; }));
}

// E-mails held back (here by a wrong relay password) whose invitation ends
// meanwhile are never sent: Tia's first (resent since) and Una's (revoked).
// Tia gets one e-mail, the one whose one-time password signs her in.
TEST_F(MailRelayTest, HeldInvitationEmailsWhoseInvitationEndedAreNotSent) {
  StartServerWithRelay("wrong%20pass");
  std::string tia = Invite("tia@acme.test", "Tia Invitee");
  std::string una = Invite("una@acme.test", "Una Invitee");
  ASSERT_EQ(admin_->Post(OrgPath("/members/" + tia + "/resend-invite"), {}).status, 200);
  ASSERT_EQ(admin_->Delete(OrgPath("/members/" + una)).status, 200);

  StopServer();
  UseRelayPassword("relay%20pass");
  StartServer();
  ASSERT_TRUE(relay_.WaitForMessages(1, std::chrono::seconds(30))) << ServerLog();
  // Withdrawn e-mails leave the outbox: nothing is pending once all three
  // were dealt with.
  ASSERT_TRUE(Eventually([&] { return Metric("roster_outbox_pending") == "0"; },
                         std::chrono::seconds(30), std::chrono::milliseconds(100)))
      << ServerLog();
  std::vector<std::string> messages = relay_.Messages();
  ASSERT_EQ(messages.size(), 1u) << ServerLog();
  EXPECT_NE(messages[0].find("X-RcptTo: tia@acme.test"), std::string::npos) << messages[0];
  std::optional<std::string> otp = OneTimePasswordIn(messages[0]);
  ASSERT_TRUE(otp.has_value()) << messages[0];
  EXPECT_EQ(NewClient()->Login("tia@acme.test", *otp).status, 200);
  // Counted by whichever process withdrew them.
  EXPECT_NE(Metric("roster_mail_withdrawn_total"), "");
}

// An address the relay refuses (550 to RCPT TO): after the attempts a
// refused e-mail gets, the invitation shows admins why it did not arrive,
// on the members page and in the audit log, until it is resent.
TEST_F(MailRelayTest, AnInvitationTheRelayRefusesShowsAdminsWhyUntilItIsResent) {
  StartServerWithRelay("relay%20pass");
  std::string user_id = Invite(SmtpServer::kRefusedRecipient, "Ray Refused");
  auto undelivered = [&] {
    return admin_->Get(OrgPath("/members/" + user_id))
        .json.value("invite_undelivered", nlohmann::json())
        .dump();
  };
  ASSERT_TRUE(Eventually([&] { return undelivered() != "null"; }, std::chrono::seconds(40),
                         std::chrono::milliseconds(100)))
      << ServerLog();
  EXPECT_EQ(undelivered(), R"("The mail server refused the address (550).")");
  EXPECT_EQ(undelivered().find("localhost"), std::string::npos) << "an admin is not told the relay";
  EXPECT_EQ(Metric("roster_mail_given_up_total"), "1");

  HttpResponse page = admin_->Get(OrgPath("/members?status=invited"));
  ASSERT_EQ(page.status, 200) << page.body;
  ASSERT_EQ(page.json["items"].size(), 1u) << page.body;
  EXPECT_EQ(page.json["items"][0]["invite_undelivered"],
            "The mail server refused the address (550).");
  HttpResponse audit = admin_->Get(OrgPath("/audit-events?action=invite_undelivered"));
  ASSERT_EQ(audit.status, 200) << audit.body;
  ASSERT_EQ(audit.json["items"].size(), 1u) << audit.body;
  EXPECT_EQ(audit.json["items"][0]["target_user_id"], user_id);
  EXPECT_TRUE(audit.json["items"][0]["actor_user_id"].is_null());

  HttpResponse resent = admin_->Post(OrgPath("/members/" + user_id + "/resend-invite"), {});
  ASSERT_EQ(resent.status, 200) << resent.body;
  EXPECT_TRUE(resent.json["invite_undelivered"].is_null()) << resent.body;
  EXPECT_EQ(undelivered(), "null");
}

}  // namespace
}  // namespace roster::testing
