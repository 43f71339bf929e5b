#include "auth/secret_box.hpp"

#include <gtest/gtest.h>

namespace roster {
namespace {

constexpr const char* kHexKey = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

TEST(SecretBoxTest, ReadsAKeyAsHexOrBase64) {
  auto hex = SecretBox::FromText(kHexKey);
  ASSERT_TRUE(hex.ok());
  EXPECT_EQ(hex->KeyHex(), kHexKey);
  auto base64 = SecretBox::FromText("AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=");
  ASSERT_TRUE(base64.ok());
  EXPECT_EQ(base64->KeyHex(), kHexKey);
  EXPECT_TRUE(SecretBox::FromText(std::string(kHexKey) + "\n").ok());
}

TEST(SecretBoxTest, RefusesKeysOfAnotherLength) {
  for (const char* bad : {"", "00", "not a key at all", "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwd"}) {
    auto box = SecretBox::FromText(bad);
    ASSERT_FALSE(box.ok()) << bad;
    EXPECT_EQ(box.problem().errors.front().field, "ROSTER_SECRET_KEY");
  }
}

TEST(SecretBoxTest, SealsWithAFreshNonceAndOpensOnlyWithItsKey) {
  SecretBox box = SecretBox::Generate();
  std::string sealed = box.Seal("the secret");
  EXPECT_EQ(sealed.find("the secret"), std::string::npos);
  EXPECT_NE(box.Seal("the secret"), sealed);
  auto opened = box.Open(sealed);
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(*opened, "the secret");

  EXPECT_FALSE(SecretBox::Generate().Open(sealed).ok());
  // The middle character carries six bits of the ciphertext; the last one of an unpadded
  // encoding may carry only padding bits, which a lenient decoder ignores.
  std::string altered = sealed;
  char& middle = altered[altered.size() / 2];
  middle = middle == 'A' ? 'B' : 'A';
  EXPECT_FALSE(box.Open(altered).ok());
  EXPECT_FALSE(box.Open("short").ok());
}

}  // namespace
}  // namespace roster
