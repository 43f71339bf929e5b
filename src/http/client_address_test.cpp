#include "http/client_address.hpp"

#include <gtest/gtest.h>

namespace roster::http {
namespace {

TrustedProxies Parse(std::vector<std::string> entries) {
  Result<TrustedProxies> proxies = TrustedProxies::Parse(entries);
  EXPECT_TRUE(proxies.ok());
  return proxies.ok() ? *proxies : TrustedProxies();
}

// SPEC 6 and the login limit: one /64 is one client, or an attacker with one
// site would have 2^64 addresses to rotate through.
TEST(HttpClientAddress, CountsAnIpv6ClientByItsSlash64) {
  EXPECT_EQ(ClientNetwork("2001:db8:1:2:aaaa:bbbb:cccc:dddd"), "2001:db8:1:2::/64");
  EXPECT_EQ(ClientNetwork("2001:db8:1:2::9"), ClientNetwork("2001:db8:1:2:ffff::1"));
  EXPECT_NE(ClientNetwork("2001:db8:1:2::9"), ClientNetwork("2001:db8:1:3::9"));
  EXPECT_EQ(ClientNetwork("[2001:db8::1]"), "2001:db8::/64");
  EXPECT_EQ(ClientNetwork("203.0.113.7"), "203.0.113.7");
  EXPECT_EQ(ClientNetwork("::ffff:203.0.113.7"), "203.0.113.7");
  EXPECT_EQ(ClientNetwork("::1"), "::/64");
  EXPECT_EQ(ClientNetwork("not an address"), "not an address");
}

TEST(HttpClientAddress, MatchesAddressesAndNetworks) {
  TrustedProxies proxies = Parse({"10.0.0.0/8", "192.168.1.7", "fd00::/8"});
  EXPECT_TRUE(proxies.Contains("10.200.3.4"));
  EXPECT_TRUE(proxies.Contains("192.168.1.7"));
  EXPECT_TRUE(proxies.Contains("::ffff:10.1.1.1"));
  EXPECT_TRUE(proxies.Contains("fd12::1"));
  EXPECT_FALSE(proxies.Contains("192.168.1.8"));
  EXPECT_FALSE(proxies.Contains("11.0.0.1"));
  EXPECT_FALSE(proxies.Contains("not an address"));
}

TEST(HttpClientAddress, RejectsMalformedEntries) {
  for (const char* bad : {"10.0.0.0/33", "10.0.0.1/", "proxy.local", "::/129", "1.2.3.4/x"}) {
    EXPECT_FALSE(TrustedProxies::Parse({bad}).ok()) << bad;
  }
}

TEST(HttpClientAddress, UsesThePeerUnlessItIsATrustedProxy) {
  TrustedProxies proxies = Parse({"10.0.0.1"});
  EXPECT_EQ(proxies.ClientAddress("203.0.113.5", "198.51.100.1"), "203.0.113.5");
  EXPECT_EQ(proxies.ClientAddress("10.0.0.1", "198.51.100.1"), "198.51.100.1");
  EXPECT_EQ(proxies.ClientAddress("10.0.0.1", ""), "10.0.0.1");
  EXPECT_EQ(proxies.ClientAddress("::ffff:203.0.113.5", ""), "203.0.113.5");
}

TEST(HttpClientAddress, IgnoresHopsAClientWroteItself) {
  // The proxy appended the address it saw; the client had sent a fake one.
  TrustedProxies proxies = Parse({"10.0.0.0/8"});
  EXPECT_EQ(proxies.ClientAddress("10.0.0.1", "1.1.1.1, 203.0.113.9"), "203.0.113.9");
  // Two proxies in a row: skip both.
  EXPECT_EQ(proxies.ClientAddress("10.0.0.1", "203.0.113.9, 10.0.0.2"), "203.0.113.9");
  // Garbage ends the walk at the last good hop.
  EXPECT_EQ(proxies.ClientAddress("10.0.0.1", "203.0.113.9, junk, 10.0.0.2"), "10.0.0.2");
}

}  // namespace
}  // namespace roster::http
