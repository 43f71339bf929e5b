#pragma once

#include <optional>
#include <string>

#include "core/base64.hpp"
#include "core/ids.hpp"
#include "core/utf8.hpp"

// The member list's cursors: base64url of "sort\nKvalue\nid", where `sort`
// is the order that made the cursor ("-joined"), K is 'v' before the last
// row's sort value, or 'n' when it had none (never joined, never signed in),
// and id is its user id. Clients must not build or parse them.
namespace roster::store {

struct MemberPosition {
  std::string sort;
  std::optional<std::string> value;  // nullopt: among the members without a value
  Id user_id = 0;

  bool operator==(const MemberPosition&) const = default;
};

inline std::string EncodeMemberCursor(const MemberPosition& position) {
  std::string text = position.sort + '\n';
  text += position.value ? 'v' + *position.value : std::string("n");
  return EncodeBase64Url(text + '\n' + FormatId(position.user_id));
}

// nullopt for anything EncodeMemberCursor did not make.
inline std::optional<MemberPosition> DecodeMemberCursor(const std::string& cursor) {
  auto decoded = DecodeBase64Url(cursor);
  if (!decoded || !IsValidUtf8(*decoded)) return std::nullopt;  // the database would refuse it
  auto first = decoded->find('\n');
  auto last = decoded->rfind('\n');
  if (first == std::string::npos || last == first) return std::nullopt;
  auto id = ParseId(std::string_view(*decoded).substr(last + 1));
  if (!id) return std::nullopt;
  std::string middle = decoded->substr(first + 1, last - first - 1);
  MemberPosition position{decoded->substr(0, first), std::nullopt, *id};
  if (middle == "n") return position;
  if (middle.empty() || middle[0] != 'v') return std::nullopt;
  position.value = middle.substr(1);
  return position;
}

}  // namespace roster::store
