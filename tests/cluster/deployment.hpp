#pragma once

#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "http_client.hpp"
#include "load_balancer.hpp"
#include "roster_process.hpp"
#include "scratch_database.hpp"

namespace roster::cluster_test {

using testing::HttpClient;
using testing::HttpResponse;

struct DeploymentOptions {
  Backend backend = Backend::kSqlite;
  int servers = 1;
  bool load_balancer = false;
  // Settings for every `roster serve`, over the defaults (e-mail as files
  // in the deployment's directory, ROSTER_TRUSTED_PROXIES=127.0.0.1, ...).
  std::map<std::string, std::string> env;
  // PostgreSQL: the loopback port the servers reach the database on
  // instead of the cluster's own (a relay in front of it); 0: directly.
  int postgres_port = 0;
};

// A whole Roster installation for one test: its database, migrated, with the
// organization "Acme Sales" and its admin ada@acme.test, `servers` processes
// of `roster serve` on it and, if asked, HAProxy in front. The admin has set
// kAdminPassword and is signed in (admin()). Throws std::runtime_error when
// any part does not start.
class Deployment {
 public:
  explicit Deployment(DeploymentOptions options);
  ~Deployment();
  Deployment(const Deployment&) = delete;
  Deployment& operator=(const Deployment&) = delete;

  static constexpr const char* kAdminEmail = "ada@acme.test";
  static constexpr const char* kAdminPassword = "violet umbrella marches north 1847";
  static constexpr const char* kMemberPassword = "quiet harbor lantern 92 sings";

  int server_count() const { return static_cast<int>(servers_.size()); }
  const std::string& server_url(int index) const { return servers_.at(index)->url(); }
  testing::RosterServer& server(int index) { return *servers_.at(index); }
  // HAProxy's address, or the first server's.
  const std::string& entry_url() const;
  std::unique_ptr<HttpClient> Client(const std::string& base_url) const;
  // A client of server `index % server_count()`: spreads threads over servers.
  std::unique_ptr<HttpClient> ClientOf(int index) const;

  HttpClient& admin() { return *admin_; }
  // A client of server `index % server_count()` in the admin's session.
  std::unique_ptr<HttpClient> AdminOf(int index) const;
  const std::string& org_id() const { return org_id_; }
  const std::string& admin_id() const { return admin_id_; }
  std::string OrgPath(const std::string& rest = "") const { return "/api/v1/orgs/" + org_id_ + rest; }

  // Invites as the admin; returns the new member's user id ("" on failure,
  // with a test failure recorded).
  std::string Invite(const std::string& email, const std::string& name, const std::string& role = "user");
  // Invites, signs in with the e-mailed one-time password on server
  // `server`, sets kMemberPassword; returns the signed-in client.
  std::unique_ptr<HttpClient> InviteAndJoin(const std::string& email, const std::string& name,
                                            const std::string& role, std::string* user_id,
                                            int server = 0);

  // The e-mails (file transport) to `email`, in the order they were queued.
  std::vector<std::string> MessagesTo(const std::string& email) const;
  // Waits up to 15 s for `count` of them; records a test failure otherwise.
  std::vector<std::string> WaitForMessagesTo(const std::string& email, std::size_t count) const;
  // Waits up to 15 s until the outbox holds no e-mail still to be sent
  // (roster_outbox_pending); records a test failure otherwise.
  void WaitForOutboxEmpty() const;
  // The one-time password of the `nth` e-mail to `email` (waiting for it).
  std::string OneTimePassword(const std::string& email, std::size_t nth = 0) const;

  const ScratchDatabase& database() const { return *database_; }
  const std::filesystem::path& directory() const { return dir_.path(); }
  // The last lines of every server's log, for failure messages.
  std::string LogTails() const;

 private:
  // Runs `roster migrate` and `roster org create`.
  void Bootstrap();
  // Signs the admin in with the bootstrap one-time password, sets kAdminPassword.
  void SignInAdmin();

  testing::TempDir dir_;
  std::unique_ptr<ScratchDatabase> database_;
  std::map<std::string, std::string> env_;
  std::vector<std::unique_ptr<testing::RosterServer>> servers_;
  std::unique_ptr<LoadBalancer> load_balancer_;
  std::unique_ptr<HttpClient> admin_;
  std::string org_id_;
  std::string admin_id_;
  std::string admin_otp_;
};

// Runs `request(i)` for i in [0, count) on `count` threads released at the
// same moment; returns the answers in order. A transport failure becomes a
// response with status 0 and the error as its body.
std::vector<HttpResponse> InParallel(int count, const std::function<HttpResponse(int)>& request);

// How many of `responses` have `status`.
int CountStatus(const std::vector<HttpResponse>& responses, long status);
// "200 x3, 429 x7" — for failure messages.
std::string Summary(const std::vector<HttpResponse>& responses);

}  // namespace roster::cluster_test
