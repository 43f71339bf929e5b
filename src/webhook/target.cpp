#include "webhook/target.hpp"

#include <arpa/inet.h>
#include <netdb.h>
#include <sys/socket.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <cstring>
#include <memory>

namespace roster::webhook {
namespace {

Problem BadUrl(std::string message) { return Problem::Validation("url", std::move(message)); }

std::string Lowered(std::string_view text) {
  std::string lowered(text);
  std::transform(lowered.begin(), lowered.end(), lowered.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return lowered;
}

bool InV4(std::uint32_t address, std::uint32_t network, int prefix) {
  std::uint32_t mask = prefix == 0 ? 0 : ~std::uint32_t{0} << (32 - prefix);
  return (address & mask) == (network & mask);
}

bool IsForbiddenV4(std::uint32_t a) {
  struct Range {
    std::uint32_t network;
    int prefix;
  };
  static constexpr std::array<Range, 15> kForbidden = {{
      {0x00000000, 8},   // "this network", 0.0.0.0 unspecified
      {0x0A000000, 8},   // 10/8 private
      {0x64400000, 10},  // 100.64/10 shared (carrier-grade NAT)
      {0x7F000000, 8},   // 127/8 loopback
      {0xA9FE0000, 16},  // 169.254/16 link-local (cloud metadata)
      {0xAC100000, 12},  // 172.16/12 private
      {0xC0000000, 24},  // 192.0.0/24 protocol assignments
      {0xC0A80000, 16},  // 192.168/16 private
      {0xC6120000, 15},  // 198.18/15 benchmarking
      {0xE0000000, 4},   // 224/4 multicast
      {0xF0000000, 4},   // 240/4 reserved, 255.255.255.255 broadcast
      {0xC0586300, 24},  // 192.88.99/24 6to4 relay anycast
      {0xC0000200, 24},  // 192.0.2/24 documentation (TEST-NET-1)
      {0xC6336400, 24},  // 198.51.100/24 documentation (TEST-NET-2)
      {0xCB007100, 24},  // 203.0.113/24 documentation (TEST-NET-3)
  }};
  return std::any_of(kForbidden.begin(), kForbidden.end(),
                     [a](const Range& range) { return InV4(a, range.network, range.prefix); });
}

std::uint32_t V4At(const unsigned char* bytes) {
  return (std::uint32_t{bytes[0]} << 24) | (std::uint32_t{bytes[1]} << 16) |
         (std::uint32_t{bytes[2]} << 8) | std::uint32_t{bytes[3]};
}

bool IsForbiddenV6(const unsigned char* b) {
  static constexpr unsigned char kZero[16] = {};
  bool first_ten_zero = std::memcmp(b, kZero, 10) == 0;
  // ::ffff:a.b.c.d (mapped) and ::a.b.c.d (compatible; :: and ::1 included).
  if (first_ten_zero && b[10] == 0xff && b[11] == 0xff) return IsForbiddenV4(V4At(b + 12));
  if (first_ten_zero && b[10] == 0 && b[11] == 0) return true;
  // 64:ff9b::/96 NAT64 reaches the embedded IPv4 address.
  static constexpr unsigned char kNat64[12] = {0, 0x64, 0xff, 0x9b};
  if (std::memcmp(b, kNat64, 12) == 0) return IsForbiddenV4(V4At(b + 12));
  if (b[0] == 0xff) return true;                       // ff00::/8 multicast
  if (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) return true;  // fe80::/10 link-local
  if (b[0] == 0xfe && (b[1] & 0xc0) == 0xc0) return true;  // fec0::/10 site-local
  if ((b[0] & 0xfe) == 0xfc) return true;              // fc00::/7 unique local
  if (b[0] == 0x20 && b[1] == 0x02) return IsForbiddenV4(V4At(b + 2));  // 2002::/16 6to4
  if (b[0] == 0x01 && b[1] == 0x00 && std::memcmp(b + 2, kZero, 6) == 0) return true;  // discard
  // ::ffff:0:a.b.c.d (SIIT's IPv4-translated) and 64:ff9b:1::/48 (local-use
  // NAT64, RFC 8215): translators of one's own network, whatever address
  // they embed.
  if (std::memcmp(b, kZero, 8) == 0 && b[8] == 0xff && b[9] == 0xff && b[10] == 0 && b[11] == 0)
    return true;
  static constexpr unsigned char kLocalNat64[6] = {0, 0x64, 0xff, 0x9b, 0, 0x01};
  if (std::memcmp(b, kLocalNat64, 6) == 0) return true;
  // 2001::/23, IETF protocol assignments (as 192.0.0/24): Teredo (2001::/32,
  // an obfuscated IPv4 inside), benchmarking, ORCHID.
  if (b[0] == 0x20 && b[1] == 0x01 && (b[2] & 0xfe) == 0) return true;
  if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8) return true;  // documentation
  if (b[0] == 0x3f && (b[1] & 0xf0) == 0xf0) return true;  // 3fff::/20 documentation
  if (b[0] == 0x5f && b[1] == 0x00) return true;            // 5f00::/16 segment routing
  return false;
}

std::string NumericHost(const sockaddr* address) {
  char text[INET6_ADDRSTRLEN] = {};
  if (address->sa_family == AF_INET) {
    inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in*>(address)->sin_addr, text, sizeof text);
  } else if (address->sa_family == AF_INET6) {
    inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6*>(address)->sin6_addr, text,
              sizeof text);
  }
  return text;
}

}  // namespace

std::string WebhookUrl::Origin() const {
  bool ipv6 = host.find(':') != std::string::npos;
  std::string origin = scheme + "://";
  origin += ipv6 ? '[' + host + ']' : host;
  if (port != (scheme == "https" ? 443 : 80)) origin += ':' + std::to_string(port);
  return origin;
}

Result<WebhookUrl> ParseWebhookUrl(std::string_view url, const TargetPolicy& policy) {
  if (url.empty()) return BadUrl("This field is required.");
  if (url.size() > kMaxUrlLength) return BadUrl("Use at most 2048 characters.");
  for (char c : url) {
    if (c <= 0x20 || c >= 0x7f) {
      return BadUrl(
          "Use a URL without spaces or characters outside printable ASCII (percent-encode "
          "them).");
    }
  }
  WebhookUrl parsed;
  std::size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return BadUrl("Use an absolute https:// URL.");
  parsed.scheme = Lowered(url.substr(0, scheme_end));
  if (parsed.scheme == "http" && !policy.allow_http) {
    return BadUrl("Use https://; plain http:// is not allowed on this server.");
  }
  if (parsed.scheme != "https" && parsed.scheme != "http") {
    return BadUrl(policy.allow_http ? "Use an https:// or http:// URL." : "Use an https:// URL.");
  }
  if (url.find('#') != std::string_view::npos) return BadUrl("A webhook URL has no fragment.");
  std::string_view rest = url.substr(scheme_end + 3);
  std::string_view authority = rest.substr(0, rest.find_first_of("/?"));
  if (authority.find('@') != std::string_view::npos) {
    return BadUrl("A webhook URL carries no user name or password.");
  }
  std::string_view port_text;
  if (authority.starts_with("[")) {
    std::size_t close = authority.find(']');
    if (close == std::string_view::npos) return BadUrl("The IPv6 address is not closed with ].");
    parsed.host = Lowered(authority.substr(1, close - 1));
    std::string_view after = authority.substr(close + 1);
    if (!after.empty() && !after.starts_with(":")) return BadUrl("The host is not valid.");
    if (!after.empty()) port_text = after.substr(1);
    in6_addr ignored;
    if (inet_pton(AF_INET6, parsed.host.c_str(), &ignored) != 1) {
      return BadUrl("The IPv6 address is not valid.");
    }
  } else {
    std::size_t colon = authority.find(':');
    parsed.host = Lowered(authority.substr(0, colon));
    if (colon != std::string_view::npos) port_text = authority.substr(colon + 1);
    bool valid = !parsed.host.empty() && parsed.host.size() <= 253 &&
                 std::all_of(parsed.host.begin(), parsed.host.end(), [](char c) {
                   return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.' ||
                          c == '_';
                 });
    if (!valid) return BadUrl("The host is not valid.");
  }
  if (parsed.host.empty()) return BadUrl("The URL has no host.");
  parsed.target = std::string(rest.substr(authority.size()));
  parsed.port = parsed.scheme == "https" ? 443 : 80;
  if (!port_text.empty() || authority.ends_with(":")) {
    bool digits = !port_text.empty() && port_text.size() <= 5 &&
                  std::all_of(port_text.begin(), port_text.end(),
                              [](char c) { return c >= '0' && c <= '9'; });
    int port = digits ? std::stoi(std::string(port_text)) : 0;
    if (port < 1 || port > 65535) return BadUrl("The port must be from 1 to 65535.");
    parsed.port = port;
  }
  return parsed;
}

bool IsForbiddenAddress(std::string_view address) {
  std::string text(address);
  in_addr v4;
  if (inet_pton(AF_INET, text.c_str(), &v4) == 1) {
    return IsForbiddenV4(V4At(reinterpret_cast<const unsigned char*>(&v4.s_addr)));
  }
  in6_addr v6;
  if (inet_pton(AF_INET6, text.c_str(), &v6) == 1) return IsForbiddenV6(v6.s6_addr);
  return true;
}

Result<std::vector<std::string>> ResolveTarget(const WebhookUrl& url, const TargetPolicy& policy) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  int error = getaddrinfo(url.host.c_str(), nullptr, &hints, &found);
  if (error != 0 || found == nullptr) {
    return BadUrl("The host " + url.host + " cannot be resolved.");
  }
  std::unique_ptr<addrinfo, decltype(&freeaddrinfo)> owned(found, &freeaddrinfo);
  std::vector<std::string> addresses;
  for (addrinfo* entry = found; entry != nullptr; entry = entry->ai_next) {
    std::string address = NumericHost(entry->ai_addr);
    if (address.empty()) continue;
    if (!policy.allow_private && IsForbiddenAddress(address)) {
      return BadUrl("The host " + url.host + " resolves to " + address +
                    ", a loopback, private, link-local or multicast address.");
    }
    if (std::find(addresses.begin(), addresses.end(), address) == addresses.end()) {
      addresses.push_back(address);
    }
  }
  if (addresses.empty()) return BadUrl("The host " + url.host + " cannot be resolved.");
  return addresses;
}

}  // namespace roster::webhook
