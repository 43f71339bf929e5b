// An export is streamed page by page long after its request was checked:
// each page must be read for the caller as he is when it is read (SPEC 6:
// removal, demotion or a password change take effect on the very next
// request; SPEC 7: a revoked key fails at once). Through the API's router,
// so that the handlers' own wiring is what is tested: the first part of the
// answer is read, the caller's standing changes, the next part is asked for.
#include <memory>
#include <string>

#include "auth/secrets.hpp"
#include "http/api/api.hpp"
#include "http/router.hpp"
#include "store/accounts.hpp"
#include "store/api_keys.hpp"
#include "store/assistants.hpp"
#include "store/leads.hpp"
#include "store/organizations.hpp"
#include "store_fixture.hpp"

namespace roster::testing {
namespace {

// One more than an export's page, so that a lead export has two parts.
constexpr int kLeads = 1001;

class ExportAuthorizationTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    if (HasFatalFailure()) return;
    Seed([&](store::Tx& tx, UnixSeconds now) {
      org_ = store::InsertOrganization(tx, "Acme", now);
      ada_ = AddActiveMember(tx, org_, "ada@acme.test", "Ada", domain::Role::kAdmin, now);
      sam_ = AddActiveMember(tx, org_, "sam@acme.test", "Sam", domain::Role::kUser, now);
      Id north = store::InsertAssistant(tx, org_, "North", now).value();
      store::AssignUser(tx, org_, north, sam_, false, now);
      for (int i = 0; i < kLeads; ++i) {
        store::InsertLead(tx, org_,
                          {north, sam_, "Lead " + std::to_string(i),
                           "lead" + std::to_string(i) + "@prospect.test", "", {}},
                          now);
      }
      store::InsertSession(tx, HashToken(kAdaSession), ada_, false, now, now + 3600);
      store::NewApiKey key;
      key.name = "Warehouse";
      key.scope = domain::ApiKeyScope::kRead;
      key.prefix = "rk_warehouse";
      key.key_hash = HashToken(kKey);
      key_id_ = store::InsertApiKey(tx, org_, key, now);
    });
    http::AddApiRoutes(router_, *context_);
  }

  // The answer to a lead export with these headers; its first part in `first`.
  std::shared_ptr<http::BodySource> StartExport(const std::string& header,
                                                const std::string& value, std::string& first) {
    http::Request request;
    request.method = "GET";
    request.path = "/api/v1/orgs/" + std::to_string(org_) + "/leads/export";
    request.query["format"] = "csv";
    request.headers[header] = value;
    http::Response response = router_.Dispatch(request);
    EXPECT_EQ(response.status, 200) << response.body;
    if (!response.stream) return nullptr;
    Result<bool> more = response.stream->Next(first);
    EXPECT_TRUE(more.ok() && *more) << "the first part should leave more to come";
    return response.stream;
  }
  std::shared_ptr<http::BodySource> StartAdasExport(std::string& first) {
    return StartExport("cookie", std::string("roster_session=") + kAdaSession, first);
  }

  static constexpr const char* kAdaSession = "ada-session-token";
  static constexpr const char* kKey = "rk_warehouse-key-for-the-export-test";
  http::Router router_;
  Id org_ = 0, ada_ = 0, sam_ = 0, key_id_ = 0;
};

TEST_F(ExportAuthorizationTest, AnUnchangedCallerGetsEveryPage) {
  std::string part;
  auto stream = StartAdasExport(part);
  ASSERT_TRUE(stream);
  Result<bool> more = stream->Next(part);
  ASSERT_TRUE(more.ok()) << more.problem().detail;
  EXPECT_FALSE(*more);
  EXPECT_NE(part.find("Lead 0,"), std::string::npos) << "the oldest lead comes last";
}

TEST_F(ExportAuthorizationTest, AMemberRemovedMidwayGetsNoMorePages) {
  std::string part;
  auto stream = StartAdasExport(part);
  ASSERT_TRUE(stream);
  Execute("DELETE FROM memberships WHERE user_id = " + std::to_string(ada_));
  Result<bool> more = stream->Next(part);
  ASSERT_FALSE(more.ok());
  EXPECT_EQ(more.problem().category, ProblemCode::kNotFound);
}

// He would see only his own leads now: the download ends instead of
// finishing as a smaller file that looks whole.
TEST_F(ExportAuthorizationTest, AnAdminDemotedMidwayGetsNoMorePages) {
  std::string part;
  auto stream = StartAdasExport(part);
  ASSERT_TRUE(stream);
  Execute("UPDATE memberships SET role = 'user' WHERE user_id = " + std::to_string(ada_));
  Result<bool> more = stream->Next(part);
  ASSERT_FALSE(more.ok());
  EXPECT_EQ(more.problem().slug, "access_changed");
}

TEST_F(ExportAuthorizationTest, AnEndedSessionGetsNoMorePages) {
  std::string part;
  auto stream = StartAdasExport(part);
  ASSERT_TRUE(stream);
  Execute("DELETE FROM sessions WHERE user_id = " + std::to_string(ada_));  // signed out
  Result<bool> more = stream->Next(part);
  ASSERT_FALSE(more.ok());
  EXPECT_EQ(more.problem().category, ProblemCode::kUnauthenticated);
}

TEST_F(ExportAuthorizationTest, ARevokedKeyGetsNoMorePages) {
  std::string part;
  auto stream = StartExport("authorization", std::string("Bearer ") + kKey, part);
  ASSERT_TRUE(stream);
  Seed([&](store::Tx& tx, UnixSeconds now) { store::RevokeApiKey(tx, org_, key_id_, now); });
  Result<bool> more = stream->Next(part);
  ASSERT_FALSE(more.ok());
  EXPECT_EQ(more.problem().category, ProblemCode::kUnauthenticated);
}

}  // namespace
}  // namespace roster::testing
