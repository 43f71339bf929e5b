#include "http/client_address.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <optional>

namespace roster::http {
namespace {

using Bytes = std::array<unsigned char, 16>;

std::string_view Trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

bool IsMappedV4(const Bytes& bytes) {
  static constexpr unsigned char kPrefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  return std::memcmp(bytes.data(), kPrefix, sizeof kPrefix) == 0;
}

// Parses an IPv4 or IPv6 literal; IPv4 becomes IPv4-mapped IPv6.
std::optional<Bytes> ParseAddress(std::string_view text) {
  if (text.size() >= 2 && text.front() == '[' && text.back() == ']') {
    text = text.substr(1, text.size() - 2);
  }
  if (text.empty() || text.size() >= INET6_ADDRSTRLEN) return std::nullopt;
  std::string literal(text);
  Bytes bytes{};
  unsigned char v4[4];
  if (inet_pton(AF_INET, literal.c_str(), v4) == 1) {
    bytes[10] = bytes[11] = 0xff;
    std::memcpy(bytes.data() + 12, v4, 4);
    return bytes;
  }
  if (inet_pton(AF_INET6, literal.c_str(), bytes.data()) == 1) return bytes;
  return std::nullopt;
}

std::string FormatAddress(const Bytes& bytes) {
  char text[INET6_ADDRSTRLEN] = {};
  if (IsMappedV4(bytes)) {
    inet_ntop(AF_INET, bytes.data() + 12, text, sizeof text);
  } else {
    inet_ntop(AF_INET6, bytes.data(), text, sizeof text);
  }
  return text;
}

bool InNetwork(const Bytes& address, const Bytes& network, int prefix_bits) {
  int full_bytes = prefix_bits / 8;
  if (std::memcmp(address.data(), network.data(), full_bytes) != 0) return false;
  int rest = prefix_bits % 8;
  if (rest == 0) return true;
  auto mask = static_cast<unsigned char>(0xff << (8 - rest));
  return (address[full_bytes] & mask) == (network[full_bytes] & mask);
}

}  // namespace

Result<TrustedProxies> TrustedProxies::Parse(const std::vector<std::string>& entries) {
  TrustedProxies proxies;
  for (const std::string& entry : entries) {
    std::string_view text = Trim(entry);
    std::string_view address_text = text.substr(0, text.find('/'));
    std::optional<Bytes> address = ParseAddress(address_text);
    bool is_v4 =
        address && IsMappedV4(*address) && address_text.find(':') == std::string_view::npos;
    int max_bits = is_v4 ? 32 : 128;
    int prefix_bits = max_bits;
    if (address && address_text.size() < text.size()) {
      std::string_view bits = text.substr(address_text.size() + 1);
      auto [end, error] = std::from_chars(bits.data(), bits.data() + bits.size(), prefix_bits);
      if (error != std::errc() || end != bits.data() + bits.size() || bits.empty() ||
          prefix_bits < 0 || prefix_bits > max_bits) {
        address.reset();
      }
    }
    if (!address) {
      return Problem::BadRequest("trusted proxy \"" + entry +
                                 "\" is not an IP address or CIDR network");
    }
    proxies.networks_.push_back({*address, is_v4 ? prefix_bits + 96 : prefix_bits});
  }
  return proxies;
}

bool TrustedProxies::Contains(std::string_view address) const {
  std::optional<Bytes> bytes = ParseAddress(Trim(address));
  if (!bytes) return false;
  for (const Network& network : networks_) {
    if (InNetwork(*bytes, network.bytes, network.prefix_bits)) return true;
  }
  return false;
}

std::string TrustedProxies::ClientAddress(std::string_view peer, std::string_view forwarded) const {
  std::optional<Bytes> peer_bytes = ParseAddress(peer);
  std::string client = peer_bytes ? FormatAddress(*peer_bytes) : std::string(peer);
  if (!peer_bytes || !Contains(peer)) return client;
  while (!forwarded.empty()) {
    std::size_t comma = forwarded.rfind(',');
    std::string_view hop =
        Trim(comma == std::string_view::npos ? forwarded : forwarded.substr(comma + 1));
    forwarded = comma == std::string_view::npos ? std::string_view() : forwarded.substr(0, comma);
    std::optional<Bytes> hop_bytes = ParseAddress(hop);
    if (!hop_bytes) break;
    client = FormatAddress(*hop_bytes);
    if (!Contains(hop)) break;
  }
  return client;
}

std::string ClientNetwork(std::string_view address) {
  std::optional<Bytes> bytes = ParseAddress(address);
  if (!bytes) return std::string(address);
  if (IsMappedV4(*bytes)) return FormatAddress(*bytes);
  std::fill(bytes->begin() + 8, bytes->end(), 0);
  return FormatAddress(*bytes) + "/64";
}

}  // namespace roster::http
