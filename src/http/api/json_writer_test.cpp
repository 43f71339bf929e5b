// The members page written by JsonWriter is byte for byte what nlohmann's
// DOM prints for the same values (PageJson over the members parsed back),
// whatever the names contain: escapes, invalid UTF-8 repair, key order.
#include "http/api/json_writer.hpp"

#include <gtest/gtest.h>

#include "http/api/api_json.hpp"
#include "http/api/api_support.hpp"

namespace roster::http {
namespace {

std::string DomText(const app::MemberList& list) {
  nlohmann::json items = nlohmann::json::array();
  for (const auto& member : list.items) items.push_back(MemberJson(member));
  return PageJson(items, list.next_cursor)
      .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

app::MemberView MemberNamed(Id id, std::string name, std::string email) {
  app::MemberView member;
  member.user_id = id;
  member.name = std::move(name);
  member.email = std::move(email);
  member.details = app::MemberDetails{};
  return member;
}

TEST(JsonWriterTest, MemberPageMatchesTheDomByteForByte) {
  constexpr UnixSeconds kNow = 1767225600;  // 2026-01-01
  std::vector<app::MemberView> members = {
      MemberNamed(1, "Ada Admin", "ada@acme.test"),
      MemberNamed(2, "Zoë \"Quote\" \\ Back", "zoe@acme.test"),
      MemberNamed(3, "Tab\there\nnewline\x01\x1f", "ctl@acme.test"),
      MemberNamed(4, "Bad \xff\xfe bytes \xc3", "bad@acme.test"),
      MemberNamed(5, "日本語 名前 😀", "unicode@acme.test"),
      MemberNamed(9223372036854775807, "", "max@acme.test"),
  };
  members[0].role = domain::Role::kAdmin;
  members[0].status = domain::MemberStatus::kActive;
  members[0].details->joined_at = kNow - 86400;
  members[0].details->last_login_at = kNow - 5;
  members[0].details->lead_count = 123456789012;
  members[1].details->invited_at = kNow - 10;
  members[1].details->invite_expires_at = kNow + 3600;
  members[2].status = domain::MemberStatus::kInviteExpired;
  members[2].details->invited_at = kNow - 100000;
  members[2].details->invite_expires_at = kNow - 1;
  for (bool details : {true, false}) {
    std::vector<app::MemberView> cut = members;
    if (!details) {
      for (auto& member : cut) member.details.reset();
    }
    for (std::optional<std::string> cursor :
         {std::optional<std::string>(), std::optional<std::string>("YWJj\n\"x")}) {
      app::MemberList list{cut, cursor};
      EXPECT_EQ(MemberPageText(list), DomText(list)) << "details " << details;
    }
  }
  app::MemberList empty{{}, std::nullopt};
  EXPECT_EQ(MemberPageText(empty), DomText(empty));
}

// Every byte value at every place of a string is written as nlohmann
// writes it: the writer's plain-text shortcut never passes a byte that
// needs an escape or a repair.
TEST(JsonWriterTest, EveryByteAnywhereIsWrittenAsTheDomWritesIt) {
  for (int byte = 0; byte < 256; ++byte) {
    for (std::size_t at = 0; at < 19; ++at) {
      std::string value(19, 'a');
      value[at] = static_cast<char>(byte);
      std::string text;
      JsonWriter(text).String(value);
      EXPECT_EQ(text, nlohmann::json(value).dump(-1, ' ', false,
                                                 nlohmann::json::error_handler_t::replace))
          << "byte " << byte << " at " << at;
    }
  }
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
