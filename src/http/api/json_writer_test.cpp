// The members page written by JsonWriter is byte for byte what nlohmann's
// DOM prints for the same values (PageJson over the members parsed back),
// whatever the names contain: escapes, invalid UTF-8 repair, key order.
#include "http/api/json_writer.hpp"

#include <gtest/gtest.h>

#include "http/api/api_json.hpp"
#include "http/api/api_support.hpp"

namespace roster::http {
namespace {

std::string DomText(const app::MemberList& list, UnixSeconds now) {
  nlohmann::json items = nlohmann::json::array();
  for (const auto& member : list.page.items)
    items.push_back(MemberJson(member, now, list.caller_is_admin));
  return PageJson(items, list.page.next_cursor)
      .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

domain::Member MemberNamed(Id id, std::string name, std::string email) {
  domain::Member member;
  member.organization_id = 7;
  member.user_id = id;
  member.name = std::move(name);
  member.email = std::move(email);
  return member;
}

TEST(JsonWriterTest, MemberPageMatchesTheDomByteForByte) {
  constexpr UnixSeconds kNow = 1767225600;  // 2026-01-01
  std::vector<domain::Member> members = {
      MemberNamed(1, "Ada Admin", "ada@acme.test"),
      MemberNamed(2, "Zoë \"Quote\" \\ Back", "zoe@acme.test"),
      MemberNamed(3, "Tab\there\nnewline\x01\x1f", "ctl@acme.test"),
      MemberNamed(4, "Bad \xff\xfe bytes \xc3", "bad@acme.test"),
      MemberNamed(5, "日本語 名前 😀", "unicode@acme.test"),
      MemberNamed(9223372036854775807, "", "max@acme.test"),
  };
  members[0].role = domain::Role::kAdmin;
  members[0].state = domain::MembershipState::kActive;
  members[0].joined_at = kNow - 86400;
  members[0].last_login_at = kNow - 5;
  members[0].lead_count = 123456789012;
  members[1].invited_at = kNow - 10;
  members[1].invite_expires_at = kNow + 3600;
  members[2].invited_at = kNow - 100000;
  members[2].invite_expires_at = kNow - 1;  // invite_expired
  for (bool admin : {true, false}) {
    for (std::optional<std::string> cursor :
         {std::optional<std::string>(), std::optional<std::string>("YWJj\n\"x")}) {
      app::MemberList list{{members, cursor}, admin};
      EXPECT_EQ(MemberPageText(list, kNow), DomText(list, kNow)) << "admin " << admin;
    }
  }
  app::MemberList empty{{{}, std::nullopt}, true};
  EXPECT_EQ(MemberPageText(empty, kNow), DomText(empty, kNow));
}

TEST(JsonWriterTest, NestsAndSeparatesValues) {
  std::string text;
  JsonWriter out(text);
  out.BeginObject()
      .Key("a")
      .BeginArray()
      .Int(-1)
      .Bool(true)
      .Null()
      .BeginObject()
      .EndObject()
      .EndArray();
  out.Key("b").String("x").EndObject();
  EXPECT_EQ(text, R"({"a":[-1,true,null,{}],"b":"x"})");
}

}  // namespace
}  // namespace roster::http
