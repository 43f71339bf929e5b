// Percent-decoding and the settings that are URLs or addresses, on any text:
// PercentDecode, the request-target helpers of http/url.hpp, ROSTER_DB
// (DatabaseUrl::Parse), ROSTER_MAIL (SmtpUrl::Parse), ROSTER_LISTEN,
// ROSTER_PUBLIC_URL and ROSTER_TRUSTED_PROXIES with the forwarding header
// and the client network of the login rate limit.
// Checked beyond "no crash": decoding never yields NUL and inverts
// encoding; a PostgreSQL URL becomes libpq keywords that cannot smuggle in
// a keyword of their own; parsed hosts and ports are in range, and the SMTP
// URL's description for logs holds no credentials.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "cli/settings.hpp"
#include "core/percent_encoding.hpp"
#include "fuzz_check.hpp"
#include "http/client_address.hpp"
#include "http/url.hpp"
#include "mail/smtp_transport.hpp"
#include "store/database.hpp"

namespace {

using namespace roster;

std::string PercentEncodeAll(std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : text) {
    out += '%';
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out;
}

void CheckDecode(std::string_view text, PlusMeans plus) {
  std::optional<std::string> decoded = PercentDecode(text, plus);
  if (!decoded) return;
  ROSTER_FUZZ_CHECK(decoded->find('\0') == std::string::npos);
  ROSTER_FUZZ_CHECK(decoded->size() <= text.size());
  if (text.find_first_of(plus == PlusMeans::kSpace ? "%+" : "%") == std::string_view::npos) {
    ROSTER_FUZZ_CHECK(*decoded == text);
  }
  ROSTER_FUZZ_CHECK(PercentDecode(PercentEncodeAll(*decoded), plus) == decoded);
}

// libpq's keyword=value syntax as DatabaseUrl writes it: key='value' pairs,
// each followed by a space, backslash escaping ' and \. Returns the keys.
std::vector<std::string> LibpqKeys(std::string_view text) {
  std::vector<std::string> keys;
  while (!text.empty()) {
    std::size_t equals = text.find('=');
    ROSTER_FUZZ_CHECK(equals != std::string_view::npos && equals > 0);
    std::string key(text.substr(0, equals));
    ROSTER_FUZZ_CHECK(key.find_first_not_of("abcdefghijklmnopqrstuvwxyz_") == std::string::npos);
    keys.push_back(key);
    text.remove_prefix(equals + 1);
    ROSTER_FUZZ_CHECK(text.starts_with('\''));
    std::size_t i = 1;
    for (; i < text.size() && text[i] != '\''; ++i) {
      if (text[i] == '\\') ++i;
    }
    ROSTER_FUZZ_CHECK(i < text.size());  // the closing quote
    ROSTER_FUZZ_CHECK(i + 1 < text.size() && text[i + 1] == ' ');
    text.remove_prefix(i + 2);
  }
  return keys;
}

void CheckDatabaseUrl(const std::string& text) {
  auto url = store::DatabaseUrl::Parse(text);
  if (!url.ok()) return;
  if (url->backend == store::Backend::kSqlite) {
    ROSTER_FUZZ_CHECK(!url->sqlite_path.empty());
    return;
  }
  std::vector<std::string> keys = LibpqKeys(url->connection_string);
  static const std::set<std::string> kFromUrl = {"user", "password", "host", "port", "dbname"};
  // A key outside those five can only come from the query string, where the
  // operator wrote it as a key; never from inside a value.
  std::size_t from_query = 0;
  for (const std::string& key : keys) {
    if (!kFromUrl.contains(key) && key != "connect_timeout") ++from_query;
  }
  std::size_t query_pairs = 0;
  if (auto mark = text.find('?'); mark != std::string::npos) {
    query_pairs = 1 + static_cast<std::size_t>(
                          std::count(text.begin() + static_cast<long>(mark), text.end(), '&'));
  }
  ROSTER_FUZZ_CHECK(from_query <= query_pairs);
  ROSTER_FUZZ_CHECK(keys.size() <= 6 + query_pairs);
}

void CheckSmtpUrl(const std::string& text) {
  auto url = mail::SmtpUrl::Parse(text);
  if (!url.ok()) return;
  ROSTER_FUZZ_CHECK(!url->host.empty());
  ROSTER_FUZZ_CHECK(url->port >= 1 && url->port <= 65535);
  for (char c : url->host) ROSTER_FUZZ_CHECK(c > 0x20 && c < 0x7F && c != '@' && c != '/');
  // For logs: scheme, host and port only, never the credentials.
  ROSTER_FUZZ_CHECK(url->Describe() == std::string(url->implicit_tls ? "smtps://" : "smtp://") +
                                           url->host + ":" + std::to_string(url->port));
}

std::vector<std::string> SplitCommas(std::string_view text) {
  std::vector<std::string> parts;
  while (true) {
    std::size_t comma = text.find(',');
    parts.emplace_back(text.substr(0, comma));
    if (comma == std::string_view::npos) return parts;
    text.remove_prefix(comma + 1);
  }
}

void CheckProxies(std::string_view text) {
  auto proxies = http::TrustedProxies::Parse(SplitCommas(text));
  http::TrustedProxies trusted;
  if (proxies.ok()) trusted = *proxies;
  for (std::string_view peer : {"127.0.0.1", "10.1.2.3", "::1", "fd00::7"}) {
    std::string client = trusted.ClientAddress(peer, text);
    ROSTER_FUZZ_CHECK(!client.empty());
    for (char c : client) ROSTER_FUZZ_CHECK(c > 0x20 && c < 0x7F && c != ',');
    std::string network = http::ClientNetwork(client);  // the login rate limit's key
    ROSTER_FUZZ_CHECK(!network.empty());
    (void)trusted.Contains(text);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);

  CheckDecode(text, PlusMeans::kPlus);
  CheckDecode(text, PlusMeans::kSpace);
  if (auto segments = http::DecodePathSegments(http::RawPath(text))) {
    std::string_view raw = http::RawPath(text);
    if (raw.starts_with('/')) raw.remove_prefix(1);
    ROSTER_FUZZ_CHECK(segments->size() ==
                      1 + static_cast<std::size_t>(std::count(raw.begin(), raw.end(), '/')));
  }
  if (auto query = http::ParseQuery(http::RawQuery(text))) {
    for (const auto& [name, value] : *query) {
      ROSTER_FUZZ_CHECK(name.find('\0') == std::string::npos);
      ROSTER_FUZZ_CHECK(value.find('\0') == std::string::npos);
    }
  }

  CheckDatabaseUrl(text);
  CheckSmtpUrl(text);
  if (auto listen = cli::ParseListen(text); listen.ok()) {
    ROSTER_FUZZ_CHECK(listen->host.size() < text.size());
  }
  (void)cli::ValidatePublicUrl(text);
  CheckProxies(text);
  return 0;
}
