// The filter and PATCH path grammars of SCIM requests, as Okta and Entra
// write them.
#include "http/api/scim_syntax.hpp"

#include <gtest/gtest.h>

namespace roster::http::scim {
namespace {

TEST(ScimSyntaxTest, FiltersAreOneEqualityWithAQuotedValue) {
  auto filter = ParseFilter("userName eq \"test.user@okta.local\"");
  ASSERT_TRUE(filter.ok());
  EXPECT_EQ(filter->attribute, "username");
  EXPECT_EQ(filter->value, "test.user@okta.local");
  auto upper = ParseFilter("  externalId EQ \"a \\\"b\\\" c\"  ");
  ASSERT_TRUE(upper.ok());
  EXPECT_EQ(upper->attribute, "externalid");
  EXPECT_EQ(upper->value, "a \"b\" c");
  auto urn = ParseFilter("urn:ietf:params:scim:schemas:core:2.0:User:userName eq \"x\"");
  ASSERT_TRUE(urn.ok());
  EXPECT_EQ(urn->attribute, "username");
  for (const char* bad : {"", "userName", "userName eq", "userName eq x", "userName co \"x\"",
                          "userName pr", "userName eq \"x\" and active eq \"true\"",
                          "userName eq \"unterminated", "(userName eq \"x\")", "eq \"x\""}) {
    auto refused = ParseFilter(bad);
    ASSERT_FALSE(refused.ok()) << bad;
    EXPECT_EQ(refused.problem().slug, "invalidFilter") << bad;
    EXPECT_EQ(refused.problem().category, ProblemCode::kBadRequest) << bad;
  }
}

TEST(ScimSyntaxTest, PathsNameAnAttributeASubAttributeAndAFilter) {
  auto simple = ParsePath("active");
  ASSERT_TRUE(simple.ok());
  EXPECT_EQ(simple->attribute, "active");
  EXPECT_FALSE(simple->sub);
  EXPECT_FALSE(simple->filter);

  auto dotted = ParsePath("name.givenName");
  ASSERT_TRUE(dotted.ok());
  EXPECT_EQ(dotted->attribute, "name");
  EXPECT_EQ(dotted->sub, "givenname");

  auto filtered = ParsePath("emails[type eq \"work\"].value");
  ASSERT_TRUE(filtered.ok());
  EXPECT_EQ(filtered->attribute, "emails");
  ASSERT_TRUE(filtered->filter);
  EXPECT_EQ(filtered->filter->attribute, "type");
  EXPECT_EQ(filtered->filter->value, "work");
  EXPECT_EQ(filtered->sub, "value");

  auto member = ParsePath("members[value eq \"42\"]");
  ASSERT_TRUE(member.ok());
  EXPECT_EQ(member->attribute, "members");
  EXPECT_EQ(member->filter->value, "42");
  EXPECT_FALSE(member->sub);

  auto core = ParsePath("urn:ietf:params:scim:schemas:core:2.0:User:name.familyName");
  ASSERT_TRUE(core.ok());
  EXPECT_EQ(core->attribute, "name");
  EXPECT_EQ(core->sub, "familyname");

  // An extension's attribute keeps its URN, whose dots are not sub-attributes.
  auto extension = ParsePath("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager");
  ASSERT_TRUE(extension.ok());
  EXPECT_EQ(extension->attribute, "urn:ietf:params:scim:schemas:extension:enterprise:2.0:user:manager");
  EXPECT_FALSE(extension->sub);

  for (const char* bad : {"", "[type eq \"x\"]", "emails[type eq \"work\"", "emails[type]",
                          "emails[type eq \"work\"]x", "name.", "a b"}) {
    auto refused = ParsePath(bad);
    ASSERT_FALSE(refused.ok()) << bad;
    EXPECT_EQ(refused.problem().slug, "invalidPath") << bad;
  }
}

}  // namespace
}  // namespace roster::http::scim
