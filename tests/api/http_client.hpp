#pragma once

#include <map>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace roster::testing {

struct HttpResponse {
  long status = 0;
  std::map<std::string, std::string> headers;  // lower-case names; last value wins
  std::string body;
  nlohmann::json json;  // parsed body, or null

  std::string Header(const std::string& name) const;
  // The "code" of a problem+json answer, or "".
  std::string Code() const;
};

// A browser-like client for the black-box API tests: keeps the
// roster_session cookie it is given and sends the CSRF header by default.
class HttpClient {
 public:
  explicit HttpClient(std::string base_url);

  HttpResponse Get(const std::string& path);
  HttpResponse Post(const std::string& path, const nlohmann::json& body = nullptr);
  HttpResponse Patch(const std::string& path, const nlohmann::json& body);
  HttpResponse Put(const std::string& path, const nlohmann::json& body = nullptr);
  HttpResponse Delete(const std::string& path);

  // Anything: raw body, explicit content type, extra headers.
  HttpResponse Send(const std::string& method, const std::string& path, const std::string& body,
                    const std::map<std::string, std::string>& headers);

  // POST /api/v1/auth/login; keeps the cookie on success.
  HttpResponse Login(const std::string& email, const std::string& password);

  // What an invitee does: signs in with the one-time password, then sets
  // `new_password`. Fails the test when either step is refused.
  void AcceptInvitation(const std::string& email, const std::string& one_time_password,
                        const std::string& new_password);

  void set_csrf_header(bool send) { send_csrf_ = send; }
  const std::string& session_cookie() const { return session_; }
  void set_session_cookie(std::string value) { session_ = std::move(value); }

 private:
  HttpResponse SendJson(const std::string& method, const std::string& path,
                        const nlohmann::json& body);

  std::string base_url_;
  std::string session_;
  bool send_csrf_ = true;
};

}  // namespace roster::testing
