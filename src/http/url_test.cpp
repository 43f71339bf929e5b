#include "http/url.hpp"

#include <gtest/gtest.h>

namespace roster::http {
namespace {

TEST(HttpUrl, DecodesPercentEscapes) {
  EXPECT_EQ(PercentDecode("a%20b%2Fc"), "a b/c");
  EXPECT_EQ(PercentDecode("a+b"), "a+b");
  EXPECT_EQ(PercentDecode("a+b", PlusMeans::kSpace), "a b");
  EXPECT_EQ(PercentDecode("%e2%82%ac"), "\xe2\x82\xac");
}

TEST(HttpUrl, RejectsMalformedEscapesAndNul) {
  for (const char* bad : {"%", "%2", "%zz", "a%0", "%00"}) {
    EXPECT_EQ(PercentDecode(bad), std::nullopt) << bad;
  }
}

TEST(HttpUrl, SplitsTargets) {
  EXPECT_EQ(RawPath("/a/b?x=1"), "/a/b");
  EXPECT_EQ(RawQuery("/a/b?x=1"), "x=1");
  EXPECT_EQ(RawQuery("/a/b"), "");
}

TEST(HttpUrl, DecodesEachPathSegmentOnItsOwn) {
  auto segments = DecodePathSegments("/orgs/a%2Fb/members");
  ASSERT_TRUE(segments);
  EXPECT_EQ(*segments, (std::vector<std::string>{"orgs", "a/b", "members"}));
  EXPECT_EQ(*DecodePathSegments("/"), (std::vector<std::string>{""}));
  EXPECT_EQ(DecodePathSegments("/a/%zz"), std::nullopt);
}

TEST(HttpUrl, ParsesQueryStrings) {
  auto query = ParseQuery("q=ada+lovelace&limit=10&empty&limit=20&&x=%26");
  ASSERT_TRUE(query);
  EXPECT_EQ(*query, (std::map<std::string, std::string>{
                        {"q", "ada lovelace"}, {"limit", "10"}, {"empty", ""}, {"x", "&"}}));
  EXPECT_EQ(ParseQuery("a=%zz"), std::nullopt);
}

}  // namespace
}  // namespace roster::http
