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

}  // namespace
}  // namespace roster::testing
