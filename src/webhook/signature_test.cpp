#include "webhook/signature.hpp"

#include <gtest/gtest.h>

#include <set>

namespace roster::webhook {
namespace {

// The example of the Standard Webhooks specification and its reference
// libraries.
TEST(WebhookSignatureTest, MatchesTheStandardWebhooksReferenceVector) {
  auto signature = Sign("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek",
                        1614265330, R"({"test": 2432232314})");
  ASSERT_TRUE(signature.ok());
  EXPECT_EQ(*signature, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
}

TEST(WebhookSignatureTest, ChangesWithEveryPartOfTheSignedContent) {
  const std::string secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
  std::set<std::string> signatures = {
      *Sign(secret, "msg_1", 1614265330, "{}"),
      *Sign(secret, "msg_2", 1614265330, "{}"),
      *Sign(secret, "msg_1", 1614265331, "{}"),
      *Sign(secret, "msg_1", 1614265330, "{ }"),
      *Sign(NewSecret(), "msg_1", 1614265330, "{}"),
  };
  EXPECT_EQ(signatures.size(), 5u);
}

TEST(WebhookSignatureTest, RefusesAMalformedSecret) {
  EXPECT_FALSE(Sign("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "m", 1, "").ok());
  EXPECT_FALSE(Sign("whsec_", "m", 1, "").ok());
  EXPECT_FALSE(Sign("whsec_not base64!", "m", 1, "").ok());
}

TEST(WebhookSignatureTest, NewSecretsAreWhsecAndThirtyTwoRandomBytes) {
  std::string secret = NewSecret();
  ASSERT_TRUE(secret.starts_with("whsec_"));
  EXPECT_EQ(secret.size(), 6u + 44u);  // base64 of 32 bytes, padded
  EXPECT_NE(secret, NewSecret());
  EXPECT_TRUE(Sign(secret, "m", 1, "").ok());
}

}  // namespace
}  // namespace roster::webhook
