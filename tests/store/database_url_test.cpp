// ROSTER_DB as people write it: a malformed postgresql:// URL is refused
// with a sentence naming the setting, before any connection is tried.
#include <gtest/gtest.h>

#include "store/database.hpp"

namespace roster::testing {
namespace {

TEST(DatabaseUrlTest, MalformedPercentEscapesAreRefusedBeforeConnecting) {
  for (const char* url : {"postgresql://roster:%zz@127.0.0.1:1/roster",
                          "postgresql://ro%2@127.0.0.1:1/roster",
                          "postgresql://roster:pass%00word@127.0.0.1:1/roster",
                          "postgresql://roster@127.0.0.1:1/ros%ter"}) {
    auto database = store::Database::Open(url, 1);
    ASSERT_FALSE(database.ok()) << url;
    EXPECT_EQ(database.problem().slug, "validation") << url;
    EXPECT_NE(database.problem().detail.find("ROSTER_DB"), std::string::npos) << database.problem().detail;
  }
}

// Found by fuzz/url_settings_fuzz.cpp: "?=x" made a keyword with no name,
// a connection string libpq cannot read, instead of the sentence above.
TEST(DatabaseUrlTest, QueryParametersNeedANameBeforeTheEqualsSign) {
  for (const char* url : {"postgresql://roster@127.0.0.1:1/roster?=require",
                          "postgresql://roster@127.0.0.1:1/roster?sslmode=require&=x"}) {
    auto parsed = store::DatabaseUrl::Parse(url);
    ASSERT_FALSE(parsed.ok()) << url << " -> " << parsed.value().connection_string;
    EXPECT_NE(parsed.problem().detail.find("ROSTER_DB"), std::string::npos) << parsed.problem().detail;
  }
  auto parsed = store::DatabaseUrl::Parse("postgresql://roster@127.0.0.1:1/roster?sslmode=require");
  ASSERT_TRUE(parsed.ok()) << parsed.problem().detail;
  EXPECT_NE(parsed->connection_string.find("sslmode='require' "), std::string::npos);
}

}  // namespace
}  // namespace roster::testing
