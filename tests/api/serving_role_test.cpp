// A separate serving role (docs/deploy.md): the tables' owner migrates and
// makes the organization (ApiTest::SetUp), and the server runs as a role
// with SELECT, INSERT, UPDATE and DELETE on the tables and USAGE on the
// leads' sequence. Registered as serving_role.* only (CMakeLists.txt),
// beside the API conversations that write, which run as that role there.
#include <algorithm>

#include "api_fixture.hpp"

namespace roster::testing {
namespace {

class ServingRoleTest : public ApiTest {
 protected:
  void SetUp() override {
    ASSERT_TRUE(TestDatabase::ServingRoleRequested()) << "registered as serving_role.* only";
    ApiTest::SetUp();
  }
};

// The server checks the schema without creating anything, so it starts.
TEST_F(ServingRoleTest, TheServerStartsAndTheDoctorFindsTheSchemaCurrent) {
  StartServer();
  EXPECT_EQ(admin_->Get("/api/v1/me").status, 200);
  CommandResult doctor = RunRoster({"doctor"}, env_);
  EXPECT_NE(doctor.out.find("ok       schema: version"), std::string::npos)
      << doctor.out << doctor.err;
}

// A command that fails for the database's own reason says it, instead of
// "Something went wrong on our side".
TEST_F(ServingRoleTest, MigrateAsTheServingRoleSaysWhyItCannot) {
  CommandResult migrated = RunRoster({"migrate"}, env_);
  EXPECT_EQ(migrated.exit_code, 1);
  EXPECT_EQ(std::count(migrated.err.begin(), migrated.err.end(), '\n'), 1) << migrated.err;
  EXPECT_NE(migrated.err.find("permission denied"), std::string::npos) << migrated.err;
}

}  // namespace
}  // namespace roster::testing
