// Raising the argon2 cost reaches existing passwords: a successful sign-in
// whose stored hash was made with older parameters stores a new hash.
#include <soci/soci.h>

#include "app/members.hpp"
#include "app/sign_in.hpp"
#include "store_fixture.hpp"

namespace roster::testing {
namespace {

constexpr const char* kPassword = "copper meadow violin 4471 drifts";

TEST_F(StoreTest, ASignInStoresAHashWithTheCurrentParameters) {
  auto created = app::CreateOrganization(*context_, "Acme", "ada@acme.test", "");
  ASSERT_TRUE(created.ok());
  app::Principal ada =
      app::Principal::Person(created->admin.user_id, 0, "ada@acme.test", created->admin.name, true);
  ASSERT_TRUE(app::ChangePassword(*context_, ada, created->one_time_password, kPassword).ok());
  auto stored_hash = [&] {
    std::string hash;
    EXPECT_TRUE(database_
                    ->Read<void>([&](store::Tx& tx) -> Status {
                      tx.sql() << "SELECT password_hash FROM users WHERE id = :id",
                          soci::use(ada.user_id), soci::into(hash);
                      return {};
                    })
                    .ok());
    return hash;
  };

  PasswordHasherOptions raised;
  raised.parameters.iterations = 3;
  auto stronger = PasswordHasher::Create(raised);
  ASSERT_TRUE(stronger.ok());
  app::Context upgraded{*database_, **stronger, clock_, {}};
  ASSERT_TRUE((*stronger)->NeedsRehash(stored_hash()));

  ASSERT_TRUE(app::Login(upgraded, {"ada@acme.test", kPassword, "203.0.113.7", ""}).ok());
  std::string rehashed = stored_hash();
  EXPECT_FALSE((*stronger)->NeedsRehash(rehashed)) << rehashed;
  EXPECT_NE(rehashed.find("t=3"), std::string::npos) << rehashed;
  // The same password still opens the account, and a wrong one still does not.
  EXPECT_TRUE(app::Login(upgraded, {"ada@acme.test", kPassword, "203.0.113.7", ""}).ok());
  EXPECT_FALSE(app::Login(upgraded, {"ada@acme.test", "not the password", "203.0.113.7", ""}).ok());
}

}  // namespace
}  // namespace roster::testing
