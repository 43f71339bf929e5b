#include "api_fixture.hpp"

#include <chrono>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

namespace roster::testing {
namespace fs = std::filesystem;

std::optional<std::string> OneTimePasswordIn(const std::string& message) {
  static const std::regex pattern(R"(One-time password: ([A-Z0-9-]+))");
  std::smatch match;
  if (std::regex_search(message, match, pattern)) return match[1];
  return std::nullopt;
}

void ApiTest::SetUp() {
  database_ = std::make_unique<TestDatabase>(dir_.path().string());
  env_["ROSTER_DB"] = database_->url();
  env_["ROSTER_MAIL"] = "file:" + (dir_.path() / "mail").string();
  env_["ROSTER_PUBLIC_URL"] = "https://roster.acme.test";
  env_["ROSTER_MAIL_RETRY_MAX"] = "1";
  env_["ROSTER_LOG_LEVEL"] = "warn";
  // SQLite makes its two-factor key next to the database; PostgreSQL needs
  // one set (docs/two-factor.md).
  if (database_->is_postgres())
    env_["ROSTER_SECRET_KEY"] = "7f3c0a9e1b2d4c6e8f0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f6a";
  CommandResult migrated = RunRoster({"migrate"}, env_);
  ASSERT_EQ(migrated.exit_code, 0) << migrated.err;
  CommandResult created = RunRoster(
      {"org", "create", "--name", "Acme Sales", "--admin-email", kAdminEmail, "--admin-name", "Ada Admin"},
      env_);
  ASSERT_EQ(created.exit_code, 0) << created.err;
  std::smatch match;
  ASSERT_TRUE(std::regex_search(created.out, match, std::regex(R"(organization (\d+))"))) << created.out;
  org_id_ = match[1];
  ASSERT_TRUE(std::regex_search(created.out, match, std::regex(R"(one-time password: (\S+))"))) << created.out;
  admin_otp_ = match[1];
  // The tables' owner migrated and made the organization, as an operator
  // would; the server and the test's later commands run as the serving role.
  if (database_->is_postgres() && TestDatabase::ServingRoleRequested()) {
    env_["ROSTER_DB"] = database_->AddServingRole();
  }
}

void ApiTest::StartServer() {
  server_ = std::make_unique<RosterServer>(env_, dir_.path() / "server.log");
  admin_ = NewClient();
  if (admin_password_set_) {
    ASSERT_EQ(admin_->Login(kAdminEmail, kAdminPassword).status, 200);
    return;
  }
  HttpResponse login = admin_->Login(kAdminEmail, admin_otp_);
  ASSERT_EQ(login.status, 200) << login.body;
  admin_id_ = login.json["user"]["id"];
  admin_password_set_ = true;
  HttpResponse changed = admin_->Post("/api/v1/auth/password",
                                      {{"current_password", admin_otp_}, {"new_password", kAdminPassword}});
  ASSERT_EQ(changed.status, 204) << changed.body;
}

void ApiTest::StopServer() {
  if (server_) {
    EXPECT_EQ(server_->Stop(), 0);
  }
  server_.reset();
}

void ApiTest::TearDown() {
  if (server_ && HasFailure()) {
    std::ifstream log(dir_.path() / "server.log");
    std::stringstream text;
    text << log.rdbuf();
    std::string tail = text.str();
    if (tail.size() > 4000) tail = tail.substr(tail.size() - 4000);
    std::cerr << "--- server log (tail) ---\n" << tail << "\n";
  }
  StopServer();
  database_.reset();
}

std::unique_ptr<HttpClient> ApiTest::NewClient() const {
  return std::make_unique<HttpClient>(server_->url());
}

std::vector<std::string> ApiTest::MessagesTo(const std::string& email) const {
  std::vector<std::pair<fs::file_time_type, std::string>> found;
  fs::path mail_dir = dir_.path() / "mail";
  if (!fs::exists(mail_dir)) return {};
  for (const auto& entry : fs::directory_iterator(mail_dir)) {
    if (entry.path().extension() != ".eml") continue;
    std::ifstream file(entry.path());
    std::stringstream text;
    text << file.rdbuf();
    std::string message = text.str();
    if (message.find("To: ") != std::string::npos && message.find("<" + email + ">") != std::string::npos) {
      found.emplace_back(entry.last_write_time(), message);
    }
  }
  std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::string> messages;
  for (auto& [time, message] : found) messages.push_back(std::move(message));
  return messages;
}

std::vector<std::string> ApiTest::WaitForMessagesTo(const std::string& email, std::size_t count) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  std::vector<std::string> messages;
  while (std::chrono::steady_clock::now() < deadline) {
    messages = MessagesTo(email);
    if (messages.size() >= count) return messages;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ADD_FAILURE() << "expected " << count << " e-mails to " << email << ", got " << messages.size();
  return messages;
}

std::string ApiTest::WaitForOneTimePassword(const std::string& email, std::size_t nth_message) {
  auto messages = WaitForMessagesTo(email, nth_message + 1);
  if (messages.size() <= nth_message) return "";
  auto otp = OneTimePasswordIn(messages[nth_message]);
  EXPECT_TRUE(otp.has_value()) << messages[nth_message];
  return otp.value_or("");
}

std::string ApiTest::Invite(const std::string& email, const std::string& name, const std::string& role) {
  HttpResponse invited = admin_->Post(OrgPath("/invitations"), {{"email", email}, {"name", name}, {"role", role}});
  EXPECT_EQ(invited.status, 201) << invited.body;
  return invited.json.value("user_id", "");
}

std::unique_ptr<HttpClient> ApiTest::InviteAndJoin(const std::string& email, const std::string& name,
                                                   const std::string& role, std::string* user_id) {
  std::string id = Invite(email, name, role);
  if (user_id) *user_id = id;
  std::string otp = WaitForOneTimePassword(email);
  auto client = NewClient();
  client->AcceptInvitation(email, otp, kMemberPassword);
  return client;
}

}  // namespace roster::testing
