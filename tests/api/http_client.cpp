#include "http_client.hpp"

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <mutex>
#include <stdexcept>

#include <unistd.h>

#include <curl/curl.h>
#include <gtest/gtest.h>

namespace roster::testing {
namespace {

size_t Collect(char* data, size_t size, size_t count, void* out) {
  static_cast<std::string*>(out)->append(data, size * count);
  return size * count;
}

size_t CollectHeader(char* data, size_t size, size_t count, void* out) {
  std::string line(data, size * count);
  auto colon = line.find(':');
  if (colon != std::string::npos) {
    std::string name = line.substr(0, colon);
    std::transform(name.begin(), name.end(), name.begin(), ::tolower);
    std::string value = line.substr(colon + 1);
    value.erase(0, value.find_first_not_of(' '));
    while (!value.empty() && (value.back() == '\r' || value.back() == '\n')) value.pop_back();
    auto& headers = *static_cast<std::map<std::string, std::string>*>(out);
    if (name == "set-cookie" && headers.count(name)) {
      headers[name] += "\n" + value;
    } else {
      headers[name] = value;
    }
  }
  return size * count;
}

// With ROSTER_API_RESPONSE_LOG naming a directory, every answer is appended
// to a file of this process there, one JSON object a line, for
// tests/openapi/validate-responses.mjs to check against the OpenAPI
// document. JSON bodies are kept; other bodies are not (exports can be
// large), only their content type.
void RecordResponse(const std::string& method, const std::string& target,
                    const HttpResponse& response) {
  static const char* directory = std::getenv("ROSTER_API_RESPONSE_LOG");
  if (directory == nullptr || *directory == '\0') return;
  static std::mutex mutex;
  static std::ofstream log(std::string(directory) + "/responses-" + std::to_string(::getpid()) +
                               ".jsonl",
                           std::ios::app);
  std::string content_type = response.Header("content-type");
  bool is_json = content_type.find("json") != std::string::npos &&
              content_type.find("ndjson") == std::string::npos;
  nlohmann::json headers = nlohmann::json::object();
  for (const char* name : {"set-cookie", "retry-after", "www-authenticate"}) {
    if (response.headers.count(name)) headers[name] = response.Header(name);
  }
  nlohmann::json line = {{"method", method},
                         {"target", target},
                         {"status", response.status},
                         {"content_type", content_type},
                         {"headers", headers},
                         {"body_size", response.body.size()},
                         {"json", is_json ? response.json : nlohmann::json()}};
  std::lock_guard lock(mutex);
  log << line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << '\n' << std::flush;
}

}  // namespace

std::string HttpResponse::Header(const std::string& name) const {
  auto found = headers.find(name);
  return found == headers.end() ? "" : found->second;
}

std::string HttpResponse::Code() const {
  if (json.is_object() && json.contains("code") && json["code"].is_string()) {
    return json["code"].get<std::string>();
  }
  return "";
}

HttpClient::HttpClient(std::string base_url) : base_url_(std::move(base_url)) {}

HttpResponse HttpClient::Send(const std::string& method, const std::string& path,
                              const std::string& body,
                              const std::map<std::string, std::string>& headers) {
  CURL* curl = curl_easy_init();
  if (curl == nullptr) throw std::runtime_error("curl_easy_init failed");
  HttpResponse response;
  std::string url = base_url_ + path;
  curl_slist* header_list = nullptr;
  for (const auto& [name, value] : headers) {
    header_list = curl_slist_append(header_list, (name + ": " + value).c_str());
  }
  if (send_csrf_) header_list = curl_slist_append(header_list, "X-Requested-With: roster");
  header_list = curl_slist_append(header_list, "Expect:");
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method.c_str());
  if (method == "HEAD") curl_easy_setopt(curl, CURLOPT_NOBODY, 1L);
  if (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH") {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.c_str());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
  }
  if (!session_.empty()) {
    curl_easy_setopt(curl, CURLOPT_COOKIE, ("roster_session=" + session_).c_str());
  }
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, header_list);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, Collect);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &response.body);
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, CollectHeader);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &response.headers);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 30L);
  CURLcode code = curl_easy_perform(curl);
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &response.status);
  curl_slist_free_all(header_list);
  curl_easy_cleanup(curl);
  if (code != CURLE_OK) throw std::runtime_error(std::string("HTTP failed: ") + curl_easy_strerror(code));
  response.json = nlohmann::json::parse(response.body, nullptr, false);
  if (response.json.is_discarded()) response.json = nullptr;
  RecordResponse(method, path, response);
  // Keep the session the server hands out, like a browser.
  std::string cookies = response.Header("set-cookie");
  auto at = cookies.find("roster_session=");
  if (at != std::string::npos) {
    auto start = at + std::string("roster_session=").size();
    session_ = cookies.substr(start, cookies.find(';', start) - start);
  }
  return response;
}

HttpResponse HttpClient::SendJson(const std::string& method, const std::string& path,
                                  const nlohmann::json& body) {
  if (body.is_null()) return Send(method, path, "", {});
  return Send(method, path, body.dump(), {{"Content-Type", "application/json"}});
}

HttpResponse HttpClient::Get(const std::string& path) { return Send("GET", path, "", {}); }
HttpResponse HttpClient::Post(const std::string& path, const nlohmann::json& body) {
  return SendJson("POST", path, body);
}
HttpResponse HttpClient::Patch(const std::string& path, const nlohmann::json& body) {
  return SendJson("PATCH", path, body);
}
HttpResponse HttpClient::Put(const std::string& path, const nlohmann::json& body) {
  return SendJson("PUT", path, body);
}
HttpResponse HttpClient::Delete(const std::string& path) { return Send("DELETE", path, "", {}); }

HttpResponse HttpClient::Login(const std::string& email, const std::string& password) {
  return Post("/api/v1/auth/login", {{"email", email}, {"password", password}});
}

void HttpClient::AcceptInvitation(const std::string& email, const std::string& one_time_password,
                                  const std::string& new_password) {
  HttpResponse login = Login(email, one_time_password);
  EXPECT_EQ(login.status, 200) << login.body;
  HttpResponse changed = Post("/api/v1/auth/password",
                              {{"current_password", one_time_password}, {"new_password", new_password}});
  EXPECT_EQ(changed.status, 204) << changed.body;
}

}  // namespace roster::testing
