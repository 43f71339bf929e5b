#include "auth/totp.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace roster {
namespace {

// RFC 6238 appendix B, the SHA-1 rows: the key is the ASCII "1234...890".
constexpr std::string_view kRfcSecret = "12345678901234567890";

struct Vector {
  UnixSeconds time;
  const char* code;
};
constexpr Vector kRfcVectors[] = {
    {59, "94287082"},         {1111111109, "07081804"}, {1111111111, "14050471"},
    {1234567890, "89005924"}, {2000000000, "69279037"}, {20000000000, "65353130"},
};

TEST(TotpTest, MatchesTheRfc6238TestVectors) {
  for (const Vector& vector : kRfcVectors) {
    EXPECT_EQ(TotpCode(kRfcSecret, TotpStep(vector.time), 8), vector.code) << vector.time;
    // Six digits are the last six of the eight (the same truncation, mod 10^6).
    std::string six = std::string(vector.code).substr(2);
    EXPECT_EQ(TotpCode(kRfcSecret, TotpStep(vector.time)), six) << vector.time;
    EXPECT_EQ(MatchTotp(kRfcSecret, six, vector.time, std::nullopt), TotpStep(vector.time));
  }
}

TEST(TotpTest, AcceptsOneStepEitherSideAndNotTwo) {
  const UnixSeconds now = 1'800'000'015;
  const std::int64_t step = TotpStep(now);
  for (int offset : {-1, 0, 1}) {
    EXPECT_EQ(MatchTotp(kRfcSecret, TotpCode(kRfcSecret, step + offset), now, std::nullopt),
              step + offset)
        << offset;
  }
  for (int offset : {-2, 2}) {
    EXPECT_EQ(MatchTotp(kRfcSecret, TotpCode(kRfcSecret, step + offset), now, std::nullopt),
              std::nullopt)
        << offset;
  }
}

TEST(TotpTest, RefusesACodeOfAStepAlreadyUsedOrOlder) {
  const UnixSeconds now = 1'800'000'015;
  const std::int64_t step = TotpStep(now);
  std::string code = TotpCode(kRfcSecret, step);
  EXPECT_EQ(MatchTotp(kRfcSecret, code, now, step), std::nullopt);
  EXPECT_EQ(MatchTotp(kRfcSecret, TotpCode(kRfcSecret, step - 1), now, step), std::nullopt);
  EXPECT_EQ(MatchTotp(kRfcSecret, TotpCode(kRfcSecret, step + 1), now, step), step + 1);
  EXPECT_EQ(MatchTotp(kRfcSecret, code, now, step - 1), step);
}

TEST(TotpTest, AcceptsOnlySixDigitsWithSpaces) {
  const UnixSeconds now = 1'800'000'015;
  std::string code = TotpCode(kRfcSecret, TotpStep(now));
  EXPECT_TRUE(MatchTotp(kRfcSecret, code.substr(0, 3) + " " + code.substr(3), now, std::nullopt));
  for (const std::string& bad :
       std::vector<std::string>{"", code.substr(0, 5), code + "0", "12345a", "-12345"}) {
    EXPECT_EQ(MatchTotp(kRfcSecret, bad, now, std::nullopt), std::nullopt) << bad;
  }
}

TEST(TotpTest, EncodesSecretsAsUnpaddedBase32) {
  EXPECT_EQ(EncodeBase32("12345678901234567890"), "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
  EXPECT_EQ(EncodeBase32("f"), "MY");
  EXPECT_EQ(DecodeBase32("gezd gnbv gy3t qojq gezd gnbv gy3t qojq"), "12345678901234567890");
  EXPECT_EQ(DecodeBase32("MY"), "f");
  EXPECT_EQ(DecodeBase32("not base32!"), std::nullopt);
  EXPECT_EQ(NewTotpSecret().size(), kTotpSecretBytes);
  EXPECT_NE(NewTotpSecret(), NewTotpSecret());
}

TEST(TotpTest, WritesTheOtpauthUri) {
  EXPECT_EQ(TotpUri("Roster", "ada@acme.test", "ABC"),
            "otpauth://totp/Roster:ada%40acme.test?secret=ABC&issuer=Roster&algorithm=SHA1"
            "&digits=6&period=30");
}

}  // namespace
}  // namespace roster
