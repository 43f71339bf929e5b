#include "auth/secrets.hpp"

#include <gtest/gtest.h>

#include <cctype>
#include <cmath>
#include <map>
#include <set>

namespace roster {
namespace {

TEST(AuthSecretsTest, SessionTokensAre256BitsOfBase64Url) {
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) {
    const std::string token = NewSessionToken();
    ASSERT_EQ(token.size(), 43u);  // ceil(256 / 6)
    ASSERT_EQ(
        token.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
        std::string::npos)
        << token;
    seen.insert(token);
  }
  EXPECT_EQ(seen.size(), 1000u);
}

TEST(AuthSecretsTest, OneTimePasswordAlphabetHasNoLookAlikes) {
  EXPECT_EQ(kOneTimePasswordAlphabet.find_first_of("0O1IL"), std::string_view::npos);
  EXPECT_EQ(std::set<char>(kOneTimePasswordAlphabet.begin(), kOneTimePasswordAlphabet.end()).size(),
            kOneTimePasswordAlphabet.size());
  const double bits =
      kOneTimePasswordSymbols * std::log2(static_cast<double>(kOneTimePasswordAlphabet.size()));
  EXPECT_GE(bits, 128.0);
}

TEST(AuthSecretsTest, OneTimePasswordsAreGroupedUniqueAndUniform) {
  std::set<std::string> seen;
  std::map<char, int> counts;
  const int draws = 1000;
  for (int i = 0; i < draws; ++i) {
    const std::string otp = NewOneTimePassword();
    ASSERT_EQ(otp.size(), 34u) << otp;  // 7 groups of 4, 6 dashes
    for (std::size_t k = 0; k < otp.size(); ++k) {
      if (k % 5 == 4) {
        ASSERT_EQ(otp[k], '-') << otp;
      } else {
        ASSERT_NE(kOneTimePasswordAlphabet.find(otp[k]), std::string_view::npos) << otp;
        ++counts[otp[k]];
      }
    }
    seen.insert(otp);
  }
  EXPECT_EQ(seen.size(), static_cast<std::size_t>(draws));
  // 28 000 symbols: each expected ~903 times, standard deviation ~30.
  ASSERT_EQ(counts.size(), kOneTimePasswordAlphabet.size());
  for (const auto& [symbol, count] : counts) {
    EXPECT_GT(count, 700) << symbol;
    EXPECT_LT(count, 1100) << symbol;
  }
}

TEST(AuthSecretsTest, NormalizesATypedOneTimePassword) {
  EXPECT_EQ(NormalizeOneTimePassword("7kqm r2xd-abCD\t9"), "7KQMR2XDABCD9");
  const std::string otp = NewOneTimePassword();
  EXPECT_EQ(NormalizeOneTimePassword(otp).size(), kOneTimePasswordSymbols);
  EXPECT_EQ(NormalizeOneTimePassword(otp), NormalizeOneTimePassword(NormalizeOneTimePassword(otp)));
}

TEST(AuthSecretsTest, HashTokenIsHexSha256) {
  EXPECT_EQ(HashToken("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(HashToken(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(AuthSecretsTest, OneTimePasswordsAreStoredAsTheSha256OfTheirNormalForm) {
  const std::string otp = NewOneTimePassword();
  EXPECT_EQ(HashOneTimePassword(otp), HashToken(NormalizeOneTimePassword(otp)));
  std::string typed = otp;
  for (char& c : typed) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  EXPECT_EQ(HashOneTimePassword(typed), HashOneTimePassword(otp));
  EXPECT_EQ(HashOneTimePassword(otp).size(), 64u);
  EXPECT_NE(HashOneTimePassword(otp), HashOneTimePassword(NewOneTimePassword()));
}

TEST(AuthSecretsTest, ConstantTimeEqualsComparesContentAndLength) {
  EXPECT_TRUE(ConstantTimeEquals("token", "token"));
  EXPECT_FALSE(ConstantTimeEquals("token", "tokem"));
  EXPECT_FALSE(ConstantTimeEquals("token", "token2"));
  EXPECT_FALSE(ConstantTimeEquals("", "x"));
  EXPECT_TRUE(ConstantTimeEquals("", ""));
}

}  // namespace
}  // namespace roster
