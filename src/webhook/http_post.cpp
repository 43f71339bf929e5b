#include "webhook/http_post.hpp"

#include <curl/curl.h>

#include <memory>

namespace roster::webhook {
namespace {

constexpr std::size_t kMaxAnswerBytes = 64 * 1024;

// Counts the answer's bytes and stops the transfer past the limit.
std::size_t DropBody(char*, std::size_t size, std::size_t count, void* user) {
  auto* received = static_cast<std::size_t*>(user);
  *received += size * count;
  return *received > kMaxAnswerBytes ? 0 : size * count;
}

// At the end of each block of the answer's headers: a 2xx is the answer,
// and the transfer stops there (CURLE_WRITE_ERROR) without waiting for a
// body that may come slowly or never. `user` is the CURL handle.
std::size_t StopAtSuccess(char* line, std::size_t size, std::size_t count, void* user) {
  std::size_t length = size * count;
  bool end_of_headers = (length == 2 && line[0] == '\r' && line[1] == '\n') ||
                        (length == 1 && line[0] == '\n');
  if (end_of_headers) {
    long status = 0;
    curl_easy_getinfo(static_cast<CURL*>(user), CURLINFO_RESPONSE_CODE, &status);
    if (status >= 200 && status < 300) return 0;
  }
  return length;
}

void InitializeCurl() {
  static const bool initialized = curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK;
  (void)initialized;
}

}  // namespace

PostOutcome Post(const PostRequest& request) {
  InitializeCurl();
  PostOutcome outcome;
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), &curl_easy_cleanup);
  if (!curl) {
    outcome.error = "cannot start an HTTP client";
    return outcome;
  }
  // The checked addresses stand in for name resolution: curl connects to
  // them (trying each, as it would after a lookup) and to nothing else. An
  // IPv6 literal is its own address, resolved by nobody (and curl cannot
  // read a pinning entry whose host is one).
  auto bracketed = [](const std::string& host) {
    return host.find(':') != std::string::npos ? "[" + host + "]" : host;
  };
  std::string pinned = bracketed(request.parsed.host) + ":" + std::to_string(request.parsed.port) + ":";
  for (std::size_t i = 0; i < request.addresses.size(); ++i) {
    if (i > 0) pinned += ',';
    pinned += bracketed(request.addresses[i]);
  }
  bool literal_v6 = request.parsed.host.find(':') != std::string::npos;
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> resolve(
      literal_v6 ? nullptr : curl_slist_append(nullptr, pinned.c_str()), &curl_slist_free_all);
  curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
  headers = curl_slist_append(headers, "Expect:");
  for (const auto& [name, value] : request.headers) {
    headers = curl_slist_append(headers, (name + ": " + value).c_str());
  }
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> owned_headers(headers,
                                                                            &curl_slist_free_all);
  std::size_t received = 0;
  char error[CURL_ERROR_SIZE] = {};
  CURL* handle = curl.get();
  curl_easy_setopt(handle, CURLOPT_URL, request.url.c_str());
  curl_easy_setopt(handle, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(handle, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(handle, CURLOPT_NOPROXY, "*");
  curl_easy_setopt(handle, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(handle, CURLOPT_RESOLVE, resolve.get());
  curl_easy_setopt(handle, CURLOPT_TIMEOUT_MS, static_cast<long>(request.timeout.count()));
  curl_easy_setopt(handle, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(request.timeout.count()));
  curl_easy_setopt(handle, CURLOPT_HTTPHEADER, owned_headers.get());
  curl_easy_setopt(handle, CURLOPT_USERAGENT, "Roster-Webhooks/1");
  curl_easy_setopt(handle, CURLOPT_POST, 1L);
  curl_easy_setopt(handle, CURLOPT_POSTFIELDS, request.body.data());
  curl_easy_setopt(handle, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
  curl_easy_setopt(handle, CURLOPT_HEADERFUNCTION, StopAtSuccess);
  curl_easy_setopt(handle, CURLOPT_HEADERDATA, handle);
  curl_easy_setopt(handle, CURLOPT_WRITEFUNCTION, DropBody);
  curl_easy_setopt(handle, CURLOPT_WRITEDATA, &received);
  curl_easy_setopt(handle, CURLOPT_ERRORBUFFER, error);
  CURLcode code = curl_easy_perform(handle);
  long status = 0;
  curl_easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &status);
  if (status > 0) outcome.status_code = static_cast<int>(status);
  bool answered = code == CURLE_OK || (code == CURLE_WRITE_ERROR && status > 0);
  if (answered && status >= 200 && status < 300) {
    outcome.delivered = true;
    return outcome;
  }
  if (answered) {
    outcome.error = "HTTP " + std::to_string(status);
    if (status >= 300 && status < 400) outcome.error += " (redirects are not followed)";
  } else {
    outcome.error = error[0] != '\0' ? error : curl_easy_strerror(code);
  }
  return outcome;
}

}  // namespace roster::webhook
