#include "mail/outbox_sender.hpp"

#include <condition_variable>
#include <mutex>
#include <set>
#include <sstream>

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include "mail/enqueue.hpp"
#include "mail/file_transport.hpp"
#include "mail/headers.hpp"
#include "mail/message.hpp"
#include "support/mail_test_support.hpp"
#include "mail/templates.hpp"
#include "store/outbox.hpp"
#include "support/eventually.hpp"
#include "support/smtp_server.hpp"

namespace roster::mail {
namespace {

using store::outbox::OutboxMessage;
using test_support::Eventually;
using test_support::SmtpServer;
using testing_support::ManualClock;
using testing_support::TemporaryDirectory;
using testing_support::TestDatabase;

constexpr UnixSeconds kStart = 1796003466;
constexpr const char* kOtp = "7KQM-R2XD-ABCD-EFGH-JKMN-PQRS-TUVW";

OutboxSenderOptions FastOptions() {
  OutboxSenderOptions options;
  options.poll_interval = std::chrono::milliseconds(20);
  options.lease_seconds = 60;
  options.send_budget_seconds = 5;
  return options;
}

std::unique_ptr<Transport> Smtp(const SmtpServer& server) {
  return MakeTransport(server.url(), {std::chrono::seconds(2), std::chrono::seconds(5)}).value();
}

// What a transport was asked to do, and what it answers.
class FakeTransport final : public Transport {
 public:
  Status Send(const std::string& from, const std::string& to, const std::string& message,
              const std::string& key) override {
    std::unique_lock lock(mutex_);
    calls_.push_back({from, to, key, message});
    changed_.notify_all();
    changed_.wait(lock, [&] { return !hold_; });
    if (permanent_) return PermanentFailure("550 mailbox unavailable");
    if (setup_refused_) return SetupRefused("535 authentication failed");
    if (transient_) return TransientFailure("connection refused");
    return {};
  }
  std::string Describe() const override { return "fake:"; }

  struct Call {
    std::string from, to, key, message;
  };
  std::vector<Call> calls() {
    std::lock_guard lock(mutex_);
    return calls_;
  }
  void FailPermanently() { permanent_ = true; }
  void FailTransiently() { transient_ = true; }
  void RefuseSetup(bool refuse) { setup_refused_ = refuse; }
  // While held, Send blocks after recording its call.
  void Hold(bool hold) {
    std::lock_guard lock(mutex_);
    hold_ = hold;
    changed_.notify_all();
  }
  void WaitForCalls(std::size_t count) {
    std::unique_lock lock(mutex_);
    changed_.wait(lock, [&] { return calls_.size() >= count; });
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<Call> calls_;
  bool hold_ = false;
  std::atomic<bool> permanent_{false}, transient_{false}, setup_refused_{false};
};

class OutboxSenderTest : public ::testing::Test {
 protected:
  Id Enqueue(const std::string& to = "ann@example.com", UnixSeconds now = kStart,
             std::optional<store::outbox::InvitationOfMessage> of_invitation = std::nullopt) {
    InvitationEmail invitation;
    invitation.to_address = to;
    invitation.to_name = "Ann";
    invitation.organization_name = "Acme";
    invitation.inviter_name = "Bob";
    invitation.login_url = "https://roster.example.com/login";
    invitation.one_time_password = kOtp;
    invitation.expires_at = now + 86400;
    invitation.from_address = "roster@example.com";
    invitation.from_name = "Roster";
    Status queued = database_->Write<void>([&](store::Tx& tx) {
      return EnqueueEmail(tx, 1, RenderInvitation(invitation), now, "roster.example.com",
                          of_invitation);
    });
    EXPECT_TRUE(queued.ok()) << queued.problem().detail;
    return database_.LastQueued();
  }

  OutboxMessage Get(Id id) { return store::outbox::Find(*database_, id).value().value(); }

  TestDatabase database_;
};

TEST(RetryDelayTest, DoublesFromOneSecondUpToTheCap) {
  OutboxSenderOptions options;
  std::int64_t expected[] = {1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300, 300};
  for (int attempts = 1; attempts <= 12; ++attempts) {
    EXPECT_EQ(RetryDelaySeconds(attempts, options, 0.0), expected[attempts - 1]) << attempts;
  }
  EXPECT_EQ(RetryDelaySeconds(1000, options, 0.0), 300);  // no overflow
  options.retry_max_seconds = 5;
  EXPECT_EQ(RetryDelaySeconds(10, options, 0.0), 5);
}

TEST(RetryDelayTest, JitterTakesAtMostATenthOff) {
  OutboxSenderOptions options;
  for (double jitter : {0.0, 0.3, 0.5, 0.999}) {
    for (int attempts = 1; attempts <= 12; ++attempts) {
      std::int64_t full = RetryDelaySeconds(attempts, options, 0.0);
      std::int64_t delay = RetryDelaySeconds(attempts, options, jitter);
      EXPECT_LE(delay, full);
      EXPECT_GE(delay, std::max<std::int64_t>(1, full - full / 10));
    }
  }
  EXPECT_LT(RetryDelaySeconds(12, options, 0.999), 300);
}

TEST(OutboxSenderOptionsTest, Validate) {
  EXPECT_TRUE(OutboxSenderOptions{}.Validate().ok());
  EXPECT_TRUE(FastOptions().Validate().ok());
  OutboxSenderOptions bad;
  bad.retry_max_seconds = 0;
  EXPECT_FALSE(bad.Validate().ok());
  bad = {};
  bad.lease_seconds = bad.send_budget_seconds;
  EXPECT_FALSE(bad.Validate().ok());
  bad = {};
  bad.batch_size = 0;
  EXPECT_FALSE(bad.Validate().ok());
}

TEST_F(OutboxSenderTest, DeliversEachMessageOnceThroughARealServer) {
  SmtpServer server;
  server.Start();
  auto transport = Smtp(server);
  SystemClock clock;
  OutboxSender sender(*database_, *transport, clock, FastOptions());
  sender.Start();
  Id first = Enqueue("ann@example.com", clock.Now());
  Id second = Enqueue("bob@example.org", clock.Now());
  Id third = Enqueue("cid@example.net", clock.Now());
  sender.Notify();
  ASSERT_TRUE(server.WaitForMessages(3, std::chrono::seconds(10)));
  ASSERT_TRUE(Eventually([&] { return store::outbox::CountPending(*database_).value() == 0; }));
  // Several more rounds of looking at the outbox send nothing again.
  for (int i = 0; i < 5; ++i) {
    sender.Notify();
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
  }
  sender.Stop();
  std::vector<std::string> messages = server.Messages();
  ASSERT_EQ(messages.size(), 3u);
  for (Id id : {first, second, third}) {
    OutboxMessage sent = Get(id);
    EXPECT_TRUE(sent.sent_at.has_value());
    EXPECT_EQ(sent.message, "");
    EXPECT_EQ(sent.attempts, 1);
  }
  std::string all = messages[0] + messages[1] + messages[2];
  for (const char* rcpt : {"X-RcptTo: ann@example.com\n", "X-RcptTo: bob@example.org\n",
                           "X-RcptTo: cid@example.net\n"}) {
    EXPECT_NE(all.find(rcpt), std::string::npos) << rcpt;
  }
  EXPECT_NE(messages[0].find("X-MailFrom: roster@example.com\n"), std::string::npos);
  EXPECT_NE(messages[0].find(std::string("\nOne-time password: ") + kOtp + "\n"), std::string::npos);
}

TEST_F(OutboxSenderTest, ServerDownThenUpLosesNothingAndSendsNothingTwice) {
  SmtpServer server;  // not started yet: its port refuses connections
  auto transport = Smtp(server);
  ManualClock clock(kStart);
  OutboxSender sender(*database_, *transport, clock, FastOptions());
  Id id = Enqueue();
  sender.Start();
  sender.Notify();

  // Attempt 1 fails; the next is 1 s later.
  ASSERT_TRUE(Eventually([&] { return Get(id).last_error.has_value(); }));
  OutboxMessage after_one = Get(id);
  EXPECT_EQ(after_one.attempts, 1);
  EXPECT_EQ(after_one.next_attempt_at, kStart + 1);
  EXPECT_FALSE(after_one.lease_until);
  EXPECT_FALSE(after_one.sent_at);

  // Nothing happens before that time, however often the sender looks.
  sender.Notify();
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_EQ(Get(id).attempts, 1);

  // Attempt 2 fails too; the next is 2 s after it.
  clock.Advance(1);
  ASSERT_TRUE(Eventually([&] { return Get(id).attempts == 2 && !Get(id).lease_until; }));
  EXPECT_EQ(Get(id).next_attempt_at, kStart + 1 + 2);
  EXPECT_NE(Get(id).last_error->find("127.0.0.1"), std::string::npos);

  server.Start();
  clock.Advance(2);
  sender.Notify();
  ASSERT_TRUE(server.WaitForMessages(1, std::chrono::seconds(10)));
  ASSERT_TRUE(Eventually([&] { return Get(id).sent_at.has_value(); }));
  for (int i = 0; i < 5; ++i) {
    clock.Advance(300);
    sender.Notify();
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
  }
  sender.Stop();
  EXPECT_EQ(server.Messages().size(), 1u);
  EXPECT_EQ(Get(id).attempts, 3);
  EXPECT_EQ(Get(id).message, "");
}

TEST_F(OutboxSenderTest, ARestartedSenderPicksUpWhatWasNotDelivered) {
  SmtpServer server;
  ManualClock clock(kStart);
  Id first = Enqueue();
  Id second = Enqueue("bob@example.com");
  {
    auto transport = Smtp(server);  // server down
    OutboxSender sender(*database_, *transport, clock, FastOptions());
    sender.Start();
    ASSERT_TRUE(Eventually([&] { return Get(first).attempts == 1 && Get(second).attempts == 1 &&
                                        !Get(first).lease_until && !Get(second).lease_until; }));
  }  // the process "exits"
  EXPECT_EQ(store::outbox::CountPending(*database_).value(), 2);

  server.Start();
  clock.Advance(1);
  auto transport = Smtp(server);
  OutboxSender restarted(*database_, *transport, clock, FastOptions());
  restarted.Start();
  ASSERT_TRUE(server.WaitForMessages(2, std::chrono::seconds(10)));
  ASSERT_TRUE(Eventually([&] { return store::outbox::CountPending(*database_).value() == 0; }));
  restarted.Stop();
  EXPECT_EQ(server.Messages().size(), 2u);
}

TEST_F(OutboxSenderTest, AMessageLeasedByADeadSenderIsSentWhenTheLeaseEnds) {
  FakeTransport transport;
  ManualClock clock(kStart);
  Id id = Enqueue();
  // Another process claimed it and died without a word.
  ASSERT_EQ(store::outbox::ClaimDue(*database_, kStart, 60, 10).value().size(), 1u);
  OutboxSender sender(*database_, transport, clock, FastOptions());
  EXPECT_EQ(sender.DeliverDue().value(), 0);
  clock.Advance(59);
  EXPECT_EQ(sender.DeliverDue().value(), 0);
  clock.Advance(1);
  EXPECT_EQ(sender.DeliverDue().value(), 1);
  EXPECT_EQ(transport.calls().size(), 1u);
  EXPECT_TRUE(Get(id).sent_at.has_value());
  EXPECT_EQ(Get(id).attempts, 2);
}

TEST_F(OutboxSenderTest, SendersSharingADatabaseDeliverEachMessageOnce) {
  FakeTransport transport;
  ManualClock clock(kStart);
  constexpr int kMessages = 60;
  for (int i = 0; i < kMessages; ++i) Enqueue("user" + std::to_string(i) + "@example.com");
  OutboxSenderOptions options = FastOptions();
  options.batch_size = 4;
  std::vector<std::unique_ptr<OutboxSender>> senders;
  for (int i = 0; i < 3; ++i) {
    senders.push_back(std::make_unique<OutboxSender>(*database_, transport, clock, options));
  }
  for (auto& sender : senders) sender->Start();
  ASSERT_TRUE(Eventually([&] { return store::outbox::CountPending(*database_).value() == 0; }));
  for (auto& sender : senders) sender->Stop();
  std::vector<FakeTransport::Call> calls = transport.calls();
  std::set<std::string> recipients;
  for (const auto& call : calls) recipients.insert(call.to);
  EXPECT_EQ(calls.size(), static_cast<std::size_t>(kMessages));
  EXPECT_EQ(recipients.size(), static_cast<std::size_t>(kMessages));
}

TEST_F(OutboxSenderTest, StopFinishesTheMessageInHandAndGivesBackTheRest) {
  FakeTransport transport;
  ManualClock clock(kStart);
  Id first = Enqueue("a@example.com");
  Id second = Enqueue("b@example.com");
  Id third = Enqueue("c@example.com");
  transport.Hold(true);
  OutboxSender sender(*database_, transport, clock, FastOptions());
  sender.Start();
  transport.WaitForCalls(1);  // the first message is on the wire
  sender.RequestStop();
  transport.Hold(false);
  sender.Stop();

  ASSERT_EQ(transport.calls().size(), 1u);
  EXPECT_EQ(transport.calls()[0].to, "a@example.com");
  EXPECT_EQ(transport.calls()[0].from, "roster@example.com");
  EXPECT_TRUE(Get(first).sent_at.has_value());
  for (Id id : {second, third}) {
    OutboxMessage rest = Get(id);
    EXPECT_FALSE(rest.sent_at);
    EXPECT_FALSE(rest.lease_until);  // given back: due at once for the next sender
    EXPECT_EQ(rest.attempts, 0);
  }
}

TEST_F(OutboxSenderTest, APermanentFailureIsRetriedABoundedNumberOfTimes) {
  FakeTransport transport;
  transport.FailPermanently();
  ManualClock clock(kStart);
  OutboxSenderOptions options = FastOptions();
  options.max_permanent_attempts = 3;
  OutboxSender sender(*database_, transport, clock, options);
  Id id = Enqueue();
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE(sender.DeliverDue().ok());
    clock.Advance(options.retry_max_seconds);
  }
  EXPECT_EQ(transport.calls().size(), 3u);
  OutboxMessage failed = Get(id);
  EXPECT_EQ(failed.attempts, 3);
  EXPECT_EQ(failed.next_attempt_at, store::outbox::kGaveUp);
  EXPECT_EQ(failed.last_error, std::optional<std::string>("550 mailbox unavailable"));
  EXPECT_EQ(store::outbox::CountFailed(*database_).value(), 1);
  EXPECT_EQ(store::outbox::CountPending(*database_).value(), 0);
}

// Ann's invitation is no longer pending (this database has no such
// membership: revoked), so its e-mail is withdrawn; Bob's plain one goes.
// A message queued under a sender the relay refused goes out with the
// corrected one, in the envelope and in its From header.
TEST_F(OutboxSenderTest, TheFromHeaderIsTheSettingAtSendingTime) {
  FakeTransport transport;
  ManualClock clock(kStart);
  OutboxSenderOptions options = FastOptions();
  options.envelope_from = "roster@acme.example";
  options.from_header = FormatAddressHeader("Acme Sales", "roster@acme.example");
  OutboxSender sender(*database_, transport, clock, options);
  Enqueue();  // written with roster@example.com
  ASSERT_EQ(sender.DeliverDue().value(), 1);
  ASSERT_EQ(transport.calls().size(), 1u);
  std::string sent = transport.calls()[0].message;  // calls() answers a copy
  EXPECT_EQ(transport.calls()[0].from, "roster@acme.example");
  EXPECT_EQ(ExtractFromAddress(sent), "roster@acme.example");
  EXPECT_NE(sent.find("From: " + FormatAddressHeader("Acme Sales", "roster@acme.example") + "\r\n"),
            std::string::npos)
      << sent;
  EXPECT_EQ(sent.find("roster@example.com"), std::string::npos) << sent;
}

TEST_F(OutboxSenderTest, AnEmailWhoseInvitationEndedIsWithdrawnNotSent) {
  FakeTransport transport;
  ManualClock clock(kStart);
  OutboxSender sender(*database_, transport, clock, FastOptions());
  Id ended = Enqueue("ann@example.com", kStart, store::outbox::InvitationOfMessage{7, kStart + 60});
  Id plain = Enqueue("bob@example.org");
  ASSERT_EQ(sender.DeliverDue().value(), 2);
  ASSERT_EQ(transport.calls().size(), 1u);
  EXPECT_EQ(transport.calls()[0].to, "bob@example.org");
  EXPECT_TRUE(Get(plain).sent_at.has_value());
  EXPECT_FALSE(store::outbox::Find(*database_, ended).value().has_value());
  EXPECT_EQ(sender.withdrawn(), 1u);
  EXPECT_EQ(sender.delivered(), 1u);
  EXPECT_EQ(store::outbox::CountPending(*database_).value(), 0);
}

TEST_F(OutboxSenderTest, TransientFailuresAreRetriedForeverWithCappedBackoff) {
  FakeTransport transport;
  transport.FailTransiently();
  ManualClock clock(kStart);
  OutboxSenderOptions options = FastOptions();
  options.retry_max_seconds = 8;
  OutboxSender sender(*database_, transport, clock, options);
  Id id = Enqueue();
  std::vector<std::int64_t> delays;
  for (int i = 0; i < 8; ++i) {
    ASSERT_EQ(sender.DeliverDue().value(), 1);
    UnixSeconds next = Get(id).next_attempt_at;
    delays.push_back(next - clock.Now());
    EXPECT_EQ(sender.DeliverDue().value(), 0);  // not due yet
    clock.Advance(next - clock.Now());
  }
  EXPECT_EQ(delays, (std::vector<std::int64_t>{1, 2, 4, 8, 8, 8, 8, 8}));
  EXPECT_EQ(Get(id).attempts, 8);
  EXPECT_EQ(store::outbox::CountPending(*database_).value(), 1);
}

// A relay that refuses the login refuses every message: the sender tries one
// message per pause, pauses twice as long each time (up to the cap), gives
// none up however long it lasts, and sends them all once the login works.
TEST_F(OutboxSenderTest, ARefusedSetupPausesTheSenderAndLosesNoMessage) {
  FakeTransport transport;
  transport.RefuseSetup(true);
  ManualClock clock(kStart);
  OutboxSenderOptions options = FastOptions();
  options.retry_max_seconds = 8;
  options.max_permanent_attempts = 2;
  OutboxSender sender(*database_, transport, clock, options);
  std::vector<Id> queued;
  for (int i = 0; i < 5; ++i) queued.push_back(Enqueue("p" + std::to_string(i) + "@example.com"));

  ASSERT_TRUE(sender.DeliverDue().ok());
  ASSERT_EQ(transport.calls().size(), 1u);
  // Asked every second, the sender tries again only when its pause ends.
  std::vector<std::int64_t> pauses;
  while (pauses.size() < 6) {
    std::size_t tries = transport.calls().size();
    std::int64_t waited = 0;
    while (transport.calls().size() == tries) {
      ASSERT_LT(waited, 10) << "still paused after 10 s";
      clock.Advance(1);
      ++waited;
      ASSERT_TRUE(sender.DeliverDue().ok());
    }
    EXPECT_EQ(transport.calls().size(), tries + 1) << "one message per try";
    pauses.push_back(waited);
  }
  EXPECT_EQ(pauses, (std::vector<std::int64_t>{1, 2, 4, 8, 8, 8}));
  EXPECT_EQ(store::outbox::CountFailed(*database_).value(), 0);
  for (Id id : queued) EXPECT_FALSE(Get(id).lease_until) << "given back, not held";

  transport.RefuseSetup(false);
  clock.Advance(options.retry_max_seconds);
  ASSERT_TRUE(sender.DeliverDue().ok());
  for (Id id : queued) EXPECT_TRUE(Get(id).sent_at.has_value()) << id;
  EXPECT_EQ(store::outbox::CountPending(*database_).value(), 0);
}

// A file transport whose process "crashes" right after writing: the write
// happened but the sender never learned it.
class CrashAfterWrite final : public Transport {
 public:
  explicit CrashAfterWrite(Transport& inner) : inner_(inner) {}
  Status Send(const std::string& from, const std::string& to, const std::string& message,
              const std::string& key) override {
    ROSTER_TRY_STATUS(inner_.Send(from, to, message, key));
    return TransientFailure("crashed before marking it sent");
  }
  std::string Describe() const override { return inner_.Describe(); }

 private:
  Transport& inner_;
};

TEST_F(OutboxSenderTest, AFileRetryAfterACrashOverwritesInsteadOfDuplicating) {
  TemporaryDirectory directory;
  auto files = FileTransport::Create(directory.path()).value();
  CrashAfterWrite crashing(*files);
  ManualClock clock(kStart);
  Id id = Enqueue();
  OutboxSender first(*database_, crashing, clock, FastOptions());
  ASSERT_EQ(first.DeliverDue().value(), 1);
  clock.Advance(1);
  OutboxSender second(*database_, *files, clock, FastOptions());
  ASSERT_EQ(second.DeliverDue().value(), 1);
  EXPECT_TRUE(Get(id).sent_at.has_value());
  int count = 0;
  for (const auto& entry : std::filesystem::directory_iterator(directory.path())) {
    EXPECT_EQ(entry.path().extension(), ".eml");
    ++count;
  }
  EXPECT_EQ(count, 1);
}

TEST_F(OutboxSenderTest, LogsTheIdAndDomainButNeverTheBodyOrTheMailbox) {
  std::ostringstream log;
  auto previous = spdlog::default_logger();
  spdlog::set_default_logger(std::make_shared<spdlog::logger>(
      "capture", std::make_shared<spdlog::sinks::ostream_sink_mt>(log)));
  FakeTransport transport;
  ManualClock clock(kStart);
  OutboxSender sender(*database_, transport, clock, FastOptions());
  Id delivered = Enqueue("ann.private@example.com");
  ASSERT_EQ(sender.DeliverDue().value(), 1);
  transport.FailTransiently();
  Id failed = Enqueue("bob.private@example.org");
  ASSERT_EQ(sender.DeliverDue().value(), 1);
  spdlog::set_default_logger(previous);

  std::string text = log.str();
  EXPECT_NE(text.find("mail " + std::to_string(delivered) + " delivered to example.com"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("mail " + std::to_string(failed) + " to example.org: attempt 1 failed"),
            std::string::npos)
      << text;
  EXPECT_EQ(text.find(kOtp), std::string::npos);
  EXPECT_EQ(text.find("ann.private"), std::string::npos);
  EXPECT_EQ(text.find("bob.private"), std::string::npos);
}

}  // namespace
}  // namespace roster::mail
