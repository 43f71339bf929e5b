#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

// Where a webhook may be delivered (SPEC 7): an https:// URL (http:// only
// when allowed) whose host resolves to public addresses only. Checked when
// an endpoint is registered or changed, and again before every delivery,
// whose connection then goes only to the addresses that were checked.
namespace roster::webhook {

inline constexpr std::size_t kMaxUrlLength = 2048;

// The settings ROSTER_WEBHOOK_ALLOW_HTTP and ROSTER_WEBHOOK_ALLOW_PRIVATE.
struct TargetPolicy {
  bool allow_http = false;
  bool allow_private = false;
};

struct WebhookUrl {
  std::string scheme;  // "https" or "http"
  std::string host;    // a name, an IPv4 literal, or an IPv6 literal without brackets
  int port = 0;        // explicit or the scheme's default
  std::string target;  // the path and query as written: "" or "/" when there is none

  // scheme://host, with :port when it is not the scheme's default.
  std::string Origin() const;
};

// Parses an absolute http(s) URL with a host, an optional port, path and
// query; no credentials, no fragment, at most kMaxUrlLength bytes, printable
// ASCII. 422 on field "url" otherwise, or when http:// is not allowed.
Result<WebhookUrl> ParseWebhookUrl(std::string_view url, const TargetPolicy& policy);

// True for an address no webhook may reach unless private targets are
// allowed: unspecified, loopback, private (RFC 1918, unique local, shared
// 100.64/10), link-local, multicast, reserved and broadcast, and IPv6 forms
// that embed such an IPv4 address (mapped, compatible, NAT64). `address` is
// a numeric IPv4 or IPv6 address; anything else counts as forbidden.
bool IsForbiddenAddress(std::string_view address);

// Resolves the URL's host and answers its addresses (numeric). 422 on field "url" when the host does not resolve, or (unless
// policy.allow_private) when any of its addresses is forbidden: a name with
// one private address among public ones is refused too.
Result<std::vector<std::string>> ResolveTarget(const WebhookUrl& url, const TargetPolicy& policy);

}  // namespace roster::webhook
