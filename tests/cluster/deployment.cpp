#include "deployment.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <latch>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <thread>

#include "api_fixture.hpp"  // OneTimePasswordIn

namespace roster::cluster_test {
namespace fs = std::filesystem;
namespace {

constexpr std::chrono::seconds kStartDeadline{15};
constexpr std::chrono::milliseconds kPollPause{20};

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::string Tail(const std::string& text, std::size_t size) {
  return text.size() > size ? text.substr(text.size() - size) : text;
}

// The outbox id in a file transport's name, "roster-<created_at>-<id>.eml":
// the order in which the messages were queued.
long long OutboxId(const fs::path& path) {
  std::string stem = path.stem().string();
  auto dash = stem.rfind('-');
  return dash == std::string::npos ? 0 : std::atoll(stem.c_str() + dash + 1);
}

}  // namespace

Deployment::Deployment(DeploymentOptions options) {
  database_ = std::make_unique<ScratchDatabase>(options.backend, dir_.path());
  env_ = {{"ROSTER_DB", database_->url()},
          {"ROSTER_MAIL", "file:" + (dir_.path() / "mail").string()},
          {"ROSTER_PUBLIC_URL", "https://roster.acme.test"},
          {"ROSTER_MAIL_RETRY_MAX", "1"},
          {"ROSTER_LOG_LEVEL", "warn"},
          {"ROSTER_TRUSTED_PROXIES", "127.0.0.1"}};
  for (const auto& [name, value] : options.env) env_[name] = value;
  if (options.postgres_port != 0) {
    // postgresql://user@127.0.0.1:PORT/name: the port is between the last ':' and the '/' after it.
    std::string url = database_->url();
    std::size_t slash = url.rfind('/');
    std::size_t colon = url.rfind(':', slash);
    env_["ROSTER_DB"] =
        url.substr(0, colon + 1) + std::to_string(options.postgres_port) + url.substr(slash);
  }
  Bootstrap();
  std::vector<std::string> urls;
  for (int i = 0; i < std::max(1, options.servers); ++i) {
    fs::path log = dir_.path() / ("server" + std::to_string(i + 1) + ".log");
    servers_.push_back(std::make_unique<testing::RosterServer>(env_, log));
    urls.push_back(servers_.back()->url());
  }
  if (options.load_balancer) load_balancer_ = std::make_unique<LoadBalancer>(urls, dir_.path());
  SignInAdmin();
}

Deployment::~Deployment() {
  load_balancer_.reset();
  for (auto& server : servers_) server->Stop();
  servers_.clear();
  database_.reset();
}

void Deployment::Bootstrap() {
  testing::CommandResult migrated = testing::RunRoster({"migrate"}, env_);
  if (migrated.exit_code != 0) throw std::runtime_error("roster migrate: " + migrated.err);
  // The file transport prints the admin's one-time password.
  auto bootstrap_env = env_;
  bootstrap_env["ROSTER_MAIL"] = "file:" + (dir_.path() / "bootstrap-mail").string();
  testing::CommandResult created =
      testing::RunRoster({"org", "create", "--name", "Acme Sales", "--admin-email", kAdminEmail,
                          "--admin-name", "Ada Admin"},
                         bootstrap_env);
  std::smatch organization, password;
  if (created.exit_code != 0 ||
      !std::regex_search(created.out, organization, std::regex(R"(organization (\d+))")) ||
      !std::regex_search(created.out, password, std::regex(R"(one-time password: (\S+))"))) {
    throw std::runtime_error("roster org create: " + created.out + created.err);
  }
  org_id_ = organization[1];
  admin_otp_ = password[1];
}

const std::string& Deployment::entry_url() const {
  return load_balancer_ ? load_balancer_->url() : servers_.front()->url();
}

std::unique_ptr<HttpClient> Deployment::Client(const std::string& base_url) const {
  return std::make_unique<HttpClient>(base_url);
}

std::unique_ptr<HttpClient> Deployment::ClientOf(int index) const {
  return Client(server_url(index % server_count()));
}

std::unique_ptr<HttpClient> Deployment::AdminOf(int index) const {
  auto client = ClientOf(index);
  client->set_session_cookie(admin_->session_cookie());
  return client;
}

void Deployment::SignInAdmin() {
  auto client = Client(entry_url());
  HttpResponse login = client->Login(kAdminEmail, admin_otp_);
  if (login.status != 200) throw std::runtime_error("admin sign-in: " + login.body);
  admin_id_ = login.json["user"]["id"].get<std::string>();
  HttpResponse changed = client->Post("/api/v1/auth/password", {{"current_password", admin_otp_},
                                                                {"new_password", kAdminPassword}});
  if (changed.status != 204) throw std::runtime_error("admin password: " + changed.body);
  admin_ = std::move(client);
}

std::string Deployment::Invite(const std::string& email, const std::string& name,
                               const std::string& role) {
  HttpResponse invited =
      admin_->Post(OrgPath("/invitations"), {{"email", email}, {"name", name}, {"role", role}});
  EXPECT_EQ(invited.status, 201) << invited.body;
  return invited.json.is_object() ? invited.json.value("user_id", "") : "";
}

std::unique_ptr<HttpClient> Deployment::InviteAndJoin(const std::string& email,
                                                      const std::string& name,
                                                      const std::string& role, std::string* user_id,
                                                      int server) {
  std::string id = Invite(email, name, role);
  if (user_id != nullptr) *user_id = id;
  std::string otp = OneTimePassword(email);
  auto client = ClientOf(server);
  client->AcceptInvitation(email, otp, kMemberPassword);
  return client;
}

std::vector<std::string> Deployment::MessagesTo(const std::string& email) const {
  std::vector<std::pair<long long, std::string>> found;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(dir_.path() / "mail", error)) {
    if (entry.path().extension() != ".eml") continue;
    std::string message = ReadFile(entry.path());
    if (message.find("<" + email + ">") != std::string::npos) {
      found.emplace_back(OutboxId(entry.path()), std::move(message));
    }
  }
  std::sort(found.begin(), found.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::string> messages;
  for (auto& [id, message] : found) messages.push_back(std::move(message));
  return messages;
}

std::vector<std::string> Deployment::WaitForMessagesTo(const std::string& email,
                                                       std::size_t count) const {
  auto deadline = std::chrono::steady_clock::now() + kStartDeadline;
  std::vector<std::string> messages = MessagesTo(email);
  while (messages.size() < count && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(kPollPause);
    messages = MessagesTo(email);
  }
  EXPECT_GE(messages.size(), count) << "e-mails to " << email;
  return messages;
}

void Deployment::WaitForOutboxEmpty() const {
  auto deadline = std::chrono::steady_clock::now() + kStartDeadline;
  auto client = ClientOf(0);
  std::string metrics;
  while (std::chrono::steady_clock::now() < deadline) {
    metrics = client->Get("/metrics").body;
    if (metrics.find("\nroster_outbox_pending 0\n") != std::string::npos) return;
    std::this_thread::sleep_for(kPollPause);
  }
  ADD_FAILURE() << "e-mails still pending:\n" << metrics;
}

std::string Deployment::OneTimePassword(const std::string& email, std::size_t nth) const {
  auto messages = WaitForMessagesTo(email, nth + 1);
  if (messages.size() <= nth) return "";
  auto otp = testing::OneTimePasswordIn(messages[nth]);
  EXPECT_TRUE(otp.has_value()) << messages[nth];
  return otp.value_or("");
}

std::string Deployment::LogTails() const {
  std::string tails;
  for (int i = 0; i < server_count(); ++i) {
    std::string log = ReadFile(dir_.path() / ("server" + std::to_string(i + 1) + ".log"));
    // Failed requests first: a burst of retry warnings must not hide them,
    // nor a burst of 503s during an outage the one that was not a 503.
    std::string failures;
    for (bool unavailable : {false, true}) {
      std::istringstream lines(log);
      for (std::string line; std::getline(lines, line) && failures.size() < 3000;) {
        if (line.find("event=request_failed") != std::string::npos &&
            (line.find("code=unavailable") != std::string::npos) == unavailable) {
          failures += line + "\n";
        }
      }
    }
    tails += "--- server" + std::to_string(i + 1) + ".log (failed requests, then tail) ---\n" +
             failures + Tail(log, 3000) + "\n";
  }
  return tails;
}

std::vector<HttpResponse> InParallel(int count, const std::function<HttpResponse(int)>& request) {
  std::vector<HttpResponse> responses(count);
  std::latch start(count);
  std::vector<std::thread> threads;
  for (int i = 0; i < count; ++i) {
    threads.emplace_back([&, i] {
      start.arrive_and_wait();
      try {
        responses[i] = request(i);
      } catch (const std::exception& error) {
        responses[i].status = 0;
        responses[i].body = error.what();
      }
    });
  }
  for (auto& thread : threads) thread.join();
  return responses;
}

int CountStatus(const std::vector<HttpResponse>& responses, long status) {
  return static_cast<int>(std::count_if(responses.begin(), responses.end(),
                                        [&](const HttpResponse& r) { return r.status == status; }));
}

std::string Summary(const std::vector<HttpResponse>& responses) {
  std::map<long, int> counts;
  std::map<long, std::string> example;
  for (const auto& response : responses) {
    counts[response.status]++;
    if (!example.count(response.status)) example[response.status] = response.body.substr(0, 300);
  }
  std::string text;
  for (const auto& [status, count] : counts) {
    text +=
        std::to_string(status) + " x" + std::to_string(count) + " (e.g. " + example[status] + ") ";
  }
  return text;
}

}  // namespace roster::cluster_test
