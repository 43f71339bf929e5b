#pragma once

#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

namespace roster::http {

// The proxies whose forwarding header is believed, and the rule that picks a
// request's client address (used by the login rate limit and the access log).
class TrustedProxies {
 public:
  // Each entry is an IP address ("10.0.0.5", "::1") or a network in CIDR
  // form ("10.0.0.0/8", "fd00::/8"). A Problem names the first bad entry.
  static Result<TrustedProxies> Parse(const std::vector<std::string>& entries);

  bool Contains(std::string_view address) const;

  // The client of a request whose socket peer is `peer` and whose forwarding
  // header (X-Forwarded-For style: "client, proxy1, proxy2") is `forwarded`.
  // The header counts only when `peer` is trusted. Its hops are then walked
  // from the right, skipping trusted proxies, and the first other hop is the
  // client: a proxy that appends to a client-sent header cannot be fooled by
  // it, and a proxy that overwrites the header yields its first hop. A hop
  // that is not an IP address ends the walk at the last good one.
  // IPv4-mapped IPv6 addresses are shown as IPv4.
  std::string ClientAddress(std::string_view peer, std::string_view forwarded) const;

 private:
  struct Network {
    std::array<unsigned char, 16> bytes;  // IPv4 as IPv4-mapped IPv6
    int prefix_bits;
  };
  std::vector<Network> networks_;
};

// What the per-address login limit counts as one client: an IPv4 address as
// it is, an IPv6 address by its /64 ("2001:db8:1:2::/64"), since a single
// site is usually given a whole /64 and could otherwise rotate through 2^64
// addresses. Text that is not an IP address comes back unchanged.
std::string ClientNetwork(std::string_view address);

}  // namespace roster::http
