#include "webhook/target.hpp"

#include <gtest/gtest.h>

#include "domain/webhook_events.hpp"

namespace roster::webhook {
namespace {

TEST(WebhookTargetTest, RefusesEveryNonPublicAddress) {
  for (const char* address :
       {"127.0.0.1", "127.8.9.10", "0.0.0.0", "10.1.2.3", "172.16.0.1", "172.31.255.255",
        "192.168.1.1", "169.254.169.254", "100.64.0.1", "224.0.0.1", "239.255.255.250",
        "255.255.255.255", "240.0.0.1", "::", "::1", "fe80::1", "fc00::1", "fd12:3456::1",
        "ff02::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:169.254.169.254", "::127.0.0.1",
        "64:ff9b::10.0.0.1", "2002:c0a8:0101::1", "fec0::1", "not an address", "",
        // Local-use NAT64 and SIIT embedding loopback, metadata and private
        // addresses; Teredo (its client 127.0.0.1, obfuscated); documentation
        // and other ranges that are not the public internet.
        "64:ff9b:1::7f00:1", "64:ff9b:1::a9fe:a9fe", "64:ff9b:1:ffff::a00:1", "::ffff:0:7f00:1",
        "::ffff:0:a00:1", "2001:0:4136:e378:8000:63bf:80ff:fffe", "2001:2::1", "2001:db8::1",
        "3fff::1", "5f00::1", "192.0.2.1", "198.51.100.1", "203.0.113.1"}) {
    EXPECT_TRUE(IsForbiddenAddress(address)) << address;
  }
}

TEST(WebhookTargetTest, AllowsPublicAddresses) {
  for (const char* address : {"93.184.216.34", "8.8.8.8", "172.32.0.1", "192.169.0.1",
                              "100.128.0.1", "2606:2800:220:1:248:1893:25c8:1946",
                              "::ffff:93.184.216.34", "64:ff9b::8.8.8.8",
                              "2001:4860:4860::8888", "2a00:1450:4001:80b::200e"}) {
    EXPECT_FALSE(IsForbiddenAddress(address)) << address;
  }
}

TEST(WebhookTargetTest, ParsesHttpsUrlsAndTheirPorts) {
  TargetPolicy policy;
  auto url = ParseWebhookUrl("https://Hooks.Example.com/roster?x=1", policy);
  ASSERT_TRUE(url.ok());
  EXPECT_EQ(url->host, "hooks.example.com");
  EXPECT_EQ(url->port, 443);
  EXPECT_EQ(url->target, "/roster?x=1");
  EXPECT_EQ(url->Origin(), "https://hooks.example.com");
  auto v6 = ParseWebhookUrl("https://[2606:2800:220:1::1]:8443/", policy);
  ASSERT_TRUE(v6.ok());
  EXPECT_EQ(v6->host, "2606:2800:220:1::1");
  EXPECT_EQ(v6->port, 8443);
  EXPECT_EQ(v6->target, "/");
  EXPECT_EQ(v6->Origin(), "https://[2606:2800:220:1::1]:8443");
  auto bare = ParseWebhookUrl("https://hooks.example.com?token=1", policy);
  ASSERT_TRUE(bare.ok());
  EXPECT_EQ(bare->target, "?token=1");
}

TEST(WebhookTargetTest, RefusesUrlsOutsideTheRules) {
  TargetPolicy policy;
  for (const char* url :
       {"", "hooks.example.com/x", "http://hooks.example.com/", "ftp://hooks.example.com/",
        "https://user:pw@hooks.example.com/", "https://hooks.example.com/#x",
        "https://hooks.example.com:0/", "https://hooks.example.com:70000/",
        "https:///path", "https://hook s.example.com/", "https://[::1/", "https://[nonsense]/",
        "https://hooks.example.com/\xc3\xa9"}) {
    auto parsed = ParseWebhookUrl(url, policy);
    EXPECT_FALSE(parsed.ok()) << url;
    if (!parsed.ok()) {
      EXPECT_EQ(parsed.problem().errors.at(0).field, "url") << url;
    }
  }
  EXPECT_FALSE(ParseWebhookUrl("https://x.example/" + std::string(2100, 'a'), policy).ok());
  EXPECT_TRUE(ParseWebhookUrl("http://hooks.example.com/", {.allow_http = true}).ok());
}

// Each refusal names what is wrong with this URL.
TEST(WebhookTargetTest, ARefusalSaysWhatToChange) {
  auto detail = [](const char* url, TargetPolicy policy) {
    auto parsed = ParseWebhookUrl(url, policy);
    return parsed.ok() ? std::string() : parsed.problem().errors.at(0).message;
  };
  EXPECT_EQ(detail("ftp://hooks.example.com/", {}), "Use an https:// URL.");
  EXPECT_EQ(detail("ftp://hooks.example.com/", {.allow_http = true}),
            "Use an https:// or http:// URL.");
  EXPECT_NE(detail("not a url", {}).find("without spaces"), std::string::npos);
}

TEST(WebhookTargetTest, ANameResolvingToLoopbackIsRefusedUnlessPrivateTargetsAreAllowed) {
  auto url = ParseWebhookUrl("https://localhost:8443/hook", {});
  ASSERT_TRUE(url.ok());
  auto refused = ResolveTarget(*url, {});
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.problem().errors.at(0).message.find("loopback"), std::string::npos);
  auto allowed = ResolveTarget(*url, {.allow_private = true});
  ASSERT_TRUE(allowed.ok());
  EXPECT_FALSE(allowed->empty());
}

TEST(WebhookTargetTest, LiteralAddressesResolveToThemselves) {
  auto url = ParseWebhookUrl("https://127.0.0.1:9/", {});
  ASSERT_TRUE(url.ok());
  EXPECT_FALSE(ResolveTarget(*url, {}).ok());
  auto allowed = ResolveTarget(*url, {.allow_private = true});
  ASSERT_TRUE(allowed.ok());
  EXPECT_EQ(allowed->at(0), "127.0.0.1");
}

TEST(WebhookEventsTest, SubscriptionsNameKnownTypesOrEverything) {
  auto kept = domain::ValidateWebhookEvents({"member.invited", "lead.created", "member.invited"});
  ASSERT_TRUE(kept.ok());
  EXPECT_EQ(kept->size(), 2u);
  EXPECT_TRUE(domain::WebhookSubscribes(*kept, "lead.created"));
  EXPECT_FALSE(domain::WebhookSubscribes(*kept, "member.removed"));
  EXPECT_TRUE(domain::ValidateWebhookEvents({"member.deactivated"}).ok());
  EXPECT_TRUE(domain::WebhookSubscribes({"*"}, "leads.imported"));
  EXPECT_FALSE(domain::ValidateWebhookEvents({}).ok());
  EXPECT_FALSE(domain::ValidateWebhookEvents({"member.exploded"}).ok());
  EXPECT_FALSE(domain::ValidateWebhookEvents({"*", "lead.created"}).ok());
  EXPECT_FALSE(domain::ValidateWebhookEvents({"webhook.test"}).ok());
}

TEST(WebhookEventsTest, EveryEmittedAuditActionMapsToAKnownType) {
  for (const char* action :
       {"invited", "invite_resent", "invitation_accepted", "role_changed", "member_removed",
        "invite_revoked", "assistant_created", "assistant_user_assigned",
        "assistant_user_unassigned", "assistant_manager_granted", "assistant_manager_revoked",
        "lead_created", "lead_updated", "lead_reassigned", "leads_reassigned", "leads_imported"}) {
    auto type = domain::WebhookTypeOfAuditAction(action);
    ASSERT_TRUE(type.has_value()) << action;
    EXPECT_TRUE(domain::ValidateWebhookEvents({std::string(*type)}).ok()) << action;
  }
  EXPECT_FALSE(domain::WebhookTypeOfAuditAction("organization_created").has_value());
  EXPECT_FALSE(domain::WebhookTypeOfAuditAction("webhook_created").has_value());
}

}  // namespace
}  // namespace roster::webhook
