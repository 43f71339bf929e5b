#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "webhook/target.hpp"

namespace roster::webhook {

struct PostRequest {
  std::string url;           // as registered
  WebhookUrl parsed;         // ParseWebhookUrl(url)
  std::vector<std::string> addresses;  // numeric, checked by ResolveTarget: the only ones connected to
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::chrono::milliseconds timeout{10000};  // connect, send and answer, all together
};

struct PostOutcome {
  bool delivered = false;               // a 2xx within the timeout
  std::optional<int> status_code;       // when an answer came
  std::string error;                    // one line, when not delivered
};

// POSTs `body` as application/json with libcurl, connecting only to
// `addresses` (the URL's host is still what TLS verifies and Host carries).
// Redirects are not followed (a 3xx is a failure), no proxy is used, the
// answer's body is read and dropped (at most 64 KiB). Thread-safe.
PostOutcome Post(const PostRequest& request);

}  // namespace roster::webhook
