// Webhook URLs and addresses, as an admin types them: ParseWebhookUrl under
// both policies and IsForbiddenAddress (no name resolution here: the fuzzer
// must not reach the network).
//
// Checked: an accepted URL is http(s) with a non-empty host, a port in
// range, no credentials and within 2048 bytes; https-only accepts a subset
// of what http-allowed accepts; refusals are 422 on `url`. An IPv4 address
// and its IPv4-mapped IPv6 form are judged alike, and loopback, private and
// link-local literals are always forbidden.

#include <cstddef>
#include <cstdint>
#include <string>

#include "fuzz_check.hpp"
#include "webhook/target.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace roster::webhook;
  std::string text(reinterpret_cast<const char*>(data), size);

  auto strict = ParseWebhookUrl(text, {});
  auto lax = ParseWebhookUrl(text, {.allow_http = true});
  for (const auto* parsed : {&strict, &lax}) {
    if (parsed->ok()) {
      ROSTER_FUZZ_CHECK((*parsed)->scheme == "https" || (*parsed)->scheme == "http");
      ROSTER_FUZZ_CHECK(!(*parsed)->host.empty());
      ROSTER_FUZZ_CHECK((*parsed)->port >= 1 && (*parsed)->port <= 65535);
      ROSTER_FUZZ_CHECK(text.size() <= kMaxUrlLength);
      ROSTER_FUZZ_CHECK((*parsed)->host.find('@') == std::string::npos);
    } else {
      ROSTER_FUZZ_CHECK(!parsed->problem().errors.empty());
      ROSTER_FUZZ_CHECK(parsed->problem().errors.front().field == "url");
    }
  }
  if (strict.ok()) {
    ROSTER_FUZZ_CHECK(strict->scheme == "https");
    ROSTER_FUZZ_CHECK(lax.ok() && lax->host == strict->host && lax->port == strict->port);
  }

  bool forbidden = IsForbiddenAddress(text);
  if (text.find_first_not_of("0123456789.") == std::string::npos && !text.empty()) {
    ROSTER_FUZZ_CHECK(IsForbiddenAddress("::ffff:" + text) == forbidden);
  }
  // Whatever follows, such text is a loopback, private or link-local
  // address, or no address at all: forbidden either way.
  for (const char* prefix : {"127.", "10.", "192.168.", "169.254.", "::ffff:127.", "fe80:"}) {
    if (text.rfind(prefix, 0) == 0) ROSTER_FUZZ_CHECK(forbidden);
  }
  return 0;
}
