// SPEC 6: rate-limit keys are fixed-size hashes, so what an attacker types
// never grows the database.
#include <soci/soci.h>

#include "app/sign_in.hpp"
#include "store_fixture.hpp"

namespace roster::testing {
namespace {

TEST_F(StoreTest, RateLimitKeysHaveTheSameSizeWhateverWasTyped) {
  const std::string long_email = std::string(240, 'x') + "@example.test";  // within the bound
  const std::string long_network = std::string(1000, 'n');                 // a proxy header, say
  for (const std::string& email : {std::string("a@b.test"), long_email}) {
    for (const std::string& network : {std::string("203.0.113.7"), long_network}) {
      EXPECT_FALSE(app::Login(*context_, {email, "wrong password", network, ""}).ok());
    }
  }
  long long keys = 0, shortest = 0, longest = 0;
  ASSERT_TRUE(
      database_
          ->Read<void>([&](store::Tx& tx) -> Status {
            tx.sql() << "SELECT COUNT(DISTINCT bucket), MIN(LENGTH(bucket)), MAX(LENGTH(bucket)) "
                      "FROM rate_events WHERE bucket LIKE 'login-%'",
                soci::into(keys), soci::into(shortest), soci::into(longest);
            return {};
          })
          .ok());
  EXPECT_EQ(keys, 4);  // two accounts and two client networks, each its own key
  EXPECT_LE(longest, 14 + 64) << "a key grew with its input";
  EXPECT_GE(shortest, 13 + 64);
}

}  // namespace
}  // namespace roster::testing
