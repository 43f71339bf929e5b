#pragma once

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "http_client.hpp"
#include "roster_process.hpp"
#include "test_database.hpp"

namespace roster::testing {

inline constexpr const char* kAdminEmail = "ada@acme.test";
inline constexpr const char* kAdminPassword = "violet umbrella marches north 1847";
inline constexpr const char* kMemberPassword = "quiet harbor lantern 92 sings";

// Every API test runs against its own `roster serve` on a fresh database
// (SQLite by default; the database URL given in ROSTER_TEST_DB otherwise) with
// e-mails written as files, through HTTP like any client.
class ApiTest : public ::testing::Test {
 protected:
  void SetUp() override;
  void TearDown() override;

  // Extra settings for the server of this test; call before StartServer().
  std::map<std::string, std::string>& env() { return env_; }
  void StartServer();
  void StopServer();

  std::unique_ptr<HttpClient> NewClient() const;
  // The one-time password of the newest e-mail to `email`, waiting for its delivery.
  std::string WaitForOneTimePassword(const std::string& email, std::size_t nth_message = 0);
  // Raw .eml messages to `email`, oldest first.
  std::vector<std::string> MessagesTo(const std::string& email) const;
  std::vector<std::string> WaitForMessagesTo(const std::string& email, std::size_t count);

  // Invites as the admin; returns the new member's user id.
  std::string Invite(const std::string& email, const std::string& name, const std::string& role = "user");
  // Invites, signs in with the one-time password, sets kMemberPassword;
  // returns a signed-in client and fills *user_id.
  std::unique_ptr<HttpClient> InviteAndJoin(const std::string& email, const std::string& name,
                                            const std::string& role = "user",
                                            std::string* user_id = nullptr);

  std::string OrgPath(const std::string& rest = "") const {
    return "/api/v1/orgs/" + org_id_ + rest;
  }

  TempDir dir_;
  std::unique_ptr<TestDatabase> database_;
  std::map<std::string, std::string> env_;
  std::unique_ptr<RosterServer> server_;
  std::string org_id_;
  std::string admin_id_;
  std::string admin_otp_;
  bool admin_password_set_ = false;
  std::unique_ptr<HttpClient> admin_;  // signed in with kAdminPassword
};

// Extracts "One-time password: X" from a raw message.
std::optional<std::string> OneTimePasswordIn(const std::string& message);

}  // namespace roster::testing
