#include "mail/smtp_transport.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "support/mail_test_support.hpp"
#include "mail/message.hpp"
#include "support/smtp_server.hpp"

namespace roster::mail {
namespace {

using test_support::SmtpServer;

std::unique_ptr<Transport> Smtp(const std::string& url, TransportOptions options = {}) {
  auto transport = MakeTransport(url, options);
  EXPECT_TRUE(transport.ok()) << transport.problem().detail;
  return std::move(transport).value();
}

std::string Message(const std::string& text) {
  EmailContent content;
  content.from_address = "roster@example.com";
  content.to_address = "ann@example.com";
  content.subject = "Test";
  content.text = text;
  content.html = "<p>html</p>";
  auto message = ComposeMessage(content, 1796003466, "example.com");
  EXPECT_TRUE(message.ok());
  return message.value();
}

bool Contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

TEST(SmtpTransportTest, DeliversToARealServerWithTheRightEnvelope) {
  SmtpServer server;
  server.Start();
  auto transport = Smtp(server.url());
  std::string message = Message("One-time password: 7KQM-R2XD\n.\n..leading dots\nend\n");
  Status sent = transport->Send("roster@example.com", "ann@example.com", message, "k1");
  ASSERT_TRUE(sent.ok()) << sent.problem().detail;
  ASSERT_TRUE(server.WaitForMessages(1, std::chrono::seconds(5)));
  std::string received = server.Messages().at(0);
  EXPECT_TRUE(Contains(received, "X-MailFrom: roster@example.com\n"));
  EXPECT_TRUE(Contains(received, "X-RcptTo: ann@example.com\n"));
  EXPECT_TRUE(Contains(received, "\nOne-time password: 7KQM-R2XD\n"));
  // SMTP dot-stuffing is undone on the other side: the body arrives intact.
  EXPECT_TRUE(Contains(received, "\n.\n..leading dots\nend\n"));
}

// SPEC 6: with credentials configured, a server that does not offer
// STARTTLS gets neither the credentials nor the message.
TEST(SmtpTransportTest, CredentialsAreNeverSentWithoutTls) {
  SmtpServer server;
  server.Start();
  auto transport = Smtp("smtp://mailer:s3cret@" + server.url().substr(7));
  Status sent = transport->Send("roster@example.com", "ann@example.com", Message("x"), "k");
  ASSERT_FALSE(sent.ok());
  EXPECT_FALSE(IsPermanentFailure(sent.problem())) << sent.problem().detail;
  EXPECT_TRUE(Contains(sent.problem().detail, "SSL") || Contains(sent.problem().detail, "TLS"))
      << sent.problem().detail;
  EXPECT_FALSE(Contains(sent.problem().detail, "s3cret")) << sent.problem().detail;
  EXPECT_TRUE(server.Messages().empty());
  // Without credentials the same server is used as before, in clear.
  ASSERT_TRUE(
      Smtp(server.url())->Send("roster@example.com", "ann@example.com", Message("x"), "k2").ok());
}

// With credentials, over STARTTLS, to a relay whose certificate chains to a
// certificate authority of its own (ROSTER_MAIL_CA): the server accepts a
// message only after TLS and AUTH with the right login.
TEST(SmtpTransportTest, DeliversWithCredentialsOverStartTlsToAServerOfATrustedCa) {
  SmtpServer server(SmtpServer::Options{.login = "mailer", .password = "s3cret"});
  server.Start();
  auto transport = Smtp("smtp://mailer:s3cret@" + server.url().substr(7),
                        TransportOptions{.ca_file = server.ca_file().string()});
  EXPECT_TRUE(transport->Probe().ok());
  Status sent = transport->Send("roster@example.com", "ann@example.com", Message("over TLS"), "k");
  ASSERT_TRUE(sent.ok()) << sent.problem().detail;
  ASSERT_TRUE(server.WaitForMessages(1, std::chrono::seconds(5)));
  EXPECT_TRUE(Contains(server.Messages().at(0), "\nover TLS\n"));
}

TEST(SmtpTransportTest, DeliversWithCredentialsOverImplicitTls) {
  SmtpServer server(
      SmtpServer::Options{.login = "mailer", .password = "s3cret", .implicit_tls = true});
  server.Start();
  auto transport = Smtp("smtps://mailer:s3cret@" + server.url().substr(8),
                        TransportOptions{.ca_file = server.ca_file().string()});
  Status sent = transport->Send("roster@example.com", "ann@example.com", Message("x"), "k");
  ASSERT_TRUE(sent.ok()) << sent.problem().detail;
  EXPECT_TRUE(server.WaitForMessages(1, std::chrono::seconds(5)));
}

// A certificate that does not chain to a trusted authority (the system's,
// without ROSTER_MAIL_CA), or that names another host, ends the dialogue
// before the credentials: retried later, as an outage is.
TEST(SmtpTransportTest, AnUntrustedOrMisnamedCertificateGetsNoCredentials) {
  SmtpServer server(SmtpServer::Options{.login = "mailer", .password = "s3cret"});
  server.Start();
  std::string trusted = server.ca_file().string();
  std::string at = std::to_string(server.port());
  for (const auto& [url, ca_file] :
       {std::pair{"smtp://mailer:s3cret@localhost:" + at, std::string()},
        std::pair{"smtp://mailer:s3cret@127.0.0.1:" + at, trusted}}) {
    Status sent = Smtp(url, TransportOptions{.ca_file = ca_file})
                      ->Send("roster@example.com", "ann@example.com", Message("x"), "k");
    ASSERT_FALSE(sent.ok()) << url;
    EXPECT_FALSE(IsPermanentFailure(sent.problem())) << sent.problem().detail;
    EXPECT_TRUE(Contains(sent.problem().detail, "certificate") ||
                Contains(sent.problem().detail, "SSL"))
        << sent.problem().detail;
    EXPECT_FALSE(Contains(sent.problem().detail, "s3cret")) << sent.problem().detail;
  }
  EXPECT_TRUE(server.Messages().empty());
}

// A wrong password is refused by the server (535): nothing is sent, the
// reply is in the failure for the operator, and the failure is the setup's,
// not the message's: it is kept until the setting is corrected.
TEST(SmtpTransportTest, AWrongPasswordIsARefusedSetupThatSendsNothing) {
  SmtpServer server(SmtpServer::Options{.login = "mailer", .password = "s3cret"});
  server.Start();
  auto transport = Smtp("smtp://mailer:guess@" + server.url().substr(7),
                        TransportOptions{.ca_file = server.ca_file().string()});
  for (Status failed : {transport->Send("roster@example.com", "ann@example.com", Message("x"), "k"),
                        transport->Probe()}) {
    ASSERT_FALSE(failed.ok());
    EXPECT_TRUE(IsSetupRefused(failed.problem())) << failed.problem().detail;
    EXPECT_TRUE(Contains(failed.problem().detail, "535")) << failed.problem().detail;
    EXPECT_TRUE(Contains(failed.problem().detail, "ROSTER_MAIL")) << failed.problem().detail;
    EXPECT_FALSE(Contains(failed.problem().detail, "guess")) << failed.problem().detail;
  }
  EXPECT_TRUE(server.Messages().empty());
}

// A relay that wants a login and is given none answers MAIL FROM with 530.
TEST(SmtpTransportTest, NoLoginWhereTheRelayWantsOneIsARefusedSetup) {
  SmtpServer server(SmtpServer::Options{.login = "mailer", .password = "s3cret"});
  server.Start();
  Status sent = Smtp(server.url(), TransportOptions{.ca_file = server.ca_file().string()})
                    ->Send("roster@example.com", "ann@example.com", Message("x"), "k");
  ASSERT_FALSE(sent.ok());
  EXPECT_TRUE(IsSetupRefused(sent.problem())) << sent.problem().detail;
  EXPECT_TRUE(Contains(sent.problem().detail, "530")) << sent.problem().detail;
  EXPECT_TRUE(server.Messages().empty());
}

// A 5xx to MAIL FROM refuses the sender address, which every message has: a
// refused setup. A 5xx to RCPT TO refuses this message's recipient: permanent.
TEST(SmtpTransportTest, ARefusedSenderIsTheSetupsARefusedRecipientTheMessages) {
  SmtpServer server(SmtpServer::Options{.login = "mailer", .password = "s3cret"});
  server.Start();
  auto transport = Smtp("smtp://mailer:s3cret@" + server.url().substr(7),
                        TransportOptions{.ca_file = server.ca_file().string()});
  Status sender = transport->Send(SmtpServer::kRefusedSender, "ann@example.com", Message("x"), "k");
  ASSERT_FALSE(sender.ok());
  EXPECT_TRUE(IsSetupRefused(sender.problem())) << sender.problem().detail;
  EXPECT_TRUE(Contains(sender.problem().detail, "553")) << sender.problem().detail;
  EXPECT_TRUE(Contains(sender.problem().detail, "ROSTER_MAIL_FROM")) << sender.problem().detail;

  Status recipient =
      transport->Send("roster@example.com", SmtpServer::kRefusedRecipient, Message("x"), "k");
  ASSERT_FALSE(recipient.ok());
  EXPECT_TRUE(IsPermanentFailure(recipient.problem())) << recipient.problem().detail;
  EXPECT_TRUE(Contains(recipient.problem().detail, "550")) << recipient.problem().detail;
  EXPECT_TRUE(server.Messages().empty());
}

TEST(SmtpTransportTest, ACaFileThatCannotBeReadIsASettingsError) {
  auto transport = MakeTransport("smtp://localhost:25",
                                 TransportOptions{.ca_file = "/nonexistent/roster-ca.pem"});
  ASSERT_FALSE(transport.ok());
  ASSERT_EQ(transport.problem().errors.size(), 1u);
  EXPECT_EQ(transport.problem().errors[0].field, "ROSTER_MAIL_CA");
  EXPECT_TRUE(Contains(transport.problem().detail, "/nonexistent/roster-ca.pem"));
}

TEST(SmtpTransportTest, NoServerIsATransientFailure) {
  SmtpServer server;  // never started: nothing listens on its port
  auto transport = Smtp(server.url());
  Status sent = transport->Send("roster@example.com", "ann@example.com", Message("x"), "k");
  ASSERT_FALSE(sent.ok());
  EXPECT_FALSE(IsPermanentFailure(sent.problem()));
  EXPECT_EQ(sent.problem().slug, kTransientFailure);
  EXPECT_TRUE(Contains(sent.problem().detail, server.url().substr(7))) << sent.problem().detail;
}

TEST(SmtpTransportTest, AFiveHundredReplyIsAPermanentFailure) {
  SmtpServer server(SmtpServer::Options{.max_message_size = 200});
  server.Start();
  auto transport = Smtp(server.url());
  Status sent = transport->Send("roster@example.com", "ann@example.com",
                                Message(std::string(1000, 'x')), "k");
  ASSERT_FALSE(sent.ok());
  EXPECT_TRUE(IsPermanentFailure(sent.problem())) << sent.problem().detail;
  EXPECT_TRUE(Contains(sent.problem().detail, "552")) << sent.problem().detail;
  EXPECT_TRUE(server.Messages().empty());
}

TEST(SmtpTransportTest, ASilentServerTimesOutInsteadOfHanging) {
  // A socket that accepts connections (the kernel completes them) but never
  // says a word.
  int listener = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof address;
  ASSERT_EQ(::bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  ASSERT_EQ(::listen(listener, 4), 0);
  ASSERT_EQ(::getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length), 0);
  auto transport = Smtp("smtp://127.0.0.1:" + std::to_string(ntohs(address.sin_port)),
                        {std::chrono::milliseconds(500), std::chrono::milliseconds(700)});
  auto started = std::chrono::steady_clock::now();
  Status sent = transport->Send("roster@example.com", "ann@example.com", Message("x"), "k");
  auto took = std::chrono::steady_clock::now() - started;
  ::close(listener);
  ASSERT_FALSE(sent.ok());
  EXPECT_FALSE(IsPermanentFailure(sent.problem()));
  EXPECT_LT(took, std::chrono::seconds(3));
}

TEST(SmtpTransportTest, RefusesAnEnvelopeThatIsNotAPlainAddress) {
  SmtpServer server;
  server.Start();
  auto transport = Smtp(server.url());
  Status sent = transport->Send("roster@example.com",
                                "ann@example.com>\r\nRCPT TO:<eve@example.com", Message("x"), "k");
  ASSERT_FALSE(sent.ok());
  EXPECT_TRUE(IsPermanentFailure(sent.problem()));
  EXPECT_TRUE(server.Messages().empty());
}

}  // namespace
}  // namespace roster::mail
